import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.js';
import { DIST, describeIf, itIf } from './helpers/describe-if.js';
import { HAVE_OPENSSL, OPENSSL, selfSignedCert } from './helpers/tls.js';

/**
 * Issue 13, reproducers 8-11, against the real `sluice server` process: an
 * auth file that grants nobody, cross-site requests (content types, Host,
 * Origin), the embedded Schema Registry under TLS, and secrets on disk and in
 * responses.
 */
const BIN = join(__dirname, '..', 'bin', 'sluice.js');
const BUILT = existsSync(join(__dirname, '..', 'dist', 'sluice.mjs'));

interface Spawned {
  readonly child: ChildProcess;
  readonly url: string;
  /** The embedded Schema Registry's URL, as the server printed it. */
  readonly registryUrl: string | undefined;
  stdout(): string;
  stderr(): string;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sluice-sec-'));
  dirs.push(d);
  return d;
}

/** Starts `sluice server` on free ports; resolves once it (and its registry, when asked) listens. */
function startServer(args: readonly string[], opts: { registry?: boolean } = {}): Promise<Spawned> {
  const child = spawn(
    process.execPath,
    [BIN, 'server', '--port', '0', ...(opts.registry ? ['--schema-registry-port', '0'] : ['--no-schema-registry']), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Sluice server listening on (\S+)/.exec(out);
      const r = /Schema Registry listening on (\S+)/.exec(out);
      if (m && (!opts.registry || r)) resolve({ child, url: m[1]!, registryUrl: r?.[1], stdout: () => out, stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`sluice server exited ${code}: ${err}`)));
  });
}

/** What a process that should refuse to start does: its exit code and stderr. */
function exitOf(args: readonly string[]): Promise<{ code: number | null; stderr: string; listening: boolean }> {
  const child = spawn(process.execPath, [BIN, 'server', '--port', '0', '--no-schema-registry', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      // Started serving: that is the failure being reproduced; report it and stop the server.
      if (/listening on/.test(out)) {
        resolve({ code: null, stderr: err, listening: true });
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code) => resolve({ code, stderr: err, listening: false }));
  });
}

