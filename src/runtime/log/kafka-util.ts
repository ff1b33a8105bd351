/** Helpers of the Kafka log and its transactional writer, independent of the client library: request sizes, bounded waits. */
import type { PartitionBatch } from './kafka-client.js';
import type { NewRecord, TopicRecord } from './log.js';

/** Record bytes per partition in a produce request (below the brokers' default 1 MiB limit). */
export const MAX_REQUEST_BYTES = 512 * 1024;

/**
 * Records per partition in a produce request. kafkajs groups a send's messages per
 * partition by copying the partition's array for every message (quadratic in the
 * messages per send), so large sends cost more CPU per record: measured over 200K
 * ~150-byte records (CPU time per record, 3 interleaved runs), 500 and 1,000 per
 * send took 71-79K and 70-78K records per CPU-second, 2,000 took 56-68K and the
 * 512 KiB bound alone (~2,800) 53-67K. 1,000 keeps the round trips half those of 500.
 */
export const MAX_REQUEST_MESSAGES = 1_000;

/** Waits for `p` at most `ms` (errors ignored): for disconnects that must not hold up a shutdown. */
export function bounded(p: Promise<unknown>, ms = 2_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    p.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

/**
 * One partition's records in produce-request chunks of at most {@link MAX_REQUEST_BYTES}
 * (brokers reject larger ones: message.max.bytes, 1 MiB by default) and {@link MAX_REQUEST_MESSAGES}.
 */
export function messageChunks(records: readonly NewRecord[]): (readonly NewRecord[])[] {
  const chunks: (readonly NewRecord[])[] = [];
  let from = 0;
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const size = (r.key?.length ?? 0) + (r.value?.length ?? 0) + 64;
    if ((bytes + size > MAX_REQUEST_BYTES || i - from >= MAX_REQUEST_MESSAGES) && i > from) {
      chunks.push(records.slice(from, i));
      from = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (records.length > from) chunks.push(from === 0 ? records : records.slice(from));
  return chunks;
}

/**
 * Records grouped per topic partition (in the order each first appears), each
 * partition's records in their order: what {@link produceRounds} sends. Order
 * across partitions is not kept (Kafka has none).
 */
export function partitionBatches(records: readonly TopicRecord[]): { topic: string; partition: number; records: NewRecord[] }[] {
  const byPartition = new Map<string, { topic: string; partition: number; records: NewRecord[] }>();
  let last: { topic: string; partition: number; records: NewRecord[] } | undefined;
  for (const r of records) {
    if (last === undefined || last.topic !== r.topic || last.partition !== r.partition) {
      const k = `${r.topic}\u0000${r.partition}`;
      last = byPartition.get(k);
      if (last === undefined) byPartition.set(k, (last = { topic: r.topic, partition: r.partition, records: [] }));
    }
    last.records.push(r.record);
  }
  return [...byPartition.values()];
}

/**
 * Sends several topic partitions' records (each partition at most once in
 * `batches`) in as few requests as their sizes allow: request r holds chunk r of
 * every partition ({@link messageChunks}), and waits for the one before it, so each
 * partition's records land in order. Resolves with each partition's first offset
 * and the base offset of its last chunk, in the order given.
 */
export async function produceRounds(
  batches: readonly PartitionBatch[],
  produce: (request: readonly PartitionBatch[]) => Promise<number[]>,
): Promise<{ first: number[]; lastBase: number[] }> {
  const chunks = batches.map((b) => messageChunks(b.records));
  const first = batches.map(() => -1);
  const lastBase = batches.map(() => -1);
  const rounds = Math.max(0, ...chunks.map((c) => c.length));
  for (let r = 0; r < rounds; r++) {
    const request: PartitionBatch[] = [];
    const which: number[] = [];
    for (let i = 0; i < batches.length; i++) {
      const c = chunks[i]![r];
      if (c === undefined) continue;
      request.push({ topic: batches[i]!.topic, partition: batches[i]!.partition, records: c });
      which.push(i);
    }
    const bases = await produce(request);
    for (let j = 0; j < which.length; j++) {
      const i = which[j]!;
      if (first[i]! < 0) first[i] = bases[j]!;
      lastBase[i] = bases[j]!;
    }
  }
  return { first, lastBase };
}
