#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { packageVersion } from '../common/version';
import { registerAuth } from './commands/auth.command';
import { registerAwards } from './commands/awards.command';
import { registerBadges } from './commands/badges.command';
import { registerCompletion } from './commands/completion.command';
import { registerCredentials } from './commands/credentials.command';
import { registerDb } from './commands/db.command';
import { registerKeys } from './commands/keys.command';
import { registerDemo } from './commands/demo.command';
import { registerImport } from './commands/import.command';
import { registerInvitations } from './commands/invitations.command';
import { registerRules } from './commands/rules.command';
import { registerSeries } from './commands/series.command';
import { registerServe } from './commands/serve.command';
import { registerStatus } from './commands/status.command';
import { registerUsers } from './commands/users.command';
import { CliError, EXIT } from './exit-codes';
import { withExamples } from './help';

/**
 * The accolades command: local commands (the service and tools that open its database) and
 * client commands (a running service's REST API). Each command loads what it needs inside
 * its action, so `--help` and the client commands start without the server's dependencies.
 */
export function buildProgram(): Command {
  const program = new Command('accolades')
    .description('Accolades (Fedora Badges): the service, its local tools and a client for its API')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  withExamples(program, [
    'accolades serve                      # start the service',
    'accolades login --url https://badges.example.org',
    'accolades badges list --tag qa',
    'accolades award flock-2026 -f attendees.txt',
    'accolades <command> --help           # more on each command',
  ]);

  program.commandsGroup('Local commands (on this machine, with the database):');
  registerServe(program);
  registerDb(program);
  registerDemo(program);
  registerCredentials(program);
  registerKeys(program);
  registerImport(program);
  registerRules(program);

  program.commandsGroup('Client commands (a running service, through its API):');
  registerAuth(program);
  registerStatus(program);
  registerBadges(program);
  registerSeries(program);
  registerAwards(program);
  registerUsers(program);
  registerInvitations(program);

  program.commandsGroup('Shell:');
  registerCompletion(program);
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
