import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, jsonLogLines, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { DIST, describeIf } from './helpers/describe-if.js';

/**
 * Issue 13, reproducers 2 and 12, against the real `sluice server` process:
 * no single statement or request can freeze the server or take unbounded
 * memory, and every error it answers has ksqlDB's shape.
 */
const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function start(properties: Record<string, string> = {}, opts: { schemaRegistry?: boolean } = {}): Promise<ServerProcess> {
  const s = await startServerProcess(properties, opts);
  servers.push(s);
  return s;
}

/** POSTs `{ksql}` to /ksql; a request that does not answer within 30 s fails the test (a hang). */
async function ksql(url: string, sql: string): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: sql }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

const create = (name: string, partitions: string) =>
  `CREATE STREAM ${name} (ID INT KEY, A INT) WITH (kafka_topic='${name.toLowerCase()}', value_format='JSON', partitions=${partitions});`;
const numbers = (n: number, sep: string) => Array.from({ length: n }, (_, i) => i).join(sep);

describeIf(BUNDLE_BUILT, DIST)('statement limits (issue 13 reproducer 2, real server)', () => {
  it('refuses more partitions than the embedded log allows, promptly, and stays up', async () => {
    const s = await start();
    const r = await ksql(s.url, create('X', '100000000'));
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe(40001);
    expect(r.body.message).toBe(
      "Cannot create topic 'x' with 100000000 partitions: the embedded log allows at most 1000 (server property sluice.embedded.max.partitions).",
    );
    expect(fs.existsSync(path.join(s.dataDir, 'log', 'topics', 'x'))).toBe(false);
    expect((await fetch(`${s.url}/info`)).status).toBe(200);
  });

  it('takes the partition bound from sluice.embedded.max.partitions', async () => {
    const s = await start({ 'sluice.embedded.max.partitions': '4' });
    expect((await ksql(s.url, create('OK4', '4'))).status).toBe(200);
    const r = await ksql(s.url, create('NO5', '5'));
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      "Cannot create topic 'no5' with 5 partitions: the embedded log allows at most 4 (server property sluice.embedded.max.partitions).",
    );
  });

  it('answers partitions=0 and -1 with 40001 at the property, not 500', async () => {
    const s = await start();
    for (const n of ['0', '-1']) {
      const r = await ksql(s.url, create('X', n));
      expect(r.status).toBe(400);
      expect(r.body['@type']).toBe('statement_error');
      expect(r.body.error_code).toBe(40001);
      expect(r.body.message).toMatch(/^line 1:81: Number of partitions must be larger than 0\.\n/);
    }
  });

  it('refuses a 700 KB expression and a 2000-term expression with 40001, not 500', async () => {
    const s = await start();
    await ksql(s.url, create('S', '1'));
    const huge = await ksql(s.url, `CREATE STREAM T1 AS SELECT ID, ${numbers(130_000, '+')} AS V FROM S;`);
    expect(huge.status).toBe(400);
    expect(huge.body.error_code).toBe(40001);
    expect(huge.body.message).toMatch(/^line 1:1: Statement is too large: \d+ characters, the limit is 262144\./);
    const terms = await ksql(s.url, `CREATE STREAM T2 AS SELECT ID, ${numbers(2000, '+')} AS V FROM S;`);
    expect(terms.status).toBe(400);
    expect(terms.body.error_code).toBe(40001);
    expect(terms.body.message).toMatch(/^line 1:\d+: Expression is nested too deeply: more than 1000 levels\./);
    // The caret snippet shows a window of the line, never the whole statement.
    expect(terms.body.message.length).toBeLessThan(600);
  });

  it('refuses an IN list of more than 2500 values, and 50,000 values promptly', async () => {
    const s = await start();
    await ksql(s.url, create('S', '1'));
    const r = await ksql(s.url, `CREATE STREAM T AS SELECT * FROM S WHERE A IN (${numbers(3000, ',')});`);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^line 1:\d+: IN list is too long: 3000 values, the limit is 2500\./);
    const big = await ksql(s.url, `CREATE STREAM T AS SELECT * FROM S WHERE A IN (${numbers(50_000, ',')});`);
    expect(big.status).toBe(400);
    expect(big.body.message).toMatch(/^line 1:1: Statement is too large: \d+ characters, the limit is 262144\./);
  });

  it('refuses an identifier of more than 255 characters', async () => {
    const s = await start();
    const r = await ksql(s.url, create('N'.repeat(100_000), '1'));
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^line 1:15: Identifier is too long: 100000 characters, the limit is 255\./);
    expect((await ksql(s.url, create('N'.repeat(255), '1'))).status).toBe(200);
  });

  it('refuses more than 1000 statements in one request before running any', async () => {
    const s = await start();
    const r = await ksql(s.url, `${create('S', '1')}${'SHOW STREAMS;'.repeat(2000)}`);
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe(40001);
    expect(r.body.message).toMatch(
      /^line 1:\d+: Too many statements in one request: 2001, the limit is 1000 \(server property sluice\.server\.max\.statements\.per\.request\)\. Nothing was executed\./,
    );
    const listed = await ksql(s.url, 'SHOW STREAMS;');
    expect(listed.body[0].streams.map((x: { name: string }) => x.name)).not.toContain('S');
  });

  it('bounds the size of a /ksql response (sluice.server.response.limit.bytes)', async () => {
    const s = await start({ 'sluice.server.response.limit.bytes': '4000' });
    const r = await ksql(s.url, 'SHOW STREAMS;'.repeat(100));
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe(40001);
    expect(r.body.message).toMatch(
      /^The response would exceed 4000 bytes \(server property sluice\.server\.response\.limit\.bytes\); send fewer statements per request\. The \d+ statement\(s\) before this one were executed\.$/,
    );
    expect(r.text.length).toBeLessThan(4000);
  });

  it('keeps /info and /healthcheck answering while the largest allowed statement runs', async () => {
    const s = await start();
    await ksql(s.url, create('S', '1'));
    const big = ksql(s.url, `CREATE STREAM T AS SELECT * FROM S WHERE A IN (${numbers(2450, ',')}) OR A IN (${numbers(2450, ',')});`);
    const [info, health] = await Promise.all([
      fetch(`${s.url}/info`, { signal: AbortSignal.timeout(30_000) }),
      fetch(`${s.url}/healthcheck`, { signal: AbortSignal.timeout(30_000) }),
    ]);
    expect(info.status).toBe(200);
    expect(health.status).toBe(200);
    const done = await big;
    expect(done.status, done.text.slice(0, 300)).toBe(200);
  });
});

