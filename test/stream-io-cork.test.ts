import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RowWriter, writeChunk } from '../src/server/routes/stream-io.js';
import { eventually } from './helpers/eventually.js';

/**
 * writeChunk / RowWriter on HTTP/1.1 and Node's corks. After each write Node
 * corks the response's socket for the rest of the tick (and uncorks it on the
 * next), so `writableCorked` is 1 there even when the caller never corked. The
 * writer used to take that cork for its caller's, put it back after 'drain',
 * and leave the socket corked for good: a push query's rows written after a
 * full buffer stayed in the socket while the response was open.
 */

/** A response to write to, and what its client has received so far. */
interface Exchange {
  readonly res: http.ServerResponse;
  /** Text the client received so far. */
  received(): string;
  close(): Promise<void>;
}

const servers: http.Server[] = [];

async function exchange(): Promise<Exchange> {
  let take!: (res: http.ServerResponse) => void;
  const got = new Promise<http.ServerResponse>((resolve) => (take = resolve));
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    take(res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  let text = '';
  const req = http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
  });
  req.on('error', () => undefined);
  const res = await got;
  return {
    res,
    received: () => text,
    close: async () => {
      req.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `n` lines of about 40 bytes: together far more than a socket's 16 KiB buffer. */
function lines(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${JSON.stringify([i, `value-${i}-${'x'.repeat(20)}`])}\n`);
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

afterEach(() => {
  for (const s of servers.splice(0)) s.closeAllConnections();
});

describe('writeChunk on HTTP/1.1', () => {
  it('sends every chunk of a burst past the socket buffer while the response stays open (not corked by the caller)', async () => {
    const ex = await exchange();
    try {
      const all = lines(3000);
      let waited = 0;
      for (const l of all) {
        const p = writeChunk(ex.res, l);
        if (ex.res.writableNeedDrain) waited++;
        await p;
      }
      expect(waited).toBeGreaterThan(0); // the burst did fill the buffer
      await eventually('every line received with the response open', () => countLines(ex.received()) === all.length);
      expect(ex.received()).toBe(all.join(''));
      await eventually('the socket uncorked', () => ex.res.writableCorked === 0);
      expect(ex.res.writableEnded).toBe(false);
    } finally {
      await ex.close();
    }
  });

  it('keeps the caller cork across a wait for drain, so the chunks after it still leave together', async () => {
    const ex = await exchange();
    try {
      const all = lines(3000);
      ex.res.cork();
      for (const l of all) {
        await writeChunk(ex.res, l, true);
        expect(ex.res.writableCorked).toBe(1);
      }
      // Uncork, then end, as closeStream does: Node 22+ drops what a cork held if it ends first.
      ex.res.uncork();
      ex.res.end();
      await eventually('every line received', () => countLines(ex.received()) === all.length);
      expect(ex.received()).toBe(all.join(''));
    } finally {
      await ex.close();
    }
  });
});

describe('RowWriter on HTTP/1.1', () => {
  it('sends a burst past the socket buffer, then rows written a tick later, with no cork left behind', async () => {
    const ex = await exchange();
    try {
      const out = new RowWriter(ex.res);
      const first = lines(2000);
      for (const l of first) await out.write(l);
      await eventually('the burst received', () => countLines(ex.received()) === first.length);
      await new Promise<void>((resolve) => setImmediate(resolve));
      await out.write('tail\n');
      await eventually('the row after the burst received', () => ex.received().endsWith('tail\n'));
      expect(ex.res.writableEnded).toBe(false);
    } finally {
      await ex.close();
    }
  });
});
