import http from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { ErrorCode } from '../common/errors.js';
import { checkBasicAuth } from './http/auth.js';
import type { ServerContext } from './http/context.js';
import { HttpError, badRequest, genericError, toGenericError } from './http/errors.js';
import type { Handler } from './http/listener.js';
import { registerObservability, requestId, type Observability } from './observability/hooks.js';
import { registerConsoleRoutes } from './routes/console.js';
import { registerInfoRoutes } from './routes/info.js';
import { registerInsertRoutes } from './routes/inserts.js';
import { registerKsqlRoutes } from './routes/ksql.js';
import { registerMetadataRoutes } from './routes/metadata.js';
import { registerQueryRoutes } from './routes/query.js';
import { registerTopicRoutes } from './routes/topics.js';
import { registerWsQueryRoutes } from './routes/ws-query.js';
import { checkContentType } from './http/request-guard.js';
import { sendError } from './http/reply.js';

/** Methods that change state: their body type is checked (see {@link checkContentType}). */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A header's single value (HTTP/2 `:authority` stands for `Host`). */
function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Routes whose request body is a stream the handler reads itself. */
const STREAMING_BODY_ROUTES = new Set(['/inserts-stream']);

/** Reads a request body as text, failing with 413 beyond `limit` bytes. */
function readBody(req: FastifyRequest, payload: NodeJS.ReadableStream, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    payload.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(genericError(41300, `Request body is larger than the limit of ${limit} bytes.`)));
        return;
      }
      chunks.push(c);
    });
    payload.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    payload.on('error', (e: Error) => {
      if (!failed) reject(badRequest(`Could not read the request body: ${e.message}`));
    });
    void req;
  });
}

/**
 * Builds the fastify application: `Host`/`Origin` checks, Basic
 * authentication, JSON content types only on state-changing requests, body
 * parsing (ksqlDB errors for malformed bodies), ksqlDB-shaped
 * errors for every failure, and all routes. Returns the app and the request
 * handler the listener gives HTTP/1.1 and HTTP/2 requests to.
 */
export async function buildApp(ctx: ServerContext, obs: Observability): Promise<{ app: FastifyInstance; handler: Handler }> {
  let handler: Handler | undefined;
  const app = Fastify({
    // The server's pino logger; request lines are ours (hooks.ts), not fastify's per-request pair.
    loggerInstance: obs.log.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestId,
    bodyLimit: ctx.settings.bodyLimit,
    return503OnClosing: false,
    // URLs fastify refuses before routing (bad percent-encoding, over-long parameters) get ksqlDB's error shape too.
    frameworkErrors: (err, req, reply) => {
      const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      const path = (req.raw.url ?? '').split('?')[0] ?? '';
      const shown = path.length > 200 ? `${path.slice(0, 200)}...` : path;
      const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? `A path parameter of ${shown} is too long.` : `Invalid request URL: ${shown}`;
      void sendError(req, reply, new HttpError(genericError(status * 100, message)));
    },
    serverFactory: (h) => {
      handler = h as unknown as Handler;
      return http.createServer();
    },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (req, payload, done) => {
    if (STREAMING_BODY_ROUTES.has(req.routeOptions.url ?? '')) {
      done(null, payload);
      return;
    }
    readBody(req, payload, ctx.settings.bodyLimit).then(
      (text) => {
        if (text.trim() === '') return done(null, undefined);
        try {
          done(null, JSON.parse(text) as unknown);
        } catch (e) {
          done(badRequest(`Malformed JSON in request body: ${(e as Error).message}`) as unknown as FastifyError, undefined);
        }
      },
      (e: unknown) => done(e as FastifyError, undefined),
    );
  });

  registerObservability(app, obs);
  app.addHook('onRequest', async (req, reply) => {
    if (ctx.closing) return sendError(req, reply, new HttpError(genericError(ErrorCode.SERVER_SHUTTING_DOWN, 'The server is shutting down')));
    const origin = header(req, 'origin');
    const misdirected = ctx.settings.hosts.check(header(req, 'host') ?? header(req, ':authority'), origin);
    if (misdirected) return sendError(req, reply, misdirected);
    if (ctx.settings.users.size > 0) {
      const refused = checkBasicAuth(req.headers.authorization, ctx.settings.users);
      if (refused) return sendError(req, reply, refused);
    }
    if (STATE_CHANGING.has(req.method)) {
      const unsupported = checkContentType(header(req, 'content-type'), origin);
      if (unsupported) return sendError(req, reply, unsupported);
    }
    return undefined;
  });

  app.setErrorHandler((err: FastifyError | HttpError | Error, req, reply) => {
    if (reply.sent || reply.raw.headersSent) return;
    if (err instanceof HttpError) return sendError(req, reply, err);
    const status = (err as FastifyError).statusCode;
    if (status === 413)
      return sendError(req, reply, new HttpError(genericError(41300, `Request body is larger than the limit of ${ctx.settings.bodyLimit} bytes.`)));
    if (status !== undefined && status >= 400 && status < 500) return sendError(req, reply, new HttpError(genericError(status * 100, err.message)));
    return sendError(req, reply, toGenericError(err));
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    sendError(
      req,
      reply,
      new HttpError(genericError(ErrorCode.NOT_FOUND, `No endpoint ${req.method} ${path.length > 200 ? `${path.slice(0, 200)}...` : path}`)),
    );
  });

  registerKsqlRoutes(app, ctx);
  registerQueryRoutes(app, ctx);
  registerInsertRoutes(app, ctx);
  registerInfoRoutes(app, ctx);
  registerTopicRoutes(app, ctx);
  registerMetadataRoutes(app, ctx);
  registerWsQueryRoutes(app, ctx);
  registerConsoleRoutes(app, ctx);

  await app.ready();
  if (!handler) throw new Error('fastify did not create its request handler');
  return { app, handler };
}
