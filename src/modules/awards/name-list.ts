import { ACCOUNT_NAME } from '../../common/account-name';

/** The most people one grant or revoke may name (a large event, not the whole site). */
export const MAX_NAMES = 1000;

/** Names as people paste them: separated by spaces, new lines, commas or semicolons. */
export function namesFromList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((n) => n.trim())
    .filter(Boolean);
}

const NAME_HEADERS = ['username', 'nickname', 'user', 'account', 'fas', 'login', 'name'];

/**
 * Names from a CSV file (RFC 4180 quoting; comma, semicolon or tab separated): the column
 * whose header is `username`, `nickname`, `user`... when the first row names one, else
 * the first column.
 */
export function namesFromCsv(text: string): string[] {
  const rows = csvRows(text.replace(/^\uFEFF/, ''));
  if (!rows.length) return [];
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const named = NAME_HEADERS.map((h) => header.indexOf(h)).find((i) => i >= 0);
  const column = named ?? 0;
  const body = named === undefined ? rows : rows.slice(1);
  return body.map((r) => (r[column] ?? '').trim()).filter(Boolean);
}

function csvRows(text: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0];
  const sep = [',', ';', '\t'].reduce((best, s) =>
    firstLine.split(s).length > firstLine.split(best).length ? s : best,
  );
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === sep) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** Names in first-seen order without repeats, split into valid account names and the rest. */
export function sortNames(names: string[]): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const n of new Set(names)) (ACCOUNT_NAME.test(n) ? valid : invalid).push(n);
  return { valid, invalid };
}
