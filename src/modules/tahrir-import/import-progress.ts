/** What a long import tells whoever watches it (a progress bar, log lines, nothing). */
export interface ImportProgress {
  /** A phase over `total` rows starts (reading a table, writing it). */
  start(phase: string, total: number): void;
  /** `n` more rows done in the current phase. */
  advance(n: number): void;
  /** The current phase is over. */
  finish(): void;
  /** Something worth a line of its own. */
  note(message: string): void;
}

export const silentProgress: ImportProgress = {
  start: () => undefined,
  advance: () => undefined,
  finish: () => undefined,
  note: () => undefined,
};
