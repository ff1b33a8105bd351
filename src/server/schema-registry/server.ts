/**
 * The embedded Schema Registry's HTTP listener: HTTP/1.1 on its own port,
 * Confluent's content types, optional Basic auth (the REST server's users).
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { InMemorySchemaRegistry } from '../../serde/schema-registry.js';
import { checkBasicAuth } from '../http/auth.js';
import type { ErrorLog } from '../http/errors.js';
import type { TlsOptions } from '../http/listener.js';
import { refusedContentType, type HostPolicy } from '../http/request-guard.js';
import { handleRegistryRequest, type ApiResponse } from './api.js';

/** Options of {@link startSchemaRegistryServer}. */
export interface SchemaRegistryServerOptions {
  /** The registry to serve: the engine's, so serdes and clients see the same schemas. */
  readonly registry: InMemorySchemaRegistry;
  /** Port; 0 picks a free one. Default 8081 (Confluent's). */
  readonly port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  readonly host?: string;
  /** HTTP Basic users (name → password); none: no authentication. */
  readonly users?: ReadonlyMap<string, string>;
  /** Largest request body in bytes. Default 8 MiB. */
  readonly bodyLimit?: number;
  /** Serve HTTPS with this certificate (the REST server's, when it has TLS). Default: plain HTTP. */
  readonly tls?: TlsOptions;
  /** Names (`Host`, `Origin`) to answer to; others get 403. Default: any. */
  readonly hosts?: HostPolicy;
  /** Where server-side failures are logged (the REST server's log). Default: nowhere. */
  readonly log?: ErrorLog;
}

/** A started embedded Schema Registry. */
export interface RunningSchemaRegistry {
  readonly port: number;
  readonly host: string;
  /** `http://host:port` (https with TLS), what clients take as the registry URL. */
  readonly url: string;
  /** Stops listening, ends open connections, releases the port. Idempotent. */
  close(): Promise<void>;
}

/** Confluent's media type; responses use it, requests may use it or `application/json`. */
export const SCHEMA_REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

function send(res: http.ServerResponse, r: ApiResponse, headers: Readonly<Record<string, string>> = {}): void {
  const text = r.raw ?? (r.body === undefined ? '' : JSON.stringify(r.body));
  res.writeHead(r.status, { 'content-type': SCHEMA_REGISTRY_CONTENT_TYPE, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function serve(opts: SchemaRegistryServerOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const misdirected = opts.hosts?.check(req.headers.host, req.headers.origin);
  if (misdirected) return send(res, { status: 403, body: { error_code: 403, message: misdirected.message } });
  if (opts.users && opts.users.size > 0) {
    const denied = checkBasicAuth(req.headers.authorization, opts.users);
    if (denied) return send(res, { status: 401, body: { error_code: 401, message: denied.message } }, { 'www-authenticate': 'Basic realm="SchemaRegistry"' });
  }
  // Form and text/plain bodies are what a web page can POST cross-site without a preflight.
  if (req.method === 'POST' || req.method === 'PUT') {
    const refused = refusedContentType(req.headers['content-type'], req.headers.origin, ['application/octet-stream']);
    if (refused !== undefined) return send(res, { status: 415, body: { error_code: 415, message: `HTTP 415 Unsupported Media Type: ${refused}` } });
  }
  const text = await readBody(req, opts.bodyLimit ?? 8 * 1024 * 1024);
  if (text === undefined) return send(res, { status: 413, body: { error_code: 413, message: 'Request body too large' } });
  let body: unknown;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch (e) {
      return send(res, { status: 400, body: { error_code: 400, message: `Unexpected character in the request body: ${(e as Error).message}` } });
    }
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  let segments: string[];
  try {
    segments = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  } catch {
    return send(res, { status: 404, body: { error_code: 404, message: 'HTTP 404 Not Found' } });
  }
  send(res, handleRegistryRequest(opts.registry, { method: req.method ?? 'GET', segments, query: url.searchParams, body }, opts.log));
}

/**
 * Serves Confluent's Schema Registry REST API over `opts.registry` until
 * closed. Data lives in the registry (memory); see the README for what
 * survives a restart.
 */
export async function startSchemaRegistryServer(opts: SchemaRegistryServerOptions): Promise<RunningSchemaRegistry> {
  const sockets = new Set<Socket>();
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    serve(opts, req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { error_code: 50001, message: (e as Error).message } });
      else res.destroy();
    });
  };
  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest) : http.createServer(onRequest);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8081, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  let closing: Promise<void> | undefined;
  return {
    port,
    host,
    url: `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
