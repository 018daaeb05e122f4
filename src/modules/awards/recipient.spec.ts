import { createHash } from 'node:crypto';
import { hashRecipient } from './recipient';

describe('hashRecipient', () => {
  it('hashes the email followed by the salt, as Tahrir did', () => {
    // Python: hashlib.sha256(("ralph@fedoraproject.org" + "abc").encode("utf-8")).hexdigest()
    const expected = createHash('sha256').update('ralph@fedoraproject.orgabc').digest('hex');
    expect(hashRecipient('ralph@fedoraproject.org', 'abc')).toBe(expected);
    expect(hashRecipient('ralph@fedoraproject.org', 'abc')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes non-ASCII emails as UTF-8', () => {
    const expected = createHash('sha256')
      .update(Buffer.from('zoë@example.orgs', 'utf8'))
      .digest('hex');
    expect(hashRecipient('zoë@example.org', 's')).toBe(expected);
  });
});
