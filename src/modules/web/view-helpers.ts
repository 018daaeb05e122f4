import type hbs from 'hbs';
import { formatDate, formatNumber, formatPercent, isoDate, plural } from './format';

/**
 * Handlebars helpers of the pages. Every one returns plain text, which Handlebars escapes
 * in `{{ }}`: none returns a SafeString, so none can carry markup from data into a page.
 */
export function registerViewHelpers(h: typeof hbs): void {
  h.registerHelper('date', (d: Date | string | null) => formatDate(d));
  h.registerHelper('isoDate', (d: Date | string | null) => isoDate(d));
  h.registerHelper('number', (n: number) => formatNumber(n));
  h.registerHelper('percent', (p: number) => formatPercent(p));
  h.registerHelper('plural', (n: number, one: string, many: string) => plural(n, one, many));
  h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  h.registerHelper('list', (...args: unknown[]) => args.slice(0, -1));
  h.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
}
