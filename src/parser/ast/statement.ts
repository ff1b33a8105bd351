import type { Position } from '../../common/position.js';
import type { Expression, Literal } from './expression.js';
import type { Query } from './query.js';
import type { TypeNode } from './type-node.js';

/**
 * One parsed statement. Every statement carries `text`, the exact SQL it was
 * parsed from (without the trailing `;`), and `pos`, where it starts.
 */
export type Statement =
  | CreateSource
  | CreateAsSelect
  | InsertInto
  | InsertValues
  | QueryStatement
  | DropSource
  | Terminate
  | Show
  | Describe
  | DescribeFunction
  | Explain
  | SetProperty
  | UnsetProperty
  | CreateType
  | DropType
  | Print
  | Define
  | Undefine
  | PauseResume
  | AlterSystem
  | AlterSource
  | AssertTopic
  | AssertSchema
  | AssertValues
  | AssertSource
  | CreateConnector
  | ListConnectors
  | ListConnectorPlugins
  | DescribeConnector
  | DropConnector;

interface StatementBase {
  readonly text: string;
  readonly pos: Position;
}

/** A `WITH (NAME = literal, …)` entry; `name` upper-cased. */
export interface Property {
  readonly name: string;
  readonly value: Literal;
  readonly pos: Position;
}

export type ColumnConstraint =
  | { readonly kind: 'Key' }
  | { readonly kind: 'PrimaryKey' }
  | { readonly kind: 'Headers' }
  | { readonly kind: 'Header'; readonly key: string };

export interface ColumnDef {
  readonly name: string;
  readonly type: TypeNode;
  readonly constraint?: ColumnConstraint;
  readonly pos: Position;
}

/** `CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] name (cols) WITH (…)`. */
export interface CreateSource extends StatementBase {
  readonly kind: 'CreateSource';
  readonly sourceType: 'STREAM' | 'TABLE';
  readonly name: string;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  /** `CREATE SOURCE …`: read-only, materialised for pull queries. */
  readonly isSource: boolean;
  /** Empty when no column list was written (schema inferred from a registry). */
  readonly columns: readonly ColumnDef[];
  readonly properties: readonly Property[];
}

/** `CREATE [OR REPLACE] STREAM|TABLE [IF NOT EXISTS] name [WITH (…)] AS SELECT …`. */
export interface CreateAsSelect extends StatementBase {
  readonly kind: 'CreateAsSelect';
  readonly sourceType: 'STREAM' | 'TABLE';
  readonly name: string;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  readonly properties: readonly Property[];
  readonly query: Query;
}

/** `INSERT INTO name [WITH (…)] SELECT …`. */
export interface InsertInto extends StatementBase {
  readonly kind: 'InsertInto';
  readonly target: string;
  readonly properties: readonly Property[];
  readonly query: Query;
}

/** `INSERT INTO name [(cols)] VALUES (…)`. */
export interface InsertValues extends StatementBase {
  readonly kind: 'InsertValues';
  readonly target: string;
  readonly columns?: readonly string[];
  readonly values: readonly Expression[];
}

/** A transient `SELECT …` (push or pull query). */
export interface QueryStatement extends StatementBase {
  readonly kind: 'QueryStatement';
  readonly query: Query;
}

export interface DropSource extends StatementBase {
  readonly kind: 'DropSource';
  readonly sourceType: 'STREAM' | 'TABLE';
  readonly name: string;
  readonly ifExists: boolean;
  readonly deleteTopic: boolean;
}

/** `TERMINATE id` or `TERMINATE ALL` (queryId absent). */
export interface Terminate extends StatementBase {
  readonly kind: 'Terminate';
  readonly queryId?: string;
}

export interface Show extends StatementBase {
  readonly kind: 'Show';
  readonly what: 'STREAMS' | 'TABLES' | 'QUERIES' | 'TOPICS' | 'PROPERTIES' | 'FUNCTIONS' | 'TYPES' | 'VARIABLES';
  readonly extended: boolean;
  /** SHOW ALL TOPICS: internal topics too (command topic, changelogs, repartition topics). */
  readonly all?: boolean;
}

export interface Describe extends StatementBase {
  readonly kind: 'Describe';
  readonly name: string;
  readonly extended: boolean;
}

export interface DescribeFunction extends StatementBase {
  readonly kind: 'DescribeFunction';
  readonly name: string;
}

/** `EXPLAIN statement` or `EXPLAIN queryId`. */
export interface Explain extends StatementBase {
  readonly kind: 'Explain';
  readonly statement?: Statement;
  readonly queryId?: string;
}

export interface SetProperty extends StatementBase {
  readonly kind: 'SetProperty';
  readonly name: string;
  readonly value: string;
}

export interface UnsetProperty extends StatementBase {
  readonly kind: 'UnsetProperty';
  readonly name: string;
}

export interface CreateType extends StatementBase {
  readonly kind: 'CreateType';
  readonly name: string;
  readonly type: TypeNode;
  readonly ifNotExists: boolean;
}

export interface DropType extends StatementBase {
  readonly kind: 'DropType';
  readonly name: string;
  readonly ifExists: boolean;
}

