import { Module } from '@nestjs/common';
import { BadgesModule } from '../badges/badges.module';
import { UsersModule } from '../users/users.module';
import { AwardsApiController } from './api/awards.api.controller';
import { AuthorizationsService } from './authorizations.service';
import { AwardsService } from './awards.service';
import { ProgressService } from './progress.service';

@Module({
  imports: [UsersModule, BadgesModule],
  controllers: [AwardsApiController],
  providers: [AwardsService, AuthorizationsService, ProgressService],
  exports: [AwardsService, AuthorizationsService, ProgressService],
})
export class AwardsModule {}
