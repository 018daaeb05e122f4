import { Command, Option } from 'commander';
import { bashCompletion, commandTree, zshCompletion } from './completion';
import { buildProgram } from './main';

/** A small program shaped like accolades: a group with a subcommand, choices, a value. */
function sample(): Command {
  const p = new Command('tool').option('--verbose', 'say more');
  const things = p.command('things').description('things');
  things
    .command('list')
    .summary('list things')
    .description('list things, a page at a time')
    .addOption(new Option('--sort <order>', 'the order').choices(['name', 'newest']))
    .option('-f, --file <file>', 'a file');
  p.command("it's").description("what's what");
  return p;
}

describe('commandTree', () => {
  it('lists every command with its subcommands, flags and flags taking values', () => {
    const nodes = commandTree(sample());
    expect(nodes.map((n) => n.path.join(' '))).toEqual(['', 'things', 'things list', "it's"]);
    const root = nodes[0];
    expect(root.subcommands.map((s) => s.name)).toEqual(['things', "it's", 'help']);
    expect(root.options.map((o) => o.flag)).toEqual(['--verbose', '-h', '--help']);
    const list = nodes[2];
    expect(list.subcommands).toEqual([]);
    expect(list.values).toEqual([
      { flag: '--sort', choices: ['name', 'newest'] },
      { flag: '-f', choices: [] },
      { flag: '--file', choices: [] },
    ]);
    expect(nodes[1].subcommands[0]).toEqual({ name: 'list', description: 'list things' });
  });

  it('covers every command of accolades, client and local', () => {
    const paths = commandTree(buildProgram()).map((n) => n.path.join(' '));
    expect(paths).toEqual(
      expect.arrayContaining([
        'serve',
        'rules validate',
        'rules test',
        'login',
        'logout',
        'whoami',
        'status',
        'badges list',
        'badges show',
        'badges create',
        'badges update',
        'tags',
        'series list',
        'series show',
        'award',
        'revoke',
        'users show',
        'leaderboard',
        'completion',
      ]),
    );
  });
});

describe('completion scripts', () => {
  it('bash: each command path, its flags and choices, quoted for the shell', () => {
    const script = bashCompletion(sample());
    expect(script).toContain(`'things') echo 'list help' ;;`);
    expect(script).toContain(`'things list|--sort') echo 'name newest' ;;`);
    expect(script).toContain(`'things list|-f') echo '' ;;`);
    expect(script).toContain(`'') echo 'things it'\\''s help' ;;`);
    expect(script).toMatch(/complete -o default -F _tool tool\n$/);
  });

  it('zsh: commands with their descriptions, loadable from $fpath or sourced', () => {
    const script = zshCompletion(sample());
    expect(script.startsWith('#compdef tool\n')).toBe(true);
    expect(script).toContain(
      `'things') reply=('list:list things' 'help:display help for command') ;;`,
    );
    expect(script).toContain(`'it'\\''s:what'\\''s what'`);
    expect(script).toContain('compdef _tool tool');
  });
});
