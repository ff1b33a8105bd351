import type { FormatSpec } from '../common/formats.js';
import { createSerde } from './index.js';
import type { SchemaRegistry, Serde, SerdeColumn, SerdeOptions } from './serde-types.js';

/** Serde options for one side of a source, from its format spec (`strictNumbers` from `sluice.serde.strict.numbers`). */
export function serdeOptionsFor(
  spec: FormatSpec,
  isKey: boolean,
  registry?: SchemaRegistry,
  topic?: string,
  strictNumbers?: boolean,
  readColumns?: readonly boolean[],
): SerdeOptions {
  return {
    subject: topic === undefined ? undefined : `${topic}-${isKey ? 'key' : 'value'}`,
    isKey,
    wrapSingleValue: spec.wrapSingleValue,
    delimiter: spec.delimiter,
    schemaFullName: spec.schemaFullName,
    schemaId: spec.schemaId,
    schemaRegistry: registry,
    nullableRepresentation: spec.nullableRepresentation,
    strictNumbers,
    readColumns,
  };
}

/** The serde for one side (key or value columns) of a source. */
export function serdeFor(
  spec: FormatSpec,
  columns: readonly SerdeColumn[],
  isKey: boolean,
  registry?: SchemaRegistry,
  topic?: string,
  strictNumbers?: boolean,
  /** Value columns the query reads (see SerdeOptions.readColumns). */
  readColumns?: readonly boolean[],
): Serde {
  return createSerde(spec.format, columns, serdeOptionsFor(spec, isKey, registry, topic, strictNumbers, readColumns));
}
