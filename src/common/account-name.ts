/**
 * Fedora account names: letters, digits, and . _ - (no spaces, no slashes). Login refuses
 * others, and lists of people to grant a badge to are checked against the same rule.
 */
export const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;
