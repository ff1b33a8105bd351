/**
 * Connector statements against a Kafka Connect cluster (`ksql.connect.url`),
 * the way ksqlDB's `DefaultConnectClient` and its connector executors use
 * Connect's REST API: the same calls, retries, validation before create,
 * config rewriting and error messages.
 */
import { ErrorCode } from '../../common/errors.js';
import {
  type ConnectorDescription,
  ConnectorError,
  type ConnectorInfo,
  type ConnectorPlugin,
  type ConnectorService,
  type ConnectorStatus,
  type ConnectorSummary,
  type ConnectorType,
  type CreateConnectorOutcome,
  errorCodeForStatus,
  summarizeState,
} from './connector.js';

/** How to reach the Connect cluster. */
export interface ConnectClientOptions {
  /** The worker's REST base URL, e.g. `http://localhost:8083` (a path prefix is kept). */
  readonly url: string;
  /** Per-request timeout (connect + response), ms; default 30 000 as ksqlDB's. */
  readonly timeoutMs?: number;
  /** First wait between attempts, ms, doubled each time; default 100. */
  readonly retryWaitMs?: number;
}

/** ksqlDB sends at most three attempts per call. */
const MAX_ATTEMPTS = 3;
/** ksqlDB's default key converter when a statement names none (`Connectors.resolve`). */
const DEFAULT_KEY_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';

/** One Connect answer: its HTTP status and body text. */
interface ConnectResponse {
  readonly status: number;
  readonly body: string;
}

/** The one connector class ksqlDB rewrites the config of (`connect/supported/JdbcSource`). */
const JDBC_SOURCE_CLASS = 'io.confluent.connect.jdbc.JdbcSourceConnector';

/**
 * The config ksqlDB sends for a statement's properties (`Connectors.resolve`
 * plus the executor's `name`): `name` is the connector's and `key.converter`
 * defaults to Connect's StringConverter. For the JDBC source (its full class
 * name only), `tasks.max` defaults to 1 and the pseudo-property `key` becomes
 * two transforms that copy that column of the value into the record key.
 */
export function resolveConnectConfig(name: string, config: Readonly<Record<string, string>>): Record<string, string> {
  const resolved: Record<string, string> = { ...config };
  if (resolved['connector.class'] === JDBC_SOURCE_CLASS) {
    const key = resolved.key;
    if (key !== undefined) {
      delete resolved.key;
      const added = 'ksqlCreateKey,ksqlExtractString';
      resolved.transforms = resolved.transforms === undefined ? added : `${resolved.transforms},${added}`;
      resolved['transforms.ksqlCreateKey.type'] = 'org.apache.kafka.connect.transforms.ValueToKey';
      resolved['transforms.ksqlCreateKey.fields'] = key;
      resolved['transforms.ksqlExtractString.type'] = 'org.apache.kafka.connect.transforms.ExtractField$Key';
      resolved['transforms.ksqlExtractString.field'] = key;
    }
    if (resolved['tasks.max'] === undefined) resolved['tasks.max'] = '1';
  }
  if (resolved['key.converter'] === undefined) resolved['key.converter'] = DEFAULT_KEY_CONVERTER;
  resolved.name = name;
  return resolved;
}

