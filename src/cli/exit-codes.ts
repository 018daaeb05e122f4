/** Exit codes of the accolades command, so scripts can tell failures apart. */
export const EXIT = {
  OK: 0,
  /** The command ran and found problems (invalid rules, verification mismatch...). */
  FAILED: 1,
  /** Bad flags or arguments. */
  USAGE: 2,
  NOT_FOUND: 3,
  /** Not logged in, bad token, or not allowed. */
  FORBIDDEN: 4,
  /** The server (or database) failed or could not be reached. */
  SERVER: 5,
} as const;

/** An error that ends the command with a message (no stack trace) and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILED,
  ) {
    super(message);
  }
}
