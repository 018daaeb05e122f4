import { createInterface } from 'node:readline';
import { CliError, EXIT } from '../exit-codes';

interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

const terminal = (): Terminal => ({ input: process.stdin, output: process.stderr });

/** Whether the command may ask questions: standard input is a terminal (not a pipe or file). */
export function canAsk(t: Terminal = terminal()): boolean {
  return Boolean(t.input.isTTY);
}

/**
 * Asks a question on the terminal (on stderr, so stdout stays the command's output). With
 * `hidden`, what is typed is not echoed (tokens).
 */
export function ask(question: string, opts: { hidden?: boolean } = {}, t = terminal()) {
  return new Promise<string>((resolve) => {
    const rl = createInterface({ input: t.input, output: t.output, terminal: true });
    if (opts.hidden) {
      // readline echoes through this method; after the question, echo nothing.
      const silent = rl as unknown as { _writeToOutput: (s: string) => void };
      const echo = silent._writeToOutput.bind(rl);
      silent._writeToOutput = (s: string) => {
        if (s.includes(question)) echo(s);
      };
    }
    rl.question(question, (answer) => {
      if (opts.hidden) t.output.write('\n');
      rl.close();
      resolve(answer.trim());
    });
  });
}

/**
 * Yes or no before a write. Without a terminal to ask on, the command stops: scripts say
 * `--yes` to mean it.
 */
export async function confirm(question: string, t = terminal()): Promise<boolean> {
  if (!canAsk(t))
    throw new CliError(
      'nothing was changed: standard input is not a terminal, so confirm with --yes',
      EXIT.USAGE,
    );
  return /^y(es)?$/i.test(await ask(`${question} [y/N] `, {}, t));
}
