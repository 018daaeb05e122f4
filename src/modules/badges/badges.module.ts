import { Module } from '@nestjs/common';
import { BadgesApiController } from './api/badges.api.controller';
import { IssuersApiController } from './api/issuers.api.controller';
import { SeriesApiController } from './api/series.api.controller';
import { BadgeArtStore } from './badge-art.store';
import { BadgesService } from './badges.service';
import { IssuersService } from './issuers.service';
import { SeriesService } from './series.service';

@Module({
  controllers: [BadgesApiController, IssuersApiController, SeriesApiController],
  providers: [BadgesService, IssuersService, SeriesService, BadgeArtStore],
  exports: [BadgesService, IssuersService, SeriesService],
})
export class BadgesModule {}
