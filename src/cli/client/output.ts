/** Human-readable output of the client commands (tables, fields) and their --json form. */

export type Cell = string | number | boolean | null | undefined;

const text = (c: Cell) => (c === null || c === undefined || c === '' ? '-' : String(c));

/** Terminal columns a string takes (no wide-character handling: ids and names are mostly Latin). */
const width = (s: string) => [...s].length;

/** Shortens a cell to `max` characters, marking the cut with an ellipsis. */
export function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/**
 * Rows under a header, columns padded to their widest cell and two spaces apart; the last
 * column is not padded (no trailing blanks). Empty cells show as `-`. Numbers align right.
 */
export function table(headers: string[], rows: Cell[][]): string {
  const cells = rows.map((r) => headers.map((_, i) => text(r[i])));
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] == null),
  );
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]))));
  const line = (r: string[]) =>
    r
      .map((c, i) => {
        if (i === r.length - 1 && !numeric[i]) return c;
        const pad = ' '.repeat(widths[i] - width(c));
        return numeric[i] ? pad + c : c + pad;
      })
      .join('  ');
  return [line(headers), ...cells.map(line)].join('\n');
}

/** A record shown as aligned `Label  value` lines (the `show` commands). */
export function fields(pairs: [string, Cell][]): string {
  const w = Math.max(...pairs.map(([label]) => width(label)));
  return pairs.map(([label, value]) => `${label.padEnd(w)}  ${text(value)}`).join('\n');
}

/** `1 badge`, `3 badges`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Writes a result for scripts: pretty JSON on stdout. */
export function printJson(value: unknown, out: NodeJS.WritableStream = process.stdout): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes text for people on stdout. */
export function print(value: string, out: NodeJS.WritableStream = process.stdout): void {
  out.write(`${value}\n`);
}

/** Notes, warnings and progress go to stderr, so stdout stays the result. */
export function note(value: string): void {
  process.stderr.write(`${value}\n`);
}

/** A date as `2024-01-31` (UTC), from the API's ISO 8601 text. */
export function day(iso: string | null | undefined): string | null {
  return iso ? iso.slice(0, 10) : null;
}
