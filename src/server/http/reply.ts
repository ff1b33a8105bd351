import type { FastifyReply, FastifyRequest } from 'fastify';
import { logServerError, type HttpError } from './errors.js';
import { stringifyJson } from './values.js';

/** The JSON media type to answer with: ksqlDB's versioned type when the client asked for it. */
export function responseType(req: FastifyRequest): string {
  const accept = req.headers.accept ?? '';
  if (accept.includes('application/vnd.ksql.v1+json')) return 'application/vnd.ksql.v1+json';
  return 'application/json';
}

/** Sends a JSON body (exact numbers kept) with a status. */
export function sendJson(req: FastifyRequest, reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type(responseType(req)).send(stringifyJson(body));
}

/**
 * Sends an HttpError as ksqlDB does: status `error_code / 100` and the error
 * JSON. A server-side failure behind it goes to the request's log (with its `reqId`).
 */
export function sendError(req: FastifyRequest, reply: FastifyReply, err: HttpError): FastifyReply {
  if (err.failure) logServerError(req.log, err.failure);
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return sendJson(req, reply, err.status, err.body);
}
