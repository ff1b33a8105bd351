// The connector statements end to end in Kafka mode: a real `sluice server --bootstrap-servers` process
// with ksql.connect.url set sends CREATE/SHOW/DESCRIBE/DROP CONNECTOR to a real Kafka Connect worker.
// A FileStreamSource fills a topic, a Sluice stream transforms it, a FileStreamSink writes the result out.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { createTopic, uniqueTopic } from './broker.js';
import { CONNECT_URL, describeConnect, freePort, uniqueConnector } from './connect-worker.js';
import { ksql, startSluice, stopAll, uniqueService } from './servers.js';

const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';
const dir = mkdtempSync(join(tmpdir(), 'sluice-connect-sql-'));

afterEach(stopAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** POST /ksql, answering the HTTP status and the JSON body whatever the status. */
async function post(url: string, sql: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  return { status: res.status, body: await res.json() };
}

/** A file's lines once it has `count` of them. */
function linesOf(file: string, count: number): Promise<string[]> {
  return eventually(`${count} lines in ${file}`, () => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const lines = text.split('\n').filter((l) => l !== '');
    return lines.length >= count ? lines : undefined;
  });
}

describeConnect('connector statements on a Kafka Connect worker', () => {
  it('file → FileStreamSource → stream → CSAS → FileStreamSink → file, with SHOW, DESCRIBE and DROP CONNECTOR', async () => {
    const url = (await startSluice(uniqueService(), { config: { 'ksql.connect.url': CONNECT_URL } })).url;
    const raw = uniqueTopic('connect-raw');
    const shouted = uniqueTopic('connect-shouted');
    await createTopic(raw);
    const input = join(dir, `${raw}.csv`);
    const output = join(dir, `${shouted}.csv`);
    writeFileSync(input, 'alice,3\nbob,5\n');
    // Quoted names keep their case (unquoted ones are upper-cased, as every SQL identifier).
    const source = uniqueConnector('src');
    const sink = uniqueConnector('sink');

    const [created] = await ksql(
      url,
      `CREATE SOURCE CONNECTOR \`${source}\` WITH ('connector.class'='FileStreamSource', 'file'='${input}', 'topic'='${raw}', 'value.converter'='${STRING_CONVERTER}');`,
    );
    expect(created).toMatchObject({
      '@type': 'connector_info',
      info: { name: source, type: 'source', config: { 'connector.class': 'FileStreamSource', topic: raw } },
    });
    await ksql(url, `CREATE STREAM lines (name STRING, n INT) WITH (kafka_topic='${raw}', value_format='DELIMITED');`);
    await ksql(
      url,
      `CREATE STREAM shouted WITH (kafka_topic='${shouted}', value_format='DELIMITED', partitions=1) AS SELECT UCASE(name) AS name, n * 10 AS n10 FROM lines;`,
      {
        'auto.offset.reset': 'earliest',
      },
    );
    await ksql(
      url,
      `CREATE SINK CONNECTOR \`${sink}\` WITH ('connector.class'='FileStreamSink', 'file'='${output}', 'topics'='${shouted}', 'value.converter'='${STRING_CONVERTER}');`,
    );
    expect(await linesOf(output, 2)).toEqual(['ALICE,30', 'BOB,50']);
    appendFileSync(input, 'carol,7\n');
    expect(await linesOf(output, 3)).toEqual(['ALICE,30', 'BOB,50', 'CAROL,70']);

    const [sinks] = await ksql(url, 'SHOW SINK CONNECTORS;');
    expect(sinks['@type']).toBe('connector_list');
    expect(sinks.connectors).toContainEqual({ name: sink, type: 'sink', className: 'FileStreamSink', state: 'RUNNING (1/1 tasks RUNNING)' });
    expect(sinks.connectors.map((c: { name: string }) => c.name)).not.toContain(source);
    const [described] = await ksql(url, `DESCRIBE CONNECTOR \`${source}\`;`);
    expect(described).toMatchObject({
      '@type': 'connector_description',
      connectorClass: 'FileStreamSource',
      status: { name: source, connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }], type: 'source' },
      topics: [raw],
    });
    for (const name of [source, sink]) {
      const [dropped] = await ksql(url, `DROP CONNECTOR \`${name}\`;`);
      expect(dropped).toMatchObject({ '@type': 'drop_connector', connectorName: name });
    }
    const [after] = await ksql(url, 'SHOW CONNECTORS;');
    expect(after.connectors.map((c: { name: string }) => c.name)).not.toContain(source);
  });

  it("answers Connect's refusals and an unreachable worker in ksqlDB's error shape; a restarted server finds Connect's connectors", async () => {
    const service = uniqueService();
    const server = await startSluice(service, { config: { 'ksql.connect.url': CONNECT_URL } });
    const bad = await post(server.url, "CREATE SOURCE CONNECTOR bad WITH ('connector.class'='FileStreamSource');");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      '@type': 'statement_error',
      error_code: 40000,
      message: 'Validation error: topic - Missing required configuration "topic" which has no default value.',
    });
    const name = uniqueConnector('kept');
    writeFileSync(join(dir, `${name}.in`), '');
    await ksql(
      server.url,
      `CREATE SOURCE CONNECTOR \`${name}\` WITH ('connector.class'='FileStreamSource', 'file'='${join(dir, `${name}.in`)}', 'topic'='${name}');`,
    );
    // A restart on the same data dir and command topic: the connector lives in Connect, not in Sluice.
    await server.kill('SIGTERM');
    const again = await startSluice(service, { dataDir: server.dataDir, config: { 'ksql.connect.url': CONNECT_URL } });
    const [listed] = await ksql(again.url, 'SHOW SOURCE CONNECTORS;');
    expect(listed.connectors.map((c: { name: string }) => c.name)).toContain(name);
    const [dropped] = await ksql(again.url, `DROP CONNECTOR \`${name}\`;`);
    expect(dropped).toMatchObject({ '@type': 'drop_connector', connectorName: name });

    const port = await freePort();
    const down = await startSluice(uniqueService(), { config: { 'ksql.connect.url': `http://127.0.0.1:${port}` } });
    const unreachable = await post(down.url, 'SHOW CONNECTORS;');
    expect(unreachable.status).toBe(500);
    expect(unreachable.body).toMatchObject({
      error_code: 50000,
      message: `Could not reach Kafka Connect at http://127.0.0.1:${port} (ksql.connect.url): connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('without ksql.connect.url a Kafka-mode server refuses connector statements instead of running a copy on every server', async () => {
    const server = await startSluice(uniqueService());
    const refused = await post(server.url, "CREATE SINK CONNECTOR s WITH ('connector.class'='FileStreamSink', 'file'='/tmp/never', 'topics'='t');");
    expect(refused.status).toBe(500);
    expect(refused.body).toMatchObject({
      error_code: 50000,
      message: 'Connectors are not available here: in Kafka mode connectors run on Kafka Connect: set ksql.connect.url to its REST URL',
    });
  });
});
