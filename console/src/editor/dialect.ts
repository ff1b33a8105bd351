import { SQLDialect } from '@codemirror/lang-sql';
import { KSQL_KEYWORDS, KSQL_TYPES } from './keywords.js';

export { KSQL_KEYWORDS, KSQL_TYPES } from './keywords.js';

/**
 * ksqlDB's dialect for CodeMirror's SQL mode: its keywords and types, '…'
 * strings with '' escapes (no backslash escapes), "…" and `…` identifiers.
 */
export const KSQL_DIALECT = SQLDialect.define({
  keywords: KSQL_KEYWORDS.join(' ').toLowerCase(),
  types: KSQL_TYPES.join(' ').toLowerCase(),
  backslashEscapes: false,
  doubleQuotedStrings: false,
  identifierQuotes: '"`',
  caseInsensitiveIdentifiers: true,
});
