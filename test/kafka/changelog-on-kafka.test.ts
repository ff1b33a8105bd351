// A query's changelog on the real broker when two servers write one partition at once: the new
// owner, and a server that was paused past the heartbeat window between its ownership check and
// its write (a zombie, as Kafka Streams calls it). Every write here goes through the real
// KafkaLog; a gate holds the writes of one side to put the other's in between, the way the
// broker interleaves them when the paused process wakes up mid-batch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ChangelogTasks } from '../../src/runtime/cluster/changelog-tasks.js';
import { Membership } from '../../src/runtime/cluster/membership.js';
import { KafkaLog } from '../../src/runtime/log/kafka-log.js';
import { LevelStoreFactory } from '../../src/runtime/state/level-store.js';
import { describeKafka, KAFKA_BROKER, readToEnd, uniqueTopic } from './broker.js';

const open: { close(): Promise<void> }[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/**
 * The KafkaLog of one server, whose single-partition appends (a batch's checkpoint goes
 * last, alone) can be held at a gate until the test opens it.
 */
function gated(log: KafkaLog): { log: KafkaLog; hold(): void; open(): void; held(): Promise<void> } {
  let gate: Promise<void> | undefined;
  let release: () => void = () => undefined;
  let arrived: () => void = () => undefined;
  let waiting = new Promise<void>((r) => (arrived = r));
  const wrapped = new Proxy(log, {
    get(target, prop, receiver) {
      if (prop === 'append')
        return async (...args: Parameters<KafkaLog['append']>) => {
          if (gate) {
            arrived();
            await gate;
          }
          return target.append(...args);
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return {
    log: wrapped,
    hold() {
      waiting = new Promise<void>((r) => (arrived = r));
      gate = new Promise<void>((r) => (release = r));
    },
    open() {
      gate = undefined;
      release();
    },
    /** Resolves once an append waits at the gate. */
    held: () => waiting,
  };
}

describeKafka('changelog partitions written by two servers', () => {
  async function connect(service: string): Promise<KafkaLog> {
    const kafka = await KafkaLog.connect({ brokers: [KAFKA_BROKER], serviceId: service, onLog: () => undefined });
    open.push(kafka);
    return kafka;
  }

  /** One server of the service, with its own connection and state; `membership` is the service's only member. */
  async function server(service: string, topic: string, membership: Membership) {
    const kafka = await connect(service);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-changelog-kafka-'));
    dirs.push(dir);
    const stores = await LevelStoreFactory.open(dir);
    open.push(stores);
    const gate = gated(kafka);
    const store = stores.store<number>('Q/agg');
    const tasks = await ChangelogTasks.create({
      topic,
      log: gate.log,
      membership,
      serviceId: service,
      queryId: 'Q',
      stores: [store],
      storeByName: (name) => stores.store(name),
      sources: [{ topic: `${topic}-in`, group: 'Q' }],
      partitions: 1,
      splittable: true,
      exactlyOnce: false,
      onLog: () => undefined,
    });
    open.push(tasks);
    /** Processes a batch: sets the keys and commits it with the positions after it. */
    const batch = async (values: Record<string, number>, position: number) => {
      for (const [k, v] of Object.entries(values)) store.put(k, v);
      await tasks.commit(0, [], [position]);
      await store.flush();
    };
    return { tasks, store, gate, batch };
  }

  it('a restore applies the new owner’s batch whole and none of the paused server’s, however their records interleave', async () => {
    const service = uniqueTopic('svc').replace(/-/g, '_');
    const topic = uniqueTopic('changelog');
    // One member for all: every server's ownership check passes, as the paused one's did before it froze.
    const membership = await Membership.join(await connect(service), service, () => ({ active: {}, lags: {} }));
    open.push(membership);
    // The paused server owned the partition first and committed a batch.
    const paused = await server(service, topic, membership);
    await paused.tasks.acquire(0);
    await paused.batch({ a: 1, b: 1 }, 10);
    // The new owner claims it (a higher epoch) and restores that batch.
    const owner = await server(service, topic, membership);
    expect(await owner.tasks.acquire(0)).toEqual([10]);
    expect([owner.store.get('a'), owner.store.get('b')]).toEqual([1, 1]);

    // 1. The paused server's whole batch lands between the owner's state records and their checkpoint.
    owner.gate.hold();
    const first = owner.batch({ a: 2, b: 2, c: 2 }, 20);
    await owner.gate.held();
    await paused.batch({ a: 90, d: 90 }, 15);
    owner.gate.open();
    await first;
    // 2. Its state records land there, its checkpoint after the owner's.
    owner.gate.hold();
    paused.gate.hold();
    const second = owner.batch({ a: 3, b: 3 }, 30);
    await owner.gate.held();
    const late = paused.batch({ a: 91, b: 91 }, 16);
    await paused.gate.held();
    owner.gate.open();
    await second;
    paused.gate.open();
    await late;

    // The records really are interleaved that way in the topic.
    const keys = (await readToEnd(topic)).map((m) => m.key!.replace('\u0000checkpoint', '#').replace('Q/agg\u0000', ''));
    // The paused server's claim and first batch, the owner's claim, then 1. and 2.
    expect(keys.join(' ')).toBe('# a b # #  a b c a d # #  a b a b # #'.replace(/ {2}/g, ' '));

    // A third server restores: the owner's two batches, whole; nothing of the paused server's after the claim.
    const third = await server(service, topic, membership);
    expect(await third.tasks.acquire(0)).toEqual([30]);
    expect(['a', 'b', 'c', 'd'].map((k) => third.store.get(k))).toEqual([3, 3, 2, undefined]);
  }, 60_000);
});