/** A config as Java's `Map.toString` prints it, which ksqlDB's "contains no connector type" message embeds. */
function javaMapString(config: Readonly<Record<string, string>>): string {
  return `{${Object.entries(config)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
}

/**
 * {@link ConnectorService} over Kafka Connect's REST API. Every call has a
 * timeout and up to three attempts, waiting exponentially between them, when
 * Connect answers ≥ 500 or 409 (a rebalance in progress) or cannot be reached;
 * the last answer is what counts. Connect keeps connectors durably itself, so
 * statements replayed from the command log (`replaying`) send nothing.
 * Connector names are sent as given (case-sensitive); ksqlDB checks name
 * clashes case-insensitively before creating, and so does this client.
 */
export class ConnectClient implements ConnectorService {
  readonly kind = 'connect';
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly retryWaitMs: number;

  constructor(options: ConnectClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retryWaitMs = options.retryWaitMs ?? 100;
  }

  /** The Connect URL this client talks to. */
  get url(): string {
    return this.base;
  }

  async create(
    name: string,
    config: Readonly<Record<string, string>>,
    options: { readonly ifNotExists: boolean; readonly replaying: boolean },
  ): Promise<CreateConnectorOutcome> {
    const resolved = resolveConnectConfig(name, config);
    if (options.replaying) return { kind: 'Created', info: { name, config: resolved, tasks: [], type: 'unknown' } };
    // ksqlDB's validate phase, then its execute phase.
    const exists = await this.exists(name);
    if (exists) {
      if (options.ifNotExists) return { kind: 'AlreadyExists', name };
      throw new ConnectorError(`Connector ${name} already exists`, ErrorCode.CONFLICT);
    }
    const problems = await this.validate(resolved);
    if (problems.length > 0) throw new ConnectorError(`Validation error: ${problems.join('\n')}`, ErrorCode.BAD_REQUEST);
    const res = await this.call('POST', '/connectors', { name, config: resolved });
    if (res.status !== 201) throw failure('Failed to create connector', res);
    return { kind: 'Created', info: toInfo(JSON.parse(res.body)) };
  }

  /**
   * Every connector with its type, class and summarised state
   * ({@link summarizeState}). One whose config Connect cannot return
   * is listed as type `unknown` with a warning, as ksqlDB does; one whose
   * status it cannot return is listed without a state.
   */
  async list(): Promise<{ readonly connectors: readonly ConnectorSummary[]; readonly warnings: readonly string[] }> {
    const names = await this.names('Failed to list connectors');
    const rows = await Promise.all(
      names.map(async (name): Promise<{ summary: ConnectorSummary; warning?: string }> => {
        const info = await this.call('GET', `/connectors/${encodeURIComponent(name)}`);
        if (info.status !== 200) return { summary: { name, type: 'unknown' }, warning: `Could not describe connector ${name}: ${info.body}` };
        const parsed = toInfo(JSON.parse(info.body));
        const className = parsed.config['connector.class'];
        const status = await this.call('GET', `/connectors/${encodeURIComponent(name)}/status`);
        const state = status.status === 200 ? summarizeState(toStatus(JSON.parse(status.body))) : undefined;
        return {
          summary: { name, type: parsed.type, ...(className !== undefined && { className }), ...(state !== undefined && { state }) },
        };
      }),
    );
    return {
      connectors: rows.map((r) => r.summary),
      warnings: rows.flatMap((r) => (r.warning === undefined ? [] : [r.warning])),
    };
  }

  /**
   * Status, then config (the order and messages of ksqlDB's executor), then
   * the topics the connector has used (`GET /connectors/{name}/topics`; empty
   * when the worker does not track topics). ksqlDB only asks for topics for
   * the JDBC source; Sluice asks for every connector.
   */
  async describe(name: string): Promise<ConnectorDescription> {
    const path = `/connectors/${encodeURIComponent(name)}`;
    const status = await this.call('GET', `${path}/status`);
    if (status.status !== 200) throw failure('Failed to query connector status', status);
    const info = await this.call('GET', path);
    if (info.status !== 200) throw failure('Failed to describe connector', info);
    const topics = await this.call('GET', `${path}/topics`);
    const parsedInfo = toInfo(JSON.parse(info.body));
    return {
      info: parsedInfo,
      connectorClass: parsedInfo.config['connector.class'] ?? '',
      status: toStatus(JSON.parse(status.body)),
      topics: topics.status === 200 ? topicsOf(name, JSON.parse(topics.body)) : [],
    };
  }

  async drop(name: string, options: { readonly replaying: boolean }): Promise<boolean> {
    if (options.replaying) return true;
    const res = await this.call('DELETE', `/connectors/${encodeURIComponent(name)}`);
    if (res.status === 204 || res.status === 200) return true;
    if (res.status === 404) return false;
    throw failure('Failed to drop connector', res);
  }

  /** The connector plugins the worker has (Connect lists connectors only unless asked for all plugin kinds). */
  async plugins(): Promise<readonly ConnectorPlugin[]> {
    const res = await this.call('GET', '/connector-plugins');
    if (res.status !== 200) throw failure('Failed to list connector plugins', res);
    const plugins = JSON.parse(res.body) as { class: string; type: string; version?: string }[];
    return plugins.map((p) => ({ className: p.class, type: connectorType(p.type), version: p.version ?? '' }));
  }

  async close(): Promise<void> {}

  /** Whether Connect has a connector of this name, compared case-insensitively as ksqlDB does. */
  private async exists(name: string): Promise<boolean> {
    const names = await this.names('Failed to check for existing connector', ErrorCode.SERVER_ERROR);
    const wanted = name.toLowerCase();
    return names.some((n) => n.toLowerCase() === wanted);
  }

  private async names(prefix: string, code?: ErrorCode): Promise<string[]> {
    const res = await this.call('GET', '/connectors');
    if (res.status !== 200) throw failure(prefix, res, code);
    return JSON.parse(res.body) as string[];
  }

  /**
   * ksqlDB's config checks before a create: `connector.class` present and not
   * blank, then Connect's own validation; each config with errors becomes
   * `<name> - <error>. <error>`, and a failed validate call its body.
   */
  private async validate(config: Readonly<Record<string, string>>): Promise<string[]> {
    const type = config['connector.class'];
    if (type === undefined) return [`Connector config ${javaMapString(config)} contains no connector type`];
    if (type.trim() === '') return ['Connector type cannot be empty'];
    const res = await this.call('PUT', `/connector-plugins/${encodeURIComponent(type)}/config/validate`, config);
    if (res.status !== 200) return [res.body];
    const infos = JSON.parse(res.body) as { configs?: { value: { name: string; errors: string[] } }[] };
    return (infos.configs ?? []).filter((c) => c.value.errors.length > 0).map((c) => `${c.value.name} - ${c.value.errors.join('. ')}`);
  }

  /**
   * One REST call with ksqlDB's retry policy. An answer that is still ≥ 500 or
   * 409 after the last attempt is returned; a worker that cannot be reached at
   * all is a 50000 error naming the URL and the setting.
   */
  private async call(method: string, path: string, body?: unknown): Promise<ConnectResponse> {
    let lastError: unknown;
    let last: ConnectResponse | undefined;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) await wait(this.retryWaitMs * 2 ** (attempt - 2));
      try {
        const res = await fetch(this.base + path, {
          method,
          headers: { Accept: 'application/json', ...(body !== undefined && { 'Content-Type': 'application/json' }) },
          ...(body !== undefined && { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        last = { status: res.status, body: await res.text() };
        lastError = undefined;
        if (res.status < 500 && res.status !== 409) return last;
      } catch (err) {
        lastError = err;
        last = undefined;
      }
    }
    if (last !== undefined) return last;
    throw new ConnectorError(`Could not reach Kafka Connect at ${this.base} (ksql.connect.url): ${reason(lastError, this.timeoutMs)}`, ErrorCode.SERVER_ERROR);
  }
}

/** A Connect error answer as ksqlDB reports it: `<prefix>: <Connect's body>`, code status × 100. */
function failure(prefix: string, res: ConnectResponse, code?: ErrorCode): ConnectorError {
  return new ConnectorError(`${prefix}: ${res.body}`, code ?? errorCodeForStatus(res.status));
}

/** Why fetch failed, in plain words: the socket error (`connect ECONNREFUSED 127.0.0.1:8083`) or the timeout. */
function reason(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    return err.message;
  }
  return String(err);
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function connectorType(type: string | undefined): ConnectorType {
  return type === 'source' || type === 'sink' ? type : 'unknown';
}

/** Connect's `ConnectorInfo` JSON, typed. */
function toInfo(json: { name: string; config?: Record<string, string>; tasks?: { connector: string; task: number }[]; type?: string }): ConnectorInfo {
  return {
    name: json.name,
    config: json.config ?? {},
    tasks: (json.tasks ?? []).map((t) => ({ connector: t.connector, task: t.task })),
    type: connectorType(json.type),
  };
}

interface StateJson {
  state: string;
  worker_id: string;
  trace?: string;
}

function state(json: StateJson): { state: string; worker_id: string; trace?: string } {
  return { state: json.state, worker_id: json.worker_id, ...(json.trace && { trace: json.trace }) };
}

/** Connect's `ConnectorStateInfo` JSON, typed (an empty trace is omitted, as ksqlDB's entity does). */
function toStatus(json: { name: string; connector: StateJson; tasks?: (StateJson & { id: number })[]; type?: string }): ConnectorStatus {
  return {
    name: json.name,
    connector: state(json.connector),
    tasks: (json.tasks ?? []).map((t) => ({ id: t.id, ...state(t) })),
    type: connectorType(json.type),
  };
}

/** `GET /connectors/{name}/topics` answers `{"<name>":{"topics":[…]}}`. */
function topicsOf(name: string, json: Record<string, { topics?: string[] } | undefined>): string[] {
  return json[name]?.topics ?? [];
}
