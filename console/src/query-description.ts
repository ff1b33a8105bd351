import type { KsqlEntity } from './api.js';

/**
 * What EXPLAIN says of a query (its `queryDescription` entity), read with
 * every field checked: a missing or mistyped field becomes empty.
 */
export interface QueryDescription {
  readonly id: string;
  readonly state: string;
  readonly queryType: string;
  readonly statementText: string;
  readonly sources: readonly string[];
  readonly sinks: readonly string[];
  /** Kafka Streams' TopologyDescription text. */
  readonly topology: string;
  /** The logical and physical plan text. */
  readonly executionPlan: string;
  /** The messages of the query's errors, oldest first. */
  readonly errors: readonly string[];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function errorMessages(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((e) => (e !== null && typeof e === 'object' ? str((e as Readonly<Record<string, unknown>>)['errorMessage']) : '')).filter((m) => m !== '');
}

/** The query description in EXPLAIN's entities, or undefined when there is none. */
export function queryDescriptionOf(entities: readonly KsqlEntity[]): QueryDescription | undefined {
  const e = entities.find((x) => x['@type'] === 'queryDescription');
  const d = e?.['queryDescription'];
  if (!d || typeof d !== 'object') return undefined;
  const r = d as Readonly<Record<string, unknown>>;
  return {
    id: str(r['id']),
    state: str(r['state']),
    queryType: str(r['queryType']),
    statementText: str(r['statementText']),
    sources: strings(r['sources']),
    sinks: strings(r['sinks']),
    topology: str(r['topology']),
    executionPlan: str(r['executionPlan']),
    errors: errorMessages(r['queryErrors']),
  };
}
