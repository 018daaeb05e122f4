import { createHash, randomUUID } from 'node:crypto';

/**
 * The hashed recipient of an assertion, as Tahrir stored it and Open Badges verifies it:
 * hex sha256 of the email followed by the salt (published as `sha256$<hex>`).
 */
export function hashRecipient(email: string, salt: string): string {
  return createHash('sha256')
    .update(email + salt, 'utf8')
    .digest('hex');
}

export function newSalt(): string {
  return randomUUID();
}
