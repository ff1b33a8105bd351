/**
 * A {@link SchemaRegistry} backed by an external Confluent-compatible Schema
 * Registry (`sluice server --schema-registry-url URL`).
 *
 * The serdes' interface is synchronous, the network is not. So every answer
 * comes from a local cache, and the cache is filled in two ways:
 *
 * - **Awaited, non-blocking** (the intended path): {@link RemoteSchemaRegistry.prefetch}
 *   (ids and subjects), {@link RemoteSchemaRegistry.registerAsync} and
 *   {@link RemoteSchemaRegistry.sync}. The engine awaits these before the
 *   synchronous calls that need the answers.
 * - **Blocking fallback** (a safety net; `blockingFallback: false` turns it off):
 *   a synchronous call that misses the cache performs the HTTP request on a
 *   helper worker thread and waits for it with `Atomics.wait`, blocking this
 *   thread for one round trip (bounded by `timeoutMs`). Correct, but it stalls
 *   the event loop, so hot paths should not rely on it.
 *
 * Which synchronous calls may hit the network (only on a cache miss):
 * - `register(schema, {subject})`: POST /subjects/{subject}/versions, unless
 *   this exact schema was already registered under that subject through this
 *   object. Without a subject, the schema is registered under
 *   `sluice-<hash of the schema>` (Confluent has no subject-less registration).
 * - `getSchema(id)` / `getRegistered(id)`: GET /schemas/ids/{id} (plus
 *   GET /subjects/{s}/versions/{v} per reference). Schemas by id are immutable
 *   and cached forever; unknown ids are not cached.
 * - `getLatest(subject)`: GET /subjects/{subject}/versions/latest the first
 *   time; afterwards the cached answer until {@link RemoteSchemaRegistry.sync}
 *   or `prefetch({subjects})` refreshes it (the latest version of a subject can
 *   change on the remote side).
 */
import { createHash } from 'node:crypto';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { FormatName, RegisteredSchema, SchemaReference, SchemaRegistry } from './serde-types.js';
import { guessSchemaFormat, schemaString, schemaTypeOfFormat } from './schema-registry.js';

/** Options of {@link RemoteSchemaRegistry}. */
export interface RemoteSchemaRegistryOptions {
  /** Base URL, e.g. `http://localhost:8081`. */
  readonly url: string;
  /** HTTP Basic credentials. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Per-request time limit in ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Let synchronous calls that miss the cache block on the network (see the module doc). Default true. */
  readonly blockingFallback?: boolean;
}

/** A request the registry logic wants made. */
interface Req {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}
/** Its answer: HTTP status and parsed JSON body. */
interface Res {
  readonly status: number;
  readonly body: unknown;
}
/** Registry logic written once as a generator of requests, run synchronously or asynchronously. */
type Flow<T> = Generator<Req, T, Res>;

/** Failure talking to the remote registry (network error, unexpected status). */
export class RemoteSchemaRegistryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly errorCode?: number,
  ) {
    super(message);
    this.name = 'RemoteSchemaRegistryError';
  }
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

function formatOf(schemaType: unknown): FormatName {
  return schemaType === 'JSON' ? 'JSON_SR' : schemaType === 'PROTOBUF' ? 'PROTOBUF' : 'AVRO';
}

function failure(req: Req, res: Res): RemoteSchemaRegistryError {
  const b = (res.body ?? {}) as { error_code?: number; message?: string };
  return new RemoteSchemaRegistryError(
    `Schema Registry ${req.method} ${req.path} failed (${res.status}): ${b.message ?? JSON.stringify(res.body)}`,
    res.status,
    b.error_code,
  );
}

/** Worker that performs one HTTP request per message and wakes the waiting thread. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, state } = workerData;
const flag = new Int32Array(state);
port.on('message', async (req) => {
  let out;
  try {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(req.timeoutMs) });
    out = { status: res.status, text: await res.text() };
  } catch (e) {
    out = { error: String((e && e.message) || e) };
  }
  port.postMessage(out);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});`;

/** Synchronous HTTP through a worker thread and `Atomics.wait`. */
class BlockingHttp {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, state: this.flag.buffer }, transferList: [port2] });
    this.worker.unref();
  }

  request(url: string, init: { method: string; headers: Record<string, string>; body?: string }, timeoutMs: number): { status: number; text: string } {
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ url, ...init, timeoutMs });
    if (Atomics.wait(this.flag, 0, 0, timeoutMs + 5_000) === 'timed-out')
      throw new RemoteSchemaRegistryError(`Schema Registry ${init.method} ${url}: no answer within ${timeoutMs} ms`);
    const msg = receiveMessageOnPort(this.port)?.message as { status: number; text: string; error?: string } | undefined;
    if (!msg || msg.error !== undefined) throw new RemoteSchemaRegistryError(`Schema Registry ${init.method} ${url}: ${msg?.error ?? 'no answer'}`);
    return msg;
  }

  close(): Promise<number> {
    this.port.close();
    return this.worker.terminate();
  }
}

