import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { packageVersion } from '../../common/version';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('healthz')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'The service can serve: database reachable (503 otherwise); its version, and the intake consumer state and lag',
  })
  async ready(@Res({ passthrough: true }) res: Response) {
    const r = await this.health.readiness();
    res.status(r.ok ? 200 : 503);
    return { status: r.ok ? 'ok' : 'unavailable', version: packageVersion(), checks: r.checks };
  }
}
