#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { packageVersion } from '../common/version';
import { registerCredentials } from './commands/credentials.command';
import { registerDb } from './commands/db.command';
import { registerKeys } from './commands/keys.command';
import { registerDemo } from './commands/demo.command';
import { registerImport } from './commands/import.command';
import { registerRules } from './commands/rules.command';
import { registerServe } from './commands/serve.command';
import { CliError, EXIT } from './exit-codes';

/**
 * The accolades command. Each command loads what it needs inside its action, so `--help`
 * and the client commands start without the server's dependencies.
 */
export function buildProgram(): Command {
  const program = new Command('accolades')
    .description('Accolades (Fedora Badges): the service, its local tools and a client for its API')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  registerServe(program);
  registerDb(program);
  registerDemo(program);
  registerCredentials(program);
  registerKeys(program);
  registerImport(program);
  registerRules(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof CliError) {
      process.stderr.write(`accolades: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(
      `accolades: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return EXIT.FAILED;
  }
}

if (require.main === module) {
  run(process.argv).then((code) => {
    // `serve` keeps running; everything else ends with its exit code.
    if (process.argv[2] !== 'serve') process.exitCode = code;
  });
}
