import { ExecutionError } from '../../common/errors.js';
import { TransientHandle } from './row-queue.js';
import { jsonReader } from '../../serde/json-coerce.js';
import type { ResultColumn, TransientQuery } from './transient-query.js';

/** Request property marking a pull query one server forwarded to another (answered where it lands, never forwarded again). */
export const FORWARDED_PROPERTY = 'sluice.internal.forwarded';

/** Request property of a forwarded table scan: the partitions (JSON array) the receiving server answers. */
export const PARTITIONS_PROPERTY = 'sluice.internal.partitions';

/** How long a forwarded pull query may take. */
const FORWARD_TIMEOUT_MS = 30_000;

/**
 * Runs a pull query on the server that owns its key (ksqlDB's pull-query routing):
 * POSTs it to that server's `/query-stream` (JSON) marked as forwarded, and hands
 * its rows back as this server's result, with values read back into their SQL
 * types. The remote's error, or an unreachable server, fails the query with a
 * message naming the server.
 */
export async function forwardPull(
  url: string,
  sql: string,
  properties: Readonly<Record<string, string>>,
  id: string,
  columns: readonly ResultColumn[],
  keyColumns: readonly string[],
): Promise<TransientQuery> {
  let res: Response;
  try {
    res = await fetch(`${url}/query-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ sql, properties: { ...properties, [FORWARDED_PROPERTY]: 'true' } }),
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
  } catch (e) {
    throw new ExecutionError(`Could not forward the pull query to ${url}, which owns its key: ${(e as Error).message}`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ExecutionError(`${url} answered the forwarded pull query with ${res.status}: ${text.slice(0, 500)}`);
  }
  if (res.status !== 200 || !Array.isArray(body)) {
    const message = (body as { message?: unknown } | null)?.message;
    throw new ExecutionError(`${url} could not answer the forwarded pull query: ${typeof message === 'string' ? message : text.slice(0, 500)}`);
  }
  const handle = new TransientHandle(id, 'pull', columns, keyColumns, () => undefined);
  const readers = columns.map((c) => jsonReader(c.type));
  for (const doc of body.slice(1)) {
    if (!Array.isArray(doc)) {
      // An error document after the header: the remote query failed part-way.
      const message = (doc as { message?: unknown } | null)?.message;
      handle.fail(`${url} failed the forwarded pull query: ${typeof message === 'string' ? message : JSON.stringify(doc)}`);
      return handle;
    }
    handle.queue.push(doc.map((v, i) => (v === null ? null : readers[i] ? readers[i]!(v) : v)));
  }
  handle.close();
  return handle;
}
