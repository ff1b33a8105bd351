/**
 * The built-in HTTP sink, under the Confluent HTTP Sink connector's class and
 * property names (Confluent docs, "Configuration Reference for HTTP Sink
 * Connector"): rows are sent in batches of up to `batch.max.size` (default 1)
 * as one JSON array of row objects (key and value column names as keys, values
 * as the JSON format writes them) with `request.method` (POST, PUT or PATCH)
 * to `http.api.url`, with extra `headers` (`Name:value|Name2:value2`, split
 * on `header.separator`). A request that fails (network error or a non-2xx
 * answer) is retried up to `max.retries` times (default 10), waiting
 * `retry.backoff.ms` (default 3000) doubled after each try; a batch still
 * failing returns its rows as failures, so `errors.tolerance` and the
 * dead-letter topic apply. Tombstones are skipped
 * (`behavior.on.null.values=ignore`, the only value accepted). Delivery is
 * at-least-once: a crash after a request and before the runner commits sends
 * that batch again.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { serdeFor } from '../../serde/serde-for.js';
import type { Serde } from '../../serde/serde-types.js';
import type { BuiltinPlugin, SinkContext, SinkFailure, SinkRow, SinkTask } from './builtin-plugin.js';

const METHODS = ['POST', 'PUT', 'PATCH'] as const;

/** A request the endpoint refused or that did not reach it. */
export class HttpSinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpSinkError';
  }
}

interface HttpSinkSettings {
  readonly url: string;
  readonly method: string;
  readonly headers: readonly [string, string][];
  readonly batchMaxSize: number;
  readonly maxRetries: number;
  readonly retryBackoffMs: number;
  readonly timeoutMs: number;
}

function int(config: Readonly<Record<string, string>>, name: string, fallback: number, min: number, problems: string[]): number {
  const raw = config[name];
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw.trim())) problems.push(`Invalid value ${raw} for configuration ${name}: Not a number of type INT`);
  else if (Number(raw) < min) problems.push(`Invalid value ${raw} for configuration ${name}: Value must be at least ${min}`);
  else return Number(raw);
  return fallback;
}

/** The settings of a config, and Connect-worded problems with it. */
function settings(config: Readonly<Record<string, string>>): { settings: HttpSinkSettings; problems: string[] } {
  const problems: string[] = [];
  const url = (config['http.api.url'] ?? '').trim();
  if (url === '') problems.push('Missing required configuration "http.api.url" which has no default value.');
  else if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    problems.push(`Invalid value ${url} for configuration http.api.url: Not a valid http(s) URL`);
  const method = (config['request.method'] ?? 'POST').trim().toUpperCase();
  if (!(METHODS as readonly string[]).includes(method))
    problems.push(`Invalid value ${config['request.method']} for configuration request.method: String must be one of: ${METHODS.join(', ')}`);
  const separator = config['header.separator'] ?? '|';
  const headers: [string, string][] = [];
  for (const part of (config['headers'] ?? '').split(separator)) {
    if (part.trim() === '') continue;
    const colon = part.indexOf(':');
    if (colon <= 0) problems.push(`Invalid value ${config['headers']} for configuration headers: Header '${part}' is not of the form Name:value`);
    else headers.push([part.slice(0, colon).trim(), part.slice(colon + 1).trim()]);
  }
  const nulls = config['behavior.on.null.values'];
  if (nulls !== undefined && nulls.trim().toLowerCase() !== 'ignore')
    problems.push(`Invalid value ${nulls} for configuration behavior.on.null.values: built-in HTTP sinks only ignore tombstones (ignore)`);
  return {
    settings: {
      url,
      method,
      headers,
      batchMaxSize: int(config, 'batch.max.size', 1, 1, problems),
      maxRetries: int(config, 'max.retries', 10, 0, problems),
      retryBackoffMs: int(config, 'retry.backoff.ms', 3000, 0, problems),
      timeoutMs: int(config, 'http.request.timeout.ms', 30000, 1, problems),
    },
    problems,
  };
}

class HttpSinkTask implements SinkTask {
  private readonly serde: Serde;
  private readonly abort = new AbortController();

  constructor(
    private readonly s: HttpSinkSettings,
    context: SinkContext,
  ) {
    const schema = context.source.schema;
    this.serde = serdeFor({ format: 'JSON' }, [...schema.key, ...schema.value], false);
  }

  async open(): Promise<undefined> {
    return undefined;
  }

  async put(rows: readonly SinkRow[]): Promise<readonly SinkFailure[]> {
    const failures: SinkFailure[] = [];
    let batch: SinkRow[] = [];
    let bodies: Buffer[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const error = await this.send(Buffer.concat([Buffer.from('['), ...bodies.flatMap((b, i) => (i === 0 ? [b] : [Buffer.from(','), b])), Buffer.from(']')]));
      if (error !== undefined) for (const row of batch) failures.push({ row, error });
      batch = [];
      bodies = [];
    };
    for (const row of rows) {
      if (row.value === null) continue;
      try {
        bodies.push(this.serde.serialize([...row.key, ...row.value])!);
        batch.push(row);
      } catch (e) {
        failures.push({ row, error: e as Error });
      }
      if (batch.length >= this.s.batchMaxSize) await flush();
    }
    await flush();
    return failures;
  }

  /** Sends one body with retries; the last error when every try failed. */
  private async send(body: Buffer): Promise<Error | undefined> {
    const headers = new Headers({ 'Content-Type': 'application/json' });
    for (const [name, value] of this.s.headers) headers.set(name, value);
    let wait = this.s.retryBackoffMs;
    let last: Error | undefined;
    for (let attempt = 0; attempt <= this.s.maxRetries; attempt++) {
      if (attempt > 0) {
        await delay(wait, undefined, { signal: this.abort.signal }).catch(() => undefined);
        wait *= 2;
      }
      if (this.abort.signal.aborted) break;
      try {
        const res = await fetch(this.s.url, {
          method: this.s.method,
          headers,
          body,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.s.timeoutMs)]),
        });
        const text = await res.text();
        if (res.ok) return undefined;
        last = new HttpSinkError(`HTTP ${res.status} from ${this.s.method} ${this.s.url}: ${text.slice(0, 500)}`);
      } catch (e) {
        last = new HttpSinkError(`${this.s.method} ${this.s.url} failed: ${(e as Error).message}`);
      }
    }
    return last ?? new HttpSinkError('the connector stopped before the request was sent');
  }

  async close(): Promise<void> {
    this.abort.abort();
  }
}

/** `io.confluent.connect.http.HttpSinkConnector`: rows POSTed as JSON batches. */
export const httpSinkPlugin: BuiltinPlugin = {
  className: 'io.confluent.connect.http.HttpSinkConnector',
  aliases: [],
  type: 'sink',
  version: '1.0.0',
  validate: (config) => settings(config).problems,
  createSink: (config, context) => new HttpSinkTask(settings(config).settings, context),
};
