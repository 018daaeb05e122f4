import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { WriteAccessGuard } from './write-access.guard';

/** Marks an endpoint that only admins (or automation with the admin token) may call. */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(WriteAccessGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No or invalid bearer token' }),
    ApiForbiddenResponse({ description: 'Not allowed' }),
  );
}
