import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { eventually } from './helpers/eventually.js';
import { PAGEVIEWS, h2Request, ksql, startTestServer } from './server-helpers.js';

describe('HTTP/2 cleartext (prior knowledge) on the HTTP/1.1 port', () => {
  let server: RunningServer;
  let url: string;
  let session: http2.ClientHttp2Session;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    await ksql(url, PAGEVIEWS);
    session = http2.connect(url);
    session.on('error', () => undefined); // a server stopped or killed under it must not raise an uncaught error
  });
  afterAll(async () => {
    session.close();
    await server.close();
  });

  it('answers /info and /ksql over HTTP/2 while HTTP/1.1 works on the same port', async () => {
    const info = h2Request(session, '/info');
    info.stream.end();
    // GET with a body-less POST request object: /info only answers GET, so ask properly.
    const get = session.request({ ':path': '/info' });
    get.end();
    const body = await new Promise<string>((resolve) => {
      let b = '';
      get.on('data', (c: Buffer) => (b += c.toString()));
      get.on('end', () => resolve(b));
    });
    expect(JSON.parse(body).KsqlServerInfo.serverStatus).toBe('RUNNING');
    expect((await info.response).status).toBe(404);

    const k = h2Request(session, '/ksql');
    k.stream.end(JSON.stringify({ ksql: 'SHOW STREAMS;' }));
    expect((await k.response).status).toBe(200);
    expect(JSON.parse(await k.lines.rest())[0]['@type']).toBe('streams');
    expect((await fetch(`${url}/info`)).status).toBe(200);
  });

  it('/query-stream over HTTP/2 streams rows inserted after it started; /close-query ends it', async () => {
    const q = h2Request(session, '/query-stream');
    q.stream.end(JSON.stringify({ sql: 'SELECT page FROM pageviews EMIT CHANGES;' }));
    expect((await q.response).status).toBe(200);
    const meta = JSON.parse((await q.lines.next())!);
    expect(meta.columnNames).toEqual(['PAGE']);
    await ksql(url, "INSERT INTO pageviews (id, page, ts) VALUES (1, 'h2', 1);");
    expect(JSON.parse((await q.lines.next())!)).toEqual(['h2']);
    const close = h2Request(session, '/close-query');
    close.stream.end(JSON.stringify({ queryId: meta.queryId }));
    expect((await close.response).status).toBe(200);
    expect(await q.lines.next()).toBeUndefined();
  });

  it('/query over HTTP/2 streams rows until LIMIT', async () => {
    const q = h2Request(session, '/query');
    q.stream.end(JSON.stringify({ ksql: 'SELECT id FROM pageviews EMIT CHANGES LIMIT 1;' }));
    expect((await q.response).status).toBe(200);
    const header = await q.lines.next();
    expect(header).toContain('"header"');
    await ksql(url, "INSERT INTO pageviews (id, page, ts) VALUES (2, 'x', 2);");
    expect(JSON.parse(`${header}\n${await q.lines.rest()}`)).toEqual([
      { header: { queryId: expect.any(String), schema: '`ID` INTEGER' } },
      { row: { columns: [2] } },
      { finalMessage: 'Limit Reached' },
    ]);
  });

  it('/inserts-stream over HTTP/2: acks arrive while the request stream is open', async () => {
    const ins = h2Request(session, '/inserts-stream');
    ins.stream.write(`${JSON.stringify({ target: 'pageviews' })}\n${JSON.stringify({ id: 3, page: 'a', ts: 3 })}\n`);
    expect((await ins.response).status).toBe(200);
    expect(JSON.parse((await ins.lines.next())!)).toEqual({ status: 'ok', seq: 0 });
    ins.stream.write(`${JSON.stringify({ id: 'not-an-int', page: 'b', ts: 4 })}\n`);
    expect(JSON.parse((await ins.lines.next())!)).toMatchObject({ status: 'error', seq: 1 });
    ins.stream.end(`${JSON.stringify({ id: 4, page: 'c', ts: 5 })}\n`);
    expect(JSON.parse((await ins.lines.next())!)).toEqual({ status: 'ok', seq: 2 });
    expect(await ins.lines.next()).toBeUndefined();
  });

  it('a reset HTTP/2 stream closes its push query', async () => {
    const q = h2Request(session, '/query-stream');
    q.stream.end(JSON.stringify({ sql: 'SELECT * FROM pageviews EMIT CHANGES;' }));
    const meta = JSON.parse((await q.lines.next())!);
    q.stream.close(http2.constants.NGHTTP2_CANCEL);
    // Once the server has closed it, /close-query no longer knows the query: 400 with ksqlDB's error.
    const body = await eventually(`the server to forget ${meta.queryId} after the stream reset`, async () => {
      const c = h2Request(session, '/close-query');
      c.stream.end(JSON.stringify({ queryId: meta.queryId }));
      if ((await c.response).status !== 400) return undefined;
      return JSON.parse(await c.lines.rest()) as { error_code: number; message: string };
    });
    expect(body.error_code).toBe(40000);
    expect(body.message).toContain(meta.queryId);
  });
});
