import type { DataSource } from '../../planner/data-source.js';
import { serializedValueColumns } from '../../planner/schema.js';
import type { TopicRecord } from '../log/log.js';
import { partitionFor } from '../log/murmur2.js';
import { serdeFor } from '../../serde/serde-for.js';
import type { SchemaRegistry, Serde } from '../../serde/serde-types.js';
import { encodeWindowedKey } from '../../serde/windowed.js';
import type { Operator, OperatorContext, Rec } from './record.js';
import { stringTimestampParser } from './timestamp.js';
import type { MaterializedTable } from './materialized-table.js';
import type { OutputTaps } from './output-taps.js';
import { isSessionWindow } from '../../common/windows.js';

/** A record a sink produced, waiting to be appended to its topic partition. */
export type PendingRecord = TopicRecord;

/** Where a {@link SinkOperator} writes besides its target's topic and formats. */
export interface SinkOptions {
  /** Partition count of the sink topic (records go where Kafka's default partitioner puts them). */
  readonly partitions: number;
  /** Where AVRO/JSON_SR/PROTOBUF schemas are registered. */
  readonly registry?: SchemaRegistry;
  /** Table sinks: the materialized view to keep current. */
  readonly view?: MaterializedTable;
  /** Scalable push queries reading the query's output as it is written. */
  readonly taps?: OutputTaps;
}

/**
 * Serialises key and value with the target's formats and queues the record for
 * the partition Kafka's default partitioner would pick. The query appends the
 * queue after each batch.
 */
export class SinkOperator implements Operator {
  private readonly keySerde: Serde;
  private readonly valueSerde: Serde;
  private readonly session: boolean;
  private readonly partitions: number;
  /** Table sinks: keeps the table's materialized view current. */
  private readonly view: MaterializedTable | undefined;
  private readonly taps: OutputTaps | undefined;
  constructor(
    private readonly target: DataSource,
    private readonly out: PendingRecord[],
    private readonly ctx: OperatorContext,
    options: SinkOptions,
  ) {
    this.partitions = options.partitions;
    this.view = options.view;
    this.taps = options.taps;
    const registry = options.registry;
    this.keySerde = serdeFor(target.keyFormat, target.schema.key, true, registry, target.topic);
    this.valueSerde = serdeFor(target.valueFormat, serializedValueColumns(target.schema), false, registry, target.topic);
    this.session = target.window !== undefined && isSessionWindow(target.window.type);
    const tsCol = target.timestampColumn;
    if (tsCol !== undefined) {
      const k = target.schema.key.findIndex((c) => c.name === tsCol);
      const v = serializedValueColumns(target.schema).findIndex((c) => c.name === tsCol);
      this.tsFrom = k >= 0 ? { key: true, index: k } : v >= 0 ? { key: false, index: v } : undefined;
    }
    this.parseTs = target.timestampFormat !== undefined ? stringTimestampParser(target.timestampFormat) : undefined;
  }

  /** Where the output timestamp comes from when the sink has a TIMESTAMP column. */
  private readonly tsFrom: { key: boolean; index: number } | undefined;
  /** TIMESTAMP_FORMAT parser for a STRING timestamp column (unparseable → NaN). */
  private readonly parseTs: ((s: string) => number) | undefined;

  process(rec: Rec): void {
    let ts = rec.ts;
    if (this.tsFrom && rec.row !== null) {
      const v = this.tsFrom.key ? rec.key?.[this.tsFrom.index] : rec.row[this.tsFrom.index];
      let t: unknown = v;
      if (typeof v === 'string' && this.parseTs) {
        try {
          t = this.parseTs(v);
        } catch {
          t = NaN;
        }
      }
      if (typeof t !== 'number' || Number.isNaN(t) || t < 0) {
        this.ctx.log.error({
          queryId: this.ctx.queryId,
          message: `Invalid timestamp in column ${this.target.timestampColumn}: ${String(v)}. Record dropped.`,
          partition: rec.partition,
          offset: rec.offset,
        });
        return;
      }
      ts = t;
    }
    let key: Buffer | null;
    let value: Buffer | null;
    try {
      key = this.target.schema.key.length === 0 || rec.key === null ? null : this.keySerde.serialize(rec.key);
      if (rec.window && this.target.window) key = encodeWindowedKey(key, rec.window, this.session);
      value = this.valueSerde.serialize(rec.row);
    } catch (e) {
      this.ctx.log.error({
        queryId: this.ctx.queryId,
        message: `Failed to serialize record for topic ${this.target.topic}: ${(e as Error).message}`,
        type: 'SERIALIZATION_ERROR',
        partition: rec.partition,
        offset: rec.offset,
      });
      return;
    }
    const written = ts === rec.ts ? rec : { ...rec, ts };
    this.view?.apply(written);
    if (this.taps !== undefined && this.taps.size > 0) this.taps.process(written);
    const partition = key === null || this.partitions === 1 ? 0 : partitionFor(key, this.partitions);
    this.out.push({ topic: this.target.topic, partition, record: { key, value, timestamp: ts, headers: rec.headers } });
  }
}
