/** The parts of a URI as java.net.URI splits them (raw, still percent-encoded). */
export interface UrlParts {
  readonly scheme?: string;
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
  readonly query?: string;
  readonly fragment?: string;
}

const URI = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?)?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

/** Splits a URI; undefined when it is not a valid URI (e.g. contains spaces). */
export function parseUrl(s: string): UrlParts | undefined {
  if (/[\s"<>\\^`{|}]/.test(s)) return undefined;
  const m = URI.exec(s);
  if (!m) return undefined;
  return {
    ...(m[1] !== undefined ? { scheme: m[1] } : {}),
    ...(m[2] !== undefined && m[2] !== '' ? { host: m[2] } : {}),
    ...(m[3] !== undefined && m[3] !== '' ? { port: Number(m[3]) } : {}),
    ...(m[4] !== undefined ? { path: m[4] } : {}),
    ...(m[5] !== undefined ? { query: m[5] } : {}),
    ...(m[6] !== undefined ? { fragment: m[6] } : {}),
  };
}

/** Percent-decoding as java.net.URI's getters do ('+' stays '+'). */
export function uriDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
