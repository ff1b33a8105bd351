import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendRuns, type NewRecord, type RecordHeader, type TopicInfo } from '../../runtime/log/log.js';
import { partitionFor } from '../../runtime/log/murmur2.js';
import type { ServerContext } from '../http/context.js';
import { requireObject } from '../http/context.js';
import type { ProduceRecord } from '../http/engine-port.js';
import { HttpError, badRequest, genericError, toGenericError } from '../http/errors.js';
import { negotiate } from '../http/negotiate.js';
import { stringifyJson } from '../http/values.js';

/** Confluent REST Proxy's error codes (its own, beside ksqlDB's). */
const TOPIC_NOT_FOUND = 40401;
const PARTITION_NOT_FOUND = 40402;
const CLUSTER_NOT_FOUND = 40404;
const TOPIC_EXISTS = 40002;
const UNSUPPORTED_EMBEDDED_FORMAT = 41501;

/** Media types REST Proxy answers with, v2 first. */
const PROXY_TYPES = ['application/vnd.kafka.v2+json', 'application/vnd.kafka.v1+json', 'application/vnd.kafka+json', 'application/json'];

/**
 * How record keys and values arrive (REST Proxy's embedded format, from the
 * request's content type): `binary` — base64 of the bytes to write, as given;
 * `json` — JSON values, written in the formats of the stream or table over the
 * topic (or as JSON text on a topic without one).
 */
type EmbeddedFormat = 'binary' | 'json';

function embeddedFormat(contentType: string | undefined): EmbeddedFormat {
  const media = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const m = /^application\/vnd\.kafka(?:\.([a-z]+))?\.v([12])\+json$/.exec(media);
  if (!m) return 'json';
  // v1 without an embedded format is binary (REST Proxy v1's default).
  const fmt = m[1] ?? (m[2] === '1' ? 'binary' : 'json');
  if (fmt === 'binary' || fmt === 'json') return fmt;
  throw new HttpError(genericError(UNSUPPORTED_EMBEDDED_FORMAT, `Embedded format ${fmt} is not supported by Sluice: use binary or json.`));
}

/** Decodes base64 as REST Proxy's binary format does; null stays null (a tombstone, or no key). */
function base64(v: unknown, where: string): Buffer | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 === 1)
    throw badRequest(`${where} must be base64 text (binary embedded format).`);
  return Buffer.from(v, 'base64');
}

/** A record's `timestamp`: epoch milliseconds or an ISO-8601 date-time (REST Proxy v3). */
function timestampOf(v: unknown, where: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  throw badRequest(`${where}.timestamp must be epoch milliseconds or an ISO-8601 date-time.`);
}

/** A record's `headers`: `[{"name": …, "value": base64 | null}]` (REST Proxy v3). */
function headersOf(v: unknown, where: string): RecordHeader[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw badRequest(`${where}.headers must be an array of {"name", "value"}.`);
  return v.map((h: unknown, j) => {
    const o = h as { name?: unknown; value?: unknown } | null;
    if (typeof o !== 'object' || o === null || typeof o.name !== 'string')
      throw badRequest(`${where}.headers[${j}] must be {"name": string, "value": base64 or null}.`);
    return { key: o.name, value: base64(o.value, `${where}.headers[${j}].value`) };
  });
}

/** One record to write, read from a produce request. */
interface ProxyRecord {
  readonly key: unknown;
  readonly value: unknown;
  readonly partition?: number;
  readonly timestamp?: number;
  readonly headers?: RecordHeader[];
}

/** The fields a produced record may have. */
const RECORD_FIELDS: ReadonlySet<string> = new Set(['key', 'value', 'partition', 'timestamp', 'headers']);

function readRecords(body: unknown, partitionAllowed: boolean): ProxyRecord[] {
  const o = requireObject(body, ['records', 'key_schema', 'value_schema', 'key_schema_id', 'value_schema_id']);
  const records = o['records'];
  if (!Array.isArray(records) || records.length === 0) throw badRequest('Field "records" is required and must be a non-empty array.');
  return records.map((r: unknown, i) => {
    const where = `records[${i}]`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw badRequest(`${where} must be a JSON object.`);
    const rec = r as Record<string, unknown>;
    for (const k in rec) if (!RECORD_FIELDS.has(k)) throw badRequest(`Unrecognized field "${k}" in ${where}.`);
    if (!('value' in rec)) throw badRequest(`${where}.value is required.`);
    const partition = rec['partition'];
    if (partition !== undefined && partition !== null) {
      if (!partitionAllowed) throw badRequest(`${where}.partition is not allowed when producing to a partition.`);
      if (typeof partition !== 'number' || !Number.isInteger(partition) || partition < 0)
        throw badRequest(`${where}.partition must be a non-negative integer.`);
    }
    return {
      key: rec['key'] ?? null,
      value: rec['value'],
      partition: (partition as number | null | undefined) ?? undefined,
      timestamp: timestampOf(rec['timestamp'], where),
      headers: headersOf(rec['headers'], where),
    };
  });
}

