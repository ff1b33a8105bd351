import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../http/context.js';
import { requireObject } from '../http/context.js';
import { badRequest } from '../http/errors.js';
import { sendJson } from '../http/reply.js';

/** ksqlDB's `ServerClusterId`: the Kafka cluster and the ksqlDB service this server belongs to. */
function serverClusterId(ctx: ServerContext): Record<string, unknown> {
  return {
    id: '',
    scope: { path: [], clusters: { 'kafka-cluster': ctx.settings.kafkaClusterId, 'ksql-cluster': ctx.settings.serviceId } },
  };
}

/** Checks `o[name]` is a JSON object. @throws HttpError 40000 */
function objectField(o: Record<string, unknown>, name: string, where: string): Record<string, unknown> {
  const v = o[name];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest(`Field "${where}${name}" is required and must be a JSON object.`);
  return v as Record<string, unknown>;
}

/**
 * `GET /v1/metadata` and `GET /v1/metadata/id` (ksqlDB's ServerMetadataResource:
 * version and cluster id), and `POST /lag`, where ksqlDB servers of one service
 * report their state stores' lag to each other (ksqlDB's LagReportingResource).
 * A Sluice server checks the report's shape, keeps the latest of each host
 * (see LagReports in http/lag-reports.ts) and acknowledges it as ksqlDB does; `/clusterStatus`
 * shows it as that host's `hostStoreLags`.
 */
export function registerMetadataRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/v1/metadata', async (req, reply) => sendJson(req, reply, 200, { version: ctx.settings.version, clusterId: serverClusterId(ctx) }));
  app.get('/v1/metadata/id', async (req, reply) => sendJson(req, reply, 200, serverClusterId(ctx)));
  app.post('/lag', async (req, reply) => {
    const body = requireObject(req.body, ['ksqlHost', 'hostStoreLags']);
    const host = objectField(body, 'ksqlHost', '');
    if (typeof host['host'] !== 'string' || typeof host['port'] !== 'number')
      throw badRequest('Field "ksqlHost" must hold a string "host" and a number "port".');
    const lags = objectField(body, 'hostStoreLags', '');
    objectField(lags, 'stateStoreLags', 'hostStoreLags.');
    if (typeof lags['updateTimeMs'] !== 'number') throw badRequest('Field "hostStoreLags.updateTimeMs" is required and must be a number.');
    ctx.lagReports.receive(host['host'], host['port'], {
      stateStoreLags: lags['stateStoreLags'] as Record<string, unknown>,
      updateTimeMs: lags['updateTimeMs'],
    });
    return sendJson(req, reply, 200, { isOk: true });
  });
}
