// How Kafka mode cuts records into produce requests (src/runtime/log/kafka-util.ts): chunks bounded by
// records and bytes, several partitions sharing requests, each partition's records in order.
import { describe, expect, it } from 'vitest';
import type { PartitionBatch } from '../src/runtime/log/kafka-client.js';
import { MAX_REQUEST_BYTES, MAX_REQUEST_MESSAGES, messageChunks, partitionBatches, produceRounds } from '../src/runtime/log/kafka-util.js';
import type { NewRecord } from '../src/runtime/log/log.js';

const rec = (i: number, valueBytes = 10): NewRecord => ({ key: Buffer.from(`k${i}`), value: Buffer.alloc(valueBytes, 97), timestamp: 1_000 + i });
const ids = (records: readonly NewRecord[]) => records.map((r) => r.key!.toString());

describe('messageChunks', () => {
  it('cuts at MAX_REQUEST_MESSAGES records, keeping order', () => {
    const records = Array.from({ length: 2 * MAX_REQUEST_MESSAGES + 5 }, (_, i) => rec(i));
    const chunks = messageChunks(records);
    expect(chunks.map((c) => c.length)).toEqual([MAX_REQUEST_MESSAGES, MAX_REQUEST_MESSAGES, 5]);
    expect(chunks.flat()).toEqual(records);
  });

  it('cuts large records at MAX_REQUEST_BYTES before the record count', () => {
    const big = Math.floor(MAX_REQUEST_BYTES / 4);
    const chunks = messageChunks(Array.from({ length: 9 }, (_, i) => rec(i, big)));
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 3]);
  });
});

describe('partitionBatches', () => {
  it('groups records per topic partition, each partition in its order', () => {
    const at = (topic: string, partition: number, i: number) => ({ topic, partition, record: rec(i) });
    const batches = partitionBatches([at('a', 0, 1), at('b', 0, 2), at('a', 0, 3), at('a', 1, 4), at('b', 0, 5)]);
    expect(batches.map((b) => [b.topic, b.partition, ids(b.records)])).toEqual([
      ['a', 0, ['k1', 'k3']],
      ['b', 0, ['k2', 'k5']],
      ['a', 1, ['k4']],
    ]);
  });
});

describe('produceRounds', () => {
  it('sends chunk r of every partition in request r, one request after the other, and reports first and last base offsets', async () => {
    const a = Array.from({ length: 2_500 }, (_, i) => rec(i));
    const b = Array.from({ length: 10 }, (_, i) => rec(10_000 + i));
    const requests: { topic: string; partition: number; ids: string[] }[][] = [];
    const ends = new Map<string, number>([['a/0', 7]]);
    let inFlight = 0;
    const produce = async (request: readonly PartitionBatch[]): Promise<number[]> => {
      expect(inFlight).toBe(0);
      inFlight++;
      await Promise.resolve();
      requests.push(request.map((x) => ({ topic: x.topic, partition: x.partition, ids: ids(x.records) })));
      inFlight--;
      return request.map((x) => {
        const k = `${x.topic}/${x.partition}`;
        const base = ends.get(k) ?? 0;
        ends.set(k, base + x.records.length);
        return base;
      });
    };
    const { first, lastBase } = await produceRounds(
      [
        { topic: 'a', partition: 0, records: a },
        { topic: 'b', partition: 3, records: b },
      ],
      produce,
    );
    expect(requests.map((r) => r.map((x) => `${x.topic}/${x.partition}:${x.ids.length}`))).toEqual([['a/0:1000', 'b/3:10'], ['a/0:1000'], ['a/0:500']]);
    expect(requests.flatMap((r) => r.filter((x) => x.topic === 'a').flatMap((x) => x.ids))).toEqual(ids(a));
    expect(first).toEqual([7, 0]);
    expect(lastBase).toEqual([2_007, 0]);
  });
});
