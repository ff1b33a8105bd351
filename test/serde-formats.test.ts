import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES, FORMATS, isFormatName } from '../src/serde/formats.js';

describe('the FORMATS table', () => {
  it('names each descriptor by its key, and is the list of format names', () => {
    for (const [key, f] of Object.entries(FORMATS)) expect(f.name).toBe(key);
    expect(FORMAT_NAMES).toEqual(['JSON', 'DELIMITED', 'KAFKA', 'AVRO', 'JSON_SR', 'PROTOBUF', 'PROTOBUF_NOSR', 'NONE']);
    expect(isFormatName('AVRO')).toBe(true);
    expect(isFormatName('avro')).toBe(false);
    expect(isFormatName('toString')).toBe(false);
  });

  it('declares the rules the planner asks', () => {
    const where = (p: (f: (typeof FORMATS)[keyof typeof FORMATS]) => boolean) => FORMAT_NAMES.filter((n) => p(FORMATS[n]));
    expect(where((f) => f.usesSchemaRegistry)).toEqual(['AVRO', 'JSON_SR', 'PROTOBUF']);
    expect(where((f) => !f.holdsNestedAggregateState)).toEqual(['DELIMITED']);
    expect(where((f) => f.nullableRepresentation)).toEqual(['PROTOBUF', 'PROTOBUF_NOSR']);
    expect(where((f) => f.configs.has('delimiter'))).toEqual(['DELIMITED']);
    expect(where((f) => f.configs.has('fullSchemaName'))).toEqual(['AVRO', 'JSON_SR', 'PROTOBUF', 'PROTOBUF_NOSR']);
    expect(where((f) => !f.holdsColumns)).toEqual(['NONE']);
  });
});
