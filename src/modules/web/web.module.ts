import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { OpenBadgesModule } from '../openbadges/openbadges.module';
import { AwardsModule } from '../awards/awards.module';
import { BadgesModule } from '../badges/badges.module';
import { UsersModule } from '../users/users.module';
import { AboutPageController } from './about/about.page.controller';
import { BadgesAdminController } from './admin/badges.admin.controller';
import { BulkGrantAdminController } from './admin/bulk-grant.admin.controller';
import { IssuersAdminController } from './admin/issuers.admin.controller';
import { SeriesAdminController } from './admin/series.admin.controller';
import { BadgeGrantingPageController } from './granting/badge-granting.page.controller';
import { ClaimPageController } from './granting/claim.page.controller';
import { AuditPageController } from './account/audit.page.controller';
import { SettingsPageController } from './account/settings.page.controller';
import { BadgePageController } from './badges/badge.page.controller';
import { BadgePresenter } from './badges/badge.presenter';
import { ExplorePageController } from './explore/explore.page.controller';
import { ExplorePresenter } from './explore/explore.presenter';
import { HomePageController } from './home/home.page.controller';
import { HomePresenter } from './home/home.presenter';
import { LeaderboardPageController } from './leaderboard/leaderboard.page.controller';
import { LeaderboardPresenter } from './leaderboard/leaderboard.presenter';
import { SeriesPageController } from './series/series.page.controller';
import { SeriesPresenter } from './series/series.presenter';
import { PageCache } from './page-cache';
import { Site } from './site';
import { UserPageController } from './users/user.page.controller';
import { UserPresenter } from './users/user.presenter';

/**
 * The pages door: server-rendered pages, feeds and Tahrir's legacy URLs and JSON, all
 * built from the same service methods as the REST API. Nothing imports this module
 * (dependency-cruiser rule `nothing-imports-web`).
 */
const CACHED_CONTROLLERS = [
  HomePageController,
  ExplorePageController,
  BadgePageController,
  UserPageController,
  LeaderboardPageController,
  SeriesPageController,
  AboutPageController,
];

@Module({
  imports: [UsersModule, BadgesModule, AwardsModule, OpenBadgesModule],
  // Pages for logged-in people are never cached (the cache skips viewers anyway).
  controllers: [
    ...CACHED_CONTROLLERS,
    SettingsPageController,
    AuditPageController,
    IssuersAdminController,
    BadgesAdminController,
    BulkGrantAdminController,
    SeriesAdminController,
    BadgeGrantingPageController,
    ClaimPageController,
  ],
  providers: [
    Site,
    PageCache,
    HomePresenter,
    ExplorePresenter,
    BadgePresenter,
    UserPresenter,
    LeaderboardPresenter,
    SeriesPresenter,
  ],
  exports: [],
})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(PageCache).forRoutes(...CACHED_CONTROLLERS);
  }
}
