/**
 * Exit codes of the accolades command, so scripts can tell failures apart. The README's
 * "Command line" section lists them; keep the two in step.
 */
export const EXIT = {
  OK: 0,
  /** The command ran and found problems (invalid rules, verification mismatch, some awards failed...). */
  FAILED: 1,
  /** Bad flags or arguments, or a request the server refused as invalid (HTTP 400). */
  USAGE: 2,
  /** What the command names does not exist (HTTP 404: badge, person, series...). */
  NOT_FOUND: 3,
  /** Not logged in, a bad or expired token, or not allowed (HTTP 401, 403). */
  FORBIDDEN: 4,
  /** The server (or database) failed, could not be reached, or asked to retry later. */
  SERVER: 5,
  /** It already exists (HTTP 409: a badge id or name taken...). */
  CONFLICT: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code of a command whose request the server answered with this HTTP status. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status < 400) return EXIT.OK;
  if (status === 400 || status === 413 || status === 415 || status === 422) return EXIT.USAGE;
  if (status === 401 || status === 403) return EXIT.FORBIDDEN;
  if (status === 404 || status === 410) return EXIT.NOT_FOUND;
  if (status === 409) return EXIT.CONFLICT;
  if (status === 429 || status >= 500) return EXIT.SERVER;
  return EXIT.FAILED;
}

/** An error that ends the command with a message (no stack trace) and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILED,
  ) {
    super(message);
  }
}
