/**
 * Map keys of counter rows (filter key, user) and selection rows (filter key, user,
 * bucket). Plain concatenation: these are built for every count a rule reads, and a
 * rest-parameter join allocated an array each time.
 */
export const counterCell = (key: string, user: string): string => `${key}\u0000${user}`;

export const selectionCell = (key: string, user: string, bucket: string): string =>
  `${key}\u0000${user}\u0000${bucket}`;
