import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { IssuersService } from '../issuers.service';
import { presentIssuer } from './badges.presenter';
import { CreateIssuerDto, UpdateIssuerDto } from './dto/issuer.dto';

@ApiTags('issuers')
@Controller('api/v1/issuers')
export class IssuersApiController {
  constructor(private readonly issuers: IssuersService) {}

  @Get()
  @ApiOperation({ summary: 'List issuers' })
  async list() {
    return (await this.issuers.list()).map(presentIssuer);
  }

  @Get(':id')
  async get(@Param('id', ParseIntPipe) id: number) {
    return presentIssuer(await this.issuers.get(id));
  }

  @Post()
  @AdminOnly()
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateIssuerDto) {
    return presentIssuer(await this.issuers.create(dto, undefined, p));
  }

  @Patch(':id')
  @AdminOnly()
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateIssuerDto,
  ) {
    return presentIssuer(await this.issuers.update(id, dto, p));
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseIntPipe) id: number,
  ): Promise<void> {
    await this.issuers.remove(id, p);
  }
}
