import http2 from 'node:http2';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { eventually, h2Request, ksql } from './server-helpers.js';

/**
 * Issue 13, reproducers 1, 6 and 7, against a real `sluice server` process:
 * every way an HTTP/2 push query can end frees its slot, a client that never
 * reads cannot make the server buffer without bound, and connections that send
 * nothing (or half a header / half the HTTP/2 preface) are closed.
 */

const STREAM = "CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', partitions=1, value_format='json');";
const PUSH = JSON.stringify({ sql: 'SELECT * FROM s EMIT CHANGES;' });

/** Starts a push query over a new h2c session; resolves once its header line arrived. */
async function openPush(url: string): Promise<{ session: http2.ClientHttp2Session; socket: net.Socket; stream: http2.ClientHttp2Stream; status: number; first: string | undefined }> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const session = http2.connect(url, { createConnection: () => socket });
  session.on('error', () => undefined);
  const q = h2Request(session, '/query-stream');
  q.stream.on('error', () => undefined);
  q.stream.end(PUSH);
  const { status } = await q.response;
  return { session, socket, stream: q.stream, status, first: await q.lines.next() };
}

describe.runIf(BUNDLE_BUILT)('HTTP/2 push queries give their slot back (issue 13 #1)', () => {
  let server: ServerProcess;
  const LIMIT = 2;
  beforeAll(async () => {
    server = await startServerProcess({ 'ksql.max.push.queries': String(LIMIT) });
    await ksql(server.url, STREAM);
  });
  afterAll(async () => server?.stop());

  const cancels: Record<string, (c: { session: http2.ClientHttp2Session; socket: net.Socket; stream: http2.ClientHttp2Stream }) => void> = {
    'RST_STREAM (cancel)': ({ stream }) => stream.close(http2.constants.NGHTTP2_CANCEL),
    'GOAWAY': ({ session }) => session.goaway(http2.constants.NGHTTP2_CANCEL),
    'connection drop': ({ socket }) => socket.destroy(),
  };

  for (const [how, cancel] of Object.entries(cancels)) {
    it(`frees the slot of push queries ended by ${how}`, async () => {
      // More push queries than the limit, one after the other, each ended the same way.
      for (let i = 0; i < LIMIT + 2; i++) {
        const q = await eventually(async () => {
          const c = await openPush(server.url);
          if (c.status === 200) return c;
          c.session.destroy();
          return undefined;
        });
        expect(JSON.parse(q.first!)).toMatchObject({ queryId: expect.stringMatching(/^transient_S_/) });
        cancel(q);
      }
      // All slots come back: LIMIT new push queries run at once, and one more is refused.
      const open = await eventually(async () => {
        const cs = await Promise.all(Array.from({ length: LIMIT }, () => openPush(server.url)));
        if (cs.every((c) => c.status === 200)) return cs;
        for (const c of cs) c.session.destroy();
        return undefined;
      });
      const extra = await openPush(server.url);
      expect(extra.status).toBe(400);
      expect(JSON.parse(extra.first!)).toMatchObject({ error_code: 40003, message: `Not executing query as maximum number of push queries has been reached: ${LIMIT}` });
      extra.session.destroy();
      for (const c of open) c.session.destroy();
    });
  }
});
