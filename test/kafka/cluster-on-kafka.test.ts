// Several real `sluice server` processes of one service on the real broker: state restored
// from changelog topics on a server with an empty data directory; partitions split between
// two servers and taken over when one is killed with SIGKILL; pull queries forwarded to the
// server that owns the key; exactly-once processing across a kill mid-transaction.
import { afterEach, expect, it } from 'vitest';
import { createTopic, describeKafka, kafkaClient, produce, readToEnd, uniqueTopic, type ConsumedMessage } from './broker.js';
import { eventually } from '../helpers/eventually.js';
import { ksql, processesAll, pull, splitBetweenTwo, startSluice, stopAll, uniqueService } from './servers.js';

// Aggregations here run with cache.max.bytes.buffering=0: the tests count every update.

afterEach((test) => stopAll(test));

const KEYS = Array.from({ length: 12 }, (_, i) => `k${i}`);

/** `n` records round-robin over KEYS with ids from `from`, all in one hour (one tumbling window). */
function records(from: number, n: number): { key: string; value: string; timestamp: string }[] {
  const base = Date.UTC(2026, 10, 22, 10, 0, 0);
  return Array.from({ length: n }, (_, i) => ({
    key: KEYS[(from + i) % KEYS.length]!,
    value: JSON.stringify({ v: from + i }),
    timestamp: String(base + from + i),
  }));
}

/** Expected COUNT(*) per key after records 0 … n-1. */
function expectedCounts(n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) out[KEYS[i % KEYS.length]!] = (out[KEYS[i % KEYS.length]!] ?? 0) + 1;
  return out;
}

/** Per key (as text, window bytes dropped), every N the table's topic holds, in order. */
function countsByKey(msgs: readonly ConsumedMessage[], windowed: boolean): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of msgs) {
    if (m.keyBytes === null || m.value === null) continue;
    const key = (windowed ? m.keyBytes.subarray(0, m.keyBytes.length - 8) : m.keyBytes).toString('utf8');
    const list = out.get(key) ?? [];
    out.set(key, list);
    list.push(JSON.parse(m.value).N as number);
  }
  return out;
}

/** The latest N per key, once every key has the expected count. */
async function waitForCounts(topic: string, expected: Record<string, number>, windowed: boolean, timeoutMs = 90_000): Promise<Map<string, number[]>> {
  return eventually(
    `${topic} holding ${JSON.stringify(expected)}`,
    async () => {
      const byKey = countsByKey(await readToEnd(topic, { timeoutMs: 20_000 }), windowed);
      const latest = Object.fromEntries([...byKey].map(([k, ns]) => [k, ns[ns.length - 1]]));
      const keys = Object.keys(expected).sort();
      if (JSON.stringify(latest, keys) === JSON.stringify(expected, keys) && Object.keys(latest).length === keys.length) return byKey;
      // Not yet: say what the topic holds, so a miss shows stale or missing counts, not just a timeout.
      const off = keys.filter((k) => latest[k] !== expected[k]).map((k) => `${k}: ${latest[k]} (updates ${JSON.stringify(byKey.get(k)?.slice(-6))})`);
      throw new Error(`latest counts differ for ${off.join(', ')}`);
    },
    { timeoutMs, everyMs: 500 },
  );
}

