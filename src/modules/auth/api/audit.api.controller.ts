import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../../../common/api/page-query.dto';
import { AuditService } from '../audit.service';
import { AdminOnly } from '../auth.decorators';

@ApiTags('auth')
@Controller('api/v1/audit')
export class AuditApiController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @AdminOnly()
  @ApiOperation({ summary: 'The audit log, newest first (admins)' })
  list(@Query() q: PageQueryDto) {
    return this.audit.list({ page: q.page, perPage: q.per_page });
  }
}
