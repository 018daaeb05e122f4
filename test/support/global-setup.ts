import { randomBytes } from 'node:crypto';
import { requirePostgres } from './services';
import { ensurePgliteTemplate, ensurePgTemplate } from './templates';

/**
 * Runs once per Jest project before its workers start: checks the services are there
 * (failing with the command that starts them, never skipping) and builds the migrated
 * templates the test databases are cloned from.
 */
export default async function globalSetup(): Promise<void> {
  process.env.ACCOLADES_TEST_RUN ??= randomBytes(4).toString('hex');
  await requirePostgres();
  await ensurePgTemplate();
  await ensurePgliteTemplate();
}
