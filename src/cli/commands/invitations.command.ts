import type { Command } from 'commander';
import type { Invitation, Page } from '../client/types';
import { withExamples } from '../help';
import { jsonOption, positiveInt } from '../options';

export function registerInvitations(program: Command): void {
  const invitations = program
    .command('invitations')
    .description('claim links and QR codes for a badge (events: Flock, FOSDEM booths...)');

  withExamples(
    jsonOption(
      invitations
        .command('create')
        .description(
          'create an invitation to claim a badge (its granters and admins): prints the claim ' +
            'link; --qr saves its QR code as a PNG to show at the event',
        )
        .argument('<badge>', 'the badge id')
        .requiredOption(
          '--expires <when>',
          'when it stops working: a duration from now (12h, 3d, 2w), a date (through that ' +
            'day, UTC) or a date and time (2026-08-10T18:00:00Z)',
        )
        .option('--qr <file>', 'write the QR code of the claim link to this PNG file'),
    ),
    [
      'accolades invitations create flock-2026 --expires 3d --qr flock.png',
      'accolades invitations create flock-2026 --expires 2026-08-10T18:00:00Z --json',
    ],
  ).action((badge: string, opts: { expires: string; qr?: string; json?: boolean }) =>
    create(badge, opts),
  );

  withExamples(
    jsonOption(
      invitations
        .command('list')
        .description('your invitations, newest first (admins: everyone’s)')
        .option('--badge <badge>', 'only those of this badge')
        .option('--limit <n>', 'how many (at most 100)', positiveInt('--limit'), 50),
    ),
    ['accolades invitations list', 'accolades invitations list --badge flock-2026 --json'],
  ).action((opts: { badge?: string; limit: number; json?: boolean }) => list(opts));

  withExamples(
    jsonOption(
      invitations
        .command('revoke')
        .description('withdraw invitations: their links stop working at once')
        .argument('<code...>', 'the invitation codes (see invitations list)'),
    ),
    ['accolades invitations revoke 3q9Xk2...'],
  ).action((codes: string[], opts: { json?: boolean }) => revoke(codes, opts));
}

async function create(
  badge: string,
  opts: { expires: string; qr?: string; json?: boolean },
): Promise<void> {
  const { apiClient } = await import('../client/context');
  const { seg } = await import('../client/api-client');
  const { expiresOn } = await import('../client/expires');
  const { fields, note, print, printJson } = await import('../client/output');
  const api = apiClient();
  const created = await api.post<Invitation>(`/api/v1/badges/${seg(badge)}/invitations`, {
    expires_on: expiresOn(opts.expires),
  });
  if (opts.qr) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(opts.qr, await api.bytes(new URL(created.qr_url).pathname));
    if (!opts.json) note(`QR code written to ${opts.qr}`);
  }
  if (opts.json) return printJson(created);
  print(
    fields([
      ['Badge', `${created.badge_name} (${created.badge_id})`],
      ['Claim link', created.claim_url],
      ['Expires', created.expires_on],
      ['Code', created.code],
    ]),
  );
}

async function list(opts: { badge?: string; limit: number; json?: boolean }): Promise<void> {
  const { apiClient } = await import('../client/context');
  const { print, printJson, table } = await import('../client/output');
  const page = await apiClient().get<Page<Invitation>>('/api/v1/invitations', {
    badge: opts.badge,
    per_page: Math.min(opts.limit, 100),
  });
  if (opts.json) return printJson(page.items);
  if (!page.items.length) return print('No invitations.');
  print(
    table(
      ['CODE', 'BADGE', 'STATE', 'EXPIRES', 'BY', 'CLAIM LINK'],
      page.items.map((i) => [i.code, i.badge_id, i.state, i.expires_on, i.created_by, i.claim_url]),
    ),
  );
}

async function revoke(codes: string[], opts: { json?: boolean }): Promise<void> {
  const { apiClient } = await import('../client/context');
  const { seg } = await import('../client/api-client');
  const { print, printJson } = await import('../client/output');
  const api = apiClient();
  const done: Invitation[] = [];
  for (const code of codes)
    done.push(await api.delete<Invitation>(`/api/v1/invitations/${seg(code)}`));
  if (opts.json) return printJson(done);
  for (const i of done) print(`Withdrawn: ${i.code} (${i.badge_id})`);
}
