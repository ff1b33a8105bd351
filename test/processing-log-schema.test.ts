import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';

/**
 * The processing-log stream has ksqlDB's schema (LOGGER, LEVEL, TIME, MESSAGE
 * STRUCT<TYPE, DESERIALIZATIONERROR, RECORDPROCESSINGERROR, …>), so alert
 * queries written for ksqlDB's KSQL_PROCESSING_LOG run unchanged, and its name
 * follows `ksql.logging.processing.stream.name`.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function open(properties: Record<string, string> = {}): Promise<Engine> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-plog-'));
  dirs.push(dataDir);
  return Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest', ...properties } });
}

async function values(engine: Engine, topic: string): Promise<unknown[]> {
  return (await engine.log.read(topic, 0, 0, 1000)).map((r) => JSON.parse(r.value!.toString('utf8')));
}

describe('the processing-log stream', () => {
  it('has ksqlDB schema, and an alert query on MESSAGE fields reads deserialization and processing errors', async () => {
    const engine = await open();
    await engine.execute(
      "CREATE STREAM S (V INT, T STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);" +
        'CREATE STREAM OUT AS SELECT V, LPAD(T, 2000000, T) AS P FROM S;' +
        'CREATE STREAM ALERTS AS SELECT LOGGER, LEVEL, MESSAGE->TYPE AS KIND, MESSAGE->DESERIALIZATIONERROR->ERRORMESSAGE AS DE, ' +
        'MESSAGE->DESERIALIZATIONERROR->`TOPIC` AS TP, MESSAGE->RECORDPROCESSINGERROR->ERRORMESSAGE AS RE FROM KSQL_PROCESSING_LOG;',
    );
    const [described] = await engine.execute('DESCRIBE KSQL_PROCESSING_LOG;');
    expect(described?.kind === 'SourceDescription' && described.source.schema.value.map((c) => c.name)).toEqual(['LOGGER', 'LEVEL', 'TIME', 'MESSAGE']);
    await engine.log.append('s', 0, [
      { key: null, value: Buffer.from('not json'), timestamp: 1, headers: [] },
      { key: null, value: Buffer.from('{"V":1,"T":"x"}'), timestamp: 2, headers: [] },
    ]);
    await engine.pumpAll();
    const alerts = (await values(engine, 'ALERTS')) as Record<string, unknown>[];
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({ LOGGER: 'processing.CSAS_OUT_0', LEVEL: 'ERROR', KIND: 0, TP: 's', RE: null });
    expect(String(alerts[0]!.DE)).toMatch(/^Failed to deserialize/);
    expect(alerts[1]).toMatchObject({ KIND: 1, DE: null, TP: null });
    expect(String(alerts[1]!.RE)).toBe('Error processing LPAD: LPAD target length (2000000) exceeds the maximum of 1048576.');
    await engine.close();
  });

  it('is named by ksql.logging.processing.stream.name', async () => {
    const engine = await open({ 'ksql.logging.processing.stream.name': 'MY_ERRORS' });
    const [shown] = await engine.execute('SHOW STREAMS;');
    expect(shown?.kind === 'Sources' && shown.sources.map((s) => s.name)).toEqual(['MY_ERRORS']);
    await engine.close();
  });
});