async function topicOr404(ctx: ServerContext, name: string): Promise<TopicInfo> {
  const info = await ctx.engine.log.topic(name);
  if (!info) throw new HttpError(genericError(TOPIC_NOT_FOUND, 'Topic not found.'));
  return info;
}

/** Writes binary records as given: bytes, partition (else the key's murmur2 partition), timestamp, headers; one append per partition run. */
async function produceBinary(ctx: ServerContext, info: TopicInfo, records: readonly ProxyRecord[]): Promise<{ partition: number; offset: number }[]> {
  const batch: NewRecord[] = [];
  const placed: { partition: number; offset: number }[] = [];
  const now = Date.now();
  for (const [i, r] of records.entries()) {
    const key = base64(r.key, `records[${i}].key`);
    const value = base64(r.value, `records[${i}].value`);
    const partition = r.partition ?? (key === null || info.partitions === 1 ? 0 : partitionFor(key, info.partitions));
    if (partition >= info.partitions) throw new HttpError(genericError(PARTITION_NOT_FOUND, 'Partition not found.'));
    batch.push({ key, value, timestamp: r.timestamp ?? now, ...(r.headers ? { headers: r.headers } : {}) });
    placed.push({ partition, offset: -1 });
  }
  await appendRuns(ctx.engine.log, info.name, batch, placed);
  return placed;
}

function sendProxy(req: FastifyRequest, reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .type(negotiate(req.headers.accept, PROXY_TYPES) ?? PROXY_TYPES[0]!)
    .send(stringifyJson(body));
}

async function produce(ctx: ServerContext, req: FastifyRequest, reply: FastifyReply, topic: string, toPartition: number | undefined): Promise<FastifyReply> {
  const format = embeddedFormat(req.headers['content-type']);
  const records = readRecords(req.body, toPartition === undefined).map((r) => (toPartition === undefined ? r : { ...r, partition: toPartition }));
  const info = await topicOr404(ctx, topic);
  if (toPartition !== undefined && toPartition >= info.partitions) throw new HttpError(genericError(PARTITION_NOT_FOUND, 'Partition not found.'));
  let offsets: readonly { partition: number; offset: number }[];
  try {
    offsets = format === 'binary' ? await produceBinary(ctx, info, records) : await ctx.engine.produce(topic, records as readonly ProduceRecord[]);
  } catch (e) {
    throw toGenericError(e);
  }
  // Plain numbers and nulls only: JSON.stringify writes them as stringifyJson would, faster.
  const text = JSON.stringify({
    offsets: offsets.map((o) => ({ partition: o.partition, offset: o.offset, error_code: null, error: null })),
    key_schema_id: null,
    value_schema_id: null,
  });
  return reply
    .code(200)
    .type(negotiate(req.headers.accept, PROXY_TYPES) ?? PROXY_TYPES[0]!)
    .send(text);
}

/** REST Proxy's partition metadata (one embedded broker, id 0, leads every partition). */
function partitionInfo(p: number): Record<string, unknown> {
  return { partition: p, leader: 0, replicas: [{ broker: 0, leader: true, in_sync: true }] };
}

function partitionParam(text: string): number {
  const p = Number(text);
  if (!Number.isInteger(p) || p < 0) throw new HttpError(genericError(PARTITION_NOT_FOUND, 'Partition not found.'));
  return p;
}

