import { T, type SqlType } from '../common/types.js';

/** Where a column's value lives in a record. */
export type ColumnNamespace = 'KEY' | 'VALUE' | 'HEADER' | 'PSEUDO';

/**
 * One column of a source or operator schema. `name` is the resolved identifier
 * (upper-case unless quoted). HEADER columns carry `headerKey` (one header) or
 * none (all headers as ARRAY<STRUCT<KEY STRING, VALUE BYTES>>).
 */
export interface Column {
  readonly name: string;
  readonly type: SqlType;
  readonly namespace: ColumnNamespace;
  readonly headerKey?: string;
}

/**
 * The schema of a stream or table as users see it: key columns then value
 * columns (headers count as value-side columns that are not serialised).
 * Invariant: names are unique across key and value.
 */
export interface LogicalSchema {
  readonly key: readonly Column[];
  readonly value: readonly Column[];
}

export const PSEUDO = {
  ROWTIME: 'ROWTIME',
  ROWPARTITION: 'ROWPARTITION',
  ROWOFFSET: 'ROWOFFSET',
  WINDOWSTART: 'WINDOWSTART',
  WINDOWEND: 'WINDOWEND',
} as const;

/** Pseudo columns every source row carries (ksqlDB's system columns). */
export const SOURCE_PSEUDO_COLUMNS: readonly Column[] = [
  { name: PSEUDO.ROWTIME, type: T.BIGINT, namespace: 'PSEUDO' },
  { name: PSEUDO.ROWPARTITION, type: T.INTEGER, namespace: 'PSEUDO' },
  { name: PSEUDO.ROWOFFSET, type: T.BIGINT, namespace: 'PSEUDO' },
];

export const WINDOW_BOUND_COLUMNS: readonly Column[] = [
  { name: PSEUDO.WINDOWSTART, type: T.BIGINT, namespace: 'KEY' },
  { name: PSEUDO.WINDOWEND, type: T.BIGINT, namespace: 'KEY' },
];

export const RESERVED_COLUMN_NAMES: ReadonlySet<string> = new Set(Object.values(PSEUDO));

/** The value columns that go through the value serde (headers are not serialised). */
export function serializedValueColumns(schema: LogicalSchema): readonly Column[] {
  return schema.value.filter((c) => c.namespace === 'VALUE');
}
