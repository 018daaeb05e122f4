import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../auth.decorators';
import type { Principal } from '../principal';

@ApiTags('auth')
@Controller('api/v1/me')
export class MeApiController {
  /** Who the caller is: how they authenticated, their account, admin or not, their scopes. */
  @Get()
  @Authenticated()
  @ApiOkResponse({ description: '{ via, personId, nickname, isAdmin, scopes }' })
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}
