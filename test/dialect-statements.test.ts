import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, SluiceError } from '../src/common/errors.js';
import { parseStatement } from '../src/parser/index.js';
import { Engine } from '../src/runtime/engine/engine.js';
import { startEngine } from './helpers/engine-harness.js';

/**
 * ksqlDB statements users hit beyond queries and DDL: PAUSE/RESUME, ALTER
 * STREAM/TABLE … ADD COLUMN, ALTER SYSTEM, ASSERT TOPIC/SCHEMA (connector
 * statements: parser-connectors.test.ts, server-connectors.test.ts).
 */

/** The SluiceError `f` rejects with. */
async function rejection(f: () => Promise<unknown>): Promise<SluiceError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof SluiceError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

/** A KAFKA-format INT key. */
function int(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

const STREAM = "CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');";

describe('parsing the admin statements', () => {
  it('PAUSE / RESUME take a query id or ALL', () => {
    expect(parseStatement('PAUSE CSAS_X_0;')).toMatchObject({ kind: 'PauseResume', action: 'PAUSE', queryId: 'CSAS_X_0' });
    const all = parseStatement('resume all');
    expect(all).toMatchObject({ kind: 'PauseResume', action: 'RESUME' });
    expect('queryId' in all).toBe(false);
  });

  it('ALTER STREAM takes several ADD [COLUMN] options; ALTER SYSTEM a property', () => {
    const s = parseStatement('ALTER STREAM s ADD COLUMN a INT, ADD b ARRAY<STRING>');
    expect(s).toMatchObject({ kind: 'AlterSource', sourceType: 'STREAM', name: 'S', columns: [{ name: 'A' }, { name: 'B' }] });
    expect(parseStatement("ALTER SYSTEM 'ksql.x'='1'")).toMatchObject({ kind: 'AlterSystem', name: 'ksql.x', value: '1' });
  });

  it('ASSERT TOPIC / SCHEMA read NOT EXISTS, WITH, SUBJECT, ID and TIMEOUT', () => {
    expect(parseStatement("ASSERT NOT EXISTS TOPIC 'Orders' WITH (PARTITIONS=2) TIMEOUT 3 SECONDS")).toMatchObject({
      kind: 'AssertTopic',
      topic: 'Orders',
      exists: false,
      properties: [{ name: 'PARTITIONS' }],
      timeoutMs: 3000,
    });
    expect(parseStatement("ASSERT SCHEMA SUBJECT 'orders-value' ID 4")).toMatchObject({ kind: 'AssertSchema', subject: 'orders-value', id: 4, exists: true });
    expect(() => parseStatement('ASSERT SCHEMA TIMEOUT 1 SECOND')).toThrow('ASSERT SCHEMA statements much include a subject name or an id');
  });
});

describe('PAUSE and RESUME', () => {
  it('a paused query processes nothing and shows PAUSED; RESUME continues where it stopped', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(`${STREAM} CREATE STREAM OUT AS SELECT * FROM S;`);
    const id = [...h.engine.queries.keys()][0]!;
    await h.write({ topic: 's', key: int(1), value: '{"V":1}' });
    expect((await h.read('OUT')).map((r) => r.value)).toEqual(['{"V":1}']);

    const [paused] = await h.engine.execute(`PAUSE ${id};`);
    expect(paused).toMatchObject({ kind: 'Message', message: 'Query paused.' });
    await h.write({ topic: 's', key: int(2), value: '{"V":2}' });
    expect((await h.read('OUT')).map((r) => r.value)).toEqual(['{"V":1}']);
    const [shown] = await h.engine.execute('SHOW QUERIES;');
    expect(shown).toMatchObject({ kind: 'Queries', queries: [{ id, state: 'PAUSED' }] });

    await h.engine.execute('RESUME ALL;');
    await h.engine.pumpAll();
    expect((await h.read('OUT')).map((r) => r.value)).toEqual(['{"V":1}', '{"V":2}']);
    expect(h.engine.queries.get(id)?.state).toBe('RUNNING');
  });

  it('an unknown query id is refused', async () => {
    const h = await startEngine();
    const e = await rejection(() => h.engine.execute('PAUSE NOPE_0;'));
    expect(e.errorCode).toBe(ErrorCode.BAD_STATEMENT);
    expect(e.message).toBe('Unknown queryId: NOPE_0');
  });

  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a paused query stays paused after a restart (the command log replays PAUSE)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pause-'));
    dirs.push(dataDir);
    const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest' } });
    await first.execute(`CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1); CREATE STREAM OUT AS SELECT * FROM S;`);
    const id = [...first.queries.keys()][0]!;
    await first.execute(`PAUSE ${id};`);
    await first.execute('INSERT INTO S (ID, V) VALUES (1, 1);');
    await first.pumpAll();
    await first.close();

    const second = await Engine.open({ dataDir, autoPump: false });
    expect(second.queries.get(id)?.state).toBe('PAUSED');
    await second.pumpAll();
    expect(await second.log.endOffset('OUT', 0)).toBe(0);
    await second.execute(`RESUME ${id};`);
    await second.pumpAll();
    expect(await second.log.endOffset('OUT', 0)).toBe(1);
    await second.close();
  });
});

