import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module';
import { AccountsService } from './accounts.service';
import { AuditApiController } from './api/audit.api.controller';
import { MeApiController } from './api/me.api.controller';
import { TokensApiController } from './api/tokens.api.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuditService } from './audit.service';
import { CsrfGuard } from './csrf';
import { LoginController } from './login.controller';
import { OidcLoginService } from './oidc/oidc-login.service';
import { AdminPageGuard, SignedInGuard } from './page-access';
import { PrincipalGuard } from './principal.guard';
import { DbSessionStore } from './session-store';
import { AuthenticatedGuard, WriteAccessGuard } from './write-access.guard';

/**
 * Who you are and what you may do: login with Fedora accounts, database sessions, CSRF,
 * API principals (bootstrap token, personal tokens, sessions), the audit log. Global, so
 * every module can use the guards and AuditService.
 */
@Global()
@Module({
  imports: [UsersModule],
  controllers: [LoginController, MeApiController, TokensApiController, AuditApiController],
  providers: [
    // Order matters: a forged form is refused before anything looks at who sent it.
    { provide: APP_GUARD, useClass: CsrfGuard },
    { provide: APP_GUARD, useClass: PrincipalGuard },
    WriteAccessGuard,
    AuthenticatedGuard,
    SignedInGuard,
    AdminPageGuard,
    AuditService,
    ApiTokensService,
    AccountsService,
    OidcLoginService,
    DbSessionStore,
  ],
  exports: [
    WriteAccessGuard,
    AuthenticatedGuard,
    SignedInGuard,
    AdminPageGuard,
    AuditService,
    ApiTokensService,
    AccountsService,
    DbSessionStore,
  ],
})
export class AuthModule {}
