import { Option, type Command } from 'commander';
import type { ApiClient } from '../client/api-client';
import type { BadgeDraft } from '../client/badge-file';
import type { Badge, BadgeDetail, Issuer, Page } from '../client/types';
import { withExamples } from '../help';
import { jsonOption, positiveInt } from '../options';

interface ListFlags {
  search?: string;
  tag?: string;
  allTags?: boolean;
  sort?: string;
  page: number;
  perPage: number;
  json?: boolean;
}

interface EditFlags {
  file?: string;
  id?: string;
  name?: string;
  description?: string;
  image?: string;
  criteria?: string;
  tags?: string;
  issuer?: string;
  json?: boolean;
}

/** The options of `badges create` and `badges update`. */
function editOptions(cmd: Command): Command {
  return jsonOption(
    cmd
      .option(
        '-f, --file <file>',
        'a YAML file ("-" reads standard input): name, description, image (or image_url), ' +
          'criteria, tags, issuer; a rule file of the Collection works too',
      )
      .option('--name <name>', 'the name shown everywhere')
      .option('--description <text>', 'what it is awarded for')
      .option(
        '--image <file-or-url>',
        'a PNG or SVG file here (uploaded with the badge), a file name served under /pngs/, or a URL',
      )
      .option('--criteria <url>', 'a link explaining how to earn it')
      .option('--tags <tags>', 'tags, separated by commas')
      .option('--issuer <id-or-name>', 'the issuer (default: the only one there is)'),
  );
}

export function registerBadges(program: Command): void {
  const badges = program.command('badges').description('list, show, create and change badges');

  withExamples(
    jsonOption(
      badges
        .command('list')
        .description('badges, a page at a time (by name unless --sort says otherwise)')
        .option('-s, --search <words>', 'words of the name, description or id')
        .option('-t, --tag <tags>', 'badges with any of these tags (comma separated)')
        .option('--all-tags', 'with --tag: badges with all the tags')
        .addOption(
          new Option('--sort <order>', 'the order')
            .choices(['name', 'newest', 'popular'])
            .default('name'),
        )
        .option('--page <n>', 'page number', positiveInt('--page'), 1)
        .option('--per-page <n>', 'badges per page (at most 200)', positiveInt('--per-page'), 50),
    ),
    [
      'accolades badges list',
      'accolades badges list --tag qa,bodhi --all-tags',
      'accolades badges list --search flock --sort newest --json',
    ],
  ).action((opts: ListFlags) => list(opts));

  withExamples(
    jsonOption(
      badges
        .command('show')
        .description(
          'one badge: description, criteria, issuer, and how often and when it was awarded',
        )
        .argument('<badge>', 'the badge id (see badges list)'),
    ),
    ['accolades badges show tester-i', 'accolades badges show tester-i --json'],
  ).action((id: string, opts: { json?: boolean }) => show(id, opts));

  withExamples(
    editOptions(
      badges
        .command('create')
        .description(
          'create a badge (admins) from a YAML file and/or flags; flags win over the file',
        )
        .option('--id <id>', 'the badge id (default: made from the name, as fedbadges does)'),
    ),
    [
      'accolades badges create -f flock-2026.yml',
      'accolades badges create -f ../fedora-badges/rules/tester-01.yml --tags qa',
      'accolades badges create --name "Flock 2026" --description "Attended Flock 2026." \\\n' +
        '      --image flock-2026.png --criteria https://flocktofedora.org --tags event --issuer 1',
    ],
  ).action((opts: EditFlags) => create(opts));

  withExamples(
    editOptions(
      badges
        .command('update')
        .description('change a badge (admins): only the fields given change; its id stays')
        .argument('<badge>', 'the badge id'),
    ),
    [
      'accolades badges update flock-2026 --tags event,flock,2026',
      'accolades badges update tester-i -f tester-01.yml',
    ],
  ).action((id: string, opts: EditFlags) => update(id, opts));

  withExamples(
    jsonOption(program.command('tags').description('every tag, with its number of badges')),
    ['accolades tags', 'accolades tags --json | jq -r ".[].tag"'],
  ).action((opts: { json?: boolean }) => tags(opts));
}

async function list(opts: ListFlags): Promise<void> {
  const { apiClient } = await import('../client/context');
  const { print, printJson, table, plural } = await import('../client/output');
  const page = await apiClient().get<Page<Badge>>('/api/v1/badges', {
    q: opts.search,
    tag: opts.tag,
    match: opts.allTags ? 'all' : undefined,
    sort: opts.sort,
    page: opts.page,
    per_page: opts.perPage,
  });
  if (opts.json) return printJson(page);
  print(
    table(
      ['ID', 'NAME', 'AWARDED', 'TAGS'],
      page.items.map((b) => [b.id, b.name, b.times_awarded, b.tags.join(', ')]),
    ),
  );
  const more = page.page < page.pages ? `; --page ${page.page + 1} for more` : '';
  print(`\nPage ${page.page} of ${page.pages} (${plural(page.total, 'badge')})${more}`);
}

async function show(id: string, opts: { json?: boolean }): Promise<void> {
  const { apiClient } = await import('../client/context');
  const { seg } = await import('../client/api-client');
  const { day, fields, print, printJson } = await import('../client/output');
  const b = await apiClient().get<BadgeDetail>(`/api/v1/badges/${seg(id)}`);
  if (opts.json) return printJson(b);
  print(
    fields([
      ['ID', b.id],
      ['Name', b.name],
      ['Description', b.description],
      ['Criteria', b.criteria],
      ['Image', b.image_url],
      ['Issuer', `${b.issuer.name} (${b.issuer.id})`],
      ['Tags', b.tags.join(', ')],
      ['Created', day(b.created_on)],
      ['Awarded', `${b.times_awarded} times (${b.percent_earned}% of people)`],
      ['First awarded', day(b.first_awarded)],
      ['Last awarded', day(b.last_awarded)],
      ['Page', b.url],
    ]),
  );
}

