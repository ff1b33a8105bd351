import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/runtime/engine/engine.js';
import type { RunningServer } from '../src/server/index.js';
import { eventually } from './helpers/eventually.js';
import { ksql, postJson, startTestServer } from './server-helpers.js';

// Avro round trips through the embedded registry with a third-party Confluent client.

let server: RunningServer;
let url: string;
let engine: Engine;
let client: SchemaRegistry;

const ORDER = {
  type: 'record',
  name: 'Order',
  namespace: 'com.example',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'item', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};

function waitForRecords(topic: string, n: number): Promise<readonly { value: Buffer | null }[]> {
  return eventually(`${n} records on ${topic}`, async () => {
    const got = await engine.log.read(topic, 0, 0, 1000);
    return got.length >= n && got;
  });
}

beforeAll(async () => {
  ({ server, url, engine } = await startTestServer({ schemaRegistry: { port: 0 } }));
  client = new SchemaRegistry({ host: server.schemaRegistry!.url });
});
afterAll(() => server.close());

describe('@kafkajs/confluent-schema-registry against the embedded registry', () => {
  it('registers, reads back by id and subject, and checks compatibility', async () => {
    const { id } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(ORDER) }, { subject: 'orders-topic-value' });
    expect(id).toBeGreaterThan(0);
    expect(await client.getLatestSchemaId('orders-topic-value')).toBe(id);
    expect(await client.getRegistryId('orders-topic-value', 1)).toBe(id);
    expect(await client.getRegistryIdBySchema('orders-topic-value', { type: SchemaType.AVRO, schema: JSON.stringify(ORDER) })).toBe(id);
    // a fresh client (empty cache) fetches the schema by id
    const fresh = new SchemaRegistry({ host: server.schemaRegistry!.url });
    expect(await fresh.getSchema(id)).toMatchObject({ name: 'com.example.Order' });
    // the client set the subject's level on first registration (PUT /config/{subject})
    expect(await (await fetch(`${server.schemaRegistry!.url}/config/orders-topic-value`)).json()).toEqual({ compatibilityLevel: 'BACKWARD' });
    // an incompatible schema is refused with 409
    const broken = { ...ORDER, fields: [...ORDER.fields, { name: 'qty', type: 'int' }] };
    await expect(client.register({ type: SchemaType.AVRO, schema: JSON.stringify(broken) }, { subject: 'orders-topic-value' })).rejects.toThrow(/incompatible/);
  });

  it('client-encoded Avro: CREATE infers columns, a query reads the records, a CSAS sink decodes with the client', async () => {
    const id = await client.getLatestSchemaId('orders-topic-value');
    await ksql(url, "CREATE STREAM orders WITH (kafka_topic='orders-topic', value_format='AVRO', partitions=1);");
    const described = await ksql(url, 'DESCRIBE orders;');
    expect(described[0].sourceDescription.fields.map((f: { name: string; schema: { type: string } }) => [f.name, f.schema.type])).toEqual([
      ['ID', 'BIGINT'],
      ['ITEM', 'STRING'],
      ['AMOUNT', 'DOUBLE'],
      ['NOTE', 'STRING'],
    ]);
    await ksql(
      url,
      "CREATE STREAM big_orders WITH (kafka_topic='big-orders', value_format='AVRO') AS SELECT id, item, amount * 2 AS doubled FROM orders WHERE amount > 10;",
    );

    const orders = [
      { id: 1, item: 'apple', amount: 5.5, note: null },
      { id: 2, item: 'pear', amount: 12.25, note: 'ripe' },
      { id: 3, item: 'fig', amount: 40, note: null },
    ];
    const encoded = await Promise.all(orders.map((o) => client.encode(id, o)));
    expect(encoded[0]![0]).toBe(0); // Confluent wire format: magic byte, then the id
    expect(encoded[0]!.readInt32BE(1)).toBe(id);
    await engine.log.append(
      'orders-topic',
      0,
      encoded.map((value, i) => ({ key: null, value, timestamp: 1_700_000_000_000 + i, headers: [] })),
    );

    // read back through a query
    const res = await postJson(`${url}/query-stream`, {
      sql: 'SELECT id, item, amount, note FROM orders EMIT CHANGES LIMIT 3;',
      properties: { 'auto.offset.reset': 'earliest' },
    });
    expect(res.status).toBe(200);
    const lines = String(res.body)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.slice(1)).toEqual([
      [1, 'apple', 5.5, null],
      [2, 'pear', 12.25, 'ripe'],
      [3, 'fig', 40, null],
    ]);

    // the CSAS sink's bytes carry the id of a schema the engine registered: the client decodes them
    const sunk = await waitForRecords('big-orders', 2);
    const decoded = await Promise.all(sunk.map((r) => client.decode(r.value!)));
    expect(decoded).toEqual([
      { ID: 2, ITEM: 'pear', DOUBLED: 24.5 },
      { ID: 3, ITEM: 'fig', DOUBLED: 80 },
    ]);
    const sinkId = sunk[0]!.value!.readInt32BE(1);
    expect(await client.getSchema(sinkId)).toMatchObject({ typeName: 'record' });
  });

  // A source whose columns were inferred from schema id N writes rows with schema N itself
  // (field names and types as registered), so readers using schema N decode them.
  it('records written by INSERT INTO are decodable by the client with the schema it registered', async () => {
    await ksql(url, "INSERT INTO orders (id, item, amount) VALUES (4, 'kiwi', 1.5);");
    const all = await waitForRecords('orders-topic', 4);
    const last = all[3]!.value!;
    expect(last.readInt32BE(1)).toBe(await client.getLatestSchemaId('orders-topic-value'));
    expect(await client.decode(last)).toEqual({ id: 4, item: 'kiwi', amount: 1.5, note: null });
  });
});
