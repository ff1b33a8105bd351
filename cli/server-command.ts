import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BuiltinConnectors } from '../src/runtime/connectors/builtin/builtin-connectors.js';
import { ConnectClient } from '../src/runtime/connectors/connect-client.js';
import { unavailableConnectors } from '../src/runtime/connectors/unavailable.js';
import { Engine } from '../src/runtime/engine/engine.js';
import { propertyProblem } from '../src/runtime/statements/property-defaults.js';
import { loadExtensions } from '../src/functions/extensions.js';
import { RemoteSchemaRegistry } from '../src/serde/remote-schema-registry.js';
import { createLogger, isLogLevel, LOG_LEVELS, readAuthFile, serverLog, startServer, type ServerOptions } from '../src/server/index.js';
import { parseListeners, propertiesFromEnv, withEnvFlags, type FlagSpec } from './server-env.js';
import { readProperties } from './config/properties-file.js';
import { builtInConsole } from './console-assets.js';

const USAGE = `Usage: sluice server [--port 8088] [--host 127.0.0.1] [--data-dir ./sluice-data]
                     [--config sluice.properties] [--auth-file FILE]
                     [--allowed-hosts NAME[,NAME…]]
                     [--tls-cert FILE --tls-key FILE] [--ext-dir DIR]
                     [--schema-registry-port 8081 | --no-schema-registry
                      | --schema-registry-url URL]
                     [--bootstrap-servers HOST:PORT[,HOST:PORT…] [--service-id ID]]
                     [--log-level trace|debug|info|warn|error|fatal|silent]
                     [--no-console]

Kafka mode: with --bootstrap-servers (or bootstrap.servers in --config) topics are
topics of that Kafka cluster and statements are kept in its command topic
_sluice_<service id>_command_topic, replayed at start; state stores stay in
--data-dir. --service-id (or ksql.service.id) names the service (default default_).
Without it Sluice runs on its embedded log in --data-dir; no Kafka is needed.

Schema Registry: by default the server also serves an embedded Confluent-compatible
Schema Registry on --schema-registry-port (default 8081, or any free port when --port
is 0 or when 8081 is taken, printed at start; 0 = any free port), holding
the schemas AVRO/JSON_SR/PROTOBUF sources use (in memory). --no-schema-registry turns
it off; --schema-registry-url uses an external registry instead (none is embedded).

Properties the server reads from --config (besides engine properties such as
auto.offset.reset, which apply to every request):
  ksql.service.id                     reported by /info (default default_)
  ksql.max.push.queries               concurrent push queries (default 100)
  sluice.server.body.limit.bytes      largest request body (default 1048576)
  sluice.server.request.timeout.ms    non-streaming request time limit (default 60000)
  sluice.server.allowed.hosts         as --allowed-hosts (comma-separated)
  sluice.server.headers.timeout.ms    time to send the HTTP/2 preface, TLS handshake or
                                      request headers before the connection is closed (default 30000)
  sluice.server.idle.timeout.ms       time a connection with no request or stream in
                                      progress stays open (default 30000)
  sluice.server.max.connections       connections open at once; more are closed (default 1000)
  sluice.push.query.buffer.bytes      rows held for a push query client that is not reading;
                                      past it the query is closed with an error (default 4194304)
  sluice.server.max.statements.per.request   statements in one /ksql request (default 1000)
  sluice.server.response.limit.bytes  largest /ksql response (default 16777216)
  sluice.embedded.max.partitions      most partitions of a new embedded-log topic (default 1000)
  sluice.server.slow.request.ms       a non-streaming request slower than this is logged as a
                                      warning (default 5000; 0 = never)

Web console: a browser opening the server's URL (GET /) gets Sluice's console: an SQL
editor, live results, the streams, tables, topics and queries, and each query's
topology. It is served by the server itself (no CDN) under the same TLS and Basic auth
as the API; --no-console turns it off (GET / then redirects to /info, as for clients
that are not browsers).

Logs: one JSON object per line on stdout (pino), one human line per entry when stdout is
a terminal; --log-level sets the least severe level written (default info).

Environment: any flag can be set as SLUICE_<FLAG> (SLUICE_PORT=8088, SLUICE_DATA_DIR=/data,
SLUICE_NO_SCHEMA_REGISTRY=true); flags on the command line win. Properties can be set as
ksqlDB's Docker images take them: KSQL_<PROPERTY>, upper-case, with . as _, _ as __ and
- as ___ (KSQL_KSQL_SERVICE_ID sets ksql.service.id, KSQL_LISTENERS sets listeners), and
KSQL_OPTS="-Dname=value …"; KSQL_OPTS wins over KSQL_ variables, which win over --config.
listeners=http://HOST:PORT (one URL; https:// with --tls-cert/--tls-key) sets the address
when --host/--port are not given.

Security: requests must address the server by a loopback name, its --host address
(any IP when bound to 0.0.0.0/::, and the machine's name), the host of
ksql.advertised.listener, or a name in --allowed-hosts (.example.com allows
subdomains, * allows any); other Host or Origin headers get 403, so web pages
cannot drive the server (DNS rebinding, cross-site requests). POST bodies must be
JSON (application/json, application/vnd.ksql.v1+json, …), else 415; a POST with
no Content-Type is refused only when an Origin header shows a browser. With TLS the
embedded Schema Registry is served over TLS with the same certificate. The data
directory is created 0700 and its files 0600; secret-looking properties
(passwords, sasl.jaas.config, tokens) are shown as [hidden] and kept out of the
command log.`;

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${value}'`);
  return n;
}

