import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

/** A streaming response of either protocol. */
export type StreamResponse = ServerResponse | Http2ServerResponse;

/**
 * Writes a chunk and waits for the socket to drain when its buffer is full, so
 * a slow client slows the query down instead of growing memory. Resolves at
 * once when the response is already closed.
 */
export function writeChunk(res: StreamResponse, text: string): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  const ok = (res as ServerResponse).write(text);
  if (ok) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.removeListener('drain', done);
      res.removeListener('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
