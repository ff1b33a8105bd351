import type { DataSource } from '../../planner/data-source.js';
import { serializedValueColumns } from '../../planner/schema.js';
import type { LogRecord } from '../log/log.js';
import { serdeFor } from '../../serde/serde-for.js';
import type { SchemaRegistry, Serde } from '../../serde/serde-types.js';
import { decodeWindowedKey } from '../../serde/windowed.js';
import { keyString } from '../state/key-codec.js';
import type { Operator, OperatorContext, Rec, WindowBounds } from './record.js';
import type { TimestampExtractor } from './timestamp.js';
import { isSessionWindow } from '../../common/windows.js';

/** How each value-side column of the row is filled. */
type ValueSlot = { kind: 'serde'; index: number } | { kind: 'headers' } | { kind: 'header'; key: string };

/** How a {@link SourceOperator} reads its source besides the source's own formats. */
export interface SourceOptions {
  /** Event time of a decoded row. */
  readonly timestamp: TimestampExtractor;
  /** Tables: keep the latest row per key, so downstream aggregations can retract it. */
  readonly trackOld: boolean;
  /** Where AVRO/JSON_SR/PROTOBUF schemas are looked up. */
  readonly registry?: SchemaRegistry;
  /** `sluice.serde.strict.numbers`: reject numbers the columns cannot hold exactly. */
  readonly strictNumbers?: boolean;
  /**
   * Row indexes the query reads (undefined: all): value columns outside it may
   * be left null by the value format (still checked; see SerdeOptions.readColumns).
   */
  readonly readColumns?: ReadonlySet<number>;
}

/**
 * Reads log records of one source: deserialises key and value, extracts event
 * time, and emits rows laid out as `sourceRowSchema` says. Undecodable records
 * are skipped and reported to the processing log. For tables it keeps the latest
 * row per key when `trackOld` is set, so downstream aggregations can retract.
 */
export class SourceOperator {
  private readonly keySerde: Serde;
  private readonly valueSerde: Serde;
  private readonly slots: ValueSlot[];
  private readonly latest = new Map<string, unknown[]>();
  private readonly session: boolean;
  /** The value serde writes straight into the row (no header columns; see Serde.deserializeInto). */
  private readonly direct: boolean;

  private readonly timestamp: TimestampExtractor;
  private readonly trackOld: boolean;

  constructor(
    private readonly source: DataSource,
    private readonly next: Operator,
    private readonly ctx: OperatorContext,
    options: SourceOptions,
  ) {
    this.timestamp = options.timestamp;
    this.trackOld = options.trackOld;
    const { registry, strictNumbers = false } = options;
    this.keySerde = serdeFor(source.keyFormat, source.schema.key, true, registry, undefined, strictNumbers);
    const valueCols = serializedValueColumns(source.schema);
    let serdeIndex = 0;
    this.slots = source.schema.value.map((c): ValueSlot => {
      if (c.namespace === 'HEADER') return c.headerKey !== undefined ? { kind: 'header', key: c.headerKey } : { kind: 'headers' };
      return { kind: 'serde', index: serdeIndex++ };
    });
    const nKey = source.schema.key.length;
    const read = options.readColumns;
    const readColumns =
      read === undefined
        ? undefined
        : valueCols.map((_, i) => {
            const k = this.slots.findIndex((s) => s.kind === 'serde' && s.index === i);
            return read.has(nKey + k) || source.schema.value[k]!.name === source.timestampColumn;
          });
    this.valueSerde = serdeFor(source.valueFormat, valueCols, false, registry, undefined, strictNumbers, readColumns);
    this.session = source.window !== undefined && isSessionWindow(source.window.type);
    this.direct = this.valueSerde.deserializeInto !== undefined && this.slots.every((s) => s.kind === 'serde');
  }

  /** Whether the source is a table (its records are updates; they go first among records of equal time). */
  get isTable(): boolean {
    return this.source.sourceType === 'TABLE';
  }

  /** Processes a batch of records read from one partition, in order. */
  processBatch(records: readonly LogRecord[], partition: number): void {
    for (let i = 0; i < records.length; i++) {
      const rec = this.decode(records[i]!, partition);
      if (rec !== undefined) this.emit(rec);
    }
  }