/** {@link SchemaRegistry} over a remote Confluent-compatible registry, with a local cache (see the module doc). */
export class RemoteSchemaRegistry implements SchemaRegistry {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly byId = new Map<number, RegisteredSchema>();
  /** `subject\0format\0schema text\0references` → id, for registrations done through this object. */
  private readonly registered = new Map<string, number>();
  /** subject → latest id (undefined: the subject does not exist). */
  private readonly latest = new Map<string, number | undefined>();
  private blocking: BlockingHttp | undefined;

  constructor(private readonly options: RemoteSchemaRegistryOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.headers = { accept: `${CONTENT_TYPE}, application/json`, 'content-type': CONTENT_TYPE };
    if (options.auth) this.headers['authorization'] = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
  }

  // ---- SchemaRegistry (synchronous; cache first, blocking fallback) ----

  /** Registers under `options.subject` (see the module doc); the remote registry assigns the id. */
  register(
    schema: unknown,
    options: { readonly format?: FormatName; readonly subject?: string; readonly references?: readonly SchemaReference[] } = {},
  ): number {
    return this.runSync(this.registerFlow(schema, options));
  }

  getSchema(id: number): unknown {
    return this.getRegistered(id)?.schema;
  }

  getRegistered(id: number): RegisteredSchema | undefined {
    return this.byId.get(id) ?? (this.options.blockingFallback === false ? undefined : this.runSync(this.schemaFlow(id)));
  }

  /** The latest schema of `subject` as last fetched (fetched now, blocking, the first time). */
  getLatest(subject: string): RegisteredSchema | undefined {
    if (!this.latest.has(subject)) {
      if (this.options.blockingFallback === false) return undefined;
      this.runSync(this.latestFlow(subject));
    }
    const id = this.latest.get(subject);
    return id === undefined ? undefined : this.getRegistered(id);
  }

  // ---- awaited API (no blocking) ----

  /** {@link register} without blocking: await it, then `register` with the same arguments is a cache hit. */
  registerAsync(
    schema: unknown,
    options: { readonly format?: FormatName; readonly subject?: string; readonly references?: readonly SchemaReference[] } = {},
  ): Promise<number> {
    return this.runAsync(this.registerFlow(schema, options));
  }

  /**
   * Fills the cache: schemas by id (those not cached yet) and the latest version
   * of subjects (always refetched). Afterwards the synchronous calls for them do
   * not touch the network.
   */
  async prefetch(what: { readonly ids?: Iterable<number>; readonly subjects?: Iterable<string> }): Promise<void> {
    const jobs: Promise<unknown>[] = [];
    for (const id of new Set(what.ids ?? [])) if (!this.byId.has(id)) jobs.push(this.runAsync(this.schemaFlow(id)));
    for (const s of new Set(what.subjects ?? [])) jobs.push(this.runAsync(this.latestFlow(s)));
    await Promise.all(jobs);
  }

  /** Refreshes the latest version of every subject looked up so far (the remote side may have moved on). */
  async sync(): Promise<void> {
    await this.prefetch({ subjects: [...this.latest.keys()] });
  }

  /** Ids a batch of Confluent-framed values (magic byte 0, 4-byte id) refer to that are not cached yet: what to {@link prefetch}. */
  missingIds(buffers: Iterable<Buffer | null | undefined>): number[] {
    const out = new Set<number>();
    for (const b of buffers) {
      if (b && b.length >= 5 && b[0] === 0) {
        const id = b.readInt32BE(1);
        if (!this.byId.has(id)) out.add(id);
      }
    }
    return [...out];
  }

  /** Stops the helper thread of the blocking fallback (if it was started). */
  async close(): Promise<void> {
    await this.blocking?.close();
    this.blocking = undefined;
  }

  // ---- the logic, once, as request flows ----

