import type { DataSource } from '../../planner/data-source.js';
import { serializedValueColumns } from '../../planner/schema.js';
import { serdeFor } from '../../serde/serde-for.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';
import { decodeWindowedKey } from '../../serde/windowed.js';
import { isSessionWindow } from '../../common/windows.js';
import type { Log } from '../log/log.js';
import type { MaterializedTable, TopicRowDecoder } from '../operators/materialized-table.js';

/** What filling a view needs: the log holding the table's topic and the schema registry of its formats. */
export interface ViewRebuildContext {
  readonly log: Log;
  readonly registry: SchemaRegistry;
  /** True once the engine closes: a rebuild stops at its next batch, leaving the view unfilled. */
  readonly stopped?: () => boolean;
}

/** Records read from the topic (and their keys decoded) between yields to the event loop. */
const READ_BATCH = 5_000;

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
  const keySerde = serdeFor(source.keyFormat, source.schema.key, true, ctx.registry);
  const valueSerde = serdeFor(source.valueFormat, serializedValueColumns(source.schema), false, ctx.registry);
  const window = source.window;
  const session = window !== undefined && isSessionWindow(window.type);
  // The view keeps each row's bytes and decodes its value when a pull reads it: only keys are decoded here.
  const decoder: TopicRowDecoder = {
    key: (bytes) => {
      if (!window) {
        const key = keySerde.deserialize(bytes);
        return key === null ? null : { key, window: null };
      }
      const d = decodeWindowedKey(bytes, session, window.sizeMs);
      const key = keySerde.deserialize(d.inner);
      return key === null ? null : { key, window: d.window };
    },
    value: (bytes) => valueSerde.deserialize(bytes),
  };
  const rebuilt = view.beginRebuild(decoder);
  try {
    const partitions = (await ctx.log.topic(source.topic))?.partitions ?? 0;
    for (let p = 0; p < partitions; p++) {
      for (let offset = 0; ; ) {
        if (ctx.stopped?.()) return view.abortRebuild();
        const batch = await ctx.log.read(source.topic, p, offset, READ_BATCH);
        if (batch.length === 0) break;
        offset = batch[batch.length - 1]!.offset + 1;
        for (const r of batch) if (r.key !== null) rebuilt.add(r.key, r.value, r.timestamp);
        await yieldToEventLoop(); // reads from the file log resolve at once: let requests and queries in
      }
    }
  } catch (e) {
    view.abortRebuild();
    throw e;
  }
  rebuilt.finish();
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
