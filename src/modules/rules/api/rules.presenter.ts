import { iso } from '../../../common/api/page.presenter';
import type { DryRunResult } from '../dry-run';

export function presentDryRun(r: DryRunResult) {
  return {
    badge_id: r.badgeId,
    badge_name: r.badgeName,
    since: iso(r.since),
    scanned: r.scanned,
    triggered: r.triggered,
    awards: r.awards.map((a) => ({
      user: a.user,
      msg_id: a.msgId,
      topic: a.topic,
      sent_at: iso(a.sentAt),
      trace: a.trace,
    })),
    skipped: r.skipped.map((s) => ({ user: s.user, msg_id: s.msgId, reason: s.reason })),
    errors: r.errors.map((e) => ({ msg_id: e.msgId, error: e.error })),
  };
}
