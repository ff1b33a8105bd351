import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../common/errors.js';
import { EMPTY_HOST_STORE_LAGS, type HostStoreLags, type LagReports } from '../http/lag-reports.js';
import { sendJson } from '../http/reply.js';
import type { ServerContext } from '../http/context.js';
import { HttpError, genericError } from '../http/errors.js';
import { ksqlProperty, propertyProblem } from '../../runtime/statements/property-defaults.js';

/** Prefixes and names ksqlDB recognises as ksql, streams, consumer or producer properties. */
const KNOWN_PREFIXES = [
  'ksql.',
  'sluice.serde.strict.numbers',
  'ksql.streams.',
  'auto.offset.reset',
  'processing.guarantee',
  'cache.max.bytes.buffering',
  'commit.interval.ms',
  'num.stream.threads',
  'consumer.',
  'producer.',
  'streams.',
];

/** `/info`, `/healthcheck`, `/clusterStatus`, `/is_valid_property/{name}`. */
export function registerInfoRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/info', async (req, reply) =>
    sendJson(req, reply, 200, {
      KsqlServerInfo: {
        version: ctx.settings.version,
        kafkaClusterId: ctx.settings.kafkaClusterId,
        ksqlServiceId: ctx.settings.serviceId,
        serverStatus: ctx.closing ? 'TERMINATING' : 'RUNNING',
      },
    }),
  );

  app.get('/healthcheck', async (req, reply) => {
    const healthy = !ctx.closing;
    return sendJson(req, reply, healthy ? 200 : 503, {
      isHealthy: healthy,
      details: { metastore: { isHealthy: healthy }, kafka: { isHealthy: healthy }, commandRunner: { isHealthy: healthy } },
      serverState: healthy ? 'READY' : 'TERMINATING',
    });
  });

  app.get('/clusterStatus', async (req, reply) => {
    const cluster = ctx.engine.clusterStatus?.();
    if (cluster) return sendJson(req, reply, 200, { clusterStatus: withReportedLags(cluster, ctx.lagReports) });
    const now = Date.now();
    const activeStandbyPerQuery: Record<string, unknown> = {};
    for (const q of ctx.engine.queries.values()) {
      activeStandbyPerQuery[q.id] = { activeStores: [], activePartitions: [], standByStores: [], standByPartitions: [] };
    }
    const host = req.headers.host ?? (req.headers[':authority'] as string | undefined) ?? 'localhost';
    return sendJson(req, reply, 200, {
      clusterStatus: {
        [host]: { hostAlive: true, lastStatusUpdateMs: now, activeStandbyPerQuery, hostStoreLags: ctx.lagReports.get(host) ?? EMPTY_HOST_STORE_LAGS },
      },
    });
  });

  app.get<{ Params: { name: string } }>('/is_valid_property/:name', async (req, reply) => {
    const name = req.params.name;
    if (ksqlProperty(name)?.serverOnly) {
      throw new HttpError(
        genericError(
          ErrorCode.BAD_REQUEST,
          `One or more properties overrides set locally are prohibited by the KSQL server (use UNSET to reset their default value): [${name}]`,
        ),
      );
    }
    const problem = propertyProblem(name);
    if (problem !== undefined) throw new HttpError(genericError(ErrorCode.BAD_REQUEST, problem));
    if (!KNOWN_PREFIXES.some((p) => name === p || name.startsWith(p)) && !(name in ctx.settings.properties)) {
      throw new HttpError(genericError(ErrorCode.BAD_REQUEST, `Not recognizable as ksql, streams, consumer, or producer property: '${name}'`));
    }
    return sendJson(req, reply, 200, true);
  });
}

/**
 * Kafka mode: each host's `hostStoreLags` is the lag report it sent to
 * `POST /lag` when that is at least as recent as what its heartbeats told.
 */
function withReportedLags(cluster: Record<string, unknown>, reports: LagReports): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [host, status] of Object.entries(cluster)) {
    const reported = reports.get(host);
    const s = status as { hostStoreLags?: HostStoreLags };
    out[host] = reported && reported.updateTimeMs >= (s.hostStoreLags?.updateTimeMs ?? 0) ? { ...s, hostStoreLags: reported } : status;
  }
  return out;
}
