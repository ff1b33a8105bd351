import { describe, expect, it } from 'vitest';
import { T, type SqlType } from '../src/common/types.js';
import { createSerde, SerdeError, type SerdeColumn } from '../src/serde/index.js';
import { structReader } from '../src/serde/json-coerce.js';
import { JsonRowScanner } from '../src/serde/json-scan.js';
import { rng } from '../bench/gen.mjs';

const j = (s: string): Buffer => Buffer.from(s, 'utf8');
const COLS: SerdeColumn[] = [
  { name: 'TYPE', type: T.STRING },
  { name: 'CODE', type: T.INTEGER },
  { name: 'N', type: T.BIGINT },
  { name: 'AMOUNT', type: T.DOUBLE },
  { name: 'OK', type: T.BOOLEAN },
  { name: 'TAGS', type: T.array(T.STRING) },
  { name: 'lower', type: T.STRING },
];

/** What the ordinary path (JSON.parse, then the row reader) reads, or the error it throws. */
function ordinary(cols: readonly SerdeColumn[], text: string): unknown {
  const read = structReader(
    cols.map((c) => c.name),
    cols.map((c) => c.type as SqlType),
    undefined,
    (_n, v) => v,
  );
  try {
    const doc = JSON.parse(text) as unknown;
    return doc === null ? null : read(doc);
  } catch {
    return 'error';
  }
}

/** A random JSON-ish document: mostly valid, sometimes damaged, with the keys and values that matter. */
function randomDoc(r: () => number): string {
  const keys = ['type', 'TYPE', 'Type', 'code', 'CODE', 'n', 'amount', 'ok', 'tags', 'lower', 'LOWER', 'other', 'nest', 'é'];
  const values = [
    '"ERROR"',
    '"a\\"b"',
    '"\\u00e9t\\n"',
    '"héllo"',
    '"bad\\x"',
    '12',
    '-7',
    '-0',
    '0.5',
    '0.1',
    '-0.0',
    '123.456',
    '99999999999.999',
    '1.25e3',
    '12345678901234567',
    '3000000000',
    '"42"',
    '"x"',
    'true',
    'false',
    'null',
    '[1,"a",{"b":[true,null]}]',
    '{"a":{"b":1}}',
    '[]',
    '{}',
    '01',
    '1.',
    'tru',
  ];
  const n = Math.floor(r() * 6);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`"${keys[Math.floor(r() * keys.length)]}"${r() < 0.1 ? ' : ' : ':'}${values[Math.floor(r() * values.length)]}`);
  let s = `{${parts.join(r() < 0.1 ? ' ,\n' : ',')}}`;
  if (r() < 0.05) s = ` ${s}\t`;
  if (r() < 0.05) s = s.slice(0, Math.floor(r() * s.length));
  if (r() < 0.03) s += '}';
  return s;
}

