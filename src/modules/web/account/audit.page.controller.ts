import { Controller, Get, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Viewer } from '../../../common/viewer';
import { AuditService } from '../../auth/audit.service';
import { AdminPage } from '../../auth/page-access';
import { pageParam } from '../params';
import { Site } from '../site';
import { CurrentViewer } from '../viewer.decorator';
import { auditCsvHeader, auditCsvRow } from './audit-csv';

const PER_PAGE = 50;

/** The audit log for admins: a paged page and a CSV export of everything. */
@ApiExcludeController()
@Controller('admin')
@AdminPage()
export class AuditPageController {
  constructor(
    private readonly site: Site,
    private readonly audit: AuditService,
  ) {}

  @Get('audit')
  @Render('audit/index')
  async page(@CurrentViewer() viewer: Viewer, @Query('page') page: unknown) {
    const n = pageParam(page);
    const list = await this.audit.list({ page: n, perPage: PER_PAGE });
    const pages = Math.max(1, Math.ceil(list.total / PER_PAGE));
    return {
      ...this.site.layout({ title: 'Audit log', active: 'none', viewer, path: '/admin/audit' }),
      entries: list.items.map((e) => ({
        ...e,
        details: Object.keys(e.details).length ? JSON.stringify(e.details) : '',
      })),
      total: list.total,
      pager: {
        label: 'Audit log pages',
        page: n,
        pages,
        prev: n > 1 ? `/admin/audit?page=${n - 1}` : null,
        next: n < pages ? `/admin/audit?page=${n + 1}` : null,
      },
    };
  }

  @Get('audit.csv')
  async csv(@Res() res: Response) {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="accolades-audit.csv"');
    res.setHeader('Cache-Control', 'no-store');
    res.write(auditCsvHeader());
    for await (const entry of this.audit.all()) {
      if (!res.write(auditCsvRow(entry))) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  }
}
