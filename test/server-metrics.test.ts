import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuthFile } from '../src/server/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { ksql, startTestServer } from './server-helpers.js';

/** One sample of Prometheus text: metric name, labels, value. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * Parses the Prometheus text exposition format (version 0.0.4): `# HELP` /
 * `# TYPE` comments, then `name{label="value",…} number` lines. Fails on a line
 * that is neither, so a malformed exposition fails the test. NaN in any case,
 * as Prometheus reads it (prom-client writes `Nan`).
 */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|[Nn][Aa][Nn]|\+Inf|-Inf)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

/** The value of the one sample named `name` whose labels include `labels` (undefined when none). */
function value(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

async function scrape(url: string): Promise<{ samples: Sample[]; types: Map<string, string>; contentType: string | null }> {
  const r = await fetch(`${url}/metrics`);
  expect(r.status).toBe(200);
  return { ...parsePrometheus(await r.text()), contentType: r.headers.get('content-type') };
}

describeIf(BUNDLE_BUILT, 'dist/sluice.mjs is built')('/metrics of a real server process', () => {
  let s: ServerProcess;
  beforeAll(async () => {
    s = await startServerProcess();
  }, 90_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('counts a persistent query’s records in and out, its lag returns to 0, and HTTP requests by route', async () => {
    const N = 40;
    await ksql(
      s.url,
      "CREATE STREAM SRC (ID INT KEY, A INT) WITH (kafka_topic='src', partitions=2, value_format='json'); CREATE STREAM EVENS AS SELECT * FROM SRC WHERE A % 2 = 0;",
    );
    const inserts = Array.from({ length: N }, (_, i) => `INSERT INTO SRC (ID, A) VALUES (${i}, ${i});`).join(' ');
    await ksql(s.url, inserts);
    const [query] = (await ksql(s.url, 'SHOW QUERIES;'))[0].queries as { id: string }[];
    const id = query!.id;
    const after = await eventually(`query ${id} to have read ${N} records`, async () => {
      const m = await scrape(s.url);
      const lags = m.samples.filter((x) => x.name === 'sluice_query_lag' && x.labels.query_id === id);
      return value(m.samples, 'sluice_query_records_in_total', { query_id: id }) === N && lags.length === 2 && lags.every((l) => l.value === 0) && m;
    });
    expect(after.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(after.types.get('sluice_query_records_in_total')).toBe('counter');
    expect(after.types.get('sluice_query_lag')).toBe('gauge');
    expect(value(after.samples, 'sluice_query_records_out_total', { query_id: id })).toBe(N / 2);
    expect(value(after.samples, 'sluice_records_in_total')).toBe(N);
    expect(value(after.samples, 'sluice_records_out_total')).toBe(N / 2);
    expect(value(after.samples, 'sluice_query_processing_errors_total', { query_id: id })).toBe(0);
    expect(value(after.samples, 'sluice_persistent_queries', { state: 'RUNNING' })).toBe(1);
    expect(
      after.samples
        .filter((x) => x.name === 'sluice_query_lag' && x.labels.query_id === id)
        .map((x) => x.labels)
        .sort((a, b) => a.partition!.localeCompare(b.partition!)),
    ).toEqual([
      { query_id: id, topic: 'src', partition: '0' },
      { query_id: id, topic: 'src', partition: '1' },
    ]);
    expect(value(after.samples, 'sluice_statements_total', { statement: 'InsertValues', result: 'success' })).toBe(N);

    // The /ksql counter goes up by exactly the requests made.
    const ksqlRequests = (m: { samples: Sample[] }) => value(m.samples, 'sluice_http_requests_total', { method: 'POST', route: '/ksql', status: '200' }) ?? 0;
    const before = ksqlRequests(after);
    expect(before).toBeGreaterThanOrEqual(3);
    await ksql(s.url, 'SHOW STREAMS;');
    await ksql(s.url, 'SHOW TABLES;');
    await eventually('two more /ksql requests counted', async () => ksqlRequests(await scrape(s.url)) === before + 2);
  });

  it('counts a query’s processing-log errors: a value its format cannot read', async () => {
    await ksql(
      s.url,
      "CREATE STREAM JIN (ID INT KEY, A INT) WITH (kafka_topic='jin', partitions=1, value_format='json'); CREATE STREAM JOUT AS SELECT * FROM JIN; CREATE STREAM RAWIN (ID INT KEY, A STRING) WITH (kafka_topic='jin', value_format='delimited');",
    );
    await ksql(s.url, "INSERT INTO RAWIN (ID, A) VALUES (1, 'not json'); INSERT INTO JIN (ID, A) VALUES (2, 2);");
    const id = ((await ksql(s.url, 'SHOW QUERIES;'))[0].queries as { id: string; sinkKafkaTopics: string[] }[]).find((q) => q.id.includes('JOUT'))!.id;
    const m = await eventually(`query ${id} to have read both records`, async () => {
      const x = await scrape(s.url);
      return value(x.samples, 'sluice_query_records_in_total', { query_id: id }) === 2 && x;
    });
    expect(value(m.samples, 'sluice_query_processing_errors_total', { query_id: id })).toBe(1);
    expect(value(m.samples, 'sluice_query_records_out_total', { query_id: id })).toBe(1);
  });

  it('counts push and pull queries and times them', async () => {
    await ksql(
      s.url,
      "CREATE TABLE T1 (ID INT PRIMARY KEY, A INT) WITH (kafka_topic='t1', partitions=1, value_format='json'); CREATE TABLE T1V AS SELECT * FROM T1;",
    );
    await ksql(s.url, 'INSERT INTO T1 (ID, A) VALUES (1, 1);');
    const pull = async () => {
      const r = await fetch(`${s.url}/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ksql: 'SELECT * FROM T1V;' }),
      });
      return r.text();
    };
    await eventually('the pull query to see the row', async () => (await pull()).includes('"columns":[1,1]'));
    const push = await fetch(`${s.url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ksql: 'SELECT * FROM T1 EMIT CHANGES LIMIT 1;', streamsProperties: { 'auto.offset.reset': 'earliest' } }),
    });
    expect(await push.text()).toContain('Limit Reached');
    const m = await eventually('the push query counted', async () => {
      const x = await scrape(s.url);
      return (value(x.samples, 'sluice_transient_queries_total', { type: 'push' }) ?? 0) >= 1 && x;
    });
    const pulls = value(m.samples, 'sluice_transient_queries_total', { type: 'pull' })!;
    expect(pulls).toBeGreaterThanOrEqual(1);
    expect(value(m.samples, 'sluice_transient_query_duration_seconds_count', { type: 'pull' })).toBe(pulls);
    expect(m.types.get('sluice_transient_query_duration_seconds')).toBe('histogram');
  });

  it('has the process metrics: event-loop lag, RSS and heap', async () => {
    const m = await scrape(s.url);
    expect(m.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(value(m.samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(value(m.samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });
});

describe('/metrics with authentication on', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-metrics-auth-'));
    writeFileSync(join(dir, 'users'), 'prometheus:scrape-me\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused without credentials (401, 40100) and served with them', async () => {
    const { server, url } = await startTestServer({ users: readAuthFile(join(dir, 'users')) });
    try {
      const refused = await fetch(`${url}/metrics`);
      expect(refused.status).toBe(401);
      const body = (await refused.json()) as { error_code: number; message: string };
      expect(body.error_code).toBe(40100);
      expect(body.message).toBe('Unauthorized');
      const ok = await fetch(`${url}/metrics`, { headers: { authorization: `Basic ${Buffer.from('prometheus:scrape-me').toString('base64')}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('# TYPE sluice_http_requests_total counter');
    } finally {
      await server.close();
    }
  });
});
