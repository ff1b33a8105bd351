/**
 * How PRINT shows a topic, as ksqlDB's PRINT (`RecordFormatter`,
 * `TopicStreamWriter`) does: whatever streams or tables use the topic, the
 * key and value formats are detected from the bytes. Each side keeps the list
 * of candidate formats (src/serde/print-formats.ts) that read every record seen
 * so far; a record is shown with the first candidate left (raw bytes as Kafka's
 * `Bytes.toString` when none is), and a batch is formatted again when its
 * records removed the format it started with. `Key format:` / `Value format:`
 * lines are printed before a batch's records whenever the candidate lists changed.
 */
import { printCandidates, type PrintCandidate, unrecognisedBytes } from '../../serde/print-formats.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';

const NO_DATA = '¯\\_(ツ)_/¯ - no data processed';
const NO_MATCH = ' does not match any supported format. It may be a STRING with encoding other than UTF8, or some other format.';

/** The formats still possible for one side (key or value) of a topic's records. */
class Detected {
  private candidates: PrintCandidate[];
  private seen = false;

  constructor(isKey: boolean, registry: SchemaRegistry | undefined) {
    this.candidates = printCandidates(isKey, registry);
  }

  /** The names left (ksqlDB's "no data processed" before any non-null bytes). */
  possible(): readonly string[] {
    return this.seen ? this.candidates.map((c) => c.name) : [NO_DATA];
  }

  /** The bytes shown with the first format that reads them; formats that cannot are dropped. */
  format(bytes: Buffer | null): string {
    if (bytes === null) return '<null>';
    this.seen = true;
    let first: string | undefined;
    const left: PrintCandidate[] = [];
    for (const c of this.candidates) {
      const text = c.read(bytes);
      if (text === undefined) continue;
      left.push(c);
      first ??= text;
    }
    this.candidates = left;
    return first ?? unrecognisedBytes(bytes);
  }
}

/** One record as PRINT reads it. */
export interface PrintRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly partition: number;
}

/** ksqlDB's row time: `yyyy/MM/dd HH:mm:ss.SSS Z` in UTC, `N/A` when the record has none. */
function rowTime(ts: number): string {
  if (ts < 0) return 'N/A';
  const d = new Date(ts);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} Z`;
}

/** A header line: the formats left joined by " or ", or ksqlDB's no-match text. */
function headerLine(prefix: string, formats: readonly string[]): string {
  return formats.length === 0 ? `${prefix}${NO_MATCH}` : `${prefix}${formats.join(' or ')}`;
}

/** Detects a topic's formats and formats its records as PRINT shows them. */
export class PrintFormatter {
  private readonly keys: Detected;
  private readonly values: Detected;
  /** The header lists last printed (undefined: none printed yet). */
  private shownKeys: readonly string[] | undefined;
  private shownValues: readonly string[] | undefined;

  /** `registry`: where schema ids of AVRO, PROTOBUF and JSON_SR records are looked up. */
  constructor(registry: SchemaRegistry | undefined) {
    this.keys = new Detected(true, registry);
    this.values = new Detected(false, registry);
  }

  /**
   * A batch's lines (`rowtime: …, key: …, value: …, partition: n`), every record
   * narrowing the formats; formatted again with the narrowed formats when the
   * batch removed the format it started with.
   */
  format(records: readonly PrintRecord[]): string[] {
    const activeKey = this.keys.possible()[0];
    const activeValue = this.values.possible()[0];
    const lines = records.map((r) => this.line(r));
    if (this.keys.possible().some((f) => f === activeKey) && this.values.possible().some((f) => f === activeValue)) return lines;
    return records.map((r) => this.line(r));
  }

  /** The `Key format:` / `Value format:` lines whose lists changed since last shown (both the first time). */
  headerUpdates(): string[] {
    const out: string[] = [];
    const keys = this.keys.possible();
    const values = this.values.possible();
    if (!sameList(this.shownKeys, keys)) out.push(headerLine('Key format: ', keys));
    if (!sameList(this.shownValues, values)) out.push(headerLine('Value format: ', values));
    this.shownKeys = keys;
    this.shownValues = values;
    return out;
  }

  private line(r: PrintRecord): string {
    return `rowtime: ${rowTime(r.timestamp)}, key: ${this.keys.format(r.key)}, value: ${this.values.format(r.value)}, partition: ${r.partition}`;
  }
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}