/** `sluice server`'s flags; each can also be set as `SLUICE_<FLAG>` (cli/server-env.ts). */
const SERVER_FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  'auth-file': { type: 'string' },
  'allowed-hosts': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'ext-dir': { type: 'string' },
  'schema-registry-port': { type: 'string' },
  'no-schema-registry': { type: 'boolean' },
  'schema-registry-url': { type: 'string' },
  'bootstrap-servers': { type: 'string' },
  'service-id': { type: 'string' },
  'log-level': { type: 'string' },
  'no-console': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, FlagSpec & { readonly short?: string }>;

/** One of the server's listeners, for naming it when its port can't be taken. */
interface ListenerRole {
  readonly port: number;
  readonly what: string;
  /** The flag (or variable, or property) that chose the port. */
  readonly setBy: string;
}

/** A listen error (`EADDRINUSE`, `EACCES`) rephrased to name the listener and the flag that chose its port. */
function listenFailure(e: unknown, roles: readonly ListenerRole[]): string | undefined {
  const err = e as NodeJS.ErrnoException & { port?: number };
  if (err.syscall !== 'listen' || (err.code !== 'EADDRINUSE' && err.code !== 'EACCES')) return undefined;
  const role = roles.find((r) => r.port === err.port);
  if (role === undefined) return undefined;
  const why = err.code === 'EADDRINUSE' ? 'is in use' : 'needs privileges this user lacks (EACCES)';
  return `port ${role.port} for ${role.what} (${role.setBy}) ${why}`;
}

function addressInUse(e: unknown, port: number): boolean {
  const err = e as NodeJS.ErrnoException & { port?: number };
  return err.code === 'EADDRINUSE' && err.port === port;
}

/**
 * `sluice server`: opens the durable engine on the data directory, serves the
 * REST API, and shuts down gracefully on SIGINT/SIGTERM (push queries closed,
 * engine closed, port released). Resolves with the exit code.
 */
