import { buildApp } from './app.js';
import { PushQueryRegistry, type ServerContext, type ServerSettings } from './http/context.js';
import type { ServerEngine } from './http/engine-port.js';
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, Listener, type TlsOptions } from './http/listener.js';
import { HostPolicy } from './http/request-guard.js';
import { DEFAULT_SLOW_REQUEST_MS } from './observability/hooks.js';
import { silentLogger } from './observability/logger.js';
import { serverLog, type ServerLog } from './observability/log-events.js';
import { ServerMetrics } from './observability/metrics.js';
import { DEFAULT_PUSH_BUFFER_BYTES } from '../runtime/query/row-queue.js';
import { InMemorySchemaRegistry } from '../serde/schema-registry.js';
import { startSchemaRegistryServer, type RunningSchemaRegistry } from './schema-registry/index.js';
import { LagReports } from './http/lag-reports.js';
import { StatementCache } from '../runtime/engine/prepare.js';
import type { ConsoleAssets } from './http/console-assets.js';

/**
 * Where the embedded Schema Registry listens (see {@link ServerOptions.schemaRegistry}).
 * It shares the REST server's TLS certificate, users and allowed host names.
 */
export interface EmbeddedSchemaRegistryOptions {
  /** Port; 0 picks a free one. Default 8081. */
  readonly port?: number;
  /** Interface to bind. Default: the REST server's host. */
  readonly host?: string;
  /** The registry to serve. Default: the engine's `registry` (must be an `InMemorySchemaRegistry`). */
  readonly registry?: InMemorySchemaRegistry;
}

/** Options of {@link startServer}. Everything but `engine` has a default. */
export interface ServerOptions {
  /** The engine to serve (normally the runtime's `Engine`). */
  readonly engine: ServerEngine;
  /** Port to listen on; 0 picks a free one. Default 8088. */
  readonly port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  readonly host?: string;
  /**
   * Further names clients may reach the server by (`Host`/`Origin`), besides
   * loopback names, the bound address and `ksql.advertised.listener`'s host;
   * `*` allows any. Others are refused with 403 (DNS rebinding, cross-site requests).
   */
  readonly allowedHosts?: readonly string[];
  /** HTTP Basic users (name → password). None: no authentication. */
  readonly users?: ReadonlyMap<string, string>;
  readonly tls?: TlsOptions;
  /** Largest request body in bytes. Default 1 MiB. */
  readonly bodyLimit?: number;
  /** Concurrent push queries allowed. Default 100 (ksqlDB's `ksql.max.push.queries`). */
  readonly maxPushQueries?: number;
  /** Time limit of non-streaming requests in ms. Default 60 000; 0 disables. */
  readonly requestTimeoutMs?: number;
  /** Rows a push query may hold for a client that is not reading, in bytes; past it the query is closed with an error. Default 4 MiB; 0: no bound. */
  readonly pushBufferBytes?: number;
  /** Time to receive the HTTP/2 preface, the TLS handshake or a request's headers, in ms. Default 30 000; 0 disables. */
  readonly headersTimeoutMs?: number;
  /** Time a connection with no request in progress (HTTP/1.1 keep-alive, HTTP/2 session without streams) stays open, in ms. Default 30 000; 0 disables. */
  readonly idleTimeoutMs?: number;
  /** Connections open at once; more are closed as they arrive. Default 1000; 0: no bound. */
  readonly maxConnections?: number;
  readonly version?: string;
  /** `ksql.service.id`. Default `default_`. */
  readonly serviceId?: string;
  /** Server properties (from `--config`). */
  readonly properties?: Readonly<Record<string, string>>;
  /** Close the engine when the server closes. Default true. */
  readonly closeEngine?: boolean;
  /** Also serve the embedded Confluent-compatible Schema Registry on its own port. Default: not served. */
  readonly schemaRegistry?: EmbeddedSchemaRegistryOptions;
  /** The server's log (give its `events` to the engine too, to log statements and queries). Default: logs nothing. */
  readonly log?: ServerLog;
  /** A non-streaming request slower than this (ms) is logged as a warning. Default 5000 (`sluice.server.slow.request.ms`); 0 disables. */
  readonly slowRequestMs?: number;
  /** The web console to serve at `GET /` (for browsers). Default: none; `GET /` redirects to `/info`. */
  readonly console?: ConsoleAssets;
}