describe('JSON row scanner', () => {
  it('reads every document it accepts exactly as JSON.parse and the row reader do, and accepts no invalid one', () => {
    const scanner = new JsonRowScanner(COLS, false);
    const r = rng(7);
    let accepted = 0;
    for (let k = 0; k < 20_000; k++) {
      const text = randomDoc(r);
      const got = scanner.scan(j(text), 0);
      if (got === undefined) continue;
      accepted++;
      expect({ text, row: got }).toEqual({ text, row: ordinary(COLS, text) });
    }
    // most documents are ordinary enough to be read by the scan
    expect(accepted).toBeGreaterThan(5_000);
  });

  it('reads decimal fractions to the same double as JSON.parse', () => {
    const s = new JsonRowScanner([{ name: 'X', type: T.DOUBLE }], false);
    const r = rng(11);
    for (let k = 0; k < 20_000; k++) {
      const whole = String(Math.floor(r() * 10 ** Math.floor(r() * 8)));
      const frac = String(Math.floor(r() * 10 ** 7)).padStart(1 + Math.floor(r() * 6), '0');
      const text = `${r() < 0.3 ? '-' : ''}${whole}.${frac}`;
      expect({ text, x: s.scan(j(`{"X":${text}}`), 0)?.[0] }).toEqual({ text, x: JSON.parse(text) as number });
    }
  });

  it('takes an exact key over case-insensitive ones, and leaves repeated case-insensitive keys to the ordinary path', () => {
    const s = new JsonRowScanner(COLS, false);
    expect(s.scan(j('{"type":"a","TYPE":"b","Type":"c"}'), 0)?.[0]).toBe('b');
    expect(s.scan(j('{"type":"a","TYPE":"b"}'), 0)?.[0]).toBe('b');
    expect(s.scan(j('{"LOWER":"a"}'), 0)?.[6]).toBeNull();
    expect(s.scan(j('{"type":"a","Type":"b","type":"c"}'), 0)).toBeUndefined();
    // JSON.parse keeps the first position of "type" with the last value; the upper-case match is then "Type"
    expect(ordinary(COLS, '{"type":"a","Type":"b","type":"c"}')).toEqual(['b', null, null, null, null, null, null]);
  });

  it('reads strings with escapes and characters beyond ASCII', () => {
    const s = new JsonRowScanner(COLS, false);
    expect(s.scan(j('{"type":"\\u00e9t\\n\\"q\\""}'), 0)?.[0]).toBe('ét\n"q"');
    expect(s.scan(j('{"type":"héllo ☃"}'), 0)?.[0]).toBe('héllo ☃');
  });

  it('leaves a column the query does not read null but still checks its value', () => {
    const s = new JsonRowScanner(COLS, false, [false, false, true, false, false, true, true]);
    expect(s.scan(j('{"type":"ERROR","code":"12","n":5,"amount":1.5,"ok":true}'), 0)).toEqual([null, 12, 5, null, true, null, null]);
    expect(s.scan(j('{"type":"ERROR","code":"twelve","n":5}'), 0)).toBeUndefined();
    expect(s.scan(j('{"type":"ERROR","ok":1}'), 0)).toBeUndefined();
  });
});

describe('JSON serde with the scan', () => {
  const cols: SerdeColumn[] = [
    { name: 'TYPE', type: T.STRING },
    { name: 'CODE', type: T.INTEGER },
  ];

  it('reports a bad value in a column the query does not read, as ksqlDB (which reads the whole value) does', () => {
    const s = createSerde('JSON', cols, { isKey: false, readColumns: [true, false] });
    expect(s.deserialize(j('{"type":"ERROR","code":404}'))).toEqual(['ERROR', null]);
    expect(() => s.deserialize(j('{"type":"ERROR","code":"x"}'))).toThrow(SerdeError);
    expect(() => s.deserialize(j('{"type":"ERROR","code":"x"}'))).toThrow(
      "Failed to deserialize value. Can't coerce string to type. targetType: INTEGER, path: $.CODE",
    );
    expect(() => s.deserialize(j('{"type":"ERROR",'))).toThrow(/^Failed to deserialize value\. /);
  });

  it('reads JSON_SR records after the prefix and rejects them without the magic byte', () => {
    const s = createSerde('JSON_SR', cols, { isKey: false, schemaId: 3 });
    const body = j('{"TYPE":"x","CODE":1}');
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 3]), body]);
    expect(s.deserialize(framed)).toEqual(['x', 1]);
    expect(() => s.deserialize(body)).toThrow(/did not start with the magic byte/);
  });

  it('reads numbers JSON.parse might round without losing digits (the ordinary, lossless path)', () => {
    const s = createSerde('JSON', [{ name: 'N', type: T.BIGINT }], { isKey: false });
    expect(s.deserialize(j('{"N":9007199254740993}'))).toEqual([9007199254740993]);
    expect(s.deserialize(j('{"N":1.5e3}'))).toEqual([1500]);
  });
});
