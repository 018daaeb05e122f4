import { parse } from 'yaml';
import { artFileName } from '../../common/art-file';
import { slugify } from '../../common/slug';
import { CliError, EXIT } from '../exit-codes';

/** The fields of a badge the API takes, issuer still as written (an id or a name). */
export interface BadgeDraft {
  id?: string;
  name?: string;
  description?: string;
  image?: string;
  criteria?: string;
  tags?: string[];
  issuer?: string | number;
}

export interface IssuerRef {
  id: number;
  name: string;
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** `qa, bodhi` or a YAML list, as a clean list of tags. */
export function tagList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return items.map((t) => t.trim()).filter(Boolean);
}

/**
 * A badge from a YAML file: either a badge description (name, description, image or
 * image_url, criteria, tags, issuer) or a rule file of the Collection, whose `criteria` is
 * the rule itself (then `discussion` is the criteria link) and whose `issuer_id` names the
 * issuer. `image_url` becomes its file name, served under /pngs/, as the rules loader does.
 */
export function badgeFromYaml(text: string, file: string): BadgeDraft {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new CliError(`${file}: not YAML: ${(err as Error).message}`, EXIT.USAGE);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new CliError(
      `${file}: a badge file is a YAML mapping (name: ..., description: ...)`,
      EXIT.USAGE,
    );
  const d = doc as Record<string, unknown>;
  const imageUrl = str(d.image_url);
  const issuer = d.issuer ?? d.issuer_id;
  return drop({
    id: str(d.id),
    name: str(d.name),
    description: str(d.description),
    image: str(d.image) ?? (imageUrl ? artFileName(imageUrl) : undefined),
    criteria: str(d.criteria) ?? str(d.discussion),
    tags: tagList(d.tags),
    issuer: typeof issuer === 'number' ? issuer : str(issuer),
  });
}

/** Fields set on the command line win over the file's. */
export function mergeDraft(file: BadgeDraft, flags: BadgeDraft): BadgeDraft {
  return drop({ ...file, ...drop(flags) });
}

function drop<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The issuer a draft names: its id, its name, or its name's slug (a Collection's
 * `issuer_id: fedora-project`). Without one, the only issuer there is.
 */
export function pickIssuer(wanted: string | number | undefined, issuers: IssuerRef[]): number {
  const names = issuers.map((i) => `${i.id} (${i.name})`).join(', ') || 'none yet';
  if (wanted === undefined) {
    if (issuers.length === 1) return issuers[0].id;
    throw new CliError(`say which issuer with --issuer: ${names}`, EXIT.USAGE);
  }
  const text = String(wanted);
  const found =
    issuers.find((i) => String(i.id) === text) ??
    issuers.find((i) => i.name.toLowerCase() === text.toLowerCase()) ??
    issuers.find((i) => slugify(i.name) === slugify(text));
  if (!found)
    throw new CliError(`no issuer ${JSON.stringify(text)}; issuers: ${names}`, EXIT.NOT_FOUND);
  return found.id;
}