/** A started server. */
export interface RunningServer {
  readonly port: number;
  readonly host: string;
  /** `http://host:port` (or https). */
  readonly url: string;
  readonly engine: ServerEngine;
  /** The embedded Schema Registry, when {@link ServerOptions.schemaRegistry} asked for one. */
  readonly schemaRegistry?: RunningSchemaRegistry;
  /** The server's Prometheus metrics (also served at `/metrics`). */
  readonly metrics: ServerMetrics;
  /** Graceful shutdown: refuses new requests, ends push queries, closes connections, releases the port, closes the engine. Idempotent. */
  close(): Promise<void>;
}

/** The host of `ksql.advertised.listener`: other servers of the service address this one by it. */
function advertisedHost(properties: Readonly<Record<string, string>> | undefined): string[] {
  const url = properties?.['ksql.advertised.listener'];
  if (url === undefined) return [];
  try {
    return [new URL(url).hostname];
  } catch {
    return [];
  }
}

/**
 * Starts the ksqlDB-compatible REST server on an engine: HTTP/1.1 and HTTP/2
 * (h2c with prior knowledge, or ALPN over TLS) on one port.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const engine = opts.engine;
  const host = opts.host ?? '127.0.0.1';
  const allowList = [...(opts.allowedHosts ?? []), ...advertisedHost(opts.properties)];
  const settings: ServerSettings = {
    hosts: new HostPolicy(host, allowList),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    maxPushQueries: opts.maxPushQueries ?? 100,
    requestTimeoutMs: opts.requestTimeoutMs ?? 60_000,
    pushBufferBytes: opts.pushBufferBytes ?? DEFAULT_PUSH_BUFFER_BYTES,
    users: opts.users ?? new Map(),
    version: opts.version ?? '0.1.0',
    serviceId: opts.serviceId ?? opts.properties?.['ksql.service.id'] ?? 'default_',
    kafkaClusterId: 'sluice-embedded-log',
    properties: opts.properties ?? {},
    console: opts.console,
  };
  const ctx: ServerContext = {
    engine,
    settings,
    pushQueries: new PushQueryRegistry(settings.maxPushQueries),
    commandStatuses: new Map(),
    lagReports: new LagReports(),
    statements: new StatementCache(),
    closing: false,
  };
  const metrics = new ServerMetrics(() => engine.queryMetrics?.() ?? Promise.resolve([]));
  const unsubscribe = engine.subscribe?.(metrics);
  const log = opts.log ?? serverLog(silentLogger());
  const slowRequestMs = opts.slowRequestMs ?? DEFAULT_SLOW_REQUEST_MS;
  const { app, handler } = await buildApp(ctx, { log, metrics, slowRequestMs });
  const listener = new Listener(handler, {
    tls: opts.tls,
    headersTimeoutMs: opts.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    idleTimeoutMs: opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    maxConnections: opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    // WebSocket upgrades (`/ws/query`) go through fastify's routing like any request.
    onUpgrade: (req, socket, head) => app.server.emit('upgrade', req, socket, head),
  });
  const port = await listener.listen(opts.port ?? 8088, host);
  let schemaRegistry: RunningSchemaRegistry | undefined;
  if (opts.schemaRegistry) {
    const registry = opts.schemaRegistry.registry ?? (engine as { registry?: unknown }).registry;
    try {
      if (!(registry instanceof InMemorySchemaRegistry)) throw new Error('The embedded Schema Registry needs the engine to use an InMemorySchemaRegistry');
      const srHost = opts.schemaRegistry.host ?? host;
      // Same certificate, credentials and host names as the REST server.
      schemaRegistry = await startSchemaRegistryServer({
        registry,
        port: opts.schemaRegistry.port,
        host: srHost,
        users: opts.users,
        tls: opts.tls,
        hosts: new HostPolicy(srHost, allowList),
        log: log.logger.child({ listener: 'schema-registry' }),
      });
    } catch (e) {
      await listener.close();
      await app.close();
      throw e;
    }
  }
  let closing: Promise<void> | undefined;
  const scheme = opts.tls ? 'https' : 'http';
  return {
    port,
    host,
    url: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    engine,
    schemaRegistry,
    metrics,
    close() {
      closing ??= (async () => {
        ctx.closing = true;
        unsubscribe?.();
        ctx.pushQueries.closeAll();
        await listener.close();
        await schemaRegistry?.close();
        await app.close();
        if (opts.closeEngine ?? true) await engine.close();
      })();
      return closing;
    },
  };
}
