import { Argument, type Command } from 'commander';
import { withExamples } from '../help';

export function registerCompletion(program: Command): void {
  withExamples(
    program
      .command('completion')
      .summary('print a bash or zsh completion script')
      .description(
        'print a shell completion script for bash or zsh (made from the commands themselves)',
      )
      .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh'])),
    [
      'source <(accolades completion bash)          # this shell only',
      'accolades completion bash > ~/.local/share/bash-completion/completions/accolades',
      'accolades completion zsh > "${fpath[1]}/_accolades"',
    ],
  ).action(async (shell: 'bash' | 'zsh') => {
    const { bashCompletion, zshCompletion } = await import('../completion');
    // The whole program, not this subcommand: completion covers every command.
    const root = program;
    process.stdout.write(shell === 'bash' ? bashCompletion(root) : zshCompletion(root));
  });
}
