import { Module } from '@nestjs/common';
import { AwardsModule } from '../awards/awards.module';
import { BadgesModule } from '../badges/badges.module';
import { CredentialsController } from './api/credentials.controller';
import { HostedController } from './api/hosted.controller';
import { BakedImagesService } from './baked-images.service';
import { CredentialsService } from './credentials.service';
import { HostedBadgesService } from './hosted.service';
import { KeysService } from './keys.service';
import { OpenBadgesLinks } from './openbadges.links';

/**
 * Open Badges: 2.0 hosted verification and baked images, 3.0 verifiable credentials with
 * status lists. Builds on awards and badges; nothing below depends on it.
 */
@Module({
  imports: [AwardsModule, BadgesModule],
  controllers: [HostedController, CredentialsController],
  providers: [
    OpenBadgesLinks,
    HostedBadgesService,
    BakedImagesService,
    KeysService,
    CredentialsService,
  ],
  exports: [
    HostedBadgesService,
    BakedImagesService,
    KeysService,
    CredentialsService,
    OpenBadgesLinks,
  ],
})
export class OpenBadgesModule {}
