import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * A small client of Sluice's (ksqlDB's) REST API, as the REPL, datagen and
 * migrations use it: `/info`, `/ksql`, `/query-stream` (delimited, rows as they
 * arrive, or collected for a pull query), `/inserts-stream`, `/close-query`,
 * `/is_valid_property` and `/topics/{topic}`.
 */

/** One element of a `/ksql` response: ksqlDB's `KsqlEntity` JSON. */
export type Entity = { readonly '@type': string; readonly statementText?: string } & Record<string, unknown>;

/** What `/info` says about the server. */
export interface ServerInfo {
  readonly version: string;
  readonly serverStatus: string;
  readonly ksqlServiceId: string;
  readonly kafkaClusterId: string;
}

/** The server could not be reached at all (refused, unknown host, timed out). */
export class ServerUnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Could not connect to the server at ${url} (${reason}).`);
  }
}

/** Node's codes for a server certificate that does not verify. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The server's TLS certificate did not verify against the trusted CAs (Node's defaults, or the CLI's CA file). */
export class UntrustedCertificateError extends Error {
  constructor(
    readonly url: string,
    readonly code: string,
    reason: string,
  ) {
    super(
      // Node 24 appends advice of its own after a ';' (--use-system-ca); the advice that fits is ours.
      `Could not connect to the server at ${url}: its TLS certificate is not trusted (${code}: ${reason.split(';')[0]}). ` +
        'Give the CA certificate (PEM) that signed it with --ca-file FILE, or ssl.truststore.location in --config-file.',
    );
  }
}

/** TLS trust of a client: extra CA certificates (PEM) besides Node's defaults. */
export interface ClientTls {
  readonly ca?: string;
  /** Check that the certificate names the server's host (default true). */
  readonly verifyHost?: boolean;
}

/** The node:https options for a {@link ClientTls}. */
function tlsOptions(tls: ClientTls): { ca?: string; checkServerIdentity?: () => undefined } {
  return {
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.verifyHost === false ? { checkServerIdentity: () => undefined } : {}),
  };
}

/** A pull query's answer, collected: its column names and rows. */
export interface CollectedRows {
  readonly columnNames: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

const NO_SCOPE: RequestScope = { properties: {}, variables: {} };

/** A failed request as the user should hear of it: an untrusted certificate, or an unreachable server. */
function connectError(url: string, e: unknown): Error {
  const cause = ((e as { cause?: unknown }).cause ?? e) as { code?: string; message?: string };
  if (cause.code !== undefined && CERTIFICATE_CODES.has(cause.code)) return new UntrustedCertificateError(url, cause.code, cause.message ?? cause.code);
  return new ServerUnreachableError(url, reasonOf({ cause }));
}

/** The server answered with ksqlDB's error JSON. `message` is the server's, with line:column and caret when it has them. */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
    readonly entities: readonly Entity[] = [],
  ) {
    super(message);
  }
}

/** Basic-auth credentials. */
export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/** Request-scoped settings sent with every statement. */
export interface RequestScope {
  readonly properties: Readonly<Record<string, string>>;
  readonly variables: Readonly<Record<string, string>>;
}

/** The header line of a `/query-stream` response. */
export interface QueryHeader {
  readonly queryId: string;
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly string[];
}

/** Callbacks of {@link SluiceClient.query}, called synchronously as the response is read. */
export interface QueryHandlers {
  onHeader(header: QueryHeader): void;
  onRow(row: readonly unknown[]): void;
}

/** A running query started by {@link SluiceClient.query}. */
export interface RunningQuery {
  /** Resolves with the header once the server accepted the query; rejects with its error otherwise. */
  readonly header: Promise<QueryHeader>;
  /** Resolves when the response has ended (query finished or closed); rejects if it failed mid-way. */
  readonly done: Promise<void>;
  /** Asks the server to stop the query (`/close-query`), then drops the connection if it lingers. */
  close(): Promise<void>;
}

function reasonOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'unknown host';
  if (cause?.code === 'ECONNRESET') return 'connection reset';
  if (cause?.code) return cause.code;
  if ((e as Error).name === 'TimeoutError') return 'timed out';
  return cause?.message ?? (e as Error).message;
}

/** Parses an error body (`{"@type":"…_error","error_code":…,"message":…}`) into a ServerError. */
function toServerError(status: number, text: string): ServerError {
  try {
    const body = JSON.parse(text) as { error_code?: number; message?: string; entities?: Entity[] };
    if (body && typeof body.message === 'string') return new ServerError(status, body.error_code ?? status * 100, body.message, body.entities ?? []);
  } catch {
    /* not JSON */
  }
  return new ServerError(status, status * 100, text.trim() || `HTTP ${status}`);
}

/** A client of one server. */
export class SluiceClient {
  /** The server's base URL, without a trailing slash. */
  readonly url: string;

  constructor(
    url: string,
    private readonly credentials?: Credentials,
    private readonly tls: ClientTls = {},
    /** More headers sent with every request (ksql-migrations' `--headers` file). */
    private readonly extraHeaders: Readonly<Record<string, string>> = {},
  ) {
    this.url = url.replace(/\/+$/, '');
  }

  /** The TLS trust this client was made with (for a client of another server). */
  get trust(): ClientTls {
    return this.tls;
  }

  /** One request over node:http(s) (fetch takes no CA): its status and body text. */
  private send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
  ): Promise<{ status: number; text: string }> {
    const target = new URL(`${this.url}${path}`);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(target, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: timeoutMs,
        ...tlsOptions(this.tls),
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })));
      req.on('error', (e: Error) => reject(e.name === 'TimeoutError' ? new ServerUnreachableError(this.url, 'timed out') : connectError(this.url, e)));
      req.on('response', (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 500, text }));
        res.on('error', (e: Error) => reject(connectError(this.url, e)));
      });
      req.end(body);
    });
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { 'content-type': 'application/json', ...this.extraHeaders, ...extra };
    if (this.credentials) h['authorization'] = `Basic ${Buffer.from(`${this.credentials.user}:${this.credentials.password}`).toString('base64')}`;
    return h;
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 60_000): Promise<unknown> {
    const res = await this.send(
      method,
      path,
      this.headers({ accept: 'application/vnd.ksql.v1+json' }),
      body === undefined ? undefined : JSON.stringify(body),
      timeoutMs,
    );
    const text = res.text;
    if (res.status !== 200) throw toServerError(res.status, text);
    try {
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      throw new ServerError(res.status, 50000, `The server at ${this.url} sent a response that is not JSON; is it a Sluice or ksqlDB server?`);
    }
  }

  /** `GET /info`. */
  async info(timeoutMs = 5000): Promise<ServerInfo> {
    const body = (await this.request('GET', '/info', undefined, timeoutMs)) as { KsqlServerInfo?: ServerInfo } | undefined;
    if (!body?.KsqlServerInfo)
      throw new ServerError(200, 50000, `The server at ${this.url} does not look like a Sluice or ksqlDB server (no KsqlServerInfo in /info).`);
    return body.KsqlServerInfo;
  }

  /** `POST /ksql` with one or more statements. */
  async ksql(sql: string, scope: RequestScope): Promise<Entity[]> {
    const body = await this.request('POST', '/ksql', { ksql: sql, streamsProperties: scope.properties, sessionVariables: scope.variables });
    return Array.isArray(body) ? (body as Entity[]) : [];
  }

  /**
   * `POST /inserts-stream`: appends `rows` (objects keyed by column name) to
   * stream `target`, in order; rejects with the first row's error the server acks.
   */
  async insert(target: string, rows: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
    const body = [JSON.stringify({ target }), ...rows.map((r) => JSON.stringify(r))].join('\n');
    const res = await this.send('POST', '/inserts-stream', this.headers({ accept: 'application/json' }), body, 60_000);
    if (res.status !== 200) throw toServerError(res.status, res.text);
    let acks: unknown;
    try {
      acks = JSON.parse(res.text) as unknown;
    } catch {
      throw new ServerError(res.status, 50000, `The server at ${this.url} sent inserts acks that are not JSON.`);
    }
    const list = Array.isArray(acks) ? (acks as { status?: string; error_code?: number; message?: string }[]) : [];
    const failed = list.find((a) => a.status !== 'ok');
    if (failed) throw new ServerError(200, failed.error_code ?? 50000, failed.message ?? 'insert failed');
    if (list.length !== rows.length) throw new ServerError(200, 50000, `The server acked ${list.length} of ${rows.length} inserted rows.`);
  }

  /** Runs a pull query over `/query-stream` and collects its rows. */
  async pullQuery(sql: string, scope: RequestScope = NO_SCOPE): Promise<CollectedRows> {
    const rows: (readonly unknown[])[] = [];
    let columnNames: readonly string[] = [];
    const q = this.query(sql, scope, {
      onHeader: (h) => {
        columnNames = h.columnNames;
      },
      onRow: (r) => rows.push(r),
    });
    await q.done;
    return { columnNames, rows };
  }

  /** `GET /is_valid_property/{name}`: resolves when the server accepts the property, rejects with its reason otherwise. */
  async checkProperty(name: string): Promise<void> {
    await this.request('GET', `/is_valid_property/${encodeURIComponent(name)}`);
  }

  /** `POST /close-query`. */
  async closeQuery(queryId: string): Promise<void> {
    await this.request('POST', '/close-query', { queryId }, 5000);
  }

  /** `POST /topics/{topic}` (REST Proxy v2 JSON): appends records; returns where they landed. */
  async produce(topic: string, records: readonly { key?: unknown; value: unknown }[]): Promise<{ partition: number; offset: number }[]> {
    const body = (await this.request('POST', `/topics/${encodeURIComponent(topic)}`, { records })) as { offsets?: { partition: number; offset: number }[] };
    return body?.offsets ?? [];
  }

  /**
   * `POST /query-stream` (delimited): calls `onRow` with each row as it
   * arrives. PRINT rows are one-element arrays holding the printed line.
   */
  query(sql: string, scope: RequestScope, handlers: QueryHandlers): RunningQuery {
    const { onHeader, onRow } = handlers;
    const abort = new AbortController();
    let resolveHeader!: (h: QueryHeader) => void;
    let rejectHeader!: (e: unknown) => void;
    const header = new Promise<QueryHeader>((res, rej) => {
      resolveHeader = res;
      rejectHeader = rej;
    });
    header.catch(() => undefined);
    let queryId: string | undefined;
    let closing = false;
    const done = new Promise<void>((resolveDone, rejectDone) => {
      const target = new URL(`${this.url}/query-stream`);
      const body = JSON.stringify({ sql, streamsProperties: scope.properties, sessionVariables: scope.variables });
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      // node:http rather than fetch: a push query may stay silent for longer than fetch's body timeout.
      const req = send(target, {
        method: 'POST',
        headers: { ...this.headers({ accept: 'application/vnd.ksqlapi.delimited.v1' }), 'content-length': Buffer.byteLength(body) },
        signal: abort.signal,
        ...tlsOptions(this.tls),
      });
      req.on('error', (e: Error) => {
        if (closing) resolveDone();
        else rejectDone(connectError(this.url, e));
      });
      req.on('response', (res) => {
        res.setEncoding('utf8');
        let buf = '';
        if (res.statusCode !== 200) {
          res.on('data', (c: string) => (buf += c));
          res.on('end', () => rejectDone(toServerError(res.statusCode ?? 500, buf)));
          return;
        }
        let failed = false;
        const handle = (line: string): void => {
          if (line.trim() === '') return;
          const doc = JSON.parse(line) as unknown;
          if (Array.isArray(doc)) {
            onRow(doc);
            return;
          }
          const o = doc as Record<string, unknown>;
          if (typeof o['queryId'] === 'string' && Array.isArray(o['columnNames'])) {
            queryId = o['queryId'];
            onHeader(o as unknown as QueryHeader);
            resolveHeader(o as unknown as QueryHeader);
            return;
          }
          if (typeof o['message'] === 'string') throw new ServerError(200, Number(o['error_code'] ?? 50000), o['message']);
        };
        const fail = (e: unknown): void => {
          failed = true;
          res.destroy();
          rejectDone(e instanceof ServerError ? e : new ServerError(200, 50000, `Unreadable response from the server: ${(e as Error).message}`));
        };
        res.on('data', (chunk: string) => {
          if (failed) return;
          buf += chunk;
          try {
            for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
              const line = buf.slice(0, nl);
              buf = buf.slice(nl + 1);
              handle(line);
            }
          } catch (e) {
            fail(e);
          }
        });
        res.on('end', () => {
          if (failed) return;
          try {
            handle(buf);
            resolveDone();
          } catch (e) {
            fail(e);
          }
        });
        res.on('error', (e: Error) => {
          if (closing || failed) resolveDone();
          else rejectDone(new ServerUnreachableError(this.url, reasonOf({ cause: e })));
        });
        res.on('close', () => {
          if (!failed) resolveDone();
        });
      });
      req.end(body);
    });
    done.then(
      () => rejectHeader(new ServerError(200, 50000, 'The query ended before it started.')),
      (e: unknown) => rejectHeader(e),
    );
    return {
      header,
      done,
      close: async () => {
        if (closing) return;
        closing = true;
        const timer = setTimeout(() => abort.abort(), 2000);
        try {
          if (queryId !== undefined) await this.closeQuery(queryId);
          else abort.abort();
        } catch {
          abort.abort();
        }
        await done.catch(() => undefined);
        clearTimeout(timer);
      },
    };
  }
}
