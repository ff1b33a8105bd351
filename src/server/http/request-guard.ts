/**
 * Guards against browsers driving a local server: DNS rebinding (a `Host`
 * naming the attacker's domain), cross-site requests (an `Origin` of another
 * site) and "simple" cross-site POSTs (form or `text/plain` bodies, which a
 * browser sends without a CORS preflight).
 */
import { isIP } from 'node:net';
import { hostname as machineName } from 'node:os';
import { ErrorCode } from '../../common/errors.js';
import { HttpError, genericError } from './errors.js';

/**
 * Request body media types accepted on state-changing requests (parameters such
 * as `charset` ignored): `application/json`, any `application/…+json`
 * (ksqlDB's `application/vnd.ksql.v1+json`, the REST proxy's
 * `application/vnd.kafka.json.v2+json`), and `application/vnd.ksqlapi.delimited.v1`,
 * which ksqlDB's JavaScript/HTTP2 clients send. None of them is one a browser
 * may send cross-site without a CORS preflight.
 */
function isJsonMediaType(media: string): boolean {
  return media === 'application/json' || media === 'application/vnd.ksqlapi.delimited.v1' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(media);
}

/** Status and error code of a refused content type (ksqlDB's shape, HTTP 415). */
export const UNSUPPORTED_MEDIA_TYPE = 41500;

/**
 * Which names a request may address the server by. `*` alone allows any name;
 * `.example.com` or `*.example.com` allows the subdomains of example.com.
 */
export class HostPolicy {
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly any: boolean;
  /** The server listens on every interface: any IP literal is a way to reach it. */
  private readonly wildcard: boolean;

  /**
   * @param boundHost the interface the listener binds (allowed, as are loopback names)
   * @param allowList further names (`--allowed-hosts`, `sluice.server.allowed.hosts`)
   */
  constructor(boundHost: string, allowList: readonly string[] = []) {
    const bound = normalize(boundHost);
    this.wildcard = bound === '' || bound === '0.0.0.0' || bound === '::';
    for (const n of ['localhost', '127.0.0.1', '::1', bound]) this.exact.add(n);
    if (this.wildcard) this.exact.add(normalize(machineName()));
    let any = false;
    for (const raw of allowList) {
      const n = normalize(raw.trim());
      if (n === '') continue;
      if (n === '*') any = true;
      else if (n.startsWith('*.')) this.suffixes.push(n.slice(1));
      else if (n.startsWith('.')) this.suffixes.push(n);
      else this.exact.add(n);
    }
    this.any = any;
  }

  /**
   * Whether `name` (a host name or IP literal, without port) is one the server
   * answers to. On a wildcard bind any IP literal may be in `Host` (no DNS, no
   * rebinding), but not in `Origin`: a page served from some IP is another site.
   */
  allows(name: string, origin = false): boolean {
    if (this.any) return true;
    const n = normalize(name);
    if (this.exact.has(n)) return true;
    if (n.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(n)) return true;
    if (this.wildcard && !origin && isIP(n) !== 0) return true;
    return this.suffixes.some((s) => n.endsWith(s));
  }

  /**
   * Checks a request's `Host` (or HTTP/2 `:authority`) and `Origin`.
   * @returns the 403 to answer with, or undefined when both are allowed (or absent).
   */
  check(host: string | undefined, origin: string | undefined): HttpError | undefined {
    if (host !== undefined && host !== '' && !this.allows(hostOf(host))) {
      return forbidden(
        `Host '${host}' is not allowed: the server answers only to its own names. Add it to --allowed-hosts (sluice.server.allowed.hosts) to serve it.`,
      );
    }
    if (origin !== undefined && origin !== '') {
      let name: string | undefined;
      try {
        name = origin === 'null' ? undefined : new URL(origin).hostname;
      } catch {
        name = undefined;
      }
      if (name === undefined || !this.allows(name, true)) {
        return forbidden(
          `Origin '${origin}' is not allowed: cross-site requests are refused. Add its host to --allowed-hosts (sluice.server.allowed.hosts) to serve it.`,
        );
      }
    }
    return undefined;
  }
}

/**
 * Checks the body type of a state-changing request. A non-JSON type is refused
 * (browsers send form and `text/plain` bodies cross-site without a preflight);
 * a missing type is refused only from a browser (the request has an `Origin`),
 * so `curl -X POST` and clients that send no type keep working.
 * @returns the 415 to answer with, or undefined.
 */
export function checkContentType(contentType: string | undefined, origin: string | undefined): HttpError | undefined {
  const refused = refusedContentType(contentType, origin);
  return refused === undefined ? undefined : unsupported(refused);
}

/**
 * The rule of {@link checkContentType} without the error: the type as shown in
 * an error when it is refused, else undefined. `extra` media types are accepted too.
 */
export function refusedContentType(contentType: string | undefined, origin: string | undefined, extra: readonly string[] = []): string | undefined {
  if (contentType === undefined || contentType.trim() === '') return origin === undefined ? undefined : '(none)';
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  return isJsonMediaType(media) || extra.includes(media) ? undefined : contentType;
}

function unsupported(type: string): HttpError {
  return new HttpError(
    genericError(UNSUPPORTED_MEDIA_TYPE, `Unsupported Content-Type ${type}: send the request body as application/json or application/vnd.ksql.v1+json.`),
  );
}

function forbidden(message: string): HttpError {
  return new HttpError(genericError(ErrorCode.FORBIDDEN, message));
}

/** The host name of a `Host` header value: port and IPv6 brackets removed. */
function hostOf(header: string): string {
  const h = header.trim();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(1, end);
  }
  const colon = h.indexOf(':');
  // More than one colon: a bare IPv6 literal, no port.
  if (colon >= 0 && h.indexOf(':', colon + 1) < 0) return h.slice(0, colon);
  return h;
}

function normalize(name: string): string {
  let n = name.trim().toLowerCase();
  if (n.startsWith('[') && n.endsWith(']')) n = n.slice(1, -1);
  if (n.endsWith('.')) n = n.slice(0, -1);
  return n;
}