  /**
   * Turns one log record into the row this source emits, with its event time,
   * without passing it on (see {@link emit}): a query reading several inputs
   * decodes ahead to order their records by time. Undefined when the record is
   * skipped (undecodable, reported to the processing log; or a table record
   * without a key).
   */
  decode(r: LogRecord, partition: number): Rec | undefined {
    const src = this.source;
    let key: unknown[] | null;
    let window: WindowBounds | null = null;
    let value: unknown[] | null;
    try {
      let keyBytes = r.key;
      if (src.window && keyBytes) {
        const d = decodeWindowedKey(keyBytes, this.session, src.window.sizeMs);
        keyBytes = d.inner;
        window = d.window;
      }
      key = src.schema.key.length === 0 ? [] : keyBytes === null ? null : this.keySerde.deserialize(keyBytes);
    } catch (e) {
      this.fail(r, partition, `Failed to deserialize key from topic: ${src.topic}. ${(e as Error).message}`);
      return undefined;
    }
    const nKey = src.schema.key.length;
    const nSlots = this.slots.length;
    let row: unknown[] | null = null;
    try {
      if (this.direct && r.value !== null) {
        // The value columns are the row's after the key: decoded in place.
        row = new Array<unknown>(nKey + nSlots + 3 + (window ? 2 : 0));
        if (!this.valueSerde.deserializeInto!(r.value, row, nKey)) row = null;
        value = null;
      } else value = this.valueSerde.deserialize(r.value);
    } catch (e) {
      this.fail(r, partition, `Failed to deserialize value from topic: ${src.topic}. ${(e as Error).message}`);
      return undefined;
    }
    const isTable = src.sourceType === 'TABLE';
    if (value !== null) {
      row = new Array<unknown>(nKey + nSlots + 3 + (window ? 2 : 0));
      for (let k = 0; k < nSlots; k++) {
        const s = this.slots[k]!;
        row[nKey + k] = s.kind === 'serde' ? (value[s.index] ?? null) : s.kind === 'headers' ? headersValue(r) : headerValue(r, s.key);
      }
    }
    if (row !== null) {
      let j = 0;
      for (let k = 0; k < nKey; k++) row[j++] = key === null ? null : key[k];
      j += nSlots;
      row[j++] = r.timestamp;
      row[j++] = partition;
      row[j++] = r.offset;
      if (window) {
        row[j++] = window.start;
        row[j++] = window.end;
      }
    }
    let ts = r.timestamp;
    if (row !== null) {
      const t = this.timestamp(row);
      if (typeof t === 'string') {
        this.fail(r, partition, t);
        return undefined;
      }
      ts = t;
      row[nKey + nSlots] = ts;
    }
    if (isTable && (key === null || src.schema.key.some((_, i) => key![i] === null))) {
      // Tables ignore records without a key.
      return undefined;
    }
    return { key, row, ts, window, partition, offset: r.offset, headers: r.headers ?? [] };
  }

  /** Passes a decoded record on (records of one partition in offset order). */
  emit(rec: Rec): void {
    if (this.trackOld) {
      const k = rec.window ? `${keyString(rec.key)}@${rec.window.start}` : keyString(rec.key);
      rec.old = this.latest.get(k) ?? null;
      if (rec.row === null) this.latest.delete(k);
      else this.latest.set(k, rec.row);
    }
    this.next.process(rec);
  }

  /**
   * Feeds one current row of a table (from its materialized view) as if it had
   * been read from the topic: `value` holds the serialised value columns in order.
   */
  injectRow(key: readonly unknown[], value: readonly unknown[], window: WindowBounds | null, ts: number): void {
    const nKey = this.source.schema.key.length;
    const row = new Array<unknown>(nKey + this.slots.length + 3 + (window ? 2 : 0));
    let j = 0;
    for (let k = 0; k < nKey; k++) row[j++] = key[k] ?? null;
    for (let k = 0; k < this.slots.length; k++) {
      const s = this.slots[k]!;
      row[j++] = s.kind === 'serde' ? (value[s.index] ?? null) : null;
    }
    row[j++] = ts;
    row[j++] = 0;
    row[j++] = null;
    if (window) {
      row[j++] = window.start;
      row[j++] = window.end;
    }
    this.next.process({ key: [...key], row, ts, window, partition: 0, offset: -1, headers: [] });
  }

  private fail(r: LogRecord, partition: number, message: string): void {
    this.ctx.log.error({ queryId: this.ctx.queryId, message, type: 'DESERIALIZATION_ERROR', topic: this.source.topic, partition, offset: r.offset });
  }
}

/** A record's headers as the value of a HEADERS column (ARRAY<STRUCT<KEY, VALUE>>). */
export function headersValue(r: LogRecord): unknown[] {
  return (r.headers ?? []).map((h) => ({ KEY: h.key, VALUE: h.value }));
}

/** The last header named `key` (a HEADER('key') column), or null. */
export function headerValue(r: LogRecord, key: string): Buffer | null {
  const hs = r.headers ?? [];
  for (let i = hs.length - 1; i >= 0; i--) if (hs[i]!.key === key) return hs[i]!.value;
  return null;
}
