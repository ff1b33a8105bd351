import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ErrorCode } from '../../common/errors.js';
import { HttpError, genericError } from './errors.js';

/** Realm of the `WWW-Authenticate` challenge (ksqlDB's default JAAS realm name). */
export const AUTH_REALM = 'KsqlServer-Props';

function unauthorized(message: string): HttpError {
  return new HttpError(genericError(ErrorCode.UNAUTHORIZED, message), { 'www-authenticate': `Basic realm="${AUTH_REALM}"` });
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks an `Authorization` header against the users. Returns the 401 error to
 * answer with, or undefined when the credentials are valid.
 */
export function checkBasicAuth(header: string | undefined, users: ReadonlyMap<string, string>): HttpError | undefined {
  if (!header) return unauthorized('Unauthorized');
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return unauthorized('Unauthorized: expected HTTP Basic credentials');
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return unauthorized('Unauthorized');
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const expected = users.get(user);
  if (expected === undefined || !same(password, expected)) return unauthorized('Unauthorized');
  return undefined;
}

/**
 * Reads an auth file: one `user:password` per line; blank lines and lines
 * starting with `#` are ignored. A file that grants nobody is refused: taken
 * as "no users" it would turn authentication off, failing open.
 * @throws Error naming the line of a malformed entry, or the file when it has no users.
 */
export function readAuthFile(path: string): Map<string, string> {
  const users = new Map<string, string>();
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) return;
      const colon = t.indexOf(':');
      if (colon <= 0) throw new Error(`${path}:${i + 1}: expected user:password`);
      users.set(t.slice(0, colon), t.slice(colon + 1));
    });
  if (users.size === 0) {
    throw new Error(`auth file ${path} grants no users: add user:password lines, or drop --auth-file to run without authentication`);
  }
  return users;
}
