const DURATION = /^\+?(\d{1,6})([mhdw])$/;
const MINUTES = { m: 1, h: 60, d: 24 * 60, w: 7 * 24 * 60 } as const;

/**
 * What `--expires` means: a duration from now (`90m`, `12h`, `3d`, `2w`, `+3d`) becomes
 * that time, in UTC; anything else (a date, a date and time) goes to the server as given,
 * which checks it and says what is wrong.
 */
export function expiresOn(text: string, now = new Date()): string {
  const d = DURATION.exec(text.trim());
  if (!d) return text.trim();
  const minutes = Number(d[1]) * MINUTES[d[2] as keyof typeof MINUTES];
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}