export interface Print extends StatementBase {
  readonly kind: 'Print';
  /** Topic name exactly as written (quotes removed). */
  readonly topic: string;
  readonly fromBeginning: boolean;
  readonly interval?: number;
  readonly limit?: number;
}

export interface Define extends StatementBase {
  readonly kind: 'Define';
  readonly name: string;
  readonly value: string;
}

export interface Undefine extends StatementBase {
  readonly kind: 'Undefine';
  readonly name: string;
}

/** `PAUSE id|ALL` or `RESUME id|ALL` (queryId absent for ALL). */
export interface PauseResume extends StatementBase {
  readonly kind: 'PauseResume';
  readonly action: 'PAUSE' | 'RESUME';
  readonly queryId?: string;
}

/** `ALTER SYSTEM 'name'='value'`: a server-wide property, recorded in the command log. */
export interface AlterSystem extends StatementBase {
  readonly kind: 'AlterSystem';
  readonly name: string;
  readonly value: string;
}

/** `ALTER STREAM|TABLE name ADD [COLUMN] col type[, …]`: value columns appended to a source's schema. */
export interface AlterSource extends StatementBase {
  readonly kind: 'AlterSource';
  readonly sourceType: 'STREAM' | 'TABLE';
  readonly name: string;
  readonly columns: readonly ColumnDef[];
}

/** `ASSERT [NOT EXISTS] TOPIC name [WITH (…)] [TIMEOUT …]`. */
export interface AssertTopic extends StatementBase {
  readonly kind: 'AssertTopic';
  /** Exactly as written (quotes removed): topic names are case-sensitive. */
  readonly topic: string;
  readonly exists: boolean;
  readonly properties: readonly Property[];
  readonly timeoutMs?: number;
}

/** `ASSERT [NOT EXISTS] SCHEMA [SUBJECT s] [ID n] [TIMEOUT …]`; at least one of subject and id. */
export interface AssertSchema extends StatementBase {
  readonly kind: 'AssertSchema';
  readonly subject?: string;
  readonly id?: number;
  readonly exists: boolean;
  readonly timeoutMs?: number;
}

/**
 * Where a testing-tool assertion leaves ksqlDB's server grammar: the word after
 * `ASSERT`, at which the server reports its syntax error.
 */
export interface TestOnlyWord {
  readonly image: string;
  readonly pos: Position;
}

/**
 * The testing tool's `ASSERT VALUES name [(cols)] VALUES (…)`, or with
 * `tombstone`, `ASSERT NULL VALUES name [(cols)] KEY (…)`: the next record of the
 * source's topic is the one given (a tombstone with the given key).
 */
export interface AssertValues extends StatementBase {
  readonly kind: 'AssertValues';
  readonly tombstone: boolean;
  readonly target: string;
  /** As written; may name ROWTIME, WINDOWSTART, WINDOWEND and key columns. */
  readonly columns?: readonly string[];
  readonly values: readonly Expression[];
  readonly testOnly: TestOnlyWord;
}

/** The testing tool's `ASSERT STREAM|TABLE name [(elements)] [WITH (…)]`: the source has this shape. */
export interface AssertSource extends StatementBase {
  readonly kind: 'AssertSource';
  readonly sourceType: 'STREAM' | 'TABLE';
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly properties: readonly Property[];
  readonly testOnly: TestOnlyWord;
}

/**
 * A `WITH (…)` entry of `CREATE … CONNECTOR`: unlike {@link Property}, the name
 * keeps its case when quoted (`'connector.class'`); an unquoted identifier is
 * upper-cased (back-quoted keeps case), as ksqlDB's identifier rules say.
 */
export interface ConnectorProperty {
  readonly name: string;
  /** Whether the name was written as a string literal (`'name'`), not an identifier. */
  readonly quoted: boolean;
  readonly value: Literal;
  readonly pos: Position;
}

/** `CREATE SOURCE|SINK CONNECTOR [IF NOT EXISTS] name WITH (…)`. */
export interface CreateConnector extends StatementBase {
  readonly kind: 'CreateConnector';
  readonly connectorType: 'SOURCE' | 'SINK';
  /** Identifier rules: unquoted upper-cased, quoted kept as written. */
  readonly name: string;
  readonly ifNotExists: boolean;
  readonly properties: readonly ConnectorProperty[];
}

/** `SHOW|LIST [SOURCE|SINK] CONNECTORS`; `scope` absent lists every connector. */
export interface ListConnectors extends StatementBase {
  readonly kind: 'ListConnectors';
  readonly scope?: 'SOURCE' | 'SINK';
}

/** `SHOW|LIST CONNECTOR PLUGINS`. */
export interface ListConnectorPlugins extends StatementBase {
  readonly kind: 'ListConnectorPlugins';
}

/** `DESCRIBE CONNECTOR name`. */
export interface DescribeConnector extends StatementBase {
  readonly kind: 'DescribeConnector';
  readonly name: string;
}

/** `DROP CONNECTOR [IF EXISTS] name`. */
export interface DropConnector extends StatementBase {
  readonly kind: 'DropConnector';
  readonly name: string;
  readonly ifExists: boolean;
}
