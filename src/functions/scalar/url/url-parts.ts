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

/**
 * Splits a URI; undefined when it is not a valid URI (e.g. contains spaces or a
 * malformed escape pair). An opaque URI (`mailto:a@b.com`: a scheme not followed by
 * `/`) has only a scheme and a fragment, as java.net.URI reports it.
 */
export function parseUrl(s: string): UrlParts | undefined {
  if (/[\s"<>\\^`{|}]/.test(s) || /%(?![0-9A-Fa-f]{2})/.test(s)) return undefined;
  const opaque = /^([A-Za-z][A-Za-z0-9+.-]*):([^/#][^#]*)(?:#(.*))?$/s.exec(s);
  if (opaque) return { scheme: opaque[1]!, ...(opaque[3] !== undefined ? { fragment: opaque[3] } : {}) };
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

const utf8 = new TextDecoder('utf-8');

/**
 * Decodes %XX escapes as UTF-8 bytes (malformed sequences become U+FFFD, as Java's
 * decoders do); `+` becomes a space when `plusAsSpace` (URLDecoder). Throws on a
 * `%` not followed by two hex digits, with URLDecoder's message.
 */
export function percentDecode(s: string, plusAsSpace: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '%') {
      const bytes: number[] = [];
      while (s[i] === '%') {
        if (i + 2 >= s.length) throw new Error('URLDecoder: Incomplete trailing escape (%) pattern');
        const hex = s.slice(i + 1, i + 3);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error(`URLDecoder: Illegal hex characters in escape (%) pattern - For input string: "${hex}"`);
        bytes.push(parseInt(hex, 16));
        i += 3;
      }
      out += utf8.decode(Uint8Array.from(bytes));
    } else {
      out += plusAsSpace && c === '+' ? ' ' : c;
      i++;
    }
  }
  return out;
}

/** Percent-decoding as java.net.URI's getters do ('+' stays '+'). */
export function uriDecode(s: string): string {
  return percentDecode(s, false);
}
