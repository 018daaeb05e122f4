import { Body, Controller, Delete, Get, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiTokensService, type ApiTokenInfo } from '../api-tokens.service';
import { Authenticated, CurrentPrincipal } from '../auth.decorators';
import type { Principal } from '../principal';
import { CreateTokenDto } from './dto/token.dto';

@ApiTags('auth')
@Controller('api/v1/tokens')
export class TokensApiController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Create a personal API token (the token is in this answer only)' })
  @ApiCreatedResponse({ description: '{ token, id, name, scopes, createdOn, expiresOn, ... }' })
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateTokenDto) {
    const { token, info } = await this.tokens.create(p, dto);
    return { token, ...info };
  }

  @Get()
  @Authenticated('read')
  @ApiOperation({ summary: "The caller's tokens (never the secrets)" })
  list(@CurrentPrincipal() p: Principal): Promise<ApiTokenInfo[]> {
    return this.tokens.listFor(p);
  }

  @Delete(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Revoke a token (yours; admins: anyone’s)' })
  revoke(@CurrentPrincipal() p: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.tokens.revoke(p, id);
  }
}
