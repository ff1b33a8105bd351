import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KSQL_PROPERTIES, propertiesMarkdownTable } from '../src/runtime/statements/property-defaults.js';
import type { RunningServer } from '../src/server/index.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { ksql, postJson, startTestServer } from './server-helpers.js';

const root = path.resolve(import.meta.dirname, '..');

describe('SET and streamsProperties check ksqlDB properties', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
  });
  afterAll(async () => {
    await server.close();
  });

  const refusal = async (body: Record<string, unknown>) => {
    const r = await postJson(`${url}/ksql`, body);
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe(40001);
    return r.body.message as string;
  };

  it('SET of a refused property fails with 40001 naming it and the reason', async () => {
    expect(await refusal({ ksql: "SET 'ksql.query.pull.max.qps'='10';" })).toBe(
      "Property 'ksql.query.pull.max.qps' is not supported by Sluice: pull queries are not rate limited.",
    );
  });

  it('SET of an unknown ksql. property fails with ksqlDB message', async () => {
    expect(await refusal({ ksql: "SET 'ksql.no.such.thing'='1';" })).toBe(
      "Not recognizable as ksql, streams, consumer, or producer property: 'ksql.no.such.thing'",
    );
  });

  it('SET of a server-only property fails with Cannot override property', async () => {
    expect(await refusal({ ksql: "SET 'ksql.service.id'='other_';" })).toBe("Cannot override property 'ksql.service.id'");
    expect(await refusal({ ksql: "SET 'ksql.query.persistent.active.limit'='5';" })).toBe("Cannot override property 'ksql.query.persistent.active.limit'");
  });

  it('a switch Sluice has in one position refuses the other value', async () => {
    expect(await refusal({ ksql: "SET 'ksql.functions.substring.legacy.args'='true';" })).toBe(
      "Property 'ksql.functions.substring.legacy.args' can only be 'false' in Sluice: only the current SUBSTRING arguments exist.",
    );
    expect(await ksql(url, "SET 'ksql.functions.substring.legacy.args'='false';")).toEqual([]);
  });

  it("auto.offset.reset=none is refused as ksqlDB's validator does", async () => {
    expect(await refusal({ ksql: "SET 'auto.offset.reset'='none';" })).toBe("'none' is not valid for this property within KSQL");
  });

  it('streamsProperties with a refused property fail the request naming it', async () => {
    expect(await refusal({ ksql: 'SHOW STREAMS;', streamsProperties: { 'ksql.connect.worker.config': '/etc/connect.properties' } })).toBe(
      "Property 'ksql.connect.worker.config' is not supported by Sluice: Sluice has no Kafka Connect integration.",
    );
    // ksql.connect.url is read at start, from the server's configuration only.
    expect(await refusal({ ksql: 'SHOW STREAMS;', streamsProperties: { 'ksql.connect.url': 'http://connect:8083' } })).toBe(
      "Cannot override property 'ksql.connect.url'",
    );
  });

  it('ALTER SYSTEM of a refused property fails naming it', async () => {
    expect(await refusal({ ksql: "ALTER SYSTEM 'ksql.metrics.tags.custom'='a:b';" })).toBe(
      "Property 'ksql.metrics.tags.custom' is not supported by Sluice: not configurable; see /metrics.",
    );
  });

  it('/is_valid_property (what the CLI asks before SET) refuses a refused property naming it', async () => {
    const res = await fetch(`${url}/is_valid_property/ksql.query.pull.max.qps`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error_code: number; message: string };
    expect(body.error_code).toBe(40000);
    expect(body.message).toBe("Property 'ksql.query.pull.max.qps' is not supported by Sluice: pull queries are not rate limited.");
  });

  it('properties clients commonly send, streams and client settings are still accepted', async () => {
    const r = await ksql(
      url,
      "SET 'ksql.streams.cache.max.bytes.buffering'='0'; SET 'commit.interval.ms'='100'; SET 'ksql.streams.producer.acks'='all'; SET 'fetch.min.bytes'='1'; SHOW PROPERTIES;",
      { streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' } },
    );
    const listed = new Map((r[0].properties as { name: string; value: string }[]).map((p) => [p.name, p.value]));
    expect(listed.get('ksql.streams.cache.max.bytes.buffering')).toBe('0');
    expect(listed.get('ksql.streams.commit.interval.ms')).toBe('100');
    expect(listed.get('ksql.streams.auto.offset.reset')).toBe('earliest');
  });

  it('SHOW PROPERTIES lists the defaults of honoured properties and no refused one', async () => {
    const [r] = await ksql(url, 'SHOW PROPERTIES;');
    const listed = new Map((r.properties as { name: string; value: string }[]).map((p) => [p.name, p.value]));
    expect(listed.get('ksql.query.pull.table.scan.enabled')).toBe('true');
    expect(listed.get('ksql.logging.processing.stream.name')).toBe('KSQL_PROCESSING_LOG');
    expect(r.defaultProperties).toContain('ksql.query.pull.table.scan.enabled');
    for (const [name, p] of KSQL_PROPERTIES) if (p.status === 'refused') expect(listed.has(name)).toBe(false);
  });
});

