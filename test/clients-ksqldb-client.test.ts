import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIST, describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';

/**
 * npm `ksqldb-client` (the Node.js ksqlDB client, unchanged, from node_modules)
 * against a real `sluice server` process. The client speaks HTTP/2 cleartext:
 * `/ksql` for statements and the LIST/DESCRIBE helpers, `/query-stream` with
 * `Accept: application/json` for `query()` and delimited for `streamQuery()`
 * (it parses every DATA frame as one JSON document), `/inserts-stream` with
 * `Accept: application/json` for `insertInto()` (it destructures a JSON array),
 * and `/close-query`.
 */

interface ClientResponse {
  readonly status: number;
  readonly error?: { error_code: number; message: string };
  readonly data?: { metadata?: { queryId?: string; columnNames: string[]; columnTypes: string[] }; rows?: any[] };
}
interface KsqldbClient {
  connected: boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  executeStatement(sql: string, extra?: Record<string, unknown>): Promise<ClientResponse>;
  query(sql: string, extra?: Record<string, unknown>): Promise<ClientResponse>;
  streamQuery(sql: string, cb: (d: ClientResponse['data'] & { status: number }) => void, extra?: Record<string, unknown>): Promise<ClientResponse>;
  insertInto(stream: string, row: Record<string, unknown>): Promise<ClientResponse>;
  terminatePushQuery(queryId: string): Promise<ClientResponse>;
  listStreams(): Promise<{ name: string; topic: string; valueFormat: string }[]>;
  listTables(): Promise<{ name: string }[]>;
  listTopics(): Promise<{ name: string; replicaInfo: number[] }[]>;
  listQueries(): Promise<{ id: string; queryString: string; queryType: string }[]>;
  describeSource(name: string): Promise<{ name: string; fields: { name: string }[]; topic: string }>;
}
type ClientClass = new (opts: Record<string, unknown>) => KsqldbClient;

const require = createRequire(import.meta.url);
const KsqldbClientClass = require('ksqldb-client') as ClientClass;

function clientFor(url: string, extra: Record<string, unknown> = {}): KsqldbClient {
  const { hostname, port } = new URL(url);
  return new KsqldbClientClass({ host: `http://${hostname}`, port: Number(port), ...extra });
}

