/** Errors of the rule engine: a rule file that does not load, a message that does not parse. */

/** One problem of a rule file. `field` is a dotted path (`criteria.datanommer.operation.lambda`). */
export interface RuleFileError {
  file: string;
  field: string | null;
  reason: string;
  /** `unsupported`: valid in fedbadges, but uses a backend or feature this service lacks. */
  kind: 'invalid' | 'unsupported';
}

/** Thrown by `loadRule`: every problem found in the file, not only the first. */
export class RuleLoadError extends Error {
  constructor(readonly errors: RuleFileError[]) {
    super(
      errors
        .map((e) => `${e.file}${e.field ? ` (${e.field})` : ''}: ${e.kind}: ${e.reason}`)
        .join('; '),
    );
    this.name = 'RuleLoadError';
  }
}

export type MessageFormatCode =
  | 'not-an-object'
  | 'missing-topic'
  | 'missing-id'
  | 'missing-body'
  | 'bad-timestamp'
  | 'bad-headers';

/** Thrown by `parseMessage` for input that is not a bus message. */
export class MessageFormatError extends Error {
  constructor(
    readonly code: MessageFormatCode,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'MessageFormatError';
  }
}

/** A `%(key)s` placeholder names a key the message does not have: the rule awards nothing. */
export class MissingKeyError extends Error {
  constructor(readonly key: string) {
    super(`missing substitution key '${key}'`);
    this.name = 'MissingKeyError';
  }
}
