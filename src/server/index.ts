/**
 * The ksqlDB-compatible REST server: `startServer(options)` serves an engine
 * over HTTP/1.1 and HTTP/2 on one port.
 */
export { startServer, type EmbeddedSchemaRegistryOptions, type RunningServer, type ServerOptions } from './server.js';
export { startSchemaRegistryServer, type RunningSchemaRegistry } from './schema-registry/index.js';
export type { ServerEngine } from './http/engine-port.js';
export { readAuthFile } from './http/auth.js';
export { createLogger, isLogLevel, LOG_LEVELS, type LogLevel } from './observability/logger.js';
export { serverLog, type ServerLog } from './observability/log-events.js';
export type { ConsoleAssets } from './http/console-assets.js';
