import type { DataSource } from '../../planner/data-source.js';
import { serializedValueColumns } from '../../planner/schema.js';
import { serdeFor } from '../../serde/serde-for.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';
import { decodeWindowedKey } from '../../serde/windowed.js';
import { isSessionWindow } from '../../common/windows.js';
import type { Log, LogRecord } from '../log/log.js';
import type { MaterializedTable } from '../operators/materialized-table.js';
import type { Rec } from '../operators/record.js';

/** What filling a view needs: the log holding the table's topic and the schema registry of its formats. */
export interface ViewRebuildContext {
  readonly log: Log;
  readonly registry: SchemaRegistry;
  /** True once the engine closes: a rebuild stops at its next batch, leaving the view unfilled. */
  readonly stopped?: () => boolean;
}

/** Records read from the topic per call, and rows decoded between yields to the event loop. */
const READ_BATCH = 5_000;
const ROWS_PER_SLICE = 10_000;

/**
 * Fills a table's materialized view from its topic once (after a restart the view
 * has not seen the records written before); later pull queries read the view
 * directly. Callers share one rebuild in progress: the engine starts it at
 * start-up in the background, and a pull query arriving meanwhile waits for it.
 * The rebuild yields to the event loop between batches, so queries and requests
 * keep being served while it runs.
 */
export function fillView(ctx: ViewRebuildContext, source: DataSource, view: MaterializedTable): Promise<void> {
  if (view.complete) return Promise.resolve();
  view.rebuilding ??= rebuild(ctx, source, view).finally(() => {
    view.rebuilding = undefined;
  });
  return view.rebuilding;
}

async function rebuild(ctx: ViewRebuildContext, source: DataSource, view: MaterializedTable): Promise<void> {
  view.beginRebuild();
  try {
    const keySerde = serdeFor(source.keyFormat, source.schema.key, true, ctx.registry);
    const valueSerde = serdeFor(source.valueFormat, serializedValueColumns(source.schema), false, ctx.registry);
    const session = source.window !== undefined && isSessionWindow(source.window.type);
    const partitions = (await ctx.log.topic(source.topic))?.partitions ?? 0;
    for (let p = 0; p < partitions; p++) {
      // First the latest record of each key's bytes (a changelog repeats keys many times),
      // then only those are decoded: memory and work follow the table's size, not the topic's.
      const byKey = new Map<string, LogRecord>();
      for (let offset = 0; ; ) {
        if (ctx.stopped?.()) return view.abortRebuild();
        const batch = await ctx.log.read(source.topic, p, offset, READ_BATCH);
        if (batch.length === 0) break;
        offset = batch[batch.length - 1]!.offset + 1;
        for (const r of batch) if (r.key !== null) byKey.set(r.key.toString('latin1'), r);
        await yieldToEventLoop(); // reads from the file log resolve at once: let requests and queries in
      }
      const slice: Rec[] = [];
      for (const r of byKey.values()) {
        if (r.value !== null) {
          try {
            let keyBytes: Buffer = r.key!;
            let window: Rec['window'] = null;
            if (source.window) {
              const d = decodeWindowedKey(keyBytes, session, source.window.sizeMs);
              keyBytes = d.inner;
              window = d.window;
            }
            slice.push({
              key: keySerde.deserialize(keyBytes),
              row: valueSerde.deserialize(r.value),
              ts: r.timestamp,
              window,
              partition: p,
              offset: r.offset,
              headers: [],
            });
          } catch {
            // an undecodable record was never a row of the table
          }
        }
        if (slice.length >= ROWS_PER_SLICE) {
          view.addRebuilt(slice);
          slice.length = 0;
          await yieldToEventLoop();
          if (ctx.stopped?.()) return view.abortRebuild();
        }
      }
      view.addRebuilt(slice);
    }
  } catch (e) {
    view.abortRebuild();
    throw e;
  }
  view.finishRebuild();
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