/** `POST /v3/clusters/{id}/topics`: creates a topic (REST Proxy v3), answering its v3 `KafkaTopic`. */
async function createTopic(ctx: ServerContext, req: FastifyRequest<{ Params: { cluster: string } }>, reply: FastifyReply): Promise<FastifyReply> {
  const cluster = req.params.cluster;
  if (cluster !== ctx.settings.kafkaClusterId) throw new HttpError(genericError(CLUSTER_NOT_FOUND, `Cluster ${cluster} cannot be found.`));
  const o = requireObject(req.body, ['topic_name', 'partitions_count', 'replication_factor', 'configs', 'validate_only']);
  const name = o['topic_name'];
  if (typeof name !== 'string' || !/^[A-Za-z0-9._-]{1,249}$/.test(name))
    throw badRequest('Field "topic_name" is required: letters, digits, ".", "_" and "-", at most 249.');
  const count = o['partitions_count'] ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw badRequest('Field "partitions_count" must be a positive integer.');
  const replicas = o['replication_factor'] ?? 1;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 1) throw badRequest('Field "replication_factor" must be a positive integer.');
  const configs = o['configs'] ?? [];
  if (!Array.isArray(configs)) throw badRequest('Field "configs" must be an array of {"name", "value"}.');
  const config = new Map<string, string>();
  for (const c of configs as unknown[]) {
    const e = c as { name?: unknown; value?: unknown } | null;
    if (typeof e !== 'object' || e === null || typeof e.name !== 'string') throw badRequest('Field "configs" must be an array of {"name", "value"}.');
    config.set(e.name, String(e.value));
  }
  if (await ctx.engine.log.topic(name)) throw new HttpError(genericError(TOPIC_EXISTS, `Topic '${name}' already exists.`));
  if (o['validate_only'] !== true) {
    const retention = config.get('retention.ms');
    await ctx.engine.log.createTopic(name, count, {
      compacted: config.get('cleanup.policy') === 'compact',
      replicas,
      ...(retention !== undefined && Number.isInteger(Number(retention)) ? { retentionMs: Number(retention) } : {}),
    });
  }
  const self = `/v3/clusters/${cluster}/topics/${name}`;
  return reply
    .code(201)
    .type('application/json')
    .send(
      stringifyJson({
        kind: 'KafkaTopic',
        metadata: { self, resource_name: `crn:///kafka=${cluster}/topic=${name}` },
        cluster_id: cluster,
        topic_name: name,
        is_internal: false,
        replication_factor: replicas,
        partitions_count: count,
        partitions: { related: `${self}/partitions` },
        configs: { related: `${self}/configs` },
        partition_reassignments: { related: `${self}/partitions/-/reassignment` },
      }),
    );
}

/**
 * Confluent REST Proxy's produce and metadata endpoints, straight onto the log:
 * `GET /topics`, `GET /topics/{t}`, `POST /topics/{t}`, `GET /topics/{t}/partitions`,
 * `GET|POST /topics/{t}/partitions/{p}`, `GET /brokers` (v1/v2), and topic creation
 * `POST /v3/clusters/{id}/topics` (v3). Records take `key`, `value` (null: a
 * tombstone), `partition`, `timestamp` and `headers`.
 */
export function registerTopicRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/topics', async (req, reply) => sendProxy(req, reply, 200, (await ctx.engine.log.listTopics()).map((t) => t.name).sort()));
  app.get<{ Params: { topic: string } }>('/topics/:topic', async (req, reply) => {
    const info = await topicOr404(ctx, req.params.topic);
    return sendProxy(req, reply, 200, {
      name: info.name,
      configs: info.compacted ? { 'cleanup.policy': 'compact' } : {},
      partitions: Array.from({ length: info.partitions }, (_, p) => partitionInfo(p)),
    });
  });
  app.post<{ Params: { topic: string } }>('/topics/:topic', (req, reply) => produce(ctx, req, reply, req.params.topic, undefined));
  app.get<{ Params: { topic: string } }>('/topics/:topic/partitions', async (req, reply) => {
    const info = await topicOr404(ctx, req.params.topic);
    return sendProxy(
      req,
      reply,
      200,
      Array.from({ length: info.partitions }, (_, p) => partitionInfo(p)),
    );
  });
  app.get<{ Params: { topic: string; partition: string } }>('/topics/:topic/partitions/:partition', async (req, reply) => {
    const info = await topicOr404(ctx, req.params.topic);
    const p = partitionParam(req.params.partition);
    if (p >= info.partitions) throw new HttpError(genericError(PARTITION_NOT_FOUND, 'Partition not found.'));
    return sendProxy(req, reply, 200, partitionInfo(p));
  });
  app.post<{ Params: { topic: string; partition: string } }>('/topics/:topic/partitions/:partition', (req, reply) =>
    produce(ctx, req, reply, req.params.topic, partitionParam(req.params.partition)),
  );
  app.get('/brokers', async (req, reply) => sendProxy(req, reply, 200, { brokers: [0] }));
  app.post<{ Params: { cluster: string } }>('/v3/clusters/:cluster/topics', (req, reply) => createTopic(ctx, req, reply));
}
