/**
 * The NONE format: a side with no columns (e.g. a key-less stream). Bytes are
 * ignored on read; nothing is written.
 */
import { describeColumns } from './kafka.js';
import type { Serde, SerdeColumn, SerdeOptions } from './serde-types.js';

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
    throw new Error(
      `The 'NONE' format can only be used when no columns are defined. Got: ${describeColumns(columns, options.isKey)}`,
    );
  }
  return new NoneSerde();
}

/** A serde for a side with no columns in any format: ignores bytes, writes null. */
export function createVoidSerde(): Serde {
  return new NoneSerde();
}
