/**
 * The pure rule engine: loads fedbadges rule files (1.x and 2.x formats) and decides, for a
 * message, who receives which badge, with a trace of the reasons. No Nest, no database, no
 * clock, no I/O: the runtime passes texts and ports (history, identities, awards).
 */
export * from './ports';
export { RuleLoadError, MessageFormatError } from './errors';
export type { RuleFileError, MessageFormatCode } from './errors';
export type { Rule } from './rule';
export { badgeIdOf, loadRule, loadCollection } from './load';
export { evaluateRule } from './evaluate';
export { selectionQuestions } from './selection-questions';
export type { SelectionQuestion } from './selection-questions';
export type { RuleOutcome, RuleProgress } from './evaluate';
export { matchesFilter, counterKeyOf, filterTopics, selectionKeyOf } from './filters';
export type { SelectionScope } from './filters';
export { parseMessage, awardMessage, legacyEnvelope, categoryOf } from './messages';
export type { AwardMessageInput } from './messages';
export { DEFAULT_BANNED_USERS, looksLikePrivateIp } from './recipients';
export { indexRules } from './rule-index';
export type { RuleIndex } from './rule-index';
export { MemoryHistory } from './memory-history';
export { ALL_ROWS_BUCKET, bucketKey, bucketKeysFor, countByScan, Selection } from './selection';
export type { SelectionBucket } from './selection';
