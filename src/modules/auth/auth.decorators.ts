import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { type Principal, principalOf, type Scope } from './principal';
import { AuthenticatedGuard, REQUIRED_SCOPES, WriteAccessGuard } from './write-access.guard';

/** Marks an endpoint that only admins (or automation with the admin token) may call. */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(WriteAccessGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No or invalid bearer token' }),
    ApiForbiddenResponse({ description: 'Not allowed' }),
  );
}

/**
 * Marks an endpoint any principal may call (bootstrap token, personal API token or login
 * session), provided it holds every scope listed.
 */
export function Authenticated(...scopes: Scope[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    UseGuards(AuthenticatedGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No or invalid bearer token' }),
    ...(scopes.length ? [ApiForbiddenResponse({ description: `Needs scope ${scopes}` })] : []),
  );
}

/** The request's principal (see principal.ts), or null on an endpoint that allows anyone. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | null =>
    principalOf(ctx.switchToHttp().getRequest<object>()),
);
