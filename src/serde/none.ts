/**
 * The NONE format: a side with no columns (e.g. a key-less stream). Bytes are
 * ignored on read; nothing is written.
 */
import type { Format } from './format.js';
import { describeColumns, type Serde, type SerdeColumn, type SerdeOptions } from './serde-types.js';

class NoneSerde implements Serde {
  serialize(): Buffer | null {
    return null;
  }
  deserialize(): unknown[] | null {
    return [];
  }
}

/** The NONE serde; throws ksqlDB's error when any column is declared. */
export function createNoneSerde(columns: readonly SerdeColumn[], options: SerdeOptions): Serde {
  if (columns.length > 0) {
    throw new Error(`The 'NONE' format can only be used when no columns are defined. Got: ${describeColumns(columns, options.isKey)}`);
  }
  return new NoneSerde();
}

/** A serde for a side with no columns in any format: ignores bytes, writes null. */
export function createVoidSerde(): Serde {
  return new NoneSerde();
}

/** NONE: the format of a side without columns; its test form is always null. */
export const NONE_FORMAT: Format = {
  name: 'NONE',
  usesSchemaRegistry: false,
  configs: new Set(),
  nullableRepresentation: false,
  holdsNestedAggregateState: true,
  holdsColumns: false,
  create: createNoneSerde,
  schemaTranslator: undefined,
  testForm: {
    toBytes: () => null,
    fromBytes: () => null,
  },
};
