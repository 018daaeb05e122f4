import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import { AwardsModule } from '../awards/awards.module';
import { BadgesModule } from '../badges/badges.module';
import { UsersModule } from '../users/users.module';
import { RulesApiController } from './api/rules.api.controller';
import { CounterRegistry } from './history/counter-registry';
import { FasjsonIdentities, Identities, LocalIdentities } from './identities/identities';
import { RulesLoader } from './loading/rules.loader';
import { RulesService } from './rules.service';

/** The rules runtime: history, counters, rule loading, message processing. */
@Module({
  imports: [UsersModule, BadgesModule, AwardsModule],
  controllers: [RulesApiController],
  providers: [
    {
      provide: CounterRegistry,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new CounterRegistry(ds),
    },
    {
      provide: LocalIdentities,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new LocalIdentities(ds),
    },
    {
      provide: Identities,
      inject: [LocalIdentities, ENV],
      useFactory: (local: LocalIdentities, env: Env) =>
        new Identities(
          local,
          env.ACCOLADES_FASJSON_URL ? new FasjsonIdentities(env.ACCOLADES_FASJSON_URL) : null,
        ),
    },
    RulesLoader,
    RulesService,
  ],
  exports: [RulesService, LocalIdentities],
})
export class RulesModule {}
