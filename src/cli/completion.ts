import type { Command } from 'commander';

/** One command of the tree, as completion needs it. */
export interface CommandNode {
  /** Words from the program to this command: [] for the program, ['badges', 'list']... */
  path: string[];
  subcommands: { name: string; description: string }[];
  options: { flag: string; description: string }[];
  /** Flags that take a value (the next word is theirs), with the values allowed, if listed. */
  values: { flag: string; choices: string[] }[];
}

/**
 * Every command of the program with its subcommands and options, read from commander's own
 * tree: completion stays true to the commands as they are registered. The implicit `help`
 * command and the `-h, --help` option, which commander adds itself, are included.
 */
export function commandTree(program: Command): CommandNode[] {
  const nodes: CommandNode[] = [];
  const walk = (cmd: Command, path: string[]) => {
    const subcommands = cmd.commands.map((c) => ({
      name: c.name(),
      description: c.summary() || c.description(),
    }));
    if (subcommands.length)
      subcommands.push({ name: 'help', description: 'display help for command' });
    const node: CommandNode = { path, subcommands, options: [], values: [] };
    const help = { short: '-h', long: '--help', description: 'display help for command' };
    for (const o of [...cmd.options, help]) {
      const takesValue = 'required' in o && (o.required || o.optional);
      for (const flag of [o.short, o.long]) {
        if (!flag) continue;
        node.options.push({ flag, description: o.description });
        if (takesValue) node.values.push({ flag, choices: [...(o.argChoices ?? [])] });
      }
    }
    nodes.push(node);
    for (const c of cmd.commands) walk(c, [...path, c.name()]);
  };
  walk(program, []);
  return nodes;
}

/** A shell single-quoted word. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** One line of description, short enough for a completion menu. */
const oneLine = (s: string) => {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 70 ? `${line.slice(0, 69)}…` : line;
};

/** A `case` over command paths (`badges list`), each arm running `body(node)`. */
function caseOf(nodes: CommandNode[], arm: (n: CommandNode) => string | null, fallback: string) {
  const arms = nodes
    .map((n) => [n, arm(n)] as const)
    .filter(([, body]) => body !== null)
    .map(([n, body]) => `    ${q(n.path.join(' '))}) ${body} ;;`);
  return ['  case "$1" in', ...arms, `    *) ${fallback} ;;`, '  esac'].join('\n');
}

/** The `case` arms of flags taking a value: `<path>|<flag>`. */
function valueCase(nodes: CommandNode[], arm: (choices: string[]) => string, fallback: string) {
  const arms = nodes.flatMap((n) =>
    n.values.map((v) => `    ${q(`${n.path.join(' ')}|${v.flag}`)}) ${arm(v.choices)} ;;`),
  );
  return ['  case "$1" in', ...arms, `    *) ${fallback} ;;`, '  esac'].join('\n');
}

function header(shell: string, name: string, install: string): string {
  return [
    `# ${shell} completion for ${name}, generated from its commands by \`${name} completion ${shell}\`.`,
    `# ${install}`,
  ].join('\n');
}

/** A bash completion script: `source <(accolades completion bash)`. */
export function bashCompletion(program: Command): string {
  const name = program.name();
  const fn = `_${name.replace(/\W/g, '_')}`;
  const nodes = commandTree(program);
  return `${header('bash', name, `Install: ${name} completion bash > ~/.local/share/bash-completion/completions/${name}`)}

${fn}_commands() {
${caseOf(nodes, (n) => (n.subcommands.length ? `echo ${q(n.subcommands.map((s) => s.name).join(' '))}` : null), ':')}
}

${fn}_options() {
${caseOf(nodes, (n) => `echo ${q(n.options.map((o) => o.flag).join(' '))}`, ':')}
}

# Flags taking a value ("<command path>|<flag>"): prints the values allowed, if listed.
${fn}_value() {
${valueCase(nodes, (choices) => `echo ${q(choices.join(' '))}`, 'return 1')}
}

${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local path='' word subs choices i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ $word == -* ]]; then
      ${fn}_value "$path|$word" >/dev/null && ((i++))
      continue
    fi
    subs=" $(${fn}_commands "$path") "
    [[ $subs == *" $word "* ]] && path=\${path:+$path }$word
  done
  if [[ $prev == -* ]] && choices=$(${fn}_value "$path|$prev"); then
    # No listed values: nothing here, and bash falls back to file names (-o default).
    COMPREPLY=($(compgen -W "$choices" -- "$cur"))
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(${fn}_options "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(${fn}_commands "$path")" -- "$cur"))
  fi
}

complete -o default -F ${fn} ${name}
`;
}

/** A zsh completion script: `source <(accolades completion zsh)`, or `_accolades` in $fpath. */
export function zshCompletion(program: Command): string {
  const name = program.name();
  const fn = `_${name.replace(/\W/g, '_')}`;
  const nodes = commandTree(program);
  const described = (items: { name: string; description: string }[]) =>
    `reply=(${items.map((i) => q(`${i.name}:${oneLine(i.description)}`)).join(' ')})`;
  return `#compdef ${name}
${header('zsh', name, `Install: ${name} completion zsh > "\${fpath[1]}/_${name}" (or source it from ~/.zshrc)`)}

${fn}_commands() {
${caseOf(nodes, (n) => described(n.subcommands), 'reply=()')}
}

${fn}_options() {
${caseOf(nodes, (n) => described(n.options.map((o) => ({ name: o.flag, description: o.description }))), 'reply=()')}
}

# Flags taking a value ("<command path>|<flag>"): sets reply to the values allowed, if listed.
${fn}_value() {
${valueCase(nodes, (choices) => `reply=(${choices.map(q).join(' ')})`, 'return 1')}
}

${fn}() {
  local path='' word i
  local -a reply
  for ((i = 2; i < CURRENT; i++)); do
    word=\${words[i]}
    if [[ $word == -* ]]; then
      ${fn}_value "$path|$word" && ((i++))
      continue
    fi
    ${fn}_commands "$path"
    (( \${reply[(I)\${(b)word}:*]} )) && path=\${path:+$path }$word
  done
  if [[ \${words[CURRENT-1]} == -* ]] && ${fn}_value "$path|\${words[CURRENT-1]}"; then
    if (( $#reply )); then compadd -a reply; else _files; fi
  elif [[ \${words[CURRENT]} == -* ]]; then
    ${fn}_options "$path"
    _describe -t options option reply
  else
    ${fn}_commands "$path"
    if (( $#reply )); then _describe -t commands command reply; else _files; fi
  fi
}

if [[ \${funcstack[1]} == ${fn} ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${name}
fi
`;
}
