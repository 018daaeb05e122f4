import type { AuditRecord } from '../../auth/audit.service';

const COLUMNS = ['id', 'at', 'actor', 'action', 'subject', 'details'];

/**
 * One CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a formula
 * (starting with = + - @, tab or CR) gets a leading apostrophe: account names and badge
 * ids come from users.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsvHeader(): string {
  return COLUMNS.join(',') + '\r\n';
}

export function auditCsvRow(e: AuditRecord): string {
  return (
    [
      String(e.id),
      e.at.toISOString(),
      e.actor ?? '',
      e.action,
      e.subject,
      Object.keys(e.details).length ? JSON.stringify(e.details) : '',
    ]
      .map(csvField)
      .join(',') + '\r\n'
  );
}
