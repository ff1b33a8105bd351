/**
 * `sluice server`'s configuration from the environment, for containers and service
 * managers: `SLUICE_<FLAG>` for any flag, ksqlDB's Docker-image `KSQL_<PROPERTY>`
 * variables and `KSQL_OPTS` `-Dname=value` overrides for properties, and the
 * `listeners` property. Flags given on the command line win over all of them.
 */

/** The declared type of a `sluice server` flag (as `util.parseArgs` takes it). */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
}

/** Flag values: what `util.parseArgs` returns for the command line. */
export type FlagValues = Record<string, string | boolean | undefined>;

/** `--data-dir` ↔ `SLUICE_DATA_DIR`. */
export function envNameOfFlag(flag: string): string {
  return `SLUICE_${flag.toUpperCase().replace(/-/g, '_')}`;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off', '']);

/**
 * Fills each flag not given on the command line from its `SLUICE_…` variable.
 * Returns the merged values and, per flag, where its value came from (`--port` or
 * `SLUICE_PORT`), so errors name what the user set. Throws on a boolean variable
 * that is not true/false/1/0/yes/no/on/off.
 */
export function withEnvFlags(
  specs: Readonly<Record<string, FlagSpec>>,
  given: FlagValues,
  env: NodeJS.ProcessEnv,
): { readonly values: FlagValues; readonly origin: (flag: string) => string } {
  const values: FlagValues = { ...given };
  const fromEnv = new Set<string>();
  for (const [flag, spec] of Object.entries(specs)) {
    const name = envNameOfFlag(flag);
    const raw = env[name];
    if (given[flag] !== undefined || raw === undefined || flag === 'help') continue;
    if (spec.type === 'string') values[flag] = raw;
    else {
      const v = raw.trim().toLowerCase();
      if (!TRUE.has(v) && !FALSE.has(v)) throw new Error(`${name} must be true or false, got '${raw}'`);
      values[flag] = TRUE.has(v);
    }
    fromEnv.add(flag);
  }
  return { values, origin: (flag) => (fromEnv.has(flag) ? envNameOfFlag(flag) : `--${flag}`) };
}

/** Variables of ksqlDB's images that configure the JVM, not the server: never properties. */
function isJvmVariable(name: string): boolean {
  return name === 'KSQL_OPTS' || name === 'KSQL_CLASSPATH' || name.endsWith('_OPTS') || name.startsWith('KSQL_LOG4J_') || name === 'KSQL_TOOLS_LOG4J_LOGLEVEL';
}

/**
 * The property a `KSQL_…` variable sets, by the rule of Confluent's Docker images:
 * drop `KSQL_`, lower-case, then `___` → `-`, `__` → `_`, and `_` → `.`
 * (`KSQL_KSQL_STREAMS_AUTO_OFFSET_RESET` → `ksql.streams.auto.offset.reset`,
 * `KSQL_LISTENERS` → `listeners`). Undefined for JVM variables (`KSQL_HEAP_OPTS`…).
 */
export function propertyOfKsqlVariable(name: string): string | undefined {
  if (!name.startsWith('KSQL_') || isJvmVariable(name)) return undefined;
  return name
    .slice('KSQL_'.length)
    .toLowerCase()
    .split('___')
    .map((part) =>
      part
        .split('__')
        .map((word) => word.replace(/_/g, '.'))
        .join('_'),
    )
    .join('-');
}

/**
 * Server properties from the environment, as ksqlDB's images take them: every
 * `KSQL_…` variable, then `-Dname=value` words of `KSQL_OPTS` (which win, as they
 * win over ksqlDB's configuration file).
 */
export function propertiesFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const property = value === undefined ? undefined : propertyOfKsqlVariable(name);
    if (property) out[property] = value!;
  }
  for (const word of (env.KSQL_OPTS ?? '').split(/\s+/)) {
    const m = /^-D([^=]+)=(.*)$/.exec(word);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Where the `listeners` property says to serve. */
export interface ListenerAddress {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

/**
 * Reads ksqlDB's `listeners` property (`http://0.0.0.0:8088`). Sluice serves one
 * listener: more than one URL, or a scheme other than http/https, is refused.
 */
export function parseListeners(value: string): ListenerAddress {
  const urls = value
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (urls.length !== 1) throw new Error(`listeners: Sluice serves one listener, got ${urls.length} ('${value}')`);
  let url: URL;
  try {
    url = new URL(urls[0]!);
  } catch {
    throw new Error(`listeners: '${urls[0]}' is not a URL such as http://0.0.0.0:8088`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`listeners: '${urls[0]}' must be http:// or https://`);
  const tls = url.protocol === 'https:';
  const port = url.port === '' ? (tls ? 443 : 80) : Number(url.port);
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, tls };
}
