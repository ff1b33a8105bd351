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

/**
 * Default time to receive what opens an exchange (the first bytes of a cleartext
 * connection, the whole HTTP/2 preface, the TLS handshake, a request's headers):
 * half of Node's 60 s `headersTimeout`, well under the minutes a descriptor-hungry
 * client could otherwise hold a socket.
 */
export const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;
/** Default time a connection with no request in progress stays open (HTTP/1.1 keep-alive, HTTP/2 session with no stream). */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** Default bound on connections open at once (well under a usual 1024-descriptor limit's worth once files are counted). */
export const DEFAULT_MAX_CONNECTIONS = 1000;

/** Options of {@link Listener}. */
export interface ListenerOptions {
  readonly tls?: TlsOptions;
  /** Milliseconds to receive the protocol preface / TLS handshake / request headers; 0 disables. */
  readonly headersTimeoutMs?: number;
  /** Milliseconds a connection with no request in progress stays open; 0 disables. Streams that are open (push queries) are never cut by it. */
  readonly idleTimeoutMs?: number;
  /** Connections open at once; more are closed on arrival. 0: no bound. */
  readonly maxConnections?: number;
  /** Takes HTTP/1.1 `Upgrade` requests (WebSocket); without it they are refused as Node does. */
  readonly onUpgrade?: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
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
  private readonly headersTimeoutMs: number;

  constructor(handler: Handler, opts: ListenerOptions = {}) {
    // Node's requestTimeout (time to receive a whole request) would also cut a long-lived
    // /inserts-stream body; non-streaming requests are timed by their routes instead.
    const requestTimeout = 0;
    this.headersTimeoutMs = opts.headersTimeoutMs ?? 0;
    const headersTimeout = this.headersTimeoutMs;
    const idleTimeoutMs = opts.idleTimeoutMs ?? 0;
    const h1Options: http.ServerOptions = {
      requestTimeout,
      headersTimeout,
      keepAliveTimeout: idleTimeoutMs,
      // How often Node looks for requests past their timeouts: often enough for short test timeouts.
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor((headersTimeout || 120_000) / 4))),
    };
    if (opts.tls) {
      const secure = http2.createSecureServer(
        { cert: opts.tls.cert, key: opts.tls.key, allowHTTP1: true, ...(this.headersTimeoutMs > 0 ? { handshakeTimeout: this.headersTimeoutMs } : {}) },
        handler as never,
      );
      // HTTP/1.1 over TLS is served by the secure server itself, which reads these like an http.Server.
      Object.assign(secure, {
        headersTimeout,
        requestTimeout,
        keepAliveTimeout: idleTimeoutMs,
        connectionsCheckingInterval: h1Options.connectionsCheckingInterval,
      });
      this.h2 = secure;
      this.front = secure;
      this.h1 = undefined;
    } else {
      this.h1 = http.createServer(h1Options, handler as never);
      // Node checks header and request timeouts from a timer it starts when a server
      // starts listening; this one never listens (sockets come from `front`), so say it did.
      this.h1.emit('listening');
      this.h2 = http2.createServer({}, handler as never);
      this.front = net.createServer((socket) => this.route(socket));
    }
    if ((opts.maxConnections ?? 0) > 0) this.front.maxConnections = opts.maxConnections!;
    if (opts.onUpgrade) (this.h1 ?? this.h2).on('upgrade', opts.onUpgrade);
    // Cleartext HTTP/1.1 errors (headers too large, bad request) get a ksqlDB-shaped body. Over TLS
    // Node's own handling stays: a listener there also takes over handshake failures and timeouts.
    this.h1?.on('clientError', answerClientError);
    this.h2.on('session', (s: http2.Http2Session) => {
      this.sessions.add(s);
      s.on('close', () => this.sessions.delete(s));
      if (idleTimeoutMs > 0) closeWhenIdle(s, idleTimeoutMs);
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
    // A connection that does not say which protocol it speaks in time is closed.
    const timer = this.headersTimeoutMs > 0 ? setTimeout(() => socket.destroy(), this.headersTimeoutMs) : undefined;
    socket.once('close', () => clearTimeout(timer));
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, H2_PREFACE.length);
      const isH2 = seen.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isH2 && seen.length < H2_PREFACE.length) return;
      clearTimeout(timer);
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
    this.h1?.close(() => undefined); // stops Node's timeout checks; the port is `front`'s
    for (const s of this.sockets) s.end();
    const deadline = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
      for (const s of this.sessions) s.destroy();
    }, 500);
    await closed;
    clearTimeout(deadline);
  }
}

/**
 * Closes an HTTP/2 session (GOAWAY) once it has had no activity for `ms` while
 * no stream is open; a session with open streams (a quiet push query) is left
 * alone, and is looked at again after its next activity.
 */
function closeWhenIdle(session: http2.Http2Session, ms: number): void {
  let open = 0;
  session.on('stream', (stream: http2.ServerHttp2Stream) => {
    open++;
    stream.once('close', () => open--);
  });
  session.setTimeout(ms, () => {
    if (open === 0 && !session.closed && !session.destroyed) {
      session.close();
      // A peer that does not answer the GOAWAY loses the connection.
      setTimeout(() => session.destroy(), ms).unref();
    }
  });
}
