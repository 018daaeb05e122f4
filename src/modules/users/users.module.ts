import { Module } from '@nestjs/common';
import { UsersApiController } from './api/users.api.controller';
import { RankingService } from './ranking.service';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersApiController],
  providers: [UsersService, RankingService],
  exports: [UsersService, RankingService],
})
export class UsersModule {}
