import { invalid } from '../../common/errors/domain-error';

/**
 * An expiry: a date-time with a time zone (ISO 8601), a date-time without one (read as
 * UTC), or a date alone (the invitation works through that day, UTC). Must be in the future.
 */
export function parseExpiry(value: Date | string, now = Date.now()): Date {
  let d: Date | null = null;
  if (value instanceof Date) d = value;
  else {
    const v = value.trim();
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) d = new Date(`${v}T23:59:59Z`);
    else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) {
      d = new Date(`${v.replace(' ', 'T')}Z`);
    } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v)) {
      d = new Date(v);
    }
  }
  if (!d || Number.isNaN(d.getTime())) {
    throw invalid('INVITATION.INVALID', 'The invitation was not created.', [
      { field: 'expires_on', errors: ['Give a date (YYYY-MM-DD) or a date and time (UTC).'] },
    ]);
  }
  if (d.getTime() <= now) {
    throw invalid('INVITATION.INVALID', 'The invitation was not created.', [
      { field: 'expires_on', errors: ['The expiry must be in the future.'] },
    ]);
  }
  return d;
}
