import type { FastifyInstance } from 'fastify';
import { stringifyJson } from '../http/values.js';
import { requireObject, type ServerContext } from '../http/context.js';
import { badRequest, toGenericError } from '../http/errors.js';
import type { ProduceRecord } from '../http/engine-port.js';

/** Media type of Confluent REST Proxy v2 responses. */
const KAFKA_V2 = 'application/vnd.kafka.v2+json';

function readRecords(body: unknown): ProduceRecord[] {
  const o = requireObject(body, ['records', 'key_schema', 'value_schema', 'key_schema_id', 'value_schema_id']);
  const records = o['records'];
  if (!Array.isArray(records) || records.length === 0) throw badRequest('Field "records" is required and must be a non-empty array.');
  return records.map((r: unknown, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw badRequest(`records[${i}] must be a JSON object.`);
    const rec = r as Record<string, unknown>;
    const extra = Object.keys(rec).find((k) => k !== 'key' && k !== 'value' && k !== 'partition');
    if (extra !== undefined) throw badRequest(`Unrecognized field "${extra}" in records[${i}].`);
    if (!('value' in rec)) throw badRequest(`records[${i}].value is required.`);
    const partition = rec['partition'];
    if (partition !== undefined && partition !== null && (typeof partition !== 'number' || !Number.isInteger(partition) || partition < 0)) {
      throw badRequest(`records[${i}].partition must be a non-negative integer.`);
    }
    return { key: rec['key'] ?? undefined, value: rec['value'], partition: (partition as number | null | undefined) ?? undefined };
  });
}

/** `POST /topics/{topic}`: Confluent REST Proxy v2 JSON produce, straight onto the log. */
export function registerTopicRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { topic: string } }>('/topics/:topic', async (req, reply) => {
    const records = readRecords(req.body);
    let offsets: readonly { partition: number; offset: number }[];
    try {
      offsets = await ctx.engine.produce(req.params.topic, records);
    } catch (e) {
      throw toGenericError(e);
    }
    return reply
      .code(200)
      .type(KAFKA_V2)
      .send(
        stringifyJson({
          offsets: offsets.map((o) => ({ partition: o.partition, offset: o.offset, error_code: null, error: null })),
          key_schema_id: null,
          value_schema_id: null,
        }),
      );
  });
}
