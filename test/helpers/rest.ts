/**
 * The REST calls tests make of a server process to set it up (statements,
 * rows), failing loudly with the server's answer when one is refused.
 */

/** POST /ksql: runs `sql`, resolving with the entities; rejects with the status and body when refused. */
export async function postKsql(url: string, sql: string): Promise<unknown[]> {
  const res = await fetch(`${url}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${sql}: ${res.status} ${text}`);
  return JSON.parse(text) as unknown[];
}

/** POST /inserts-stream (delimited): writes `rows` into stream `target`, resolving with the ack lines; rejects when refused. */
export async function insertRows(url: string, target: string, rows: readonly Readonly<Record<string, unknown>>[]): Promise<string[]> {
  const lines = [JSON.stringify({ target }), ...rows.map((r) => JSON.stringify(r))];
  const res = await fetch(`${url}/inserts-stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.ksqlapi.delimited.v1' },
    body: `${lines.join('\n')}\n`,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`inserts into ${target}: ${res.status} ${text}`);
  return text.trim() === '' ? [] : text.trim().split('\n');
}
