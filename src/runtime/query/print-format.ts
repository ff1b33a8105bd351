/**
 * How PRINT shows a topic, as ksqlDB's PRINT does: `Key format:` and `Value
 * format:` header lines, then one line per record with windowed keys decoded as
 * `[key@start/end]`. A topic of a known stream or table is shown with that
 * source's formats; any other topic's formats are detected as ksqlDB does: every
 * candidate format that reads every record so far, joined by " or ".
 */
import type { FormatSpec } from '../../common/formats.js';
import type { WindowType } from '../../common/windows.js';
import type { DataSource } from '../../planner/data-source.js';
import { decodeWindowedKey } from '../../serde/windowed.js';

type Inner = 'JSON' | 'KAFKA_INT' | 'KAFKA_BIGINT' | 'KAFKA_DOUBLE' | 'KAFKA_STRING';

/** One candidate format: a plain one, or a windowed key around one. */
interface Candidate {
  readonly inner: Inner;
  readonly window?: WindowType;
}

const INNERS: readonly Inner[] = ['JSON', 'KAFKA_INT', 'KAFKA_BIGINT', 'KAFKA_DOUBLE', 'KAFKA_STRING'];
const WINDOWS: readonly WindowType[] = ['SESSION', 'HOPPING', 'TUMBLING'];

/** ksqlDB's candidate order: JSON, windowed variants of each inner format, then the KAFKA formats. */
const KEY_CANDIDATES: readonly Candidate[] = [
  { inner: 'JSON' },
  ...INNERS.flatMap((inner) => WINDOWS.map((window) => ({ inner, window }))),
  ...INNERS.slice(1).map((inner) => ({ inner })),
];
const VALUE_CANDIDATES: readonly Candidate[] = INNERS.map((inner) => ({ inner }));

const NO_DATA = '¯\\_(ツ)_/¯ - no data processed';

function name(c: Candidate): string {
  return c.window ? `${c.window}(${c.inner})` : c.inner;
}

/** The inner bytes as text in `format`, or undefined when they are not of that format. */
function readInner(bytes: Buffer, inner: Inner): string | undefined {
  switch (inner) {
    case 'JSON': {
      try {
        JSON.parse(bytes.toString('utf8'));
        return bytes.toString('utf8');
      } catch {
        return undefined;
      }
    }
    case 'KAFKA_INT':
      return bytes.length === 4 ? String(bytes.readInt32BE(0)) : undefined;
    case 'KAFKA_BIGINT':
      return bytes.length === 8 ? String(bytes.readBigInt64BE(0)) : undefined;
    case 'KAFKA_DOUBLE':
      return bytes.length === 8 ? String(bytes.readDoubleBE(0)) : undefined;
    case 'KAFKA_STRING':
      return bytes.toString('utf8');
  }
}

/** `[inner@start/end]`: time windows carry no end in the key, shown `-` as ksqlDB does. */
function windowed(bytes: Buffer, window: WindowType, render: (inner: Buffer) => string | undefined): string | undefined {
  const session = window === 'SESSION';
  if (bytes.length < (session ? 16 : 8)) return undefined;
  const { inner, window: w } = decodeWindowedKey(bytes, session, undefined);
  const text = render(inner);
  return text === undefined ? undefined : `[${text}@${w.start}/${session ? w.end : '-'}]`;
}

function read(bytes: Buffer, c: Candidate): string | undefined {
  return c.window ? windowed(bytes, c.window, (inner) => readInner(inner, c.inner)) : readInner(bytes, c.inner);
}

/** Detected formats of one side (key or value) of a topic with no known source. */
class Detected {
  private candidates: readonly Candidate[];
  private seen = false;

  constructor(all: readonly Candidate[]) {
    this.candidates = all;
  }

  /** Narrows the candidates to those reading `bytes` (a null reads as anything). */
  observe(bytes: Buffer | null): void {
    if (bytes === null) return;
    this.seen = true;
    const left = this.candidates.filter((c) => read(bytes, c) !== undefined);
    if (left.length > 0) this.candidates = left;
    else this.candidates = [];
  }

  header(): string {
    if (!this.seen) return NO_DATA;
    return this.candidates.length === 0 ? 'MIXED' : this.candidates.map(name).join(' or ');
  }

  /** The bytes shown with the first candidate left (raw text when none reads them). */
  render(bytes: Buffer): string {
    for (const c of this.candidates) {
      const text = read(bytes, c);
      if (text !== undefined) return text;
    }
    return bytes.toString('utf8');
  }
}

/** A known source's format as PRINT names it: KAFKA formats by their column type (`KAFKA_INT`). */
function sourceFormatName(spec: FormatSpec, types: readonly { type: { kind: string } }[]): string {
  if (spec.format !== 'KAFKA') return spec.format;
  const kind = types[0]?.type.kind;
  return kind === 'INTEGER' ? 'KAFKA_INT' : kind === 'BIGINT' ? 'KAFKA_BIGINT' : kind === 'DOUBLE' ? 'KAFKA_DOUBLE' : 'KAFKA_STRING';
}

/** What PRINT needs to show records: the two header lines and a key / value renderer. */
export interface PrintFormatter {
  /** Narrows detected formats with a batch before its header is shown (no-op for a known source). */
  observe(key: Buffer | null, value: Buffer | null): void;
  /** `Key format: …` and `Value format: …`. */
  header(): readonly [string, string];
  key(bytes: Buffer): string;
  value(bytes: Buffer): string;
}

/**
 * The formatter of a topic: `source` (the stream or table on it, if any) with
 * `decode` rendering one side's bytes with the source's serde (undefined when they do not fit).
 */
export function printFormatter(source: DataSource | undefined, decode: (bytes: Buffer, isKey: boolean) => string | undefined): PrintFormatter {
  if (source) {
    const keyName = sourceFormatName(source.keyFormat, source.schema.key);
    const valueName = sourceFormatName(source.valueFormat, source.schema.value);
    const win = source.window;
    const raw = (bytes: Buffer, isKey: boolean) => decode(bytes, isKey) ?? bytes.toString('utf8');
    return {
      observe: () => undefined,
      header: () => [`Key format: ${win ? `${win.type}(${keyName})` : keyName}`, `Value format: ${valueName}`],
      key: (bytes) => (win ? (windowed(bytes, win.type, (inner) => raw(inner, true)) ?? raw(bytes, true)) : raw(bytes, true)),
      value: (bytes) => raw(bytes, false),
    };
  }
  const keys = new Detected(KEY_CANDIDATES);
  const values = new Detected(VALUE_CANDIDATES);
  return {
    observe: (key, value) => {
      keys.observe(key);
      values.observe(value);
    },
    header: () => [`Key format: ${keys.header()}`, `Value format: ${values.header()}`],
    key: (bytes) => keys.render(bytes),
    value: (bytes) => values.render(bytes),
  };
}
