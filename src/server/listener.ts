import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { clientErrorResponse } from './errors.js';

/** A request handler both HTTP/1.1 and HTTP/2 (compatibility API) requests are given to. */
export type Handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

/** TLS material for HTTPS (HTTP/2 negotiated by ALPN, HTTP/1.1 otherwise). */
export interface TlsOptions {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Options of {@link Listener}. */
export interface ListenerOptions {
  readonly tls?: TlsOptions;
  /** Milliseconds to receive a whole HTTP/1.1 request (headers and body); 0 disables. */
  readonly requestTimeoutMs?: number;
}

/** Answers a request Node's HTTP/1.1 parser refused, in ksqlDB's error shape, and closes the connection. */
function answerClientError(err: Error, socket: Duplex): void {
  const response = clientErrorResponse(err);
  if (response === undefined || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(response);
}

/** The HTTP/2 connection preface starts with this (RFC 9113 §3.4). */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/**
 * One port serving HTTP/1.1 and HTTP/2. Cleartext: a `net.Server` reads the
 * first bytes of each connection; the HTTP/2 preface (prior knowledge, h2c)
 * hands the socket to an `http2` server, anything else to an HTTP/1.1 server.
 * TLS: one `http2` secure server with `allowHTTP1`, choosing by ALPN.
 * Invariant: every socket accepted is tracked until it closes, so {@link close}
 * can end them all and release the port.
 */
export class Listener {
  private readonly front: net.Server;
  private readonly h1: http.Server | undefined;
  private readonly h2: http2.Http2Server | http2.Http2SecureServer;
  private readonly sockets = new Set<Duplex>();
  private readonly sessions = new Set<http2.Http2Session>();

  constructor(handler: Handler, opts: ListenerOptions = {}) {
    if (opts.tls) {
      const secure = http2.createSecureServer({ cert: opts.tls.cert, key: opts.tls.key, allowHTTP1: true }, handler as never);
      this.h2 = secure;
      this.front = secure;
      this.h1 = undefined;
    } else {
      this.h1 = http.createServer({ requestTimeout: opts.requestTimeoutMs ?? 0 }, handler as never);
      this.h2 = http2.createServer({}, handler as never);
      this.front = net.createServer((socket) => this.route(socket));
    }
    (this.h1 ?? this.front).on('clientError', answerClientError);
    this.h2.on('session', (s: http2.Http2Session) => {
      this.sessions.add(s);
      s.on('close', () => this.sessions.delete(s));
    });
    const track = (s: Duplex) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    };
    if (opts.tls) this.front.on('secureConnection', track);
    else this.front.on('connection', track);
    this.front.on('error', () => undefined);
  }

  /** Reads enough of a cleartext connection to tell HTTP/2 prior knowledge from HTTP/1.1. */
  private route(socket: net.Socket): void {
    let seen = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, H2_PREFACE.length);
      const isH2 = seen.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isH2 && seen.length < H2_PREFACE.length) return;
      socket.removeListener('data', onData);
      socket.pause();
      socket.unshift(seen);
      const target = isH2 ? this.h2 : this.h1!;
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    };
    socket.on('data', onData);
  }

  /** Starts listening; resolves with the bound port. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.front.once('error', onError);
      this.front.listen(port, host, () => {
        this.front.removeListener('error', onError);
        const addr = this.front.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /** Stops accepting, closes HTTP/2 sessions and every open connection, and releases the port. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.front.close(() => resolve()));
    for (const s of this.sessions) s.close();
    this.h1?.closeIdleConnections();
    for (const s of this.sockets) s.end();
    const deadline = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
      for (const s of this.sessions) s.destroy();
    }, 500);
    await closed;
    clearTimeout(deadline);
  }
}
