/** Where in the expression source a compile-time problem was found (1-based). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * A Python exception raised while compiling or evaluating an expression.
 *
 * `pyType` is the Python exception class name (`KeyError`, `TypeError`, ...) or one of
 * the interpreter's own: `UnsupportedError` (a construct or builtin this interpreter does
 * not offer), `StepLimitExceeded` (the evaluation budget ran out), `MemoryError` (a value
 * would exceed the size limits). `pyMessage` is what Python would print after the colon.
 */
export class PyError extends Error {
  readonly pyType: string;
  readonly pyMessage: string;
  readonly position?: SourcePosition;

  constructor(pyType: string, pyMessage: string, position?: SourcePosition) {
    const where = position ? ` (line ${position.line}, column ${position.column})` : '';
    super(`${pyType}: ${pyMessage}${where}`);
    this.name = 'PyError';
    this.pyType = pyType;
    this.pyMessage = pyMessage;
    this.position = position;
  }
}

export const typeError = (message: string): PyError => new PyError('TypeError', message);
export const valueError = (message: string): PyError => new PyError('ValueError', message);
export const indexError = (message: string): PyError => new PyError('IndexError', message);
export const attributeError = (message: string): PyError => new PyError('AttributeError', message);
export const unsupported = (message: string): PyError => new PyError('UnsupportedError', message);
export const memoryError = (message: string): PyError => new PyError('MemoryError', message);
export const zeroDivision = (message: string): PyError => new PyError('ZeroDivisionError', message);
export const overflowError = (message: string): PyError => new PyError('OverflowError', message);