/** Sends raw bytes and reads the whole answer (the server closes the connection). */
function rawRequest(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    let out = '';
    socket.on('data', (c: Buffer) => (out += c.toString()));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(30_000, () => reject(new Error('no answer in 30 s')));
  });
}

describeIf(BUNDLE_BUILT, DIST)('error shapes and the server log (issue 13 reproducer 12, real server)', () => {
  it('answers a bad URL, an over-long path parameter and an unknown method in ksqlDB shape', async () => {
    const s = await start();
    const bad = await fetch(`${s.url}/%zz`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ '@type': 'generic_error', error_code: 40000, message: 'Invalid request URL: /%zz' });
    const long = await fetch(`${s.url}/status/${'a'.repeat(200)}/b/c`);
    expect(long.status).toBe(414);
    const longBody = (await long.json()) as { '@type': string; error_code: number; message: string };
    expect(longBody['@type']).toBe('generic_error');
    expect(longBody.error_code).toBe(41400);
    expect(longBody.message).toMatch(/^A path parameter of \/status\/a+\.\.\. is too long\.$/);
    const put = await fetch(`${s.url}/info`, { method: 'PUT' });
    expect(put.status).toBe(404);
    expect(await put.json()).toEqual({ '@type': 'generic_error', error_code: 40400, message: 'No endpoint PUT /info' });
  });

  it('answers headers that are too large with 431 and a ksqlDB body', async () => {
    const s = await start();
    const answer = await rawRequest(s.url, `GET /info HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(body).toEqual({ '@type': 'generic_error', error_code: 43100, message: 'The request headers are larger than the server accepts.' });
  });

  it('writes an internal error to the server log with its stack', async () => {
    const s = await start();
    // Make the embedded log unable to create topics: its topics directory becomes a file.
    const topics = path.join(s.dataDir, 'log', 'topics');
    fs.renameSync(topics, `${topics}.moved`);
    fs.writeFileSync(topics, 'not a directory');
    const r = await ksql(s.url, create('BROKEN', '1'));
    expect(r.status).toBe(500);
    expect(r.body['@type']).toBe('statement_error');
    expect(r.body.error_code).toBe(50000);
    // The disk's failure, said as the server's: which topic, where, and the system's reason.
    expect(r.body.message).toMatch(/^Could not create topic 'broken' in \S+: ENOTDIR: not a directory/);
    const line = await eventually('the server error logged', () => jsonLogLines(s.stdout()).find((l) => l.msg === 'server error'));
    expect(String(line.statement)).toMatch(/^CREATE STREAM BROKEN \(ID INT KEY, A INT\) WITH \(kafka_topic='broken'/);
    expect(String(line.stack)).toMatch(/^ExecutionError: Could not create topic 'broken' in \S+: ENOTDIR: not a directory[^\n]*\n\s+at /);
  });

  it('answers a JSON schema nested 5000 deep with 422 from the embedded registry, not a 500', async () => {
    const s = await start({}, { schemaRegistry: true });
    const n = 5000;
    const schema = `{"type":"object","properties":{"A":${'{"type":"object","properties":{"F":'.repeat(n)}{"type":"integer"}${'}}'.repeat(n)}}}`;
    const r = await fetch(`${s.registryUrl}/subjects/deep-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schemaType: 'JSON', schema }),
      signal: AbortSignal.timeout(30_000),
    });
    expect(r.status).toBe(422);
    expect(await r.json()).toEqual({ error_code: 42201, message: 'Invalid schema: the schema is nested too deeply to process' });
  });
});
