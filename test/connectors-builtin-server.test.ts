/**
 * Built-in connectors through SQL on a real `sluice server` process (no
 * `ksql.connect.url`, so connectors run inside it): a FileStream source →
 * stream → FileStream sink round trip with ksqlDB's connector entities, and a
 * SIGKILL of the server mid-stream: after the restart the command log replays
 * the connectors, which resume from their positions in the log, so the output
 * file holds every line exactly once.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { fileLines } from './helpers/connectors.js';
import { DIST, describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, type ServerProcess, startServerProcess } from './helpers/server-process.js';

const servers: ServerProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function ksql(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${url}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as Record<string, unknown>[];
}

const lines = fileLines;

describeIf(BUNDLE_BUILT, DIST)('built-in connectors on a server process', () => {
  it('CREATE SOURCE/SINK CONNECTOR copy a growing file through a stream; SHOW and DESCRIBE answer ksqlDB entities', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-connectors-sql-'));
    dirs.push(dir);
    const input = join(dir, 'in.jsonl');
    const output = join(dir, 'out.jsonl');
    writeFileSync(input, '{"ID":1,"NAME":"ann"}\n');
    const server = await startServerProcess();
    servers.push(server);
    await ksql(server.url, `CREATE STREAM PEOPLE (ID INT, NAME STRING) WITH (KAFKA_TOPIC='people', VALUE_FORMAT='JSON', PARTITIONS=1);`);
    const [created] = await ksql(
      server.url,
      `CREATE SOURCE CONNECTOR people_in WITH ('connector.class'='FileStreamSource', 'topic'='people', 'file'='${input}');`,
    );
    expect(created).toMatchObject({
      '@type': 'connector_info',
      info: {
        name: 'PEOPLE_IN',
        config: { 'connector.class': 'FileStreamSource', topic: 'people', file: input, name: 'PEOPLE_IN' },
        tasks: [{ connector: 'PEOPLE_IN', task: 0 }],
        type: 'source',
      },
    });
    await ksql(server.url, `CREATE SINK CONNECTOR people_out WITH ('connector.class'='FileStreamSink', 'topics'='people', 'file'='${output}');`);
    await eventually('the first line copied', () => lines(output).length === 1);
    appendFileSync(input, '{"ID":2,"NAME":"bob"}\n');
    await eventually('the appended line copied', () => lines(output).length === 2);
    expect(lines(output)).toEqual(['{"ID":1,"NAME":"ann"}', '{"ID":2,"NAME":"bob"}']);

    const [list] = await ksql(server.url, 'SHOW CONNECTORS;');
    expect(list).toMatchObject({
      '@type': 'connector_list',
      connectors: [
        { name: 'PEOPLE_IN', type: 'source', className: 'FileStreamSource', state: 'RUNNING (1/1 tasks RUNNING)' },
        { name: 'PEOPLE_OUT', type: 'sink', className: 'FileStreamSink', state: 'RUNNING (1/1 tasks RUNNING)' },
      ],
    });
    const [described] = await ksql(server.url, 'DESCRIBE CONNECTOR people_out;');
    expect(described).toMatchObject({
      '@type': 'connector_description',
      connectorClass: 'FileStreamSink',
      status: { name: 'PEOPLE_OUT', connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }], type: 'sink' },
      topics: ['people'],
    });
    const [dropped] = await ksql(server.url, 'DROP CONNECTOR people_out;');
    expect(dropped).toMatchObject({ '@type': 'drop_connector', connectorName: 'PEOPLE_OUT' });
    const [after] = await ksql(server.url, 'SHOW CONNECTORS;');
    expect((after as { connectors: { name: string }[] }).connectors.map((c) => c.name)).toEqual(['PEOPLE_IN']);
    // the source still runs; the sink, stopped before DROP answered, writes nothing more
    appendFileSync(input, '{"ID":3,"NAME":"cy"}\n');
    const res = await fetch(`${server.url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ksql: 'SELECT ID FROM PEOPLE EMIT CHANGES LIMIT 3;', streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' } }),
    });
    const body = await res.text();
    expect(res.status, body).toBe(200);
    expect([...body.matchAll(/"columns":\[(\d+)\]/g)].map((m) => Number(m[1]))).toEqual([1, 2, 3]);
    expect(lines(output)).toHaveLength(2);
  });

  it('a SIGKILL mid-stream: after the restart every line is in the output exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-connectors-kill-'));
    dirs.push(dir);
    const dataDir = join(dir, 'data');
    const input = join(dir, 'in.jsonl');
    const output = join(dir, 'out.jsonl');
    const line = (i: number) => `{"ID":${i},"NAME":"n${i}"}`;
    writeFileSync(input, `${[1, 2, 3].map(line).join('\n')}\n`);
    const first = await startServerProcess({}, { dataDir });
    servers.push(first);
    await ksql(first.url, `CREATE STREAM PEOPLE (ID INT, NAME STRING) WITH (KAFKA_TOPIC='people', VALUE_FORMAT='JSON', PARTITIONS=1);`);
    await ksql(first.url, `CREATE SOURCE CONNECTOR people_in WITH ('connector.class'='FileStreamSource', 'topic'='people', 'file'='${input}');`);
    await ksql(first.url, `CREATE SINK CONNECTOR people_out WITH ('connector.class'='FileStreamSink', 'topics'='people', 'file'='${output}');`);
    await eventually('three lines copied', () => lines(output).length === 3);
    await first.stop(); // SIGKILL

    appendFileSync(input, `${[4, 5].map(line).join('\n')}\n`);
    const second = await startServerProcess({}, { dataDir });
    servers.push(second);
    await eventually('the two lines written while it was down', () => lines(output).length >= 5);
    appendFileSync(input, `${line(6)}\n`);
    await eventually('the line appended after the restart', () => lines(output).length >= 6);
    expect(lines(output)).toEqual([1, 2, 3, 4, 5, 6].map(line));
    const [described] = await ksql(second.url, 'DESCRIBE CONNECTOR people_in;');
    expect(described).toMatchObject({ '@type': 'connector_description', status: { tasks: [{ id: 0, state: 'RUNNING' }] } });
  });
});