  private *registerFlow(
    schema: unknown,
    options: { readonly format?: FormatName; readonly subject?: string; readonly references?: readonly SchemaReference[] },
  ): Flow<number> {
    const format = options.format === 'JSON' ? 'JSON_SR' : (options.format ?? guessSchemaFormat(schema));
    const text = schemaString(format, schema);
    const refs = options.references ?? [];
    const subject = options.subject ?? `sluice-${createHash('sha256').update(`${format}\0${text}`).digest('hex').slice(0, 16)}`;
    const key = `${subject}\0${format}\0${text}\0${JSON.stringify(refs.map((r) => [r.name, r.subject, r.version]))}`;
    const known = this.registered.get(key);
    if (known !== undefined) return known;
    const req: Req = {
      method: 'POST',
      path: `/subjects/${encodeURIComponent(subject)}/versions`,
      body: {
        schema: text,
        schemaType: schemaTypeOfFormat(format),
        references: refs.length === 0 ? undefined : refs.map((r) => ({ name: r.name, subject: r.subject, version: r.version })),
      },
    };
    const res = yield req;
    const id = (res.body as { id?: unknown } | undefined)?.id;
    if (res.status !== 200 || typeof id !== 'number') throw failure(req, res);
    this.registered.set(key, id);
    if (!this.byId.has(id)) this.byId.set(id, { id, format, schema: JSON.parse(JSON.stringify(schema)) as unknown, references: refs });
    if (options.subject !== undefined) this.latest.set(subject, id);
    return id;
  }

  private *schemaFlow(id: number): Flow<RegisteredSchema | undefined> {
    const req: Req = { method: 'GET', path: `/schemas/ids/${id}` };
    const res = yield req;
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw failure(req, res);
    const b = res.body as { schema: string; schemaType?: string; references?: { name: string; subject: string; version: number }[] };
    const format = formatOf(b.schemaType);
    const references: SchemaReference[] = [];
    for (const r of b.references ?? []) {
      const refReq: Req = { method: 'GET', path: `/subjects/${encodeURIComponent(r.subject)}/versions/${r.version}` };
      const refRes = yield refReq;
      if (refRes.status !== 200) throw failure(refReq, refRes);
      references.push({ name: r.name, subject: r.subject, version: r.version, schema: (refRes.body as { schema: string }).schema });
    }
    const entry: RegisteredSchema = { id, format, schema: format === 'PROTOBUF' ? b.schema : (JSON.parse(b.schema) as unknown), references };
    this.byId.set(id, entry);
    return entry;
  }

  private *latestFlow(subject: string): Flow<number | undefined> {
    const req: Req = { method: 'GET', path: `/subjects/${encodeURIComponent(subject)}/versions/latest` };
    const res = yield req;
    if (res.status === 404) {
      this.latest.set(subject, undefined);
      return undefined;
    }
    if (res.status !== 200) throw failure(req, res);
    const id = (res.body as { id: number }).id;
    this.latest.set(subject, id);
    if (!this.byId.has(id)) yield* this.schemaFlow(id);
    return id;
  }

  private init(req: Req): { method: string; headers: Record<string, string>; body?: string } {
    return { method: req.method, headers: this.headers, body: req.body === undefined ? undefined : JSON.stringify(req.body) };
  }

  private static parse(status: number, text: string): Res {
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status, body };
  }

  private runSync<T>(flow: Flow<T>): T {
    let step = flow.next();
    while (!step.done) {
      if (this.options.blockingFallback === false)
        throw new RemoteSchemaRegistryError(
          `Schema Registry ${step.value.method} ${step.value.path} needed synchronously and blockingFallback is off: await prefetch()/registerAsync() first`,
        );
      this.blocking ??= new BlockingHttp();
      const r = this.blocking.request(this.base + step.value.path, this.init(step.value), this.timeoutMs);
      step = flow.next(RemoteSchemaRegistry.parse(r.status, r.text));
    }
    return step.value;
  }

  private async runAsync<T>(flow: Flow<T>): Promise<T> {
    let step = flow.next();
    while (!step.done) {
      const req = step.value;
      let res: Res;
      try {
        const r = await fetch(this.base + req.path, { ...this.init(req), signal: AbortSignal.timeout(this.timeoutMs) });
        res = RemoteSchemaRegistry.parse(r.status, await r.text());
      } catch (e) {
        throw new RemoteSchemaRegistryError(`Schema Registry ${req.method} ${req.path}: ${(e as Error).message}`);
      }
      step = flow.next(res);
    }
    return step.value;
  }
}
