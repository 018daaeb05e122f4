import { Module } from '@nestjs/common';
import { BadgesModule } from '../badges/badges.module';
import { UsersModule } from '../users/users.module';
import { AwardsApiController } from './api/awards.api.controller';
import { InvitationsApiController } from './api/invitations.api.controller';
import { AuthorizationsService } from './authorizations.service';
import { AwardsService } from './awards.service';
import { GrantingService } from './granting.service';
import { InvitationsService } from './invitations.service';
import { ProgressService } from './progress.service';

@Module({
  imports: [UsersModule, BadgesModule],
  controllers: [AwardsApiController, InvitationsApiController],
  providers: [
    AwardsService,
    AuthorizationsService,
    ProgressService,
    GrantingService,
    InvitationsService,
  ],
  exports: [
    AwardsService,
    AuthorizationsService,
    ProgressService,
    GrantingService,
    InvitationsService,
  ],
})
export class AwardsModule {}
