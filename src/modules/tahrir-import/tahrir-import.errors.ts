import { conflict, DomainError, invalid } from '../../common/errors/domain-error';

export interface ImportConflict {
  table: string;
  key: string;
  reason: string;
}

export const sourceUnreachable = (url: string, cause: string) =>
  new DomainError(
    'unavailable',
    'IMPORT.SOURCE_UNREACHABLE',
    `Could not read the Tahrir database at ${url}: ${cause}`,
  );

export const wrongSchemaVersion = (found: string, supported: string[]) =>
  invalid(
    'IMPORT.SCHEMA_VERSION',
    `The Tahrir database is at schema version ${found}; this import reads ${supported.join(', ')} ` +
      '(badge tags still one comma-separated column). Restore a dump of a supported version.',
  );

export const schemaMismatch = (missing: string[]) =>
  invalid(
    'IMPORT.SCHEMA_MISMATCH',
    `The Tahrir database lacks what the import reads: ${missing.join(', ')}.`,
  );

export const importBusy = () =>
  conflict(
    'IMPORT.BUSY',
    'Another import into this database is running; wait for it to finish (runs never overlap).',
  );

/** Raised before anything is written: the target holds rows created in Accolades that clash. */
export class ImportConflictError extends DomainError {
  constructor(
    readonly conflicts: ImportConflict[],
    readonly total: number,
  ) {
    super(
      'conflict',
      'IMPORT.CONFLICT',
      `The target already holds data created in Accolades that conflicts with Tahrir's ` +
        `(${total} conflict${total === 1 ? '' : 's'}); nothing was written:\n` +
        conflicts.map((c) => `  ${c.table} ${c.key}: ${c.reason}`).join('\n') +
        (total > conflicts.length ? `\n  ... and ${total - conflicts.length} more` : '') +
        '\nRemove or rename those rows in Accolades, then run the import again.',
    );
  }
}
