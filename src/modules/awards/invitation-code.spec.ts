import { newInvitationCode } from './invitations.service';

describe('newInvitationCode', () => {
  it('draws again rather than start with "-" (an option on a command line)', () => {
    // 0xf8 encodes as "-" first in base64url; the second draw does not.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
    const code = newInvitationCode(() => draws.shift()!);
    expect(code).toBe(Buffer.alloc(16, 0x01).toString('base64url'));
    expect(Buffer.alloc(16, 0xf8).toString('base64url').startsWith('-')).toBe(true);
  });

  it('is 22 characters of base64url, 128 bits', () => {
    expect(newInvitationCode()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
