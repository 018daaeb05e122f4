import { iso } from '../../../common/api/page.presenter';
import type { Links } from '../../../common/links';
import type { InvitationInfo } from '../invitations.service';

/** An invitation as the API (and the `accolades invitations` commands) see it. */
export function presentInvitation(i: InvitationInfo, links: Links) {
  return {
    code: i.code,
    badge_id: i.badgeId,
    badge_name: i.badgeName,
    claim_url: i.claimUrl,
    qr_url: links.invitationQr(i.code),
    expires_on: iso(i.expiresOn),
    state: i.state,
    created_by: i.createdBy,
    created_on: iso(i.createdOn),
    revoked_on: iso(i.revokedOn),
  };
}
