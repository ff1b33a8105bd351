import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIST, describeIf } from './helpers/describe-if.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';

/**
 * Issue 15: PRINT over a real `sluice server` detects every format as ksqlDB's
 * RecordFormatter does (AVRO, PROTOBUF, JSON_SR checked against the embedded
 * Schema Registry; JSON; KAFKA_INT/BIGINT/DOUBLE/STRING; windowed keys of each),
 * whatever the streams on the topic declare, and prints each as ksqlDB does.
 */

async function ksql(url: string, sql: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  return { status: res.status, body: await res.json() };
}

async function ok(url: string, sql: string): Promise<void> {
  const r = await ksql(url, sql);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** The lines PRINT writes over /query until its LIMIT ends the response. */
async function print(url: string, sql: string): Promise<string[]> {
  const res = await fetch(`${url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  expect(res.status).toBe(200);
  return (await res.text()).split('\n').filter((l) => l.length > 0);
}

const VALUE_COLUMNS = 'NAME STRING, AGE INT, SCORE DOUBLE, TAGS ARRAY<STRING>, M MAP<STRING, INT>, S STRUCT<X INT>';
const VALUES = `(ID, NAME, AGE, SCORE, TAGS, M, S, ROWTIME) VALUES ('k1', 'ann "q"', 0, 2.0, ARRAY['a', 'é'], MAP('x' := 1), STRUCT(X := 3), 1000)`;

describeIf(BUNDLE_BUILT, DIST)('PRINT detects formats as ksqlDB does (real server, embedded registry)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({}, { schemaRegistry: true });
    for (const f of ['AVRO', 'PROTOBUF', 'JSON_SR']) {
      await ok(server.url, `CREATE STREAM S_${f} (ID STRING KEY, ${VALUE_COLUMNS}) WITH (KAFKA_TOPIC='t_${f.toLowerCase()}', FORMAT='${f}', PARTITIONS=1);`);
      await ok(server.url, `INSERT INTO S_${f} ${VALUES};`);
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('prints AVRO records as Avro renders a record, the key as its bare value', async () => {
    expect(await print(server.url, "PRINT 't_avro' FROM BEGINNING LIMIT 1;")).toEqual([
      // The 8-byte key (magic byte, id, Avro string "k1") also reads as a long, a double and text.
      'Key format: AVRO or KAFKA_BIGINT or KAFKA_DOUBLE or KAFKA_STRING',
      'Value format: AVRO or KAFKA_STRING',
      'rowtime: 1970/01/01 00:00:01.000 Z, key: k1, value: {"NAME": "ann \\"q\\"", "AGE": 0, "SCORE": 2.0, "TAGS": ["a", "é"], "M": {"x": 1}, "S": {"X": 3}}, partition: 0',
    ]);
  });

  it('prints PROTOBUF records in protobuf text form: defaults left out, non-ASCII bytes in octal', async () => {
    expect(await print(server.url, "PRINT 't_protobuf' FROM BEGINNING LIMIT 1;")).toEqual([
      'Key format: PROTOBUF or HOPPING(KAFKA_STRING) or TUMBLING(KAFKA_STRING) or KAFKA_STRING',
      'Value format: PROTOBUF or KAFKA_STRING',
      'rowtime: 1970/01/01 00:00:01.000 Z, key: ID: "k1", value: NAME: "ann \\"q\\"" SCORE: 2.0 TAGS: "a" TAGS: "\\303\\251" M { key: "x" value: 1 } S { X: 3 }, partition: 0',
    ]);
  });

  it('prints JSON_SR records as compact JSON, doubles as Java writes them', async () => {
    expect(await print(server.url, "PRINT 't_json_sr' FROM BEGINNING LIMIT 1;")).toEqual([
      'Key format: JSON_SR or HOPPING(KAFKA_STRING) or TUMBLING(KAFKA_STRING) or KAFKA_STRING',
      'Value format: JSON_SR or KAFKA_STRING',
      'rowtime: 1970/01/01 00:00:01.000 Z, key: "k1", value: {"NAME":"ann \\"q\\"","AGE":0,"SCORE":2.0,"TAGS":["a","é"],"M":{"x":1},"S":{"X":3}}, partition: 0',
    ]);
  });

  it('prints KAFKA numbers, an 8-byte double as the long ksqlDB prefers', async () => {
    await ok(server.url, "CREATE STREAM S_KAFKA (ID BIGINT KEY, V DOUBLE) WITH (KAFKA_TOPIC='t_kafka', FORMAT='KAFKA', PARTITIONS=1);");
    await ok(server.url, 'INSERT INTO S_KAFKA (ID, V, ROWTIME) VALUES (5, 1.5, 1000);');
    await ok(server.url, "CREATE STREAM S_INT (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='t_int', FORMAT='KAFKA', PARTITIONS=1);");
    await ok(server.url, "INSERT INTO S_INT (ID, V, ROWTIME) VALUES (-7, 'plain text', 2000);");
    expect(await print(server.url, "PRINT 't_kafka' FROM BEGINNING LIMIT 1;")).toEqual([
      'Key format: KAFKA_BIGINT or KAFKA_DOUBLE or KAFKA_STRING',
      'Value format: KAFKA_BIGINT or KAFKA_DOUBLE',
      'rowtime: 1970/01/01 00:00:01.000 Z, key: 5, value: 4609434218613702656, partition: 0',
    ]);
    expect(await print(server.url, "PRINT 't_int' FROM BEGINNING LIMIT 1;")).toEqual([
      // FF FF FF F9 is malformed UTF-8, so the key is no string.
      'Key format: KAFKA_INT',
      'Value format: KAFKA_STRING',
      'rowtime: 1970/01/01 00:00:02.000 Z, key: -7, value: plain text, partition: 0',
    ]);
  });

  it('decodes the windowed keys of tumbling and session tables', async () => {
    // Persistent queries start at the end of their input (auto.offset.reset=latest): rows come after.
    await ok(server.url, "CREATE STREAM S_WIN (ID STRING KEY, NAME STRING) WITH (KAFKA_TOPIC='t_win', FORMAT='JSON_SR', PARTITIONS=1);");
    await ok(server.url, "CREATE TABLE W WITH (FORMAT='KAFKA') AS SELECT ID, COUNT(*) AS N FROM S_WIN WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY ID;");
    await ok(
      server.url,
      "CREATE TABLE SW WITH (KEY_FORMAT='JSON', VALUE_FORMAT='JSON') AS SELECT ID, COUNT(*) AS N FROM S_WIN WINDOW SESSION (1 MINUTE) GROUP BY ID;",
    );
    await ok(server.url, "INSERT INTO S_WIN (ID, NAME, ROWTIME) VALUES ('k1', 'a', 1000);");
    expect(await print(server.url, 'PRINT W FROM BEGINNING LIMIT 1;')).toEqual([
      // "k1" + the 8-byte start 0: also valid text as a whole.
      'Key format: HOPPING(KAFKA_STRING) or TUMBLING(KAFKA_STRING) or KAFKA_STRING',
      // 00…01 is valid UTF-8 too.
      'Value format: KAFKA_BIGINT or KAFKA_DOUBLE or KAFKA_STRING',
      'rowtime: 1970/01/01 00:00:01.000 Z, key: [k1@0/-], value: 1, partition: 0',
    ]);
    expect(await print(server.url, 'PRINT SW FROM BEGINNING LIMIT 1;')).toEqual([
      // The 4 inner bytes "k1" (quotes included) are JSON, an int and text; the
      // 1000 in the window bytes (…03 E8) is malformed UTF-8, so nothing longer reads.
      'Key format: SESSION(JSON) or SESSION(KAFKA_INT) or SESSION(KAFKA_STRING)',
      'Value format: JSON or KAFKA_STRING',
      'rowtime: 1970/01/01 00:00:01.000 Z, key: ["k1"@1000/1000], value: {"N":1}, partition: 0',
    ]);
  });

  it('narrows the formats as records arrive and prints the header line again when it changes', async () => {
    await ok(server.url, "CREATE STREAM MIXED (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='t_mixed', FORMAT='KAFKA', PARTITIONS=1);");
    await ok(server.url, `INSERT INTO MIXED (K, V, ROWTIME) VALUES ('a', '{"x": 10}', 0);`);
    const res = await fetch(`${server.url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ksql: "PRINT 't_mixed' FROM BEGINNING LIMIT 2;" }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const lines = () => text.split('\n').filter((l) => l.length > 0);
    while (lines().length < 3) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += Buffer.from(chunk.value).toString('utf8');
    }
    expect(lines()).toEqual([
      'Key format: KAFKA_STRING',
      'Value format: JSON or KAFKA_STRING',
      'rowtime: 1970/01/01 00:00:00.000 Z, key: a, value: {"x": 10}, partition: 0',
    ]);
    // A value that is no JSON arrives in a later batch: only the value's header line is printed again.
    await ok(server.url, "INSERT INTO MIXED (K, V, ROWTIME) VALUES ('b', 'not json', 1);");
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += Buffer.from(chunk.value).toString('utf8');
    expect(lines().slice(3)).toEqual(['Value format: KAFKA_STRING', 'rowtime: 1970/01/01 00:00:00.001 Z, key: b, value: not json, partition: 0']);
  });
});
