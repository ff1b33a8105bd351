import type { SqlType } from '../../common/types.js';
import type { DataSource } from '../../planner/data-source.js';
import type { TopicInfo } from '../log/log.js';

/** A query as SHOW QUERIES / DESCRIBE list it. */
export interface QueryInfo {
  readonly id: string;
  readonly statementText: string;
  readonly sink?: string;
  readonly sinkTopic?: string;
  readonly sources: readonly string[];
  readonly state: string;
}

/**
 * What executing one statement produced. The REST layer maps each kind to
 * ksqlDB's entity JSON; the test runner only needs errors.
 */
export type StatementResult =
  | { readonly kind: 'Message'; readonly statementText: string; readonly message: string; readonly queryId?: string }
  | {
      readonly kind: 'Sources';
      readonly statementText: string;
      readonly sourceType: 'STREAM' | 'TABLE';
      readonly sources: readonly DataSource[];
      readonly extended: boolean;
    }
  | { readonly kind: 'Queries'; readonly statementText: string; readonly queries: readonly QueryInfo[]; readonly extended: boolean }
  | {
      readonly kind: 'Properties';
      readonly statementText: string;
      readonly properties: Readonly<Record<string, string>>;
      /** Names whose value this session (SET, the request's properties) overrides. */
      readonly overwritten: readonly string[];
      /** Names whose value is Sluice's default (not set by the server or the session). */
      readonly defaults: readonly string[];
    }
  | {
      readonly kind: 'SourceDescription';
      readonly statementText: string;
      readonly source: DataSource;
      readonly extended: boolean;
      readonly readQueries: readonly QueryInfo[];
      readonly writeQueries: readonly QueryInfo[];
    }
  | { readonly kind: 'Topics'; readonly statementText: string; readonly topics: readonly TopicInfo[]; readonly extended: boolean }
  | { readonly kind: 'Functions'; readonly statementText: string; readonly functions: readonly { name: string; type: string; category: string }[] }
  | {
      readonly kind: 'FunctionDescription';
      readonly statementText: string;
      readonly name: string;
      readonly type: string;
      readonly description: string;
      readonly signatures: readonly string[];
    }
  | { readonly kind: 'Types'; readonly statementText: string; readonly types: ReadonlyMap<string, SqlType> }
  | { readonly kind: 'Variables'; readonly statementText: string; readonly variables: ReadonlyMap<string, string> }
  | { readonly kind: 'Explain'; readonly statementText: string; readonly queryId?: string; readonly text: string }
  /** ASSERT [NOT EXISTS] TOPIC held: `exists` is what was asserted. */
  | { readonly kind: 'AssertTopic'; readonly statementText: string; readonly topic: string; readonly exists: boolean }
  /** ASSERT [NOT EXISTS] SCHEMA held. */
  | { readonly kind: 'AssertSchema'; readonly statementText: string; readonly subject?: string; readonly id?: number; readonly exists: boolean };