describe('ksql.query.persistent.active.limit and the server configuration (real server process)', () => {
  let proc: ServerProcess;
  beforeAll(async () => {
    proc = await startServerProcess({
      'ksql.query.persistent.active.limit': '1',
      'ksql.streams.num.standby.replicas': '1',
      'ksql.no.such.setting': 'x',
    });
  });
  afterAll(async () => {
    await proc.stop();
  });

  it('a configuration with refused or unknown properties starts and warns naming each', () => {
    expect(proc.stderr()).toContain(
      "sluice server: warning: Property 'ksql.streams.num.standby.replicas' is not supported by Sluice: Sluice keeps no standby replicas. (ignored)",
    );
    expect(proc.stderr()).toContain(
      "sluice server: warning: Not recognizable as ksql, streams, consumer, or producer property: 'ksql.no.such.setting' (ignored)",
    );
  });

  it('refuses a persistent query beyond the limit with ksqlDB message, and allows one after TERMINATE', async () => {
    await ksql(proc.url, "CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', partitions=1, value_format='json');");
    const [first] = await ksql(proc.url, 'CREATE STREAM a AS SELECT * FROM s;');
    expect(first.commandStatus.queryId).toBe('CSAS_A_0');
    const r = await postJson(`${proc.url}/ksql`, { ksql: 'CREATE STREAM b AS SELECT * FROM s;' });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe(40001);
    expect(r.body.message).toBe(
      "Not executing statement(s) as it would cause the number of active, persistent queries to exceed the configured limit. Use the TERMINATE command to terminate existing queries, or increase the 'ksql.query.persistent.active.limit' setting via the 'ksql-server.properties' file. Current persistent query count: 2. Configured limit: 1.",
    );
    const [streams] = await ksql(proc.url, 'SHOW STREAMS;');
    expect((streams.streams as { name: string }[]).map((s) => s.name)).not.toContain('B');
    await ksql(proc.url, 'TERMINATE CSAS_A_0;');
    const [again] = await ksql(proc.url, 'CREATE STREAM c AS SELECT * FROM s;');
    expect(again.commandStatus.queryId).toMatch(/^CSAS_C_/);
  });
});

describe('ksql.schema.registry.url in the configuration (real server processes)', () => {
  it('makes the server register schemas in that registry', async () => {
    const owner = await startServerProcess({}, { schemaRegistry: true });
    try {
      const user = await startServerProcess({ 'ksql.schema.registry.url': owner.registryUrl! });
      try {
        await ksql(user.url, "CREATE STREAM sr_s (id INT KEY, v INT) WITH (kafka_topic='sr_s', partitions=1, value_format='json');");
        await ksql(user.url, "CREATE STREAM sr_avro WITH (kafka_topic='sr_avro', value_format='avro') AS SELECT * FROM sr_s;");
        const subjects = (await (await fetch(`${owner.registryUrl}/subjects`)).json()) as string[];
        expect(subjects).toContain('sr_avro-value');
      } finally {
        await user.stop();
      }
    } finally {
      await owner.stop();
    }
  });
});

describe('docs/properties.md', () => {
  it('is the property table, row for row', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'properties.md'), 'utf8');
    expect(doc.endsWith(propertiesMarkdownTable())).toBe(true);
  });
});