describe('ALTER STREAM/TABLE … ADD COLUMN', () => {
  it('adds value columns that DESCRIBE shows and queries started afterwards read', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(STREAM);
    const [altered] = await h.engine.execute('ALTER STREAM S ADD COLUMN W STRING, ADD X INT;');
    expect(altered).toMatchObject({ kind: 'Message', message: 'Stream S altered.' });
    const [described] = await h.engine.execute('DESCRIBE S;');
    expect(described?.kind === 'SourceDescription' && described.source.schema.value.map((c) => c.name)).toEqual(['V', 'W', 'X']);
    await h.engine.execute('CREATE STREAM OUT AS SELECT ID, W FROM S;');
    await h.write({ topic: 's', key: int(1), value: '{"V":1,"W":"w"}' });
    expect((await h.read('OUT')).map((r) => r.value)).toEqual(['{"W":"w"}']);
  });

  it.each([
    ['ALTER STREAM S ADD COLUMN V INT;', 'Cannot add column `V` to schema. A column with the same name already exists.'],
    ['ALTER STREAM NOPE ADD COLUMN V INT;', 'Source NOPE does not exist'],
    ['ALTER TABLE S ADD COLUMN Q INT;', 'Incompatible data source type is STREAM, but statement was ALTER TABLE'],
    ['ALTER STREAM OUT ADD COLUMN Q INT;', 'ALTER command is not supported for CREATE ... AS statements.'],
  ])('%s is refused as ksqlDB refuses it', async (sql, message) => {
    const h = await startEngine(['s']);
    await h.engine.execute(`${STREAM} CREATE STREAM OUT AS SELECT * FROM S;`);
    const e = await rejection(() => h.engine.execute(sql));
    expect(e.errorCode).toBe(ErrorCode.BAD_STATEMENT);
    expect(e.message).toBe(message);
  });
});

it('ALTER TABLE on a CREATE SOURCE table is refused as ksqlDB refuses it', async () => {
  const h = await startEngine(['t']);
  await h.engine.execute("CREATE SOURCE TABLE T (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');");
  const e = await rejection(() => h.engine.execute('ALTER TABLE T ADD COLUMN W INT;'));
  expect(e.errorCode).toBe(ErrorCode.BAD_STATEMENT);
  expect(e.message).toBe("Cannot alter table 'T': ALTER operations are not supported on source tables.");
});

describe('ALTER SYSTEM', () => {
  it('sets a ksql. property that outlives the request, unlike SET', async () => {
    const h = await startEngine();
    await h.engine.execute("ALTER SYSTEM 'ksql.persistence.default.format.value'='JSON';", { properties: { 'ksql.output.topic.name.prefix': 'p_' } });
    expect(h.engine.properties.get('ksql.persistence.default.format.value')).toBe('JSON');
    expect(h.engine.properties.has('ksql.output.topic.name.prefix')).toBe(false);
  });

  it('refuses properties that are not ksql. ones or are fixed at start', async () => {
    const h = await startEngine();
    const e = await rejection(() => h.engine.execute("ALTER SYSTEM 'ksql.service.id'='other';"));
    expect(e.errorCode).toBe(ErrorCode.BAD_STATEMENT);
    expect(e.message).toBe("Cannot ALTER SYSTEM property 'ksql.service.id': it is fixed when the server starts.");
    const f = await rejection(() => h.engine.execute("ALTER SYSTEM 'auto.offset.reset'='earliest';"));
    expect(f.message).toBe("Cannot ALTER SYSTEM property 'auto.offset.reset': only ksql.* system properties can be altered.");
  });
});

