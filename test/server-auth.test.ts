import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuthFile, type RunningServer } from '../src/server/index.js';
import { describeIf } from './helpers/describe-if.js';
import { HAVE_OPENSSL, OPENSSL, selfSignedCert } from './helpers/tls.js';
import { startTestServer } from './server-helpers.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('HTTP Basic authentication', () => {
  let server: RunningServer;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-auth-'));
    writeFileSync(join(dir, 'users'), '# users\nalice:s3cret:with:colons\n\nbob:hunter2\n');
    ({ server, url } = await startTestServer({ users: readAuthFile(join(dir, 'users')) }));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads user:password lines', () => {
    expect([...readAuthFile(join(dir, 'users'))]).toEqual([
      ['alice', 's3cret:with:colons'],
      ['bob', 'hunter2'],
    ]);
  });

  it('refuses requests without or with wrong credentials: 401 / 40100 and a challenge', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: basic('alice', 'wrong') },
      { authorization: basic('mallory', 'x') },
      { authorization: 'Bearer abc' },
    ]) {
      const r = await fetch(`${url}/info`, { headers });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
      expect(await r.json()).toMatchObject({ '@type': 'generic_error', error_code: 40100 });
    }
    const post = await fetch(`${url}/ksql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ksql: 'SHOW STREAMS;' }),
    });
    expect(post.status).toBe(401);
  });

  it('accepts valid credentials', async () => {
    const r = await fetch(`${url}/info`, { headers: { authorization: basic('alice', 's3cret:with:colons') } });
    expect(r.status).toBe(200);
    const k = await fetch(`${url}/ksql`, {
      method: 'POST',
      headers: { authorization: basic('bob', 'hunter2'), 'content-type': 'application/json' },
      body: JSON.stringify({ ksql: 'SHOW STREAMS;' }),
    });
    expect(k.status).toBe(200);
  });

  it('applies over HTTP/2 too', async () => {
    const session = http2.connect(url);
    session.on('error', () => undefined); // a server stopped or killed under it must not raise an uncaught error
    try {
      const status = (headers: http2.OutgoingHttpHeaders) =>
        new Promise<number>((resolve, reject) => {
          const s = session.request({ ':path': '/info', ...headers });
          s.on('response', (h) => resolve(Number(h[':status'])));
          s.on('error', reject);
          s.resume();
          s.end();
        });
      expect(await status({})).toBe(401);
      expect(await status({ authorization: basic('bob', 'hunter2') })).toBe(200);
    } finally {
      session.close();
    }
  });
});

describeIf(HAVE_OPENSSL, OPENSSL)('TLS', () => {
  it('serves HTTPS over HTTP/1.1 and HTTP/2 (ALPN)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-tls-'));
    const files = selfSignedCert(dir);
    const cert = readFileSync(files.cert);
    const { server } = await startTestServer({ tls: { cert, key: readFileSync(files.key) } });
    try {
      expect(server.url).toMatch(/^https:/);
      const h1 = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        https
          .get(`${server.url}/info`, { ca: cert, servername: 'localhost', checkServerIdentity: () => undefined }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject);
      });
      expect(h1.status).toBe(200);
      expect(JSON.parse(h1.body).KsqlServerInfo.serverStatus).toBe('RUNNING');
      const session = http2.connect(server.url, { ca: cert, checkServerIdentity: () => undefined });
      session.on('error', () => undefined); // a server stopped or killed under it must not raise an uncaught error
      try {
        const body = await new Promise<string>((resolve, reject) => {
          const s = session.request({ ':path': '/info' });
          let b = '';
          s.on('data', (c: Buffer) => (b += c.toString()));
          s.on('end', () => resolve(b));
          s.on('error', reject);
          s.end();
        });
        expect(JSON.parse(body).KsqlServerInfo.serverStatus).toBe('RUNNING');
      } finally {
        session.close();
      }
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 15_000);
});
