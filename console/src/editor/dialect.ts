import { SQLDialect } from '@codemirror/lang-sql';

/** ksqlDB's reserved and non-reserved words the editor highlights and completes. */
export const KSQL_KEYWORDS: readonly string[] = (
  'SELECT FROM WHERE GROUP BY HAVING PARTITION EMIT CHANGES FINAL LIMIT AS AND OR NOT IS NULL TRUE FALSE IN ' +
  'BETWEEN LIKE ESCAPE CASE WHEN THEN ELSE END CAST JOIN INNER LEFT RIGHT FULL OUTER ON WITHIN GRACE PERIOD ' +
  'WINDOW TUMBLING HOPPING SESSION SIZE ADVANCE RETENTION CREATE REPLACE STREAM STREAMS TABLE TABLES SOURCE SINK ' +
  'CONNECTOR CONNECTORS WITH KEY PRIMARY HEADERS HEADER INSERT INTO VALUES DROP DELETE TOPIC TOPICS IF EXISTS ' +
  'TERMINATE ALL SHOW LIST DESCRIBE EXTENDED EXPLAIN PRINT BEGINNING INTERVAL QUERIES QUERY PROPERTIES FUNCTIONS ' +
  'FUNCTION TYPES TYPE VARIABLES DEFINE UNDEFINE SET UNSET PAUSE RESUME ASSERT SCHEMA STRUCT MAP ARRAY EXIT ' +
  'PLUGINS DISTINCT SECONDS MINUTES HOURS DAYS MILLISECONDS SECOND MINUTE HOUR DAY MILLISECOND ZONE AT'
).split(' ');

/** ksqlDB's type names. */
export const KSQL_TYPES: readonly string[] = 'BOOLEAN INT INTEGER BIGINT DOUBLE DECIMAL VARCHAR STRING BYTES DATE TIME TIMESTAMP ARRAY MAP STRUCT'.split(' ');

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
