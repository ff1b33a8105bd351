// The pieces Kafka mode's scale-out is made of, on the embedded memory log (the Kafka suite
// runs them against the real broker): heartbeats and partition assignment, the changelog's
// restore rules, and which plans can be split across servers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.js';
import { planPersistent } from './helpers/plan-persistent.js';
import { ChangelogTasks } from '../src/runtime/cluster/changelog-tasks.js';
import { Membership, type MemberReport } from '../src/runtime/cluster/membership.js';
import { partitionsIndependent, repartitionStep } from '../src/runtime/cluster/splittable.js';
import type { KafkaLog } from '../src/runtime/log/kafka-log.js';
import type { Log } from '../src/runtime/log/log.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';
import { LevelStoreFactory } from '../src/runtime/state/level-store.js';

const open: { close(): Promise<void> }[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const idle = (): MemberReport => ({ active: {}, lags: {} });

async function member(log: Log, report: () => MemberReport = idle, timeoutMs = 2_000): Promise<Membership> {
  const m = await Membership.join(log, 'svc', report, { heartbeatMs: 50, timeoutMs });
  open.push(m);
  return m;
}

/**
 * One server's connection to the shared log. Once `cut`, nothing it sends arrives, as after a
 * SIGKILL: no more heartbeats and no leave message, while the others carry on.
 */
class Link implements Log {
  cut = false;
  constructor(private readonly log: Log) {}
  createTopic(...args: Parameters<Log['createTopic']>): ReturnType<Log['createTopic']> {
    return this.log.createTopic(...args);
  }
  topic(name: string): ReturnType<Log['topic']> {
    return this.log.topic(name);
  }
  listTopics(): ReturnType<Log['listTopics']> {
    return this.log.listTopics();
  }
  deleteTopic(name: string): Promise<void> {
    return this.log.deleteTopic(name);
  }
  async append(...args: Parameters<Log['append']>): ReturnType<Log['append']> {
    if (this.cut) throw new Error('link cut');
    return this.log.append(...args);
  }
  read(...args: Parameters<Log['read']>): ReturnType<Log['read']> {
    return this.log.read(...args);
  }
  endOffset(topic: string, partition: number): Promise<number> {
    return this.log.endOffset(topic, partition);
  }
  commit(...args: Parameters<Log['commit']>): Promise<void> {
    return this.log.commit(...args);
  }
  committed(...args: Parameters<Log['committed']>): ReturnType<Log['committed']> {
    return this.log.committed(...args);
  }
  onAppend(listener: (topic: string) => void): () => void {
    return this.log.onAppend(listener);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('membership', () => {
  it('divides a query’s partitions among the live servers, the same way on each', async () => {
    const log = new MemoryLog();
    const a = await member(log);
    const b = await member(log);
    const c = await member(log);
    await eventually('all three to see three live members', () => [a, b, c].every((m) => m.liveMembers().length === 3));
    for (const m of [a, b, c]) expect(m.liveMembers().map((x) => x.id)).toEqual([a.id, b.id, c.id].sort());
    const owners = (m: Membership) => Array.from({ length: 6 }, (_, p) => m.ownerOf('CTAS_T_0', p, true)!.id);
    expect(owners(b)).toEqual(owners(a));
    expect(owners(c)).toEqual(owners(a));
    // Six partitions over three servers: two each.
    const count = new Map<string, number>();
    for (const id of owners(a)) count.set(id, (count.get(id) ?? 0) + 1);
    expect([...count.values()]).toEqual([2, 2, 2]);
    // An unsplittable query runs whole on one server.
    expect(new Set(Array.from({ length: 6 }, (_, p) => a.ownerOf('CTAS_J_1', p, false)!.id)).size).toBe(1);
  });

  it('hands a partition over only once its previous owner stops reporting it', async () => {
    const log = new MemoryLog();
    let aActive: number[] = [0, 1, 2, 3];
    const a = await member(log, () => ({ active: { Q: aActive }, lags: {} }));
    const b = await member(log);
    await eventually(
      'b to see a and its active partitions',
      () => a.liveMembers().length === 2 && b.liveMembers().length === 2 && b.liveMembers().some((m) => m.id === a.id && m.active['Q'] !== undefined),
    );
    const toB = [0, 1, 2, 3].filter((p) => a.ownerOf('Q', p, true)!.id === b.id);
    expect(toB.length).toBeGreaterThan(0);
    // Assigned to b, but a still reports them: b waits.
    for (const p of toB) expect(b.mayProcess('Q', p, true)).toBe(false);
    aActive = aActive.filter((p) => !toB.includes(p));
    await eventually('b to take over the partitions a released', () => toB.every((p) => b.mayProcess('Q', p, true)));
    for (const p of toB) expect(a.mayProcess('Q', p, true)).toBe(false);
  });

  it('gives a leaving server’s partitions to the others at once, long before its window would pass', async () => {
    const log = new MemoryLog();
    // A window of a minute: if c drops out of the live members within the test, its leave did it.
    const a = await member(log, idle, 60_000);
    const b = await member(log, idle, 60_000);
    const c = await member(log, idle, 60_000);
    await eventually('a to see three live members', () => a.liveMembers().length === 3);
    let changes = 0;
    a.onChange(() => changes++);
    await c.close();
    await eventually('a to drop c once it left', () => a.liveMembers().length === 2);
    expect(a.liveMembers().map((m) => m.id)).toEqual([a.id, b.id].sort());
    expect(changes).toBeGreaterThan(0);
  });

  it('gives a silent server’s partitions to the others once its window passes', async () => {
    const log = new MemoryLog();
    const a = await member(log, idle, 1_500);
    const bLink = new Link(log);
    const b = await member(bLink, idle, 1_500);
    await eventually('a and b to see each other', () => a.liveMembers().length === 2);
    // b stops sending without a word (as after SIGKILL; the Kafka suite kills real servers): dead once the window passes.
    bLink.cut = true;
    await eventually('a to declare the silent b dead', () => a.liveMembers().length === 1);
    expect(a.liveMembers().map((m) => m.id)).toEqual([a.id]);
    expect(a.allMembers().find((x) => x.member.id === b.id)?.alive).toBe(false);
    for (let p = 0; p < 4; p++) expect(a.mayProcess('Q', p, true)).toBe(true);
  });
});

/** The embedded memory log that can be made unreachable, as a Kafka cluster can. */
class FlakyLog extends MemoryLog {
  down = false;
  override async append(...args: Parameters<MemoryLog['append']>): ReturnType<MemoryLog['append']> {
    if (this.down) throw new Error('cluster unreachable');
    return super.append(...args);
  }
  override async read(...args: Parameters<MemoryLog['read']>): ReturnType<MemoryLog['read']> {
    if (this.down) throw new Error('cluster unreachable');
    return super.read(...args);
  }
}

describe('membership while the cluster is away', () => {
  it('declares nobody dead while no heartbeats arrive at all, and still notices a dead server afterwards', async () => {
    const log = new FlakyLog();
    const a = await member(log, idle, 300);
    const bLink = new Link(log);
    const b = await member(bLink, idle, 300);
    await eventually('a and b to see each other', () => a.liveMembers().length === 2 && b.liveMembers().length === 2);
    log.down = true;
    // The behaviour under test is that time passing without any heartbeat kills nobody, so this sleep
    // is the point, not a sync: well past the 300 ms window, with no condition to wait for instead.
    await new Promise((r) => setTimeout(r, 800));
    expect(a.liveMembers().map((m) => m.id)).toEqual([a.id, b.id].sort());
    expect(b.liveMembers().map((m) => m.id)).toEqual([a.id, b.id].sort());
    log.down = false;
    bLink.cut = true; // b dies for real once the cluster is back
    await eventually('a to declare b dead once heartbeats flow again', () => a.liveMembers().length === 1);
  });
});

describe('changelog restore', () => {
  async function setup() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-changelog-'));
    dirs.push(dir);
    const stores = await LevelStoreFactory.open(dir);
    open.push(stores);
    const log = new MemoryLog();
    const membership = await member(log);
    const store = stores.store<number>('Q/agg');
    const tasks = await ChangelogTasks.create({
      topic: 'q-changelog',
      log: log as unknown as KafkaLog,
      membership,
      serviceId: 'svc',
      queryId: 'Q',
      stores: [store],
      storeByName: (name) => stores.store(name),
      sources: [{ topic: 'in', group: 'Q' }],
      partitions: 2,
      splittable: true,
      exactlyOnce: false,
      onLog: () => undefined,
    });
    return { log, stores, store, tasks };
  }

  it('restores the state of committed batches and the positions after them', async () => {
    const { log, store, tasks } = await setup();
    store.put('a', 1);
    store.put('b', 1);
    await tasks.commit(1, [], [10]);
    await store.flush();
    store.put('a', 2);
    store.delete('b');
    await tasks.commit(1, [], [20]);
    await store.flush();
    expect((await log.read('q-changelog', 1, 0, 100)).length).toBe(6); // 2 entries + checkpoint, twice

    const fresh = await setup();
    // Another server's changelog, same topic: restore partition 1 from it.
    for (const r of await log.read('q-changelog', 1, 0, 100)) await fresh.log.append('q-changelog', 1, [r]);
    expect(await fresh.tasks.acquire(1)).toEqual([20]);
    expect(fresh.store.get('a')).toBe(2);
    expect(fresh.store.get('b')).toBeUndefined();
    expect(await fresh.tasks.acquire(0)).toBeUndefined(); // nothing committed for partition 0
  });

  it('drops the state records of a batch cut short before its checkpoint', async () => {
    const { log, store, tasks } = await setup();
    store.put('a', 1);
    await tasks.commit(0, [], [5]);
    await store.flush();
    // A crash mid-batch: state records reached the changelog, the checkpoint did not.
    await log.append('q-changelog', 0, [{ key: Buffer.from('Q/agg\u0000a'), value: Buffer.from('99'), timestamp: 0 }]);
    await log.append('q-changelog', 0, [{ key: Buffer.from('Q/agg\u0000z'), value: Buffer.from('99'), timestamp: 0 }]);
    const fresh = await setup();
    for (const r of await log.read('q-changelog', 0, 0, 100)) await fresh.log.append('q-changelog', 0, [r]);
    expect(await fresh.tasks.acquire(0)).toEqual([5]);
    expect(fresh.store.get('a')).toBe(1);
    expect(fresh.store.get('z')).toBeUndefined();
    // The next owner's batch after the cut-short one (a later epoch): only its own records apply.
    const later = Number.MAX_SAFE_INTEGER - 1;
    await fresh.log.append('q-changelog', 0, [
      { key: Buffer.from('Q/agg\u0000b'), value: Buffer.from('7'), timestamp: 0 },
      { key: Buffer.from('\u0000checkpoint'), value: Buffer.from(JSON.stringify({ positions: [9], count: 1, epoch: later })), timestamp: 0 },
    ]);
    // Then a batch of an earlier owner that had lost the partition without knowing: ignored.
    await fresh.log.append('q-changelog', 0, [
      { key: Buffer.from('Q/agg\u0000a'), value: Buffer.from('50'), timestamp: 0 },
      { key: Buffer.from('\u0000checkpoint'), value: Buffer.from(JSON.stringify({ positions: [7], count: 1, epoch: 1 })), timestamp: 0 },
    ]);
    const third = await setup();
    for (const r of await fresh.log.read('q-changelog', 0, 0, 100)) await third.log.append('q-changelog', 0, [r]);
    expect(await third.tasks.acquire(0)).toEqual([9]);
    expect([third.store.get('a'), third.store.get('b'), third.store.get('z')]).toEqual([1, 7, undefined]);
  });
});

describe('splitting a query across servers', () => {
  function plan(sql: string) {
    return planPersistent(
      [
        `CREATE STREAM clicks (user_id STRING KEY, page STRING, ms INT) WITH (kafka_topic='clicks', value_format='JSON');`,
        `CREATE TABLE users (id STRING PRIMARY KEY, name STRING) WITH (kafka_topic='users', value_format='JSON');`,
      ],
      sql,
    );
  }

  it.each([
    ['a projection', `CREATE STREAM s AS SELECT user_id, page FROM clicks WHERE ms > 10;`, true, undefined],
    ['a count by the source key', `CREATE TABLE t AS SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id;`, true, undefined],
    [
      'a windowed count by the key and more',
      `CREATE TABLE t AS SELECT user_id, page, COUNT(*) AS n FROM clicks WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY user_id, page;`,
      true,
      undefined,
    ],
    ['a count by another column', `CREATE TABLE t AS SELECT page, COUNT(*) AS n FROM clicks GROUP BY page;`, false, 'repartition'],
    ['a stream-table join', `CREATE STREAM s AS SELECT c.user_id, u.name FROM clicks c JOIN users u ON c.user_id = u.id;`, false, undefined],
  ])('%s', (_, sql, independent, repartition) => {
    const p = plan(sql);
    expect(partitionsIndependent(p)).toBe(independent);
    const step = repartitionStep(p);
    if (repartition) {
      expect(p.steps[step!]!.kind).toBe('StreamAggregate');
      expect(partitionsIndependent(p, step)).toBe(true);
    } else expect(step).toBeUndefined();
  });
});
