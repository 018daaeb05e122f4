import { createHash } from 'node:crypto';
import { avatarUrl, FALLBACK_AVATAR } from './avatar';

describe('avatarUrl', () => {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');

  it('hashes the trimmed, lower-cased email for Libravatar with the size asked', () => {
    expect(avatarUrl({ email: ' Ralph@FedoraProject.org ' }, 64)).toBe(
      `https://seccdn.libravatar.org/avatar/${sha('ralph@fedoraproject.org')}?s=64&d=identicon`,
    );
  });

  it('uses the configured base, without doubling slashes', () => {
    expect(avatarUrl({ email: 'a@b.org' }, 32, 'https://avatars.example.org/avatar/')).toBe(
      `https://avatars.example.org/avatar/${sha('a@b.org')}?s=32&d=identicon`,
    );
  });

  it('keeps a person’s own https avatar and ignores other schemes', () => {
    expect(avatarUrl({ email: 'a@b.org', avatar: 'https://img.example.org/me.png' }, 32)).toBe(
      'https://img.example.org/me.png',
    );
    expect(avatarUrl({ email: 'a@b.org', avatar: 'javascript:alert(1)' }, 32, 'none')).toBe(
      FALLBACK_AVATAR,
    );
  });

  it('gives the local image when the avatar service is off', () => {
    expect(avatarUrl({ email: 'a@b.org' }, 32, 'none')).toBe(FALLBACK_AVATAR);
  });
});