describeIf(BUNDLE_BUILT, DIST)('npm ksqldb-client against a sluice server process', () => {
  let server: ServerProcess;
  let client: KsqldbClient;
  beforeAll(async () => {
    server = await startServerProcess();
    client = clientFor(server.url);
    await client.connect();
  }, 60_000);
  afterAll(async () => {
    await client?.disconnect();
    await server?.stop();
  });

  it('connect() opens an HTTP/2 session', () => {
    expect(client.connected).toBe(true);
  });

  it('executeStatement() creates a stream and a table and returns their command status', async () => {
    const s = await client.executeStatement(
      "CREATE STREAM orders (id INT KEY, item STRING, qty INT) WITH (kafka_topic='orders', partitions=1, value_format='json');",
    );
    expect(s.status).toBe(200);
    expect(s.data!.rows![0]).toMatchObject({ '@type': 'currentStatus', commandId: 'stream/ORDERS/create', commandStatus: { status: 'SUCCESS' } });
    const t = await client.executeStatement('CREATE TABLE totals AS SELECT id, SUM(qty) AS total FROM orders GROUP BY id;');
    expect(t.status).toBe(200);
    expect(t.data!.rows![0].commandStatus.status).toBe('SUCCESS');
    expect(t.data!.rows![0].commandStatus.queryId).toMatch(/^CTAS_TOTALS_\d+$/);
  });

  it('executeStatement() hands back the statement error as ksqlDB shapes it', async () => {
    const r = await client.executeStatement('CREATE STREAM nope WITH (kafka_topic=);');
    expect(r.status).toBe(400);
    expect(r.error!.error_code).toBe(40001);
    expect(r.error!.message).toContain('line 1:');
  });

  it('insertInto() inserts a row and resolves with its ack (a JSON array, as ksqlDB answers Accept: application/json)', async () => {
    const r = await client.insertInto('ORDERS', { ID: 1, ITEM: 'apple', QTY: 3 });
    expect(r.status).toBe(200);
    expect(r.error).toBeUndefined();
    expect(r.data!.rows).toEqual([{ status: 'ok', seq: 0 }]);
    const r2 = await client.insertInto('ORDERS', { ID: 1, ITEM: 'pear', QTY: 4 });
    expect(r2.data!.rows).toEqual([{ status: 'ok', seq: 0 }]);
  });

  // A bug of ksqldb-client 1.0.5 no server can satisfy: its InsertStream handler destructures the
  // body as an array whatever the status, while ksqlDB (like Sluice) refuses an unknown target
  // before any row with one error object, not an array. So the client throws a TypeError of its own.
  it("insertInto() an unknown stream: the server refuses it with ksqlDB's error object, which the client cannot read (client bug)", async () => {
    await expect(client.insertInto('NO_SUCH_STREAM', { ID: 1 })).rejects.toThrow(/Invalid attempt to destructure non-iterable instance/);
    const r = await fetch(`${server.url}/inserts-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: `${JSON.stringify({ target: 'NO_SUCH_STREAM' })}\n${JSON.stringify({ ID: 1 })}`,
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ '@type': 'generic_error', error_code: 40001, message: 'Cannot insert values into an unknown stream: NO_SUCH_STREAM' });
  });

  it('query() runs a pull query and maps rows to column names', async () => {
    const rows = await eventually('the pull query to see both inserts', async () => {
      const r = await client.query('SELECT * FROM totals WHERE id = 1;');
      return r.status === 200 && r.data!.rows!.length === 1 && r.data!.rows![0].TOTAL === 7 ? r : undefined;
    });
    expect(rows.data!.metadata).toMatchObject({ columnNames: ['ID', 'TOTAL'], columnTypes: ['INTEGER', 'INTEGER'] });
    expect(rows.data!.rows).toEqual([{ ID: 1, TOTAL: 7 }]);
  });

  it('streamQuery() gets every row of a burst as its own document, and terminatePushQuery() ends it', async () => {
    // 40 rows written at once: the push query below reads them back to back, the case
    // where one HTTP/2 DATA frame holding several rows would make the client's JSON.parse throw.
    const lines = [JSON.stringify({ target: 'ORDERS' })];
    for (let i = 0; i < 40; i++) lines.push(JSON.stringify({ ID: 100 + i, ITEM: `burst-${i}`, QTY: i }));
    const ins = await fetch(`${server.url}/inserts-stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `${lines.join('\n')}\n` });
    expect((await ins.text()).match(/"status":"ok"/g)).toHaveLength(40);

    const received: any[] = [];
    let queryId: string | undefined;
    const done = client.streamQuery(
      "SELECT id, item FROM orders WHERE item LIKE 'burst-%' EMIT CHANGES;",
      (d) => {
        queryId ??= d.metadata?.queryId;
        if (d.rows) received.push(...d.rows);
      },
      { streamsProperties: { 'auto.offset.reset': 'earliest' } },
    );
    await eventually('all 40 rows through the client', () => received.length === 40);
    expect(received[0]).toEqual({ ID: 100, ITEM: 'burst-0' });
    expect(received[39]).toEqual({ ID: 139, ITEM: 'burst-39' });
    expect(queryId).toMatch(/^transient_/);

    const closed = await client.terminatePushQuery(queryId!);
    expect(closed.status).toBe(200);
    const end = await done;
    expect(end.status).toBe(200);
    expect(end.data!.metadata).toMatchObject({ queryId, columnNames: ['ID', 'ITEM'], columnTypes: ['INTEGER', 'STRING'] });
  });

  it('terminatePushQuery() of an unknown query resolves with the error', async () => {
    const r = await client.terminatePushQuery('transient_NOPE_1');
    expect(r.status).toBe(400);
    expect(r.error).toMatchObject({ error_code: 40000, message: 'No query with id transient_NOPE_1' });
  });

  it('listStreams(), listTables(), listTopics(), listQueries() and describeSource() read the metastore', async () => {
    const streams = await client.listStreams();
    expect(streams.find((s) => s.name === 'ORDERS')).toMatchObject({ topic: 'orders', valueFormat: 'JSON' });
    expect((await client.listTables()).map((t) => t.name)).toContain('TOTALS');
    const topics = await client.listTopics();
    expect(topics.find((t) => t.name === 'orders')).toMatchObject({ replicaInfo: [1] });
    const queries = await client.listQueries();
    expect(queries.find((q) => q.id.startsWith('CTAS_TOTALS_'))).toMatchObject({ queryType: 'PERSISTENT' });
    const d = await client.describeSource('ORDERS');
    expect(d).toMatchObject({ name: 'ORDERS', topic: 'orders' });
    expect(d.fields.map((f) => f.name)).toEqual(['ID', 'ITEM', 'QTY']);
  });

  it('executeStatement() runs INSERT INTO … SELECT, TERMINATE and DROP, each answered with a command status', async () => {
    await client.executeStatement("CREATE STREAM copies (id INT KEY, item STRING, qty INT) WITH (kafka_topic='copies', partitions=1, value_format='json');");
    const ins = await client.executeStatement('INSERT INTO copies SELECT * FROM orders;');
    expect(ins.status).toBe(200);
    const queryId = ins.data!.rows![0].commandStatus.queryId as string;
    expect(queryId).toMatch(/^INSERTQUERY_\d+$/);
    const term = await client.executeStatement(`TERMINATE ${queryId};`);
    expect(term.status).toBe(200);
    expect(term.data!.rows![0]).toMatchObject({ commandId: `terminate/${queryId}/execute`, commandStatus: { status: 'SUCCESS' } });
    const drop = await client.executeStatement('DROP STREAM copies;');
    expect(drop.status).toBe(200);
    expect(drop.data!.rows![0]).toMatchObject({ commandId: 'stream/COPIES/drop', commandStatus: { status: 'SUCCESS' } });
  });

  // A bug of ksqldb-client 1.0.5 no server can satisfy: ksqlDB answers INSERT VALUES on /ksql with an
  // empty array (the statement yields no entity), and the client's StatementHandler reads
  // `commandId` of its first element, which is undefined. The row is inserted all the same.
  it('executeStatement() of INSERT VALUES inserts the row, but the client cannot read the empty answer (client bug)', async () => {
    await expect(client.executeStatement("INSERT INTO orders (id, item, qty) VALUES (9, 'fig', 1);")).rejects.toThrow(
      /Cannot read properties of undefined \(reading 'commandId'\)/,
    );
    const r = await fetch(`${server.url}/ksql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ksql: "INSERT INTO orders (id, item, qty) VALUES (9, 'fig', 2);" }),
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual([]);
    const rows = await eventually('both fig rows in the table', async () => {
      const q = await client.query('SELECT * FROM totals WHERE id = 9;');
      return q.data?.rows?.[0]?.TOTAL === 3 ? q.data.rows : undefined;
    });
    expect(rows).toEqual([{ ID: 9, TOTAL: 3 }]);
  });

  it('disconnect() closes the session, and the client connects again afterwards', async () => {
    const other = clientFor(server.url);
    await other.connect();
    await other.disconnect();
    expect(other.connected).toBe(false);
    // What a request on the destroyed session does is the client library's and Node's business (Node 24 no
    // longer fails it at once); the server's part is to take a new session.
    await other.connect();
    expect((await other.listStreams()).map((s) => s.name)).toContain('KSQL_PROCESSING_LOG');
    await other.disconnect();
  });
});

describeIf(BUNDLE_BUILT, DIST)('npm ksqldb-client against a server with Basic authentication', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-auth-')), 'users');
    fs.writeFileSync(file, 'alice:secret\n');
    server = await startServerProcess({}, { args: ['--auth-file', file] });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  // A bug of ksqldb-client 1.0.5 no server can satisfy: `_request` reads `this.authorization`,
  // which the constructor never sets (the options live in a private field), so no
  // Authorization header is ever sent; and `_buildBasicAuth` would encode `user:password `
  // with a trailing space. Every request of an authenticating client is therefore refused.
  it('is refused with 401 because the client never sends its credentials (client bug, see above)', async () => {
    const c = clientFor(server.url, { authorization: { username: 'alice', password: 'secret' } });
    await c.connect();
    try {
      const r = await c.executeStatement('SHOW STREAMS;');
      expect(r.status).toBe(401);
      expect(r.error).toMatchObject({ error_code: 40100, message: 'Unauthorized' });
    } finally {
      await c.disconnect();
    }
  });
});