describe('ASSERT TOPIC and ASSERT SCHEMA', () => {
  it('holds for an existing topic with matching partitions, and for a missing one with NOT EXISTS', async () => {
    const h = await startEngine([{ name: 'orders', partitions: 2 }]);
    const [r] = await h.engine.execute('ASSERT TOPIC orders WITH (PARTITIONS=2) TIMEOUT 0 SECONDS;');
    expect(r).toEqual({ kind: 'AssertTopic', statementText: 'ASSERT TOPIC orders WITH (PARTITIONS=2) TIMEOUT 0 SECONDS', topic: 'orders', exists: true });
    const [n] = await h.engine.execute("ASSERT NOT EXISTS TOPIC 'nope' TIMEOUT 0 SECONDS;");
    expect(n).toMatchObject({ kind: 'AssertTopic', topic: 'nope', exists: false });
  });

  it('fails with 41700 and ksqlDB reason when the topic is missing or differs', async () => {
    const h = await startEngine([{ name: 'orders', partitions: 2 }]);
    const missing = await rejection(() => h.engine.execute('ASSERT TOPIC nope TIMEOUT 0 SECONDS;'));
    expect(missing.errorCode).toBe(ErrorCode.ASSERTION_FAILED);
    expect(missing.message).toBe('Topic nope does not exist');
    const differs = await rejection(() => h.engine.execute('ASSERT TOPIC orders WITH (PARTITIONS=3, FOO=1) TIMEOUT 0 SECONDS;'));
    expect(differs.message).toBe(
      'Mismatched configuration for topic orders: For config partitions, expected 3 got 2\nCannot assert unknown topic property: FOO',
    );
    const exists = await rejection(() => h.engine.execute('ASSERT NOT EXISTS TOPIC orders TIMEOUT 0 SECONDS;'));
    expect(exists.message).toBe('Topic orders exists');
  });

  it('waits for a topic created while it waits', async () => {
    const h = await startEngine();
    const waiting = h.engine.execute('ASSERT TOPIC later TIMEOUT 60 SECONDS;');
    await h.log.createTopic('later', 1);
    const [r] = await waiting;
    expect(r).toMatchObject({ kind: 'AssertTopic', topic: 'later', exists: true });
  });

  it('checks schemas by subject and id in the registry', async () => {
    const h = await startEngine();
    const id = h.engine.registry.register({ type: 'string' }, { subject: 'orders-value' });
    const [r] = await h.engine.execute(`ASSERT SCHEMA SUBJECT 'orders-value' ID ${id} TIMEOUT 0 SECONDS;`);
    expect(r).toMatchObject({ kind: 'AssertSchema', subject: 'orders-value', id, exists: true });
    const e = await rejection(() => h.engine.execute("ASSERT SCHEMA SUBJECT 'nope' TIMEOUT 0 SECONDS;"));
    expect(e.errorCode).toBe(ErrorCode.ASSERTION_FAILED);
    expect(e.message).toBe('Schema with subject name nope does not exist');
    const f = await rejection(() => h.engine.execute(`ASSERT NOT EXISTS SCHEMA ID ${id} TIMEOUT 0 SECONDS;`));
    expect(f.message).toBe(`Schema with id ${id} exists`);
  });
});

describe('SHOW PROPERTIES', () => {
  it('lists every effective property, which the session overrides and which are defaults', async () => {
    const h = await startEngine();
    await h.engine.execute("ALTER SYSTEM 'ksql.max.push.queries'='7';");
    const [r] = await h.engine
      .execute("SET 'ksql.output.topic.name.prefix'='p_'; SHOW PROPERTIES;", { properties: { 'processing.guarantee': 'exactly_once_v2' } })
      .then((rs) => rs.slice(1));
    expect(r?.kind).toBe('Properties');
    if (r?.kind !== 'Properties') return;
    expect(r.properties).toMatchObject({
      'ksql.streams.auto.offset.reset': 'earliest',
      'ksql.streams.processing.guarantee': 'exactly_once_v2',
      'ksql.output.topic.name.prefix': 'p_',
      'ksql.max.push.queries': '7',
      'ksql.service.id': 'default_',
      'ksql.logging.processing.stream.name': 'KSQL_PROCESSING_LOG',
    });
    expect([...r.overwritten].sort()).toEqual(['ksql.output.topic.name.prefix', 'ksql.streams.processing.guarantee']);
    expect(r.defaults).toContain('ksql.service.id');
    expect(r.defaults).not.toContain('ksql.max.push.queries');
    expect(r.defaults).not.toContain('ksql.streams.auto.offset.reset');
  });
});
