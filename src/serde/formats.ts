/**
 * The table of serialization formats: the one list of them. Its keys are the
 * format names (common's `FormatName`, filled in below by declaration merging,
 * since common may not import serde); each value is the format's descriptor,
 * kept next to its serde. Adding a format is its `src/serde/<fmt>.ts` exporting
 * a {@link Format} and one line here.
 */
import type { FormatName } from '../common/formats.js';
import { AVRO_FORMAT } from './avro.js';
import { DELIMITED_FORMAT } from './delimited.js';
import type { Format } from './format.js';
import { JSON_FORMAT, JSON_SR_FORMAT } from './json.js';
import { KAFKA_FORMAT } from './kafka.js';
import { NONE_FORMAT } from './none.js';
import { PROTOBUF_FORMAT, PROTOBUF_NOSR_FORMAT } from './protobuf.js';

/** Every format by name; `FORMATS[n].name === n`. */
export const FORMATS = {
  JSON: JSON_FORMAT,
  DELIMITED: DELIMITED_FORMAT,
  KAFKA: KAFKA_FORMAT,
  AVRO: AVRO_FORMAT,
  JSON_SR: JSON_SR_FORMAT,
  PROTOBUF: PROTOBUF_FORMAT,
  PROTOBUF_NOSR: PROTOBUF_NOSR_FORMAT,
  NONE: NONE_FORMAT,
};

declare module '../common/formats.js' {
  /** The names of the {@link FORMATS} table, which is where formats are listed. */
  interface FormatNames extends Readonly<Record<keyof typeof FORMATS, true>> {}
}

/** The format names, in the table's order. */
export const FORMAT_NAMES: readonly FormatName[] = Object.keys(FORMATS) as FormatName[];

/** Whether `name` (upper case) names a format. */
export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}

/**
 * The descriptor of `name`, or undefined when it names no format. Names from a
 * WITH clause are checked when parsed, but the ksql.persistence.default.format.*
 * properties are not checked when set, so a plan may carry any text: such a
 * name has no rules (not a registry format, no configs) and no serde.
 */
export function formatNamed(name: string): Format | undefined {
  return isFormatName(name) ? FORMATS[name] : undefined;
}
