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

/** Text a gathering {@link Batcher} collects before writing it out. */
const PULL_FLUSH_BYTES = 64 * 1024;

/**
 * Writes text to a streaming response. A finite (pull query) response is gathered
 * and written in few large chunks, usually one with the end of the response;
 * otherwise (push queries) each text goes out at once.
 */
export class Batcher {
  private pending = '';

  constructor(
    private readonly res: StreamResponse,
    private readonly gather: boolean,
  ) {}

  write(text: string): Promise<void> {
    if (!this.gather) return writeChunk(this.res, text);
    this.pending += text;
    if (this.pending.length < PULL_FLUSH_BYTES) return Promise.resolve();
    const chunk = this.pending;
    this.pending = '';
    return writeChunk(this.res, chunk);
  }

  /** Ends the response with whatever is still gathered. */
  end(): void {
    const rest = this.pending;
    this.pending = '';
    if (rest.length > 0 && !this.res.destroyed && !this.res.writableEnded) (this.res as ServerResponse).end(rest);
    else this.res.end();
  }
}
