/** AVRO test form (placeholder until the AVRO format lands). */
import type { SerdeColumn, SerdeOptions } from './serde-types.js';

/** Bytes for an AVRO test-form value. */
export function avroBytesFromTestForm(_json: unknown, _columns: readonly SerdeColumn[], _options: SerdeOptions): Buffer {
  throw new Error('AVRO is not supported yet');
}

/** The test form of AVRO bytes. */
export function avroTestFormFromBytes(_bytes: Buffer, _columns: readonly SerdeColumn[], _options: SerdeOptions): unknown {
  throw new Error('AVRO is not supported yet');
}