export async function serverCommand(argv: readonly string[], version = '0.1.0'): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: SERVER_FLAGS,
      strict: true,
    }).values;
  } catch (e) {
    console.error(`sluice server: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let fromEnv;
  try {
    fromEnv = withEnvFlags(SERVER_FLAGS, parsed, process.env);
  } catch (e) {
    console.error(`sluice server: ${(e as Error).message}`);
    return 2;
  }
  // Flags on the command line, else their SLUICE_… variables.
  const args = fromEnv.values as typeof parsed;
  const origin = fromEnv.origin;
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if ((args['tls-cert'] === undefined) !== (args['tls-key'] === undefined)) {
    console.error(`sluice server: ${origin('tls-cert')} and ${origin('tls-key')} go together`);
    return 2;
  }
  const registryUrl = args['schema-registry-url'];
  if (registryUrl !== undefined && (args['no-schema-registry'] || args['schema-registry-port'] !== undefined)) {
    console.error('sluice server: --schema-registry-url replaces the embedded registry; drop --schema-registry-port / --no-schema-registry');
    return 2;
  }
  const level = args['log-level'] ?? 'info';
  if (!isLogLevel(level)) {
    console.error(`sluice server: ${origin('log-level')} must be one of ${LOG_LEVELS.join(', ')}, got '${level}'`);
    return 2;
  }
  const log = serverLog(createLogger({ level }));
  // Properties: the --config file, then ksqlDB-style KSQL_… variables and KSQL_OPTS -D… (which win).
  const properties = { ...(args.config ? readProperties(args.config) : {}), ...propertiesFromEnv(process.env) };
  // As ksqlDB, a server configuration with properties it can't use still starts: each is named.
  for (const [name, value] of Object.entries(properties)) {
    const problem = propertyProblem(name, value);
    if (problem !== undefined) console.error(`sluice server: warning: ${problem} (ignored)`);
  }
  let port: number;
  let host: string;
  let portSetBy: string;
  let registryPort: number;
  let users;
  try {
    // ksqlDB's `listeners` (http://0.0.0.0:8088) chooses the address unless --port/--host do.
    const listener = properties.listeners === undefined ? undefined : parseListeners(properties.listeners);
    if (listener && listener.tls !== (args['tls-cert'] !== undefined)) {
      throw new Error(
        listener.tls
          ? `listeners: ${properties.listeners} needs --tls-cert and --tls-key`
          : `listeners: ${properties.listeners} is http:// but --tls-cert is given; use https://`,
      );
    }
    portSetBy = args.port !== undefined || listener === undefined ? origin('port') : 'listeners';
    port = intOption(args.port, origin('port'), listener?.port ?? 8088);
    host = args.host ?? listener?.host ?? '127.0.0.1';
    registryPort = intOption(args['schema-registry-port'], origin('schema-registry-port'), port === 0 ? 0 : 8081);
    if (args['schema-registry-port'] !== undefined && registryPort !== 0 && registryPort === port) {
      throw new Error(`${origin('schema-registry-port')} ${registryPort} is the REST API's port (${portSetBy}); give them different ports`);
    }
    users = args['auth-file'] ? readAuthFile(args['auth-file']) : undefined;
  } catch (e) {
    console.error(`sluice server: ${(e as Error).message}`);
    return 2;
  }
  const allowedHosts = (args['allowed-hosts'] ?? properties['sluice.server.allowed.hosts'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  // Files and directories the server creates (data, state, logs) are private to its user.
  process.umask(0o077);
  const tls = args['tls-cert'] && args['tls-key'] ? { cert: readFileSync(args['tls-cert']), key: readFileSync(args['tls-key']) } : undefined;
  // User-defined functions load before the engine replays queries that may call them.
  const extDir = args['ext-dir'] ?? properties['ksql.extension.dir'];
  if (extDir !== undefined) {
    const report = await loadExtensions(resolve(extDir));
    for (const f of report.loaded) console.log(`Loaded ${f.kind} function ${f.name} from ${f.file}`);
    for (const e of report.errors) console.error(`sluice server: extension ${e.file}: ${e.message}`);
  }
  // ksqlDB's ksql.schema.registry.url in the configuration, unless the flag says otherwise.
  const remoteUrl = registryUrl ?? properties['ksql.schema.registry.url'];
  const remote = remoteUrl === undefined ? undefined : new RemoteSchemaRegistry({ url: remoteUrl });
  const bootstrap = args['bootstrap-servers'] ?? properties['bootstrap.servers'];
  const serviceId = args['service-id'] ?? properties['ksql.service.id'] ?? 'default_';
  if (args['service-id'] !== undefined) properties['ksql.service.id'] = serviceId;
  const kafka =
    bootstrap === undefined
      ? undefined
      : {
          brokers: bootstrap
            .split(',')
            .map((b) => b.trim())
            .filter(Boolean),
          serviceId,
        };
  if (kafka) console.log(`Kafka mode: brokers ${kafka.brokers.join(',')}, service id ${serviceId}`);
  const connectUrl = properties['ksql.connect.url']?.trim();
  const engine = await Engine.open({
    dataDir: resolve(args['data-dir'] ?? './sluice-data'),
    properties,
    ...(remote ? { schemaRegistry: remote } : {}),
    ...(kafka ? { kafka } : {}),
    events: log.events,
    // ksql.connect.url: connector statements go to that Kafka Connect cluster, as in ksqlDB;
    // without one, connectors run inside an embedded server. Not in Kafka mode: every server of the
    // service would run its own copy of each connector and write everything twice.
    connectors: connectUrl
      ? () => new ConnectClient({ url: connectUrl })
      : (deps) =>
          deps.kafkaMode
            ? unavailableConnectors('in Kafka mode connectors run on Kafka Connect: set ksql.connect.url to its REST URL')
            : new BuiltinConnectors(deps),
  });
  const options: ServerOptions = {
    engine,
    port,
    host,
    users,
    allowedHosts,
    tls,
    maxPushQueries: intOption(properties['ksql.max.push.queries'], 'ksql.max.push.queries', 100),
    bodyLimit: intOption(properties['sluice.server.body.limit.bytes'], 'sluice.server.body.limit.bytes', 1024 * 1024),
    requestTimeoutMs: intOption(properties['sluice.server.request.timeout.ms'], 'sluice.server.request.timeout.ms', 60_000),
    headersTimeoutMs: intOption(properties['sluice.server.headers.timeout.ms'], 'sluice.server.headers.timeout.ms', 30_000),
    idleTimeoutMs: intOption(properties['sluice.server.idle.timeout.ms'], 'sluice.server.idle.timeout.ms', 30_000),
    maxConnections: intOption(properties['sluice.server.max.connections'], 'sluice.server.max.connections', 1000),
    pushBufferBytes: intOption(properties['sluice.push.query.buffer.bytes'], 'sluice.push.query.buffer.bytes', 4 * 1024 * 1024),
    serviceId: properties['ksql.service.id'],
    properties,
    log,
    version,
    slowRequestMs: intOption(properties['sluice.server.slow.request.ms'], 'sluice.server.slow.request.ms', 5000),
    console: args['no-console'] ? undefined : builtInConsole(),
  };
  const embeddedRegistry = remote === undefined && !args['no-schema-registry'];
  const start = (registry: number) => startServer({ ...options, ...(embeddedRegistry ? { schemaRegistry: { port: registry } } : {}) });
  let server;
  let registryNote = '';
  try {
    server = await start(registryPort).catch((e: unknown) => {
      // Confluent's 8081 is only a default: when another registry (or a second Sluice) holds
      // it, take any free port and say which, rather than refuse to start.
      if (!embeddedRegistry || args['schema-registry-port'] !== undefined || !addressInUse(e, registryPort)) throw e;
      registryNote = ` (port ${registryPort} is in use; --schema-registry-port chooses the port)`;
      return start(0);
    });
  } catch (e) {
    await engine.close();
    await remote?.close();
    const failure = listenFailure(e, [
      { port, what: 'the REST API', setBy: portSetBy },
      { port: registryPort, what: 'the embedded Schema Registry', setBy: origin('schema-registry-port') },
    ]);
    if (failure === undefined) throw e;
    console.error(`sluice server: ${failure}`);
    return 1;
  }
  console.log(`Sluice server listening on ${server.url}`);
  // Kafka mode: where the service's other servers forward pull queries for keys this one owns.
  engine.advertise(properties['ksql.advertised.listener'] ?? server.url);
  if (server.schemaRegistry) console.log(`Schema Registry listening on ${server.schemaRegistry.url}${registryNote}`);
  log.logger.info(
    {
      version,
      listeners: [server.url, ...(server.schemaRegistry ? [server.schemaRegistry.url] : [])],
      dataDir: resolve(args['data-dir'] ?? './sluice-data'),
      mode: kafka ? 'kafka' : 'embedded',
      persistentQueries: engine.queries.size,
    },
    'server started',
  );
  const running = server;
  return new Promise<number>((done) => {
    const stop = (signal: string) => {
      console.log(`Received ${signal}, shutting down`);
      log.logger.info({ signal }, 'server stopping');
      running
        .close()
        .then(() => remote?.close())
        .then(
          () => done(0),
          (e: unknown) => {
            console.error(`sluice server: shutdown failed: ${(e as Error).message}`);
            done(1);
          },
        );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
