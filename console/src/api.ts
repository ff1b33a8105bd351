/**
 * The console's client of the server's ksqlDB REST API, on the page's own
 * origin (the browser sends the credentials it was given for the page).
 */

/** A ksqlDB error body (`@type: generic_error | statement_error`). */
export interface KsqlErrorBody {
  readonly '@type'?: string;
  readonly error_code: number;
  readonly message: string;
  readonly statementText?: string;
}

/** A failed request: the server's ksqlDB error, or a network failure (code 0). */
export class KsqlError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
    readonly statementText?: string,
  ) {
    super(message);
  }
}

/** One entity of a `/ksql` response (`@type` names its kind). */
export type KsqlEntity = Readonly<Record<string, unknown>> & { readonly '@type': string; readonly statementText?: string };

/** The header of a push or pull query on `/query-stream`. */
export interface QueryHeader {
  readonly queryId?: string;
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly string[];
}

/** What a running query reports to whoever shows it. */
export interface QuerySink {
  header(h: QueryHeader): void;
  /** Rows as they arrive, in order; the array is the sink's to keep. */
  rows(rows: unknown[][]): void;
  /** A message line (PRINT output, a final message). */
  message?(text: string): void;
}

/** Properties sent with a statement (`streamsProperties` / `properties`). */
export type StatementProperties = Readonly<Record<string, string>>;

async function failure(res: Response): Promise<KsqlError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as Partial<KsqlErrorBody>;
    if (typeof body.message === 'string') return new KsqlError(body.error_code ?? res.status * 100, body.message, body.statementText);
  } catch {
    // not JSON: fall through
  }
  return new KsqlError(res.status * 100, text.trim() || `${res.status} ${res.statusText}`);
}

/** Runs `f`, turning a network failure into a {@link KsqlError} with code 0. */
async function network<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof KsqlError || (e as Error).name === 'AbortError') throw e;
    throw new KsqlError(0, `Could not reach the server: ${(e as Error).message}`);
  }
}

/** Splits a byte stream into lines, calling `line` for each complete one. */
async function readLines(body: ReadableStream<Uint8Array>, line: (text: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += decoder.decode(value, { stream: true });
    let nl = rest.indexOf('\n');
    while (nl >= 0) {
      const l = rest.slice(0, nl).trim();
      rest = rest.slice(nl + 1);
      if (l !== '') line(l);
      nl = rest.indexOf('\n');
    }
  }
  if (rest.trim() !== '') line(rest.trim());
}

/** The REST calls the console makes. */
export class KsqlApi {
  constructor(private readonly base = '') {}

  /** POST /ksql: runs statements, resolving with their entities. */
  async ksql(sql: string, properties: StatementProperties = {}): Promise<KsqlEntity[]> {
    return network(async () => {
      const res = await fetch(`${this.base}/ksql`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.ksql.v1+json', accept: 'application/vnd.ksql.v1+json' },
        body: JSON.stringify({ ksql: sql, streamsProperties: properties }),
      });
      if (!res.ok) throw await failure(res);
      return (await res.json()) as KsqlEntity[];
    });
  }

  /**
   * POST /query-stream (delimited): runs a pull or push query, feeding `sink`
   * until the query ends, `signal` aborts, or it fails (rejects with {@link KsqlError}).
   * Rows are batched per network chunk.
   */
  async query(sql: string, properties: StatementProperties, sink: QuerySink, signal: AbortSignal): Promise<void> {
    return network(async () => {
      const res = await fetch(`${this.base}/query-stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/vnd.ksqlapi.delimited.v1' },
        body: JSON.stringify({ sql, properties }),
        signal,
      });
      if (!res.ok || !res.body) throw await failure(res);
      let batch: unknown[][] = [];
      let failed: KsqlError | undefined;
      const flush = () => {
        if (batch.length > 0) sink.rows(batch);
        batch = [];
      };
      await readLines(res.body, (l) => {
        const v = JSON.parse(l) as unknown;
        if (Array.isArray(v)) batch.push(v);
        else if (v && typeof v === 'object' && 'columnNames' in v) sink.header(v as QueryHeader);
        else if (v && typeof v === 'object' && 'message' in v) {
          const e = v as KsqlErrorBody;
          if (typeof e.error_code === 'number') failed = new KsqlError(e.error_code, e.message);
          else sink.message?.(e.message);
        }
        // a batch per line is too many renders: hand over what one chunk held
        queueMicrotask(flush);
      });
      flush();
      if (failed) throw failed;
    });
  }

  /**
   * POST /query (ksqlDB's older endpoint), for PRINT: each line of output goes to `sink.message`.
   */
  async print(sql: string, properties: StatementProperties, sink: QuerySink, signal: AbortSignal): Promise<void> {
    return network(async () => {
      const res = await fetch(`${this.base}/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.ksql.v1+json', accept: 'application/vnd.ksql.v1+json' },
        body: JSON.stringify({ ksql: sql, streamsProperties: properties }),
        signal,
      });
      if (!res.ok || !res.body) throw await failure(res);
      await readLines(res.body, (l) => {
        const t = l.replace(/^\[|\]$|,$/g, '').trim();
        if (t !== '') sink.message?.(t);
      });
    });
  }

  /** POST /close-query: ends a push query. */
  async closeQuery(queryId: string): Promise<void> {
    await network(async () => {
      const res = await fetch(`${this.base}/close-query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ queryId }),
      });
      if (!res.ok) throw await failure(res);
    });
  }

  /** GET /info's `KsqlServerInfo`. */
  async info(): Promise<Readonly<Record<string, string>>> {
    return network(async () => {
      const res = await fetch(`${this.base}/info`);
      if (!res.ok) throw await failure(res);
      return ((await res.json()) as { KsqlServerInfo: Record<string, string> }).KsqlServerInfo;
    });
  }

  /** GET /metrics: the Prometheus text. */
  async metrics(): Promise<string> {
    return network(async () => {
      const res = await fetch(`${this.base}/metrics`);
      if (!res.ok) throw await failure(res);
      return res.text();
    });
  }
}
