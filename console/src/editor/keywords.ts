/**
 * ksqlDB's words, for highlighting (dialect.ts) and completion (completion.ts).
 * Plain data with no CodeMirror import, so completion can be tested in Node.
 */

/** ksqlDB's reserved and non-reserved words the editor highlights and completes, upper-case. */
export const KSQL_KEYWORDS: readonly string[] = (
  'SELECT FROM WHERE GROUP BY HAVING PARTITION EMIT CHANGES FINAL LIMIT AS AND OR NOT IS NULL TRUE FALSE IN ' +
  'BETWEEN LIKE ESCAPE CASE WHEN THEN ELSE END CAST JOIN INNER LEFT RIGHT FULL OUTER ON WITHIN GRACE PERIOD ' +
  'WINDOW TUMBLING HOPPING SESSION SIZE ADVANCE RETENTION CREATE REPLACE STREAM STREAMS TABLE TABLES SOURCE SINK ' +
  'CONNECTOR CONNECTORS WITH KEY PRIMARY HEADERS HEADER INSERT INTO VALUES DROP DELETE TOPIC TOPICS IF EXISTS ' +
  'TERMINATE ALL SHOW LIST DESCRIBE EXTENDED EXPLAIN PRINT BEGINNING INTERVAL QUERIES QUERY PROPERTIES FUNCTIONS ' +
  'FUNCTION TYPES TYPE VARIABLES DEFINE UNDEFINE SET UNSET PAUSE RESUME ASSERT SCHEMA STRUCT MAP ARRAY EXIT ' +
  'PLUGINS DISTINCT SECONDS MINUTES HOURS DAYS MILLISECONDS SECOND MINUTE HOUR DAY MILLISECOND ZONE AT ' +
  'ALTER ADD COLUMN RUN SCRIPT SAMPLE TIMEOUT'
).split(' ');

/** ksqlDB's type names, upper-case. */
export const KSQL_TYPES: readonly string[] = 'BOOLEAN INT INTEGER BIGINT DOUBLE DECIMAL VARCHAR STRING BYTES DATE TIME TIMESTAMP ARRAY MAP STRUCT'.split(' ');

/** Columns every stream and table has besides its own (ksqlDB's pseudo columns), with their types. */
export const PSEUDO_COLUMNS: readonly { readonly name: string; readonly type: string }[] = [
  { name: 'ROWTIME', type: 'BIGINT' },
  { name: 'ROWPARTITION', type: 'INTEGER' },
  { name: 'ROWOFFSET', type: 'BIGINT' },
];
