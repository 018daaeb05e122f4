import type { Command } from 'commander';
import { withExamples } from '../help';

export function registerCredentials(program: Command): void {
  const credentials = program.command('credentials').description('Open Badges 3.0 credentials');
  withExamples(credentials.command('verify'), [
    'accolades credentials verify https://badges.example.org/openbadges/v3/credentials/3f2a...',
    'accolades credentials verify credential.jwt --json',
  ])
    .description(
      'verify a credential (VC-JWT) from a file or URL: signature, issuer key, fields, ' +
        'validity and revocation status (keys and status lists are fetched from the issuer)',
    )
    .argument('<source>', 'a file holding the credential, or its URL')
    .option('--json', 'print the full result as JSON')
    .option(
      '--allow-http',
      'accept plain-HTTP issuer URLs that are not on this machine (testing only)',
    )
    .action(async (source: string, opts: { json?: boolean; allowHttp?: boolean }) => {
      const { verifyFromSource } = await import('../verify-credential');
      const result = await verifyFromSource(source, { allowHttp: !!opts.allowHttp });
      if (opts.json) {
        console.log(JSON.stringify(result, null, 2));
      } else {
        for (const c of result.checks) {
          console.log(`${c.passed ? 'ok  ' : 'FAIL'} ${c.check}: ${c.message}`);
        }
        console.log(result.verified ? 'VERIFIED' : 'NOT VERIFIED');
      }
      if (!result.verified) {
        const { CliError, EXIT } = await import('../exit-codes');
        throw new CliError('the credential did not verify', EXIT.FAILED);
      }
    });
}
