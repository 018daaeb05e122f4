import { type Command, InvalidArgumentError } from 'commander';

/** Client commands: every one has --json for scripts. */
export function jsonOption(cmd: Command): Command {
  return cmd.option('--json', 'print the result as JSON (for scripts)');
}

/** An option parser for whole numbers of 1 or more (commander reports the error as usage). */
export const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};
