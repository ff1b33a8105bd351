/**
 * Turns the records of a sink connector's topic into {@link SinkRow}s with the
 * serdes of the Sluice stream or table over that topic, as its queries read
 * them (operators/source.ts): key columns through the key format, value
 * columns through the value format, HEADER columns from the record's headers.
 */
import type { DataSource } from '../../planner/data-source.js';
import { serializedValueColumns } from '../../planner/schema.js';
import { serdeFor } from '../../serde/serde-for.js';
import type { SchemaRegistry, Serde } from '../../serde/serde-types.js';
import type { LogRecord } from '../log/log.js';
import { headerValue, headersValue } from '../operators/source.js';
import type { SinkRow } from './builtin-plugin.js';
import type { ErrorStage } from './error-handling.js';

/** A record whose key or value the source's format cannot read; `stage` says which. */
export class SinkDecodeError extends Error {
  constructor(
    readonly stage: Extract<ErrorStage, 'KEY_CONVERTER' | 'VALUE_CONVERTER'>,
    readonly reason: Error,
    message: string,
  ) {
    super(message);
    this.name = reason.name;
  }
}

type Slot = { readonly kind: 'serde'; readonly index: number } | { readonly kind: 'headers' } | { readonly kind: 'header'; readonly key: string };

/** Decodes records of one source's topic; windowed sources are refused by the caller. */
export class SinkRowDecoder {
  private readonly keySerde: Serde;
  private readonly valueSerde: Serde;
  private readonly slots: readonly Slot[];

  constructor(
    private readonly source: DataSource,
    registry: SchemaRegistry | undefined,
  ) {
    this.keySerde = serdeFor(source.keyFormat, source.schema.key, true, registry);
    this.valueSerde = serdeFor(source.valueFormat, serializedValueColumns(source.schema), false, registry);
    let serdeIndex = 0;
    this.slots = source.schema.value.map((c): Slot => {
      if (c.namespace === 'HEADER') return c.headerKey !== undefined ? { kind: 'header', key: c.headerKey } : { kind: 'headers' };
      return { kind: 'serde', index: serdeIndex++ };
    });
  }

  /** The row of record `r` read from `partition`; throws {@link SinkDecodeError}. */
  decode(r: LogRecord, partition: number): SinkRow {
    const src = this.source;
    let key: unknown[];
    try {
      key =
        src.schema.key.length === 0 || r.key === null ? src.schema.key.map(() => null) : (this.keySerde.deserialize(r.key) ?? src.schema.key.map(() => null));
    } catch (e) {
      throw new SinkDecodeError('KEY_CONVERTER', e as Error, `Failed to deserialize key from topic: ${src.topic}. ${(e as Error).message}`);
    }
    let decoded: unknown[] | null;
    try {
      decoded = this.valueSerde.deserialize(r.value);
    } catch (e) {
      throw new SinkDecodeError('VALUE_CONVERTER', e as Error, `Failed to deserialize value from topic: ${src.topic}. ${(e as Error).message}`);
    }
    let value: unknown[] | null = null;
    if (decoded !== null) {
      value = new Array<unknown>(this.slots.length);
      for (let k = 0; k < this.slots.length; k++) {
        const s = this.slots[k]!;
        value[k] = s.kind === 'serde' ? (decoded[s.index] ?? null) : s.kind === 'headers' ? headersValue(r) : headerValue(r, s.key);
      }
    }
    return { topic: src.topic, partition, offset: r.offset, timestamp: r.timestamp, key, value, headers: r.headers ?? [] };
  }
}