/** Every record of a topic a fresh consumer gets before it has been idle for a second. */
async function readUntilIdle(topic: string, readUncommitted: boolean): Promise<{ partition: number; offset: string }[]> {
  const consumer = kafkaClient('sluice-test-idle').consumer({ groupId: `sluice-test-${uniqueTopic('idle')}`, maxWaitTimeInMs: 100, readUncommitted });
  const got: { partition: number; offset: string }[] = [];
  let last = Date.now();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        got.push({ partition, offset: message.offset });
        last = Date.now();
      },
    });
    // No end marker tells a read_uncommitted consumer it saw everything, so quiet is the measure:
    // a second without a record (and at least 1.5 s in all). This poll is the definition, not a sync.
    const started = Date.now();
    while (Date.now() - last < 1_000 || Date.now() - started < 1_500) await new Promise((r) => setTimeout(r, 100));
    return got;
  } finally {
    await consumer.disconnect();
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describeKafka('servers of one service on Kafka', () => {
  it('restores a windowed table from its changelog on a server with an empty data directory, with no duplicate updates', async () => {
    const service = uniqueService();
    const input = uniqueTopic('clicks');
    const sink = uniqueTopic('hourly');
    await createTopic(input, 4);
    const a = await startSluice(service);
    await ksql(a.url, `CREATE STREAM clicks (k STRING KEY, v INT) WITH (kafka_topic='${input}', value_format='JSON');`);
    await ksql(a.url, `CREATE TABLE hourly WITH (kafka_topic='${sink}') AS SELECT k, COUNT(*) AS n FROM clicks WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY k;`, {
      'auto.offset.reset': 'earliest',
      'cache.max.bytes.buffering': '0',
    });
    await produce(input, records(0, 240));
    await waitForCounts(sink, expectedCounts(240), true);
    await a.kill('SIGTERM');

    // Records arrive while no server runs; a new server with nothing on disk picks up from the changelog.
    await produce(input, records(240, 120));
    const b = await startSluice(service);
    const byKey = await waitForCounts(sink, expectedCounts(360), true);
    expect(b.output()).toMatch(/Restored partition \d of CTAS_HOURLY_0: \d+ state entries/);
    // Every update exactly once: counts 1, 2, … 30 per key, none repeated or skipped across the hand-over.
    for (const k of KEYS) expect(byKey.get(k)).toEqual(range(30));
  }, 180_000);

  it('splits partitions between two servers; after one is killed with SIGKILL the survivor takes over and finishes with correct totals', async () => {
    const service = uniqueService();
    const input = uniqueTopic('payments');
    const sink = uniqueTopic('totals');
    await createTopic(input, 4);
    const a = await startSluice(service);
    const b = await startSluice(service);
    await ksql(a.url, `CREATE STREAM payments (k STRING KEY, v INT) WITH (kafka_topic='${input}', value_format='JSON');`);
    await ksql(a.url, `CREATE TABLE totals WITH (kafka_topic='${sink}') AS SELECT k, COUNT(*) AS n FROM payments GROUP BY k;`, {
      'auto.offset.reset': 'earliest',
      'cache.max.bytes.buffering': '0',
    });
    // Both servers run the query (b picked the statement up from the command topic), on disjoint partitions.
    const split = await splitBetweenTwo(a.url, 'CTAS_TOTALS_0');
    expect(Object.keys(split)).toHaveLength(2);

    const total = 2400;
    let killedAt = 0;
    for (let chunk = 0; chunk < 24; chunk++) {
      await produce(input, records(chunk * 100, 100));
      if (chunk === 10) {
        await b.kill('SIGKILL');
        killedAt = Date.now();
      }
      // Pacing, not a sync: the input keeps arriving while the kill happens and the survivor takes over.
      await new Promise((r) => setTimeout(r, 50));
    }
    // The survivor notices the silence, restores the dead server's partitions from their changelogs and goes on.
    await processesAll(a.url, 'CTAS_TOTALS_0');
    const failoverMs = Date.now() - killedAt;
    console.log(`fail-over: all partitions on the survivor ${failoverMs} ms after SIGKILL`);
    expect(failoverMs).toBeLessThan(30_000);

    const expected = expectedCounts(total);
    await waitForCounts(sink, expected, false);
    for (const k of KEYS) expect(await pull(a.url, `SELECT * FROM totals WHERE k = '${k}';`)).toEqual([[k, expected[k]]]);
    expect(a.output()).toMatch(/Restored partition/);
  }, 180_000);

  it('a server paused past the heartbeat window loses its partitions to the other, then gets them back; totals stay exact', async () => {
    const service = uniqueService();
    const input = uniqueTopic('visits');
    const sink = uniqueTopic('visit-counts');
    await createTopic(input, 4);
    const a = await startSluice(service);
    const b = await startSluice(service);
    await ksql(a.url, `CREATE STREAM visits (k STRING KEY, v INT) WITH (kafka_topic='${input}', value_format='JSON');`);
    await ksql(a.url, `CREATE TABLE visit_counts WITH (kafka_topic='${sink}') AS SELECT k, COUNT(*) AS n FROM visits GROUP BY k;`, {
      'auto.offset.reset': 'earliest',
      'cache.max.bytes.buffering': '0',
    });
    await splitBetweenTwo(a.url, 'CTAS_VISIT_COUNTS_0');
    await produce(input, records(0, 600));
    // b freezes for longer than the window (3 s): a takes b's partitions over meanwhile.
    b.child.kill('SIGSTOP');
    await produce(input, records(600, 600));
    await processesAll(a.url, 'CTAS_VISIT_COUNTS_0', 4, 30_000);
    await produce(input, records(1200, 600));
    b.child.kill('SIGCONT');
    // b comes back, and the partitions are split again (b restores its share from the changelogs).
    await splitBetweenTwo(a.url, 'CTAS_VISIT_COUNTS_0');
    await produce(input, records(1800, 600));
    // At least once: updates may repeat (a batch b had in hand when it froze), but the totals are exact.
    await waitForCounts(sink, expectedCounts(2400), false);
    for (const k of KEYS) expect(await pull(a.url, `SELECT * FROM visit_counts WHERE k = '${k}';`)).toEqual([[k, 200]]);
    for (const k of KEYS) expect(await pull(b.url, `SELECT * FROM visit_counts WHERE k = '${k}';`)).toEqual([[k, 200]]);
  }, 180_000);

  it('groups by a value column through a repartition topic while two servers split the partitions; exact totals after a SIGKILL', async () => {
    const service = uniqueService();
    const input = uniqueTopic('sales');
    const sink = uniqueTopic('by-region');
    await createTopic(input, 4);
    const a = await startSluice(service);
    const b = await startSluice(service);
    await ksql(a.url, `CREATE STREAM sales (k STRING KEY, v INT, region STRING) WITH (kafka_topic='${input}', value_format='JSON');`);
    await ksql(a.url, `CREATE TABLE by_region WITH (kafka_topic='${sink}') AS SELECT region, COUNT(*) AS n, SUM(v) AS total FROM sales GROUP BY region;`, {
      'auto.offset.reset': 'earliest',
      'cache.max.bytes.buffering': '0',
    });
    await splitBetweenTwo(a.url, 'CTAS_BY_REGION_0');
    const regions = ['north', 'south', 'east', 'west', 'centre'];
    const sale = (i: number) => ({ key: KEYS[i % KEYS.length]!, value: JSON.stringify({ v: i, region: regions[(i * 7) % regions.length] }) });
    const total = 2000;
    for (let chunk = 0; chunk < 20; chunk++) {
      await produce(
        input,
        Array.from({ length: 100 }, (_, i) => sale(chunk * 100 + i)),
      );
      if (chunk === 8) await b.kill('SIGKILL');
      // Pacing, not a sync: the input keeps arriving while the kill happens and the survivor takes over.
      await new Promise((r) => setTimeout(r, 50));
    }
    const expected: Record<string, number> = {};
    const sums: Record<string, number> = {};
    for (let i = 0; i < total; i++) {
      const r = regions[(i * 7) % regions.length]!;
      expected[r] = (expected[r] ?? 0) + 1;
      sums[r] = (sums[r] ?? 0) + i;
    }
    await waitForCounts(sink, expected, false);
    for (const r of regions) expect(await pull(a.url, `SELECT * FROM by_region WHERE region = '${r}';`)).toEqual([[r, expected[r], sums[r]]]);
    // The group key's records went through the service's repartition topic for this query.
    const topics = (await ksql(a.url, 'SHOW ALL TOPICS;'))[0].topics as { name: string }[];
    expect(topics.map((t) => t.name)).toContain(`_sluice_${service}_query_CTAS_BY_REGION_0-Aggregate-GroupBy-repartition`);
  }, 180_000);

  it('forwards a pull query to the server that owns the key, and gathers a scan from every server', async () => {
    const service = uniqueService();
    const input = uniqueTopic('orders');
    const sink = uniqueTopic('per-key');
    await createTopic(input, 4);
    const a = await startSluice(service);
    const b = await startSluice(service);
    await ksql(a.url, `CREATE STREAM orders (k STRING KEY, v INT) WITH (kafka_topic='${input}', value_format='JSON');`);
    await ksql(a.url, `CREATE TABLE per_key WITH (kafka_topic='${sink}') AS SELECT k, COUNT(*) AS n FROM orders GROUP BY k;`, {
      'auto.offset.reset': 'earliest',
      'cache.max.bytes.buffering': '0',
    });
    const parts = await splitBetweenTwo(a.url, 'CTAS_PER_KEY_0');
    await produce(input, records(0, 120));
    const expected = expectedCounts(120);
    await waitForCounts(sink, expected, false);

    // Which server owns each key: the one processing the partition the producer put it on.
    const partitionOf = new Map((await readToEnd(input)).map((m) => [m.key!, m.partition]));
    const owner = (k: string) => Object.entries(parts).find(([, ps]) => ps.includes(partitionOf.get(k)!))![0];
    const bHost = new URL(b.url).host;
    const onB = KEYS.find((k) => owner(k) === bHost)!;
    const onA = KEYS.find((k) => owner(k) !== bHost)!;
    expect(onA).toBeDefined();
    expect(onB).toBeDefined();

    // Both servers answer every key, and a scan of the whole table, each row once.
    const all = KEYS.map((k) => [k, expected[k]]).sort();
    for (const url of [a.url, b.url]) {
      for (const k of [onA, onB]) expect(await pull(url, `SELECT * FROM per_key WHERE k = '${k}';`)).toEqual([[k, expected[k]]]);
      expect((await pull(url, `SELECT * FROM per_key;`)).sort()).toEqual(all);
    }

    // With b frozen, a answers its own key at once but b's key only once b runs again: it was asked of b.
    b.child.kill('SIGSTOP');
    try {
      let answered = 0;
      const fromB = pull(a.url, `SELECT * FROM per_key WHERE k = '${onB}';`).then((rows) => {
        answered++;
        return rows;
      });
      // A scan needs b's partitions too.
      const scan = pull(a.url, `SELECT * FROM per_key;`).then((rows) => {
        answered++;
        return rows;
      });
      expect(await pull(a.url, `SELECT * FROM per_key WHERE k = '${onA}';`)).toEqual([[onA, expected[onA]]]);
      // Not a sync: the behaviour under test is that nothing answers while b is frozen, and time has to pass to show it.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(answered).toBe(0);
      b.child.kill('SIGCONT');
      expect(await fromB).toEqual([[onB, expected[onB]]]);
      expect((await scan).sort()).toEqual(all);
    } finally {
      b.child.kill('SIGCONT');
    }
  }, 180_000);

  it('exactly_once_v2: after a kill mid-transaction every record is in the output once and every count update appears once', async () => {
    const service = uniqueService();
    const input = uniqueTopic('auths');
    const copy = uniqueTopic('auths-copy');
    const counts = uniqueTopic('auth-counts');
    await createTopic(input, 4);
    const config = { 'processing.guarantee': 'exactly_once_v2' };
    // The input is there before the queries start: the server works through it in large transactions.
    const total = 40_000;
    for (let chunk = 0; chunk < total / 5000; chunk++) await produce(input, records(chunk * 5000, 5000));
    const a = await startSluice(service, { config });
    await ksql(a.url, `CREATE STREAM auths (k STRING KEY, v INT) WITH (kafka_topic='${input}', value_format='JSON');`);
    await ksql(a.url, `CREATE STREAM auths_copy WITH (kafka_topic='${copy}') AS SELECT k, v FROM auths;`, {
      'auto.offset.reset': 'earliest',
      'cache.max.bytes.buffering': '0',
    });
    await ksql(a.url, `CREATE TABLE auth_counts WITH (kafka_topic='${counts}') AS SELECT k, COUNT(*) AS n FROM auths GROUP BY k;`, {
      'auto.offset.reset': 'earliest',
      'cache.max.bytes.buffering': '0',
    });

    // Freeze the server while it works; kill it once it is frozen inside a transaction: its
    // topic then holds records a read_uncommitted consumer sees and a read_committed one does not.
    let killed = false;
    for (let attempt = 0; attempt < 20 && !killed; attempt++) {
      // Not a sync: a varying moment to freeze the server at, so some attempt lands inside a transaction.
      await new Promise((r) => setTimeout(r, 20 + attempt * 5));
      a.child.kill('SIGSTOP');
      const seen = (await readUntilIdle(copy, true)).length;
      const committed = (await readToEnd(copy)).length;
      if (seen > committed) {
        await a.kill('SIGKILL');
        killed = true;
      } else {
        a.child.kill('SIGCONT');
        if (committed >= total) break;
      }
    }
    expect(killed).toBe(true);
    // The restarted server fences the killed one's producers (aborting their open transactions) and resumes.
    await startSluice(service, { dataDir: a.dataDir, config });
    const out = await eventually(
      `${total} records in ${copy}`,
      async () => {
        const msgs = await readToEnd(copy);
        return msgs.length >= total ? msgs : undefined;
      },
      { timeoutMs: 90_000, everyMs: 500 },
    );
    const ids = out.map((m) => JSON.parse(m.value!).V as number);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);

    const expected = expectedCounts(total);
    const byKey = await waitForCounts(counts, expected, false);
    for (const k of KEYS) expect(byKey.get(k)).toEqual(range(expected[k]!));
    // The transaction open at the kill was usually aborted (its records stay in the topic, invisible to
    // read_committed); when the freeze caught it after its commit request had left, the coordinator
    // finished that commit instead (seen once under load). Either way the output above is exact.
    const uncommitted = await readUntilIdle(copy, true);
    console.log(
      `exactly-once: ${uncommitted.length - total} aborted records in ${copy} (read_uncommitted ${uncommitted.length}, read_committed ${out.length})`,
    );
    expect(uncommitted.length).toBeGreaterThanOrEqual(total);
  }, 240_000);
});