/** The draft of a create or update: the file's fields, then the flags'. */
async function draftOf(opts: EditFlags): Promise<BadgeDraft & { art?: string }> {
  const { badgeFromYaml, mergeDraft, tagList } = await import('../client/badge-file');
  let fromFile: BadgeDraft = {};
  if (opts.file) {
    const { readInput } = await import('../client/files');
    fromFile = badgeFromYaml(await readInput(opts.file), opts.file);
  }
  const draft = mergeDraft(fromFile, {
    id: opts.id,
    name: opts.name,
    description: opts.description,
    image: opts.image,
    criteria: opts.criteria,
    tags: tagList(opts.tags),
    issuer: opts.issuer,
  });
  return withArt(draft);
}

/**
 * A file on this machine is sent with the badge (base64 `art`): the server checks it and
 * stores it in the same transaction, and `image` becomes its name under /pngs/. A URL, or
 * a name the server serves, stays a reference; a path to no file becomes its file name,
 * with a note.
 */
async function withArt(draft: BadgeDraft): Promise<BadgeDraft & { art?: string }> {
  const { image, ...rest } = draft;
  if (!image || /^[a-z]+:\/\//i.test(image)) return draft;
  const { existsSync, readFileSync, statSync } = await import('node:fs');
  if (existsSync(image) && statSync(image).isFile())
    return { ...rest, art: readFileSync(image).toString('base64') };
  if (!image.includes('/')) return draft;
  const { artFileName } = await import('../../common/art-file');
  const { note } = await import('../client/output');
  const name = artFileName(image);
  note(`note: ${image} is not a file here; the badge uses "${name}" under /pngs/`);
  return { ...rest, image: name };
}

/** Issuer names and slugs become the issuer's id (the API takes ids). */
async function issuerId(
  api: ApiClient,
  issuer: BadgeDraft['issuer'],
  required: boolean,
): Promise<number | undefined> {
  if (issuer === undefined && !required) return undefined;
  const { pickIssuer } = await import('../client/badge-file');
  const issuers = await api.get<Issuer[]>('/api/v1/issuers');
  return pickIssuer(issuer, issuers);
}

async function create(opts: EditFlags): Promise<void> {
  const { CliError, EXIT } = await import('../exit-codes');
  const draft = await draftOf(opts);
  const missing = (['name', 'description', 'image', 'criteria'] as const).filter(
    (f) => !draft[f] && !(f === 'image' && draft.art),
  );
  if (missing.length)
    throw new CliError(
      `a badge needs ${missing.map((f) => `--${f}`).join(', ')} (or these fields in --file)`,
      EXIT.USAGE,
    );
  const { issuer, ...fields } = draft;
  const { apiClient } = await import('../client/context');
  const api = apiClient();
  const badge = await api.post<Badge>('/api/v1/badges', {
    ...fields,
    issuer_id: await issuerId(api, issuer, true),
  });
  await report(api, `Created badge ${badge.id}`, badge, opts.json);
}

async function update(id: string, opts: EditFlags): Promise<void> {
  const { CliError, EXIT } = await import('../exit-codes');
  const { seg } = await import('../client/api-client');
  const { id: newId, issuer, ...fields } = await draftOf(opts);
  if (newId && newId !== id)
    throw new CliError(`a badge keeps its id: the file says ${newId}, not ${id}`, EXIT.USAGE);
  if (!Object.keys(fields).length && issuer === undefined)
    throw new CliError('nothing to change: give a field to change, or --file', EXIT.USAGE);
  const { apiClient } = await import('../client/context');
  const api = apiClient();
  const issuer_id = await issuerId(api, issuer, false);
  const badge = await api.patch<Badge>(`/api/v1/badges/${seg(id)}`, {
    ...fields,
    ...(issuer_id === undefined ? {} : { issuer_id }),
  });
  await report(api, `Updated badge ${badge.id}`, badge, opts.json);
}

/**
 * Prints the badge, and warns when its art is a file name the server does not serve (yet).
 */
async function report(api: ApiClient, what: string, badge: Badge, json?: boolean): Promise<void> {
  const { note, print, printJson } = await import('../client/output');
  const { seg } = await import('../client/api-client');
  if (json) printJson(badge);
  else print(`${what}: ${badge.url}`);
  if (/^[a-z]+:\/\//i.test(badge.image)) return;
  const art = `${api.url}/pngs/${seg(badge.image)}`;
  const served = await fetch(art, { method: 'HEAD' }).then(
    (r) => r.ok,
    () => false,
  );
  if (!served)
    note(
      `warning: ${art} does not load: give the art file with --image FILE, upload it on ` +
        `${api.url}/admin/badges/${seg(badge.id)}, put ${badge.image} in a directory of ` +
        'ACCOLADES_ART_DIRS, or give the image as a URL',
    );
}

async function tags(opts: { json?: boolean }): Promise<void> {
  const { apiClient } = await import('../client/context');
  const { print, printJson, table } = await import('../client/output');
  const list = await apiClient().get<{ tag: string; badges: number }[]>('/api/v1/tags');
  if (opts.json) return printJson(list);
  print(
    table(
      ['TAG', 'BADGES'],
      list.map((t) => [t.tag, t.badges]),
    ),
  );
}
