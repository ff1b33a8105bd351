import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

/** A streaming response of either protocol. */
export type StreamResponse = ServerResponse | Http2ServerResponse;

/** What a write that need not wait returns (shared, so no promise is made per row). */
const WRITTEN: Promise<void> = Promise.resolve();

/**
 * Writes a chunk and waits for the socket to drain when its buffer is full, so
 * a slow client slows the query down instead of growing memory. Resolves at
 * once when the response is already closed.
 *
 * `corked`: the caller holds one cork on the response (a pull query's, see
 * query.ts), so its chunks wait until it is uncorked and 'drain' would never
 * come: that cork is let go while waiting and put back after. Only the caller
 * can say so: `writableCorked` also counts the cork Node's HTTP/1.1 response
 * puts on its socket for the rest of the tick after every write (and lifts on
 * the next tick), and putting that one back would leave the socket corked for
 * good, every later chunk held in memory and none sent.
 */
export function writeChunk(res: StreamResponse, text: string, corked = false): Promise<void> {
  if (res.destroyed || res.writableEnded) return WRITTEN;
  const ok = (res as ServerResponse).write(text);
  if (ok) return WRITTEN;
  const lifted = corked && (res as ServerResponse).writableCorked > 0;
  if (lifted) {
    res.uncork();
    // Node 22 and later keep a corked response's chunks in the response itself and report it full
    // against its own high-water mark; uncorking hands them to the socket, and a socket that takes
    // them without filling up has no 'drain' to send (nor, then, the response): nothing to wait for.
    const socket = (res as ServerResponse).socket;
    if (socket && !socket.writableNeedDrain) {
      res.cork();
      return WRITTEN;
    }
  }
  return new Promise((resolve) => {
    const done = () => {
      res.removeListener('drain', done);
      res.removeListener('close', done);
      if (lifted && !res.destroyed && !res.writableEnded) res.cork();
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Text queued behind an HTTP/2 write in flight past which the writer makes its caller wait. */
const QUEUED_HIGH_BYTES = 256 * 1024;

/**
 * Writes each text as its own unit on the wire, as ksqlDB does: one chunk per
 * write on HTTP/1.1 (chunked encoding), one DATA frame per write on HTTP/2
 * (clients such as npm ksqldb-client parse every DATA frame as one JSON
 * document). Node's HTTP/2 session merges writes queued before it sends, so
 * on HTTP/2 the next text is written only once the previous one has left; the
 * texts waiting meanwhile are queued here, and past {@link QUEUED_HIGH_BYTES}
 * the caller is made to wait until the queue is empty.
 * Invariant: at most one HTTP/2 write is in flight; `end` goes after the last.
 */
export class RowWriter {
  private readonly h2: boolean;
  private readonly queue: string[] = [];
  private head = 0;
  private queuedBytes = 0;
  private inFlight = false;
  private ending = false;
  private waiter: (() => void) | undefined;
  private readonly afterWrite = (): void => this.writeNext();

  /** `corked`: the caller holds one cork on an HTTP/1.1 response until it ends it (see {@link writeChunk}). */
  constructor(
    private readonly res: StreamResponse,
    private readonly corked = false,
  ) {
    this.h2 = (res as Http2ServerResponse).stream !== undefined;
    if (this.h2) res.once('close', () => this.release());
  }

  private get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  /** Writes `text` as one chunk / DATA frame; the promise resolves once more may be written. */
  write(text: string): Promise<void> {
    if (this.closed) return WRITTEN;
    if (!this.h2) return writeChunk(this.res, text, this.corked);
    if (this.inFlight) {
      this.queue.push(text);
      this.queuedBytes += text.length;
      if (this.queuedBytes < QUEUED_HIGH_BYTES) return WRITTEN;
      return new Promise((resolve) => {
        this.waiter = resolve;
      });
    }
    this.inFlight = true;
    (this.res as Http2ServerResponse).write(text, this.afterWrite);
    return WRITTEN;
  }

  private writeNext(): void {
    if (this.head >= this.queue.length || this.closed) {
      this.inFlight = false;
      this.queue.length = 0;
      this.head = 0;
      this.queuedBytes = 0;
      this.release();
      if (this.ending && !this.closed) this.res.end();
      return;
    }
    const text = this.queue[this.head++]!;
    this.queuedBytes -= text.length;
    (this.res as Http2ServerResponse).write(text, this.afterWrite);
  }

  private release(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** Ends the response after everything written so far, with `last` as its final chunk / DATA frame. */
  end(last?: string): void {
    if (this.closed) return;
    if (this.inFlight) {
      if (last !== undefined && last.length > 0) this.queue.push(last);
      this.ending = true;
    } else if (last !== undefined && last.length > 0) (this.res as ServerResponse).end(last);
    else this.res.end();
  }
}

/** Text a gathering {@link Batcher} collects before writing it out. */
const PULL_FLUSH_BYTES = 64 * 1024;

/**
 * Writes text to a streaming response. A finite response that is one JSON
 * document anyway (a pull query answered as a JSON array) is gathered and
 * written in few large chunks, usually one; otherwise each text goes out as
 * its own chunk / DATA frame through a {@link RowWriter}.
 */
export class Batcher {
  private pending = '';
  private readonly rows: RowWriter;

  /** `corked`: as for {@link RowWriter}. */
  constructor(
    res: StreamResponse,
    private readonly gather: boolean,
    corked = false,
  ) {
    this.rows = new RowWriter(res, corked);
  }

  write(text: string): Promise<void> {
    if (!this.gather) return this.rows.write(text);
    this.pending += text;
    if (this.pending.length < PULL_FLUSH_BYTES) return WRITTEN;
    const chunk = this.pending;
    this.pending = '';
    return this.rows.write(chunk);
  }

  /** Ends the response with whatever is still gathered, then `last`. */
  end(last = ''): void {
    const rest = this.pending + last;
    this.pending = '';
    this.rows.end(rest);
  }
}
