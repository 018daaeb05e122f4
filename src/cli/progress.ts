import { Presets, SingleBar } from 'cli-progress';
import type { ImportProgress } from '../modules/tahrir-import/import-progress';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Rows per second since `since`. */
const rate = (rows: number, since: number) => rows / Math.max(0.001, (Date.now() - since) / 1000);

/**
 * A progress bar per phase on a terminal (rows, rows per second, ETA), on stderr so
 * stdout stays for the summary. Phases without rows are not shown. `unit` names what is
 * counted (rows of an import, people of a bulk award).
 */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
  unit = 'rows',
): ImportProgress {
  let bar: SingleBar | null = null;
  let done = 0;
  let started = 0;
  return {
    start(phase, total) {
      if (total <= 0) return;
      done = 0;
      started = Date.now();
      bar = new SingleBar(
        {
          stream,
          format: `${phase.padEnd(22)} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`,
          etaBuffer: 20,
          fps: 8,
          hideCursor: true,
          formatValue: (v, _o, type) => (type === 'value' || type === 'total' ? fmt(v) : String(v)),
        },
        Presets.shades_classic,
      );
      bar.start(total, 0, { rate: '0' });
    },
    advance(n) {
      if (!bar) return;
      done += n;
      bar.update(done, { rate: fmt(rate(done, started)) });
    },
    finish() {
      bar?.stop();
      bar = null;
    },
    note(message) {
      stream.write(`${message}\n`);
    },
  };
}

/**
 * Plain log lines for logs and pipes: a line when a phase starts, one every `everyMs` with
 * rows per second and ETA, and one when it ends.
 */
export function logProgress(
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  everyMs = 5_000,
): ImportProgress {
  let phase = '';
  let total = 0;
  let done = 0;
  let started = 0;
  let lastLine = 0;
  const stamp = () => new Date().toISOString();
  return {
    start(name, rows) {
      phase = name;
      total = rows;
      done = 0;
      started = lastLine = Date.now();
      if (total > 0) write(`${stamp()} ${phase}: ${fmt(total)} rows`);
    },
    advance(n) {
      done += n;
      if (total <= 0 || Date.now() - lastLine < everyMs) return;
      lastLine = Date.now();
      const r = rate(done, started);
      const eta = Math.max(0, (total - done) / Math.max(r, 1));
      write(
        `${stamp()} ${phase}: ${fmt(done)}/${fmt(total)} rows (${fmt(r)} rows/s, ETA ${eta.toFixed(0)} s)`,
      );
    },
    finish() {
      if (total <= 0) return;
      const secs = (Date.now() - started) / 1000;
      write(
        `${stamp()} ${phase}: done, ${fmt(done)} rows in ${secs.toFixed(1)} s (${fmt(rate(done, started))} rows/s)`,
      );
      total = 0;
    },
    note(message) {
      write(`${stamp()} ${message}`);
    },
  };
}
