import { HttpError, genericError } from './errors.js';

/** ksqlDB's delimited media type: one JSON document per line (`/query-stream`, `/inserts-stream`). */
export const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';
/** Plain JSON: the whole response is one JSON array. */
export const JSON_TYPE = 'application/json';
/** ksqlDB's versioned JSON media type (`/ksql`, `/query`). */
export const KSQL_V1_JSON = 'application/vnd.ksql.v1+json';
/** ksqlDB's protobuf rows on `/query-stream` (JSON envelope, rows as PROTOBUF_NOSR bytes). */
export const KSQL_V1_PROTOBUF = 'application/vnd.ksql.v1+protobuf';

/** One entry of an `Accept` header. */
interface AcceptEntry {
  readonly type: string;
  readonly q: number;
}

function parseAccept(header: string): AcceptEntry[] {
  const out: AcceptEntry[] = [];
  for (const part of header.split(',')) {
    const [range, ...params] = part.split(';').map((s) => s.trim());
    if (!range) continue;
    let q = 1;
    for (const p of params) {
      const m = /^q\s*=\s*([0-9.]+)$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (q > 0 && Number.isFinite(q)) out.push({ type: range.toLowerCase(), q });
  }
  // Highest quality first; equal qualities keep the client's order (sort is stable).
  return out.sort((a, b) => b.q - a.q);
}

function matches(range: string, type: string): boolean {
  if (range === '*/*' || range === '*') return true;
  if (range.endsWith('/*')) return type.startsWith(range.slice(0, -1));
  return range === type;
}

/**
 * Picks the media type to answer with from those an endpoint `offered` (its
 * default first), as ksqlDB's router does: no `Accept` header, or a wildcard,
 * gets the default; otherwise the client's most preferred type the endpoint
 * offers. Undefined when the client accepts none of them.
 */
export function negotiate(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (accept === undefined || accept.trim() === '') return offered[0];
  for (const entry of parseAccept(accept)) {
    const hit = offered.find((t) => matches(entry.type, t));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/**
 * {@link negotiate}, refusing a request that accepts none of the `offered` types.
 * @throws HttpError 406 (error code 40600) naming the types the endpoint can answer with.
 */
export function negotiateOrRefuse(accept: string | undefined, offered: readonly string[]): string {
  const type = negotiate(accept, offered);
  if (type !== undefined) return type;
  throw new HttpError(genericError(40600, `Not Acceptable: this endpoint answers with ${offered.join(', ')}; the request accepts ${accept ?? ''}`));
}
