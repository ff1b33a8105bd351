import { describe, expect, it } from 'vitest';
import type { Engine } from '../src/runtime/engine/engine.js';
import { startEngine } from './helpers/engine-harness.js';

/**
 * PRINT as ksqlDB prints: `Key format:` / `Value format:` header lines, then
 * the records, with windowed keys decoded as `[key@start/end]`.
 */

/** The first `n` lines PRINT produces. */
async function printLines(engine: Engine, sql: string, n: number): Promise<string[]> {
  const q = await engine.startQuery(sql);
  const out: string[] = [];
  for await (const row of q.rows) {
    out.push(String(row[0]));
    if (out.length === n) break;
  }
  q.close();
  return out;
}

function int(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

describe('PRINT', () => {
  it('detects the formats of a topic no stream is declared on, as ksqlDB lists them', async () => {
    const h = await startEngine(['raw']);
    await h.write({ topic: 'raw', key: 'robin', value: '{"LOCATION":"York"}', timestamp: 0 });
    const lines = await printLines(h.engine, "PRINT 'raw' FROM BEGINNING LIMIT 1;", 3);
    expect(lines).toEqual([
      'Key format: KAFKA_STRING',
      'Value format: JSON or KAFKA_STRING',
      'rowtime: 1970/01/01 00:00:00.000 Z, key: robin, value: {"LOCATION":"York"}, partition: 0',
    ]);
  });

  it('detects a windowed table topic format from its bytes, as ksqlDB does, and decodes its keys', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(
      "CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON'); CREATE TABLE C AS SELECT ID, COUNT(*) AS N FROM S WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY ID;",
    );
    await h.write({ topic: 's', key: int(7), value: '{"V":1}', timestamp: 60_000 });
    const lines = await printLines(h.engine, 'PRINT C FROM BEGINNING LIMIT 1;', 3);
    expect(lines).toEqual([
      // ksqlDB ignores the table's declared formats: 4 inner bytes + an 8-byte start
      // read as windowed KAFKA_INT and as windowed KAFKA_STRING (00 00 00 07 is
      // valid UTF-8); the whole key is not (…EA 60 is malformed UTF-8).
      'Key format: HOPPING(KAFKA_INT) or TUMBLING(KAFKA_INT) or HOPPING(KAFKA_STRING) or TUMBLING(KAFKA_STRING)',
      'Value format: JSON or KAFKA_STRING',
      'rowtime: 1970/01/01 00:01:00.000 Z, key: [7@60000/-], value: {"N":1}, partition: 0',
    ]);
  });

  it('detects a windowed KAFKA_INT key on a topic with no source', async () => {
    const h = await startEngine(['w']);
    const key = Buffer.concat([int(1), Buffer.from([0, 0, 0, 0, 0, 0, 0xea, 0x60])]);
    await h.write({ topic: 'w', key, value: '1', timestamp: 0 });
    const lines = await printLines(h.engine, "PRINT 'w' FROM BEGINNING LIMIT 1;", 3);
    // Not KAFKA_STRING: ksqlDB refuses text with malformed UTF-8 (…EA 60).
    expect(lines[0]).toBe('Key format: HOPPING(KAFKA_INT) or TUMBLING(KAFKA_INT) or HOPPING(KAFKA_STRING) or TUMBLING(KAFKA_STRING)');
    expect(lines[1]).toBe('Value format: JSON or KAFKA_STRING');
    expect(lines[2]).toBe('rowtime: 1970/01/01 00:00:00.000 Z, key: [1@60000/-], value: 1, partition: 0');
  });
});
