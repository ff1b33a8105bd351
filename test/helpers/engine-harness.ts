/**
 * Helpers for the engine end-to-end suites (test/engine-*.test.ts).
 *
 * `run` drives `runCase` (a fresh in-memory engine per call) and fails the
 * test if the statements were rejected. `startEngine` builds an `Engine` on a
 * journaling in-memory log for tests that need the processing log, EXPLAIN or
 * raw bytes on a topic.
 */
import { Engine } from '../../src/runtime/engine/engine.js';
import { JournalingLog } from '../../src/runtime/testing/journal-log.js';
import { runCase, type TestRecord, type TestTopic } from '../../src/runtime/testing/case-runner.js';

export type { TestRecord };

/** Runs a case and returns its outputs; throws with the engine's message if it was rejected. */
export async function run(sql: string, inputs: readonly TestRecord[], topics: readonly TestTopic[] = []): Promise<TestRecord[]> {
  const r = await runCase(sql, inputs, topics);
  if ('error' in r) throw new Error(`case rejected: ${r.error}`);
  return r.outputs;
}

/** Runs a case that must be rejected and returns the error text. */
export async function runError(sql: string, inputs: readonly TestRecord[] = []): Promise<string> {
  const r = await runCase(sql, inputs);
  if (!('error' in r)) throw new Error(`expected an error, got outputs ${JSON.stringify(r.outputs)}`);
  return r.error;
}

/** Outputs of one topic, without the topic field (handy for toEqual). */
export function on(topic: string, outputs: readonly TestRecord[]): Omit<TestRecord, 'topic'>[] {
  return outputs.filter((o) => o.topic === topic).map(({ topic: _t, ...rest }) => rest);
}

/** Just the values written to a topic, in order. */
export function values(topic: string, outputs: readonly TestRecord[]): unknown[] {
  return outputs.filter((o) => o.topic === topic).map((o) => o.value);
}

export interface RawInput {
  readonly topic: string;
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly timestamp?: number;
  readonly partition?: number;
}

export interface Harness {
  readonly engine: Engine;
  readonly log: JournalingLog;
  /** Appends raw bytes to a topic and processes to quiescence. */
  write(...records: RawInput[]): Promise<void>;
  /** Every record on a topic, key and value decoded as UTF-8 text. */
  read(topic: string): Promise<{ key: string | null; value: string | null; timestamp: number; partition: number; offset: number }[]>;
}

/** A fresh engine reading from the earliest offset, with `topics` created (1 partition each unless given). */
export async function startEngine(topics: readonly (string | { name: string; partitions: number })[] = []): Promise<Harness> {
  const log = new JournalingLog();
  const engine = new Engine({ log, properties: { 'auto.offset.reset': 'earliest' } });
  for (const t of topics) {
    if (typeof t === 'string') await log.createTopic(t, 1);
    else await log.createTopic(t.name, t.partitions);
  }
  const toBuf = (v: string | Buffer | null | undefined) => (v === null || v === undefined ? null : typeof v === 'string' ? Buffer.from(v, 'utf8') : v);
  return {
    engine,
    log,
    async write(...records) {
      for (const r of records) {
        await log.append(r.topic, r.partition ?? 0, [{ key: toBuf(r.key), value: toBuf(r.value), timestamp: r.timestamp ?? 0, headers: [] }]);
        await engine.pumpAll();
      }
    },
    async read(topic) {
      const info = await log.topic(topic);
      const out: { key: string | null; value: string | null; timestamp: number; partition: number; offset: number }[] = [];
      for (let p = 0; p < (info?.partitions ?? 0); p++) {
        const recs = await log.read(topic, p, 0, 1_000_000);
        recs.forEach(
          (r, i) =>
            void out.push({ key: r.key?.toString('utf8') ?? null, value: r.value?.toString('utf8') ?? null, timestamp: r.timestamp, partition: p, offset: i }),
        );
      }
      return out;
    },
  };
}
