import { describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';

/**
 * BIGINT literals beyond ±2^53 are kept exact (JS numbers are not), so ksqlDB's
 * Long.MIN/MAX_VALUE literals come out digit for digit in text formats.
 */
async function sinkText(format: string): Promise<string> {
  const engine = new Engine({ log: new MemoryLog(), properties: { 'auto.offset.reset': 'earliest' } });
  await engine.execute(`
    CREATE STREAM i (k STRING KEY, id BIGINT) WITH (kafka_topic='i', value_format='${format}', partitions=1);
    CREATE STREAM o AS SELECT k, 9223372036854775807 AS max, -9223372036854775807 AS min, id FROM i;
    INSERT INTO i (k, id) VALUES ('a', 5);`);
  await engine.pumpAll();
  const [r] = await engine.log.read('O', 0, 0, 1);
  await engine.close();
  return r?.value?.toString('utf8') ?? '';
}

describe('exact BIGINT literals', () => {
  it('DELIMITED and JSON write Long.MAX/MIN-sized literals exactly', async () => {
    expect(await sinkText('DELIMITED')).toBe('9223372036854775807,-9223372036854775807,5');
    expect(await sinkText('JSON')).toBe('{"MAX":9223372036854775807,"MIN":-9223372036854775807,"ID":5}');
  });
});
