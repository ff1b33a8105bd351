/**
 * The real PostgreSQL the PostgreSQL sink tests run against: `SLUICE_PG_URL`
 * (what .ci/run exports after `scripts/pg-local.sh start`), or, when unset and
 * Debian's PostgreSQL is installed, a server this helper starts with
 * scripts/pg-local.sh (left running for later runs; `scripts/pg-local.sh stop`
 * removes it). Undefined when neither: the suites go through `describeIf`, so
 * CI fails instead of skipping.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function findUrl(): string | undefined {
  const fromEnv = process.env.SLUICE_PG_URL;
  if (fromEnv) return fromEnv;
  const installed = fs.existsSync('/usr/lib/postgresql') && fs.readdirSync('/usr/lib/postgresql').length > 0;
  if (!installed) return undefined;
  try {
    return execFileSync(path.join(root, 'scripts/pg-local.sh'), ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The server's URL (`postgres://postgres@127.0.0.1:55432/postgres`), or undefined when there is none. */
export const PG_URL: string | undefined = findUrl();

/** What a suite needs, for `describeIf`. */
export const PG = 'a PostgreSQL server (SLUICE_PG_URL, or scripts/pg-local.sh start)';

/** The URL of database `db` on the same server. */
export function databaseUrl(db: string): string {
  const u = new URL(PG_URL as string);
  u.pathname = `/${db}`;
  return u.toString();
}

/** A fresh, empty database for one suite (so suites running at once never share tables); drop it with the returned function. */
export async function freshDatabase(prefix: string): Promise<{ readonly name: string; readonly url: string; readonly drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function admin<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** Runs one query against `url` on a connection of its own. */
export async function query<T extends Record<string, unknown> = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}
