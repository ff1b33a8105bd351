import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIST, describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { insertRows, postKsql } from './helpers/rest.js';

/**
 * A push query from earliest and PRINT FROM BEGINNING deliver every record
 * already in the topic, over HTTP/1.1 on a real `sluice server`, while the
 * response stays open and nothing more is written. They used not to: once a
 * row's write found the socket's buffer full, the writer waited for 'drain' and
 * then corked the socket again (mistaking the cork Node holds for the rest of a
 * tick after a write for one of its own), so every later row stayed in the
 * socket and the client saw e.g. 1750 of 2000 rows until more records came.
 */

const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';

/** Inserts `{ID: i, V: 'x<i>'}` for i in 0..n-1 through /inserts-stream; returns how many were acked ok. */
async function insert(url: string, stream: string, n: number): Promise<number> {
  const rows: { ID: number; V: string }[] = [];
  for (let i = 0; i < n; i++) rows.push({ ID: i, V: `x${i}` });
  return (await insertRows(url, stream, rows)).filter((l) => l.includes('"status":"ok"')).length;
}

/** A streaming response read in the background: its non-empty lines so far, until {@link close}. */
interface OpenResponse {
  readonly lines: readonly string[];
  close(): void;
}

async function open(url: string, path: string, body: unknown, accept: string): Promise<OpenResponse> {
  const abort = new AbortController();
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  const lines: string[] = [];
  const decoder = new TextDecoder();
  let buf = '';
  void (async () => {
    try {
      for await (const chunk of res.body!) {
        buf += decoder.decode(chunk, { stream: true });
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          if (nl > 0) lines.push(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { lines, close: () => abort.abort() };
}

/** Waits until `r` has `n` lines that `counts` (every line by default); returns all its lines then. */
async function waitForLines(r: OpenResponse, n: number, what: string, counts: (line: string) => boolean = () => true): Promise<readonly string[]> {
  await eventually(`${what}: ${n} lines`, () => {
    expect(r.lines.filter(counts).length, `${what}: lines so far`).toBeGreaterThanOrEqual(n);
    return true;
  });
  return r.lines.slice();
}

/** Checks that `records` ([partition, id]) are ids 0..n-1, each partition's in ascending order. */
function expectAllInOrder(records: readonly (readonly [number, number])[], n: number, partitions: number): void {
  expect(records.length).toBe(n);
  const ids = records.map(([, id]) => id);
  if (partitions === 1) {
    expect(ids).toEqual(Array.from({ length: n }, (_, i) => i));
    return;
  }
  expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  for (let p = 0; p < partitions; p++) {
    const inP = records.filter(([q]) => q === p).map(([, id]) => id);
    expect(inP).toEqual([...inP].sort((a, b) => a - b));
  }
}

const PRINTED = /, key: (\d+), value: \{"V":"x(\d+)"\}, partition: (\d+)$/;

describeIf(BUNDLE_BUILT, DIST)('a push query and PRINT deliver every record already in the topic (real server, HTTP/1.1)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  // Counts below, at and past the query's batch sizes (256 per partition and step, 1000 for PRINT),
  // and large enough that rows outrun the socket's buffer, in one partition and in several.
  it.each([
    [1, 1],
    [249, 1],
    [250, 1],
    [251, 1],
    [2000, 1],
    [20_001, 1],
    [1, 3],
    [251, 3],
    [2000, 3],
    [20_001, 3],
  ])(
    '%i records in %i partition(s)',
    async (n, partitions) => {
      const name = `tail_${n}_${partitions}`;
      await postKsql(
        server.url,
        `CREATE STREAM ${name} (ID BIGINT KEY, V VARCHAR) WITH (KAFKA_TOPIC='${name}', PARTITIONS=${partitions}, VALUE_FORMAT='JSON');`,
      );
      expect(await insert(server.url, name.toUpperCase(), n)).toBe(n);

      const push = await open(
        server.url,
        '/query-stream',
        { sql: `SELECT ROWPARTITION AS P, ID, V FROM ${name} EMIT CHANGES;`, properties: { 'auto.offset.reset': 'earliest' } },
        DELIMITED,
      );
      try {
        const lines = await waitForLines(push, n + 1, 'push query');
        expect(JSON.parse(lines[0]!)).toMatchObject({ columnNames: ['P', 'ID', 'V'] });
        const rows = lines.slice(1).map((l) => JSON.parse(l) as [number, number, string]);
        expectAllInOrder(
          rows.map(([p, id]) => [p, id] as const),
          n,
          partitions,
        );
        expect(rows.every(([, id, v]) => v === `x${id}`)).toBe(true);
      } finally {
        push.close();
      }

      const print = await open(server.url, '/query', { ksql: `PRINT '${name}' FROM BEGINNING;` }, '*/*');
      try {
        // `Key format:` and `Value format:` first, then one line per record (format lines again only if they narrow).
        const isRecord = (l: string) => l.startsWith('rowtime: ');
        const lines = await waitForLines(print, n, 'PRINT', isRecord);
        expect(lines[0]).toMatch(/^Key format: /);
        expect(lines[1]).toMatch(/^Value format: /);
        const records = lines.filter(isRecord).map((l) => {
          const m = PRINTED.exec(l);
          expect(m, l).not.toBeNull();
          expect(m![1]).toBe(m![2]);
          return [Number(m![3]), Number(m![1])] as const;
        });
        expectAllInOrder(records, n, partitions);
      } finally {
        print.close();
      }
    },
    60_000,
  );
});