/** A raw HTTP/1.1 request, so `Host` can be anything. */
function request(
  url: string,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: any }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    // A connection of its own (no keep-alive pool): a pooled socket reset by a server the test
    // killed would surface as an unhandled ECONNRESET in a later test.
    const req = http.request(
      { host: u.hostname, port: u.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {}, agent: false },
      (res) => {
        res.on('error', reject);
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function ksql(url: string, sql: string, streamsProperties: Record<string, string> = {}): Promise<any> {
  const r = await request(url, {
    method: 'POST',
    path: '/ksql',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: sql, streamsProperties }),
  });
  if (r.status !== 200) throw new Error(`/ksql ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

const STREAM = "CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', partitions=1, value_format='JSON');";

describeIf(BUILT, DIST)('security defaults (real server process)', () => {
  it('8: refuses to start with an auth file that grants nobody, naming the file', async () => {
    const dir = tempDir();
    const file = join(dir, 'users');
    writeFileSync(file, '# nobody yet\n\n   # still nobody\n');
    const r = await exitOf(['--data-dir', join(dir, 'data'), '--auth-file', file]);
    expect(r.listening).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`sluice server: auth file ${file} grants no users: add user:password lines, or drop --auth-file to run without authentication`);
  }, 15_000);

  it('9: refuses non-JSON bodies on state-changing endpoints with 415 in ksqlDB shape', async () => {
    const dir = tempDir();
    const { url } = await startServer(['--data-dir', join(dir, 'data')]);
    const message = (type: string) => `Unsupported Content-Type ${type}: send the request body as application/json or application/vnd.ksql.v1+json.`;
    const plain = await request(url, {
      method: 'POST',
      path: '/ksql',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ ksql: STREAM }),
    });
    expect(plain.status).toBe(415);
    expect(plain.body).toEqual({ '@type': 'generic_error', error_code: 41500, message: message('text/plain;charset=UTF-8') });
    const form = await request(url, { method: 'POST', path: '/ksql/terminate', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '{}' });
    expect(form.status).toBe(415);
    expect(form.body).toEqual({ '@type': 'generic_error', error_code: 41500, message: message('application/x-www-form-urlencoded') });
    // A browser's fetch without a body type still carries an Origin.
    const untyped = await request(url, { method: 'POST', path: '/ksql/terminate', headers: { origin: url } });
    expect(untyped.status).toBe(415);
    expect(untyped.body).toEqual({ '@type': 'generic_error', error_code: 41500, message: message('(none)') });
    // Nothing ran: no stream, the cluster is not terminated.
    expect((await ksql(url, 'SHOW STREAMS;'))[0].streams.map((x: { name: string }) => x.name)).toEqual(['KSQL_PROCESSING_LOG']);
    // What clients send keeps working: JSON, ksqlDB's versioned type, and the delimited type of ksqlDB's JS client.
    expect((await ksql(url, STREAM))[0].commandStatus.status).toBe('SUCCESS');
    const versioned = await request(url, {
      method: 'POST',
      path: '/ksql',
      headers: { 'content-type': 'application/vnd.ksql.v1+json; charset=utf-8' },
      body: JSON.stringify({ ksql: 'SHOW STREAMS;' }),
    });
    expect(versioned.status).toBe(200);
    const delimited = await request(url, {
      method: 'POST',
      path: '/ksql',
      headers: { 'content-type': 'application/vnd.ksqlapi.delimited.v1' },
      body: JSON.stringify({ ksql: 'SHOW STREAMS;' }),
    });
    expect(delimited.status).toBe(200);
  }, 15_000);

  it('9: refuses a foreign Host or Origin (DNS rebinding, cross-site) with 403; allows loopback names', async () => {
    const dir = tempDir();
    const { url } = await startServer(['--data-dir', join(dir, 'data')]);
    const port = new URL(url).port;
    const rebound = await request(url, { path: '/info', headers: { host: `attacker.example:${port}` } });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toEqual({
      '@type': 'generic_error',
      error_code: 40300,
      message: `Host 'attacker.example:${port}' is not allowed: the server answers only to its own names. Add it to --allowed-hosts (sluice.server.allowed.hosts) to serve it.`,
    });
    const terminate = await request(url, {
      method: 'POST',
      path: '/ksql/terminate',
      headers: { host: 'attacker.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(terminate.status).toBe(403);
    const crossSite = await request(url, {
      method: 'POST',
      path: '/ksql',
      headers: { origin: 'http://attacker.example', 'content-type': 'application/json' },
      body: JSON.stringify({ ksql: STREAM }),
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body).toEqual({
      '@type': 'generic_error',
      error_code: 40300,
      message:
        "Origin 'http://attacker.example' is not allowed: cross-site requests are refused. Add its host to --allowed-hosts (sluice.server.allowed.hosts) to serve it.",
    });
    expect((await request(url, { path: '/info', headers: { origin: 'null' } })).status).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await request(url, { path: '/info', headers: { host } })).status, host).toBe(200);
    }
    expect((await request(url, { path: '/info', headers: { origin: `http://localhost:${port}` } })).status).toBe(200);
    // HTTP/2: the :authority pseudo-header is checked the same way.
    const session = http2.connect(url);
    // The server is killed after the test: a session still closing must not raise an uncaught ECONNRESET.
    session.on('error', () => undefined);
    try {
      const status = (authority: string) =>
        new Promise<number>((resolve, reject) => {
          const s = session.request({ ':path': '/info', ':authority': authority });
          s.on('response', (h) => resolve(Number(h[':status'])));
          s.on('error', reject);
          s.resume();
          s.end();
        });
      expect(await status(`attacker.example:${port}`)).toBe(403);
      expect(await status(`localhost:${port}`)).toBe(200);
    } finally {
      await new Promise<void>((resolve) => session.close(() => resolve()));
    }
  }, 15_000);

  it('9: --allowed-hosts adds names (exact and .domain suffixes) the server answers to', async () => {
    const dir = tempDir();
    const { url } = await startServer(['--data-dir', join(dir, 'data'), '--allowed-hosts', 'sluice.example,.corp.example']);
    const port = new URL(url).port;
    for (const host of ['sluice.example', `db.corp.example:${port}`, `localhost:${port}`]) {
      expect((await request(url, { path: '/info', headers: { host } })).status, host).toBe(200);
    }
    expect((await request(url, { path: '/info', headers: { origin: 'https://sluice.example' } })).status).toBe(200);
    expect((await request(url, { path: '/info', headers: { host: 'corp.example.attacker.example' } })).status).toBe(403);
  }, 15_000);

  it('9: bound to every interface, IP literals and the machine name are allowed in Host, other names are not', async () => {
    const dir = tempDir();
    const { url } = await startServer(['--data-dir', join(dir, 'data'), '--host', '0.0.0.0']);
    const port = new URL(url).port;
    const at = `http://127.0.0.1:${port}`;
    for (const host of [`10.1.2.3:${port}`, `[fe80::1]:${port}`, hostname()]) {
      expect((await request(at, { path: '/info', headers: { host } })).status, host).toBe(200);
    }
    expect((await request(at, { path: '/info', headers: { host: `attacker.example:${port}` } })).status).toBe(403);
    // A page served from some IP is another site: IP literals are not allowed as Origin.
    expect((await request(at, { path: '/info', headers: { origin: 'http://10.1.2.3' } })).status).toBe(403);
    expect((await request(at, { path: '/info', headers: { origin: `http://localhost:${port}` } })).status).toBe(200);
  }, 15_000);

  itIf(HAVE_OPENSSL, OPENSSL)(
    '10: serves the embedded Schema Registry over TLS with the server certificate and credentials',
    async () => {
      const dir = tempDir();
      const files = selfSignedCert(dir);
      writeFileSync(join(dir, 'users'), 'alice:wonder\n');
      const cert = readFileSync(files.cert);
      const { registryUrl } = await startServer(
        ['--data-dir', join(dir, 'data'), '--tls-cert', files.cert, '--tls-key', files.key, '--auth-file', join(dir, 'users')],
        { registry: true },
      );
      expect(registryUrl).toMatch(/^https:\/\//);
      const get = (auth?: string) =>
        new Promise<number>((resolve, reject) => {
          https
            .get(
              `${registryUrl}/subjects`,
              { ca: cert, checkServerIdentity: () => undefined, headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {} },
              (res) => {
                res.resume();
                resolve(res.statusCode ?? 0);
              },
            )
            .on('error', reject);
        });
      expect(await get('alice:wonder')).toBe(200);
      expect(await get()).toBe(401);
      // Credentials are never accepted in clear: plain HTTP to the registry port gets no answer.
      const u = new URL(registryUrl!);
      const plain = await new Promise<string>((resolve) => {
        const req = http.get(
          { host: u.hostname, port: u.port, path: '/subjects', headers: { authorization: `Basic ${Buffer.from('alice:wonder').toString('base64')}` } },
          (res) => {
            res.resume();
            resolve(`status ${res.statusCode}`);
          },
        );
        req.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      });
      expect(plain).not.toBe('status 200');
    },
    20_000,
  );

  it('11: keeps secrets out of commands.jsonl and SHOW PROPERTIES; data files 0600, directories 0700; replay still works', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const secrets = {
      'ssl.keystore.password': 'hunter2-keystore',
      'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="hunter2-jaas";',
      'auto.offset.reset': 'earliest',
    };
    let server = await startServer(['--data-dir', dataDir]);
    await ksql(server.url, STREAM, secrets);
    await ksql(server.url, 'CREATE STREAM t AS SELECT * FROM s;', secrets);
    const shown = (await ksql(server.url, 'SHOW PROPERTIES;', secrets))[0].properties as { name: string; value: string }[];
    expect(shown.find((p) => p.name === 'ssl.keystore.password')?.value).toBe('[hidden]');
    expect(shown.find((p) => p.name === 'sasl.jaas.config')?.value).toBe('[hidden]');
    expect(shown.find((p) => p.name === 'ksql.streams.auto.offset.reset')?.value).toBe('earliest');

    const log = readFileSync(join(dataDir, 'commands.jsonl'), 'utf8');
    expect(log).toContain('CREATE STREAM t AS SELECT');
    expect(log).toContain('"auto.offset.reset":"earliest"');
    expect(log).not.toContain('hunter2');
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'commands.jsonl')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'log')).mode & 0o777).toBe(0o700);
    expect(server.stdout() + server.stderr()).not.toContain('hunter2');

    // The query replays from the command log after a restart.
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    server = await startServer(['--data-dir', dataDir]);
    const url = server.url;
    const queries = await eventually('the restored persistent query to be RUNNING', async () => {
      const q = (await ksql(url, 'SHOW QUERIES;'))[0].queries as { queryString: string; state: string }[];
      return q.length === 1 && q[0]!.state === 'RUNNING' ? q : undefined;
    });
    expect(queries[0]!.queryString).toContain('CREATE STREAM t AS SELECT');
  }, 20_000);
});
