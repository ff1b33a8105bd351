import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../http/context.js';

/** One asset ready to send: its bytes, gzipped bytes and entity tag. */
interface PreparedAsset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly etag: string;
}

function prepare(type: string, text: string): PreparedAsset {
  const body = Buffer.from(text, 'utf8');
  return { type, body, gzip: gzipSync(body, { level: 9 }), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/**
 * The asset, prepared on its first request: gzipping the script takes about
 * 20 ms, which a server start should not pay when nobody opens the console.
 */
function preparedOnDemand(type: string, text: string): () => PreparedAsset {
  let prepared: PreparedAsset | undefined;
  return () => {
    prepared ??= prepare(type, text);
    return prepared;
  };
}

/** The page: it loads the assets, under a policy that allows only this origin (and CodeMirror's styles, by nonce). */
function page(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csp-nonce" content="${nonce}">
<title>Sluice console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/app.css">
<script type="module" src="/console/app.js"></script>
</head>
<body><div id="app"></div></body>
</html>
`;
}

function policy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data: blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Does the client want a web page (a browser's `Accept: text/html, …`)? */
function wantsHtml(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

function sendAsset(req: FastifyRequest, reply: FastifyReply, asset: PreparedAsset): FastifyReply {
  reply.header('content-type', asset.type).header('cache-control', 'no-cache').header('etag', asset.etag).header('vary', 'accept-encoding');
  if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) return reply.code(200).header('content-encoding', 'gzip').send(asset.gzip);
  return reply.code(200).send(asset.body);
}

/**
 * `GET /`: the web console for browsers when it is built in and on, and
 * ksqlDB's 307 to `/info` for everything else. `GET /console/app.js` and
 * `/console/app.css` serve its assets (gzipped when accepted). Basic auth,
 * TLS and the host checks apply as to every route.
 */
export function registerConsoleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const assets = ctx.settings.console;
  app.get('/', async (req, reply) => {
    if (!assets || !wantsHtml(req)) return reply.code(307).header('location', '/info').send();
    const nonce = randomBytes(16).toString('base64');
    return reply
      .code(200)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', policy(nonce))
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(page(nonce));
  });
  if (assets) {
    const js = preparedOnDemand('text/javascript; charset=utf-8', assets.js);
    const css = preparedOnDemand('text/css; charset=utf-8', assets.css);
    app.get('/console/app.js', async (req, reply) => sendAsset(req, reply, js()));
    app.get('/console/app.css', async (req, reply) => sendAsset(req, reply, css()));
  }
}
