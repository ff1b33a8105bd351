import type { TransientQuery } from '../../runtime/query/transient-query.js';
import type { ServerEngine } from './engine-port.js';
import type { HostPolicy } from './request-guard.js';
import { HttpError, MAX_PUSH_QUERIES_EXCEEDED, badRequest, genericError } from './errors.js';
import type { LagReports } from './lag-reports.js';
import type { StatementCache } from '../../runtime/engine/prepare.js';
import type { ConsoleAssets } from './console-assets.js';

/** Server settings after defaults are applied. */
export interface ServerSettings {
  /** Largest request body accepted, in bytes (streaming inserts: per line). */
  readonly bodyLimit: number;
  /** Push queries that may run at once; the next one is refused with 40003. */
  readonly maxPushQueries: number;
  /** Longest time a non-streaming request may take, in ms (0: no limit). */
  readonly requestTimeoutMs: number;
  /** Names (`Host`, `Origin`) the server answers to. */
  readonly hosts: HostPolicy;
  /** Rows a push query may hold for a client that is not reading, in bytes; past it the query is closed with an error (0: no bound). */
  readonly pushBufferBytes: number;
  /** `HTTP Basic` users (name → password); empty map: no authentication. */
  readonly users: ReadonlyMap<string, string>;
  readonly version: string;
  readonly serviceId: string;
  readonly kafkaClusterId: string;
  /** Server-level properties (from `--config`), reported by SHOW PROPERTIES / is_valid_property. */
  readonly properties: Readonly<Record<string, string>>;
  /** The web console served at `GET /`; undefined: none (`--no-console`, or a build without it). */
  readonly console: ConsoleAssets | undefined;
}

/**
 * Keeps the running push queries, so `/close-query` and shutdown can reach them
 * and their number is bounded. Invariant: a slot is claimed before a push query
 * starts and given back when it fails to start or, whatever ends it (LIMIT,
 * `/close-query`, the client going away, an error, shutdown), when its `done`
 * resolves.
 */
export class PushQueryRegistry {
  private readonly active = new Map<string, TransientQuery>();
  /** Scalable push queries: kept, not counted. */
  private readonly scalable = new Map<string, TransientQuery>();
  private starting = 0;

  constructor(private readonly max: number) {}

  /** Slots in use: running push queries and those starting. */
  get size(): number {
    return this.active.size + this.starting;
  }

  /**
   * Claims a slot for a push query about to start.
   * @throws HttpError 40003 when the limit of concurrent push queries is reached.
   */
  claim(): void {
    if (this.size >= this.max) {
      throw new HttpError(genericError(MAX_PUSH_QUERIES_EXCEEDED, `Not executing query as maximum number of push queries has been reached: ${this.max}`));
    }
    this.starting++;
  }

  /** Gives back a claimed slot whose query did not start. */
  unclaim(): void {
    this.starting--;
  }

  /**
   * Keeps a scalable push query (for `/close-query` and shutdown) without a
   * slot: ksqlDB does not count those against the limit.
   */
  track(q: TransientQuery): void {
    this.scalable.set(q.id, q);
    void q.done.then(() => {
      if (this.scalable.get(q.id) === q) this.scalable.delete(q.id);
    });
  }

  /** Hands a claimed slot to the started query `q`; the slot frees itself when `q` is done. */
  add(q: TransientQuery): void {
    this.starting--;
    this.active.set(q.id, q);
    void q.done.then(() => {
      if (this.active.get(q.id) === q) this.active.delete(q.id);
    });
  }

  get(id: string): TransientQuery | undefined {
    return this.active.get(id) ?? this.scalable.get(id);
  }

  /** Closes every push query (shutdown). */
  closeAll(): void {
    for (const q of [...this.active.values(), ...this.scalable.values()]) q.close();
    this.active.clear();
    this.scalable.clear();
  }
}

/** Status of a command by command id, for `/status`. */
export interface CommandStatusRecord {
  readonly status: string;
  readonly message: string;
  readonly queryId: string | null;
}

/** Everything route handlers share. */
export interface ServerContext {
  readonly engine: ServerEngine;
  readonly settings: ServerSettings;
  readonly pushQueries: PushQueryRegistry;
  readonly commandStatuses: Map<string, CommandStatusRecord>;
  /** The latest `POST /lag` report of each host, for `/clusterStatus`. */
  readonly lagReports: LagReports;
  /** Parses of `/query`, `/query-stream` and `/ws/query` statements, shared by queries differing only in literals. */
  readonly statements: StatementCache;
  /** Set once shutdown starts: new requests are refused with 50300. */
  closing: boolean;
}

/** A parsed JSON request body checked to be an object. */
export type JsonObject = Record<string, unknown>;

/**
 * Checks a request body: an object holding only `allowed` fields.
 * @throws HttpError 40000 naming the first problem.
 */
export function requireObject(body: unknown, allowed: readonly string[]): JsonObject {
  if (body === undefined || body === null) throw badRequest('Request body is missing: expected a JSON object.');
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('Request body must be a JSON object.');
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) throw badRequest(`Unrecognized field "${k}": expected one of ${allowed.map((a) => `"${a}"`).join(', ')}.`);
  }
  return body as JsonObject;
}

/** A required string field. @throws HttpError 40000 */
export function stringField(o: JsonObject, name: string): string {
  const v = o[name];
  if (typeof v !== 'string') throw badRequest(`Field "${name}" is required and must be a string.`);
  return v;
}

/**
 * An optional map of strings (`streamsProperties`, `sessionVariables`).
 * Numbers and booleans are accepted and turned into text, as ksqlDB does.
 * @throws HttpError 40000
 */
export function stringMapField(o: JsonObject, name: string): Record<string, string> | undefined {
  const v = o[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest(`Field "${name}" must be a JSON object.`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as object)) {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else throw badRequest(`Field "${name}.${k}" must be a string, number or boolean.`);
  }
  return out;
}

/** Rejects with a 50000 error when `p` takes longer than `ms` (0: never). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  if (ms <= 0) return p;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpError(genericError(50000, `${what} timed out after ${ms} ms.`))), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A statement as ksqlDB echoes it in `statementText`: trimmed, ending with `;`. */
export function withSemicolon(text: string): string {
  const t = text.trim();
  return t.endsWith(';') ? t : `${t};`;
}
