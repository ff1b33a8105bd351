/**
 * The connector contract: what `CREATE SOURCE|SINK CONNECTOR`, `SHOW
 * CONNECTORS`, `DESCRIBE CONNECTOR`, `DROP CONNECTOR` and `SHOW CONNECTOR
 * PLUGINS` talk to. Two implementations sit behind {@link ConnectorService}:
 * a Kafka Connect cluster's REST API (`ksql.connect.url`, as ksqlDB does) and
 * Sluice's built-in connectors running inside the server (no Connect cluster).
 * The shapes are Kafka Connect's own, so ksqlDB's entities can carry them as is.
 */
import { ErrorCode, SluiceError } from '../../common/errors.js';
import type { ProcessingLogger } from '../../common/processing-log.js';
import type { Catalog } from '../../planner/catalog.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';
import type { Log } from '../log/log.js';

/** A connector's type as Kafka Connect and ksqlDB's entities spell it (lower case). */
export type ConnectorType = 'source' | 'sink' | 'unknown';

/** Kafka Connect's `ConnectorInfo`: the config as stored (every value a string) and its tasks. */
export interface ConnectorInfo {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
  readonly tasks: readonly { readonly connector: string; readonly task: number }[];
  readonly type: ConnectorType;
}

/** The state of a connector or one of its tasks; `trace` (the last failure) is omitted when there is none. */
export interface ConnectorState {
  /** `RUNNING`, `PAUSED`, `FAILED`, `UNASSIGNED`, `STOPPED`, `RESTARTING`. */
  readonly state: string;
  readonly worker_id: string;
  readonly trace?: string;
}

/** Kafka Connect's `ConnectorStateInfo` (`GET /connectors/{name}/status`). */
export interface ConnectorStatus {
  readonly name: string;
  readonly connector: ConnectorState;
  readonly tasks: readonly (ConnectorState & { readonly id: number })[];
  readonly type: ConnectorType;
}

/** One row of `SHOW CONNECTORS` (ksqlDB's `SimpleConnectorInfo`); fields unknown are omitted. */
export interface ConnectorSummary {
  readonly name: string;
  readonly type: ConnectorType;
  readonly className?: string;
  /** As ksqlDB summarises it ({@link summarizeState}): `RUNNING (1/1 tasks RUNNING)`, `WARNING (0/1 tasks RUNNING)`, or the connector's state. */
  readonly state?: string;
}

/** One row of `SHOW CONNECTOR PLUGINS`. */
export interface ConnectorPlugin {
  readonly className: string;
  /** `source` or `sink` (Connect also lists converters and transformations; ksqlDB shows connectors only). */
  readonly type: ConnectorType;
  readonly version: string;
}

/** `DESCRIBE CONNECTOR`: the connector's class, its status and the topics it reads or writes. */
export interface ConnectorDescription {
  readonly info: ConnectorInfo;
  readonly connectorClass: string;
  readonly status: ConnectorStatus;
  readonly topics: readonly string[];
}

/** What `create` did: created it, or (IF NOT EXISTS) found one of that name and did nothing. */
export type CreateConnectorOutcome = { readonly kind: 'Created'; readonly info: ConnectorInfo } | { readonly kind: 'AlreadyExists'; readonly name: string };

/**
 * Where connector statements go. Invariants: names are case-sensitive as given
 * (the statement has already applied SQL identifier rules); every config value
 * is a string; failures throw {@link ConnectorError} with ksqlDB's message
 * prefixes (`Failed to create connector: …`) or another `SluiceError`.
 */
export interface ConnectorService {
  /** `built-in` (inside Sluice) or `connect` (a Kafka Connect cluster at `url`). */
  readonly kind: 'built-in' | 'connect';
  /**
   * Creates and starts a connector. `replaying`: the command log replays a
   * statement accepted before a restart (built-ins restart the connector from
   * its saved position; a Connect cluster already has it, so nothing is sent).
   */
  create(
    name: string,
    config: Readonly<Record<string, string>>,
    options: { readonly ifNotExists: boolean; readonly replaying: boolean },
  ): Promise<CreateConnectorOutcome>;
  /**
   * Every connector, its `state` from {@link summarizeState}. One that could not
   * be described is listed as `{name, type: 'unknown'}` with a warning `Could not
   * describe connector <name>: <why>`. The statement handler (not the service)
   * leaves out other types and unknown ones for `SHOW SOURCE|SINK CONNECTORS`.
   */
  list(): Promise<{ readonly connectors: readonly ConnectorSummary[]; readonly warnings: readonly string[] }>;
  describe(name: string): Promise<ConnectorDescription>;
  /** Stops and removes a connector; false when there was none of that name (IF EXISTS → a warning). */
  drop(name: string, options: { readonly replaying: boolean }): Promise<boolean>;
  plugins(): Promise<readonly ConnectorPlugin[]>;
  /** Stops every running connector (built-ins) or releases connections; nothing is deleted. */
  close(): Promise<void>;
}

/**
 * A connector's `state` as `SHOW CONNECTORS` shows it (ksqlDB's
 * `ListConnectorsExecutor.summarizeState`): the connector's own state unless it
 * runs; when it runs, `RUNNING (n/m tasks RUNNING)`, or `WARNING (0/m tasks
 * RUNNING)` when it has tasks and none runs. Both services fill
 * {@link ConnectorSummary.state} with it.
 */
export function summarizeState(status: ConnectorStatus): string {
  if (status.connector.state !== 'RUNNING') return status.connector.state;
  const running = status.tasks.filter((t) => t.state === 'RUNNING').length;
  const total = status.tasks.length;
  return `${total > 0 && running === 0 ? 'WARNING' : 'RUNNING'} (${running}/${total} tasks RUNNING)`;
}

/** The ksqlDB error code for an HTTP status a connector service answered with (`Errors.toErrorCode`: status × 100). */
export function errorCodeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return ErrorCode.BAD_REQUEST;
    case 401:
      return ErrorCode.UNAUTHORIZED;
    case 403:
      return ErrorCode.FORBIDDEN;
    case 404:
      return ErrorCode.NOT_FOUND;
    case 409:
      return ErrorCode.CONFLICT;
    default:
      return status >= 400 && status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.SERVER_ERROR;
  }
}

/**
 * A connector statement failed at the connector service: Kafka Connect's answer
 * (its HTTP status becomes the error code, status × 100, as ksqlDB's does) or a
 * built-in connector's refusal worded as Connect words it. The message carries
 * ksqlDB's prefix, e.g. `Failed to create connector: {"error_code":400,…}`.
 */
export class ConnectorError extends SluiceError {
  readonly errorCode: ErrorCode;
  constructor(message: string, errorCode: ErrorCode) {
    super(message);
    this.errorCode = errorCode;
  }
}

/**
 * What the engine gives a connector service when it opens one. Built-in
 * connectors read and append through `log` and resolve a sink's topic to the
 * stream or table over it in `catalog`; a Kafka Connect client needs only the
 * server properties (`ksql.connect.url`).
 */
export interface ConnectorDeps {
  readonly log: Log;
  readonly catalog: Catalog;
  readonly registry: SchemaRegistry;
  readonly logger: ProcessingLogger;
  /** The server's properties (its configuration and ALTER SYSTEM's). */
  readonly serverProperties: ReadonlyMap<string, string>;
  /** True in Kafka mode (the log is a Kafka cluster shared with other servers). */
  readonly kafkaMode: boolean;
}
