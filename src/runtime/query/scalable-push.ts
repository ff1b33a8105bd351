/**
 * Scalable push queries (ksqlDB's push v2, `ksql.query.push.v2.enabled`): a
 * push query on the output of one running persistent query reads that output
 * as the persistent query's sink writes it (ksqlDB's ScalablePushRegistry and
 * its processing queues) instead of reading the topic with a consumer of its
 * own: it sees the rows written from the moment it registers, costs no read
 * of the log, and ends when the persistent query stops.
 */
import type { Query } from '../../parser/ast/index.js';
import type { DataSource } from '../../planner/data-source.js';
import { readsDisallowedPseudoColumns } from '../../planner/pull-validation.js';
import type { OutputTap, OutputTaps } from '../operators/output-taps.js';
import type { Rec } from '../operators/record.js';
import type { SourceOperator } from '../operators/source.js';
import type { TransientHandle } from './row-queue.js';

/** The property that makes eligible push queries scalable push queries (ksqlDB's push v2). */
export const PUSH_V2_PROPERTY = 'ksql.query.push.v2.enabled';

/** Prefix of a scalable push query's id, as ksqlDB names them. */
export const SCALABLE_PUSH_QUERY_PREFIX = 'SCALABLE_PUSH_QUERY_';

/**
 * Whether ksqlDB runs a push query as a scalable push query (its
 * ScalablePushUtil.isScalablePushQuery): `ksql.query.push.v2.enabled`; `EMIT
 * CHANGES`; reading from the latest offset (`auto.offset.reset`, else the
 * server's `ksql.streams.auto.offset.reset`, is `latest`: `earliest` makes it an
 * ordinary push query); one source, not a join; exactly one running persistent
 * query writing that source (`writers`; INSERT INTO queries count); no GROUP BY,
 * WINDOW, HAVING or PARTITION BY; no ROWPARTITION / ROWOFFSET.
 */
export function isScalablePush(q: Query, writers: number, properties: Readonly<Record<string, string>>): boolean {
  if (String(properties[PUSH_V2_PROPERTY]).toLowerCase() !== 'true') return false;
  const reset = properties['auto.offset.reset'] ?? properties['ksql.streams.auto.offset.reset'] ?? 'latest';
  return (
    q.emit === 'CHANGES' &&
    reset.toLowerCase() === 'latest' &&
    q.from.kind === 'AliasedSource' &&
    writers === 1 &&
    !q.groupBy &&
    !q.window &&
    !q.having &&
    !q.partitionBy &&
    !readsDisallowedPseudoColumns(q)
  );
}

/**
 * The error a scalable push query ends with when the persistent query it
 * reads stops (ksqlDB's, when no server runs the upstream query any more;
 * the statement as ksqlDB keeps it, with its semicolon).
 */
export function upstreamGoneMessage(statementText: string): string {
  const text = statementText.trimEnd();
  return `Unable to execute push query. No nodes executing persistent queries ${text.endsWith(';') ? text : `${text};`}`;
}

/**
 * Attaches a scalable push query to the output of the persistent query
 * writing `source`: each record that query's sink writes goes through the push
 * query's operators (from `input`, its source operator) to `handle`.
 * Tombstones are not rows; neither are records of a keyed source whose key is
 * null (ksqlDB's scalable push queries skip them). When the persistent query
 * stops, the push query fails with {@link upstreamGoneMessage}. Returns how to
 * detach (when the push query ends).
 */
export function tapOutput(taps: OutputTaps, source: DataSource, input: SourceOperator, handle: TransientHandle, statementText: string): () => void {
  const keyed = source.schema.key.length > 0;
  const tap: OutputTap = {
    process(rec: Rec): void {
      if (rec.row === null || handle.isClosed) return;
      if (keyed && (rec.key === null || rec.key.every((k) => k === null))) return;
      try {
        input.injectRow(rec.key ?? [], rec.row, rec.window, rec.ts);
      } catch (e) {
        // It runs inside the upstream query's batch: its failure ends this push query, never that query.
        handle.fail(e instanceof Error ? e.message : String(e));
      }
    },
    upstreamEnded(): void {
      handle.fail(upstreamGoneMessage(statementText));
    },
  };
  return taps.add(tap);
}
