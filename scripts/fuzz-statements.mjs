/**
 * Statement fuzzing for issue 13: statements mutated from the project's own
 * tests plus pathological ones (deep nesting, huge literals, long identifiers,
 * many statements), sent to a running server. A clean answer is a 2xx, or a
 * 4xx in ksqlDB's error shape; a 5xx, a 4xx in another shape, or no answer in
 * time is a finding. Deterministic for a seed. Used by
 * test/fuzz-statements.test.ts and scripts/fuzz.mjs.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A small seeded PRNG (mulberry32): the same seed gives the same run. */
export function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
  };
}

const STATEMENT_START = /^\s*(CREATE|SELECT|INSERT|DROP|SHOW|LIST|DESCRIBE|EXPLAIN|TERMINATE|PRINT|SET|UNSET|DEFINE|UNDEFINE|PAUSE|RESUME|ALTER)\b/i;

/**
 * SQL statements quoted in the test files under `testDir` (string literals
 * that start like a statement and hold no `${…}` interpolation), deduplicated
 * and sorted so a seed picks the same ones on every machine.
 */
export function corpusFromTests(testDir) {
  const found = new Set();
  const literal = /'((?:[^'\\\n]|\\.|'')*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\$]|\\.|\$(?!\{))*)`/g;
  for (const file of fs.readdirSync(testDir).sort()) {
    if (!file.endsWith('.test.ts') || file.startsWith('fuzz-')) continue;
    const text = fs.readFileSync(path.join(testDir, file), 'utf8');
    for (const m of text.matchAll(literal)) {
      const raw = m[1] ?? m[2] ?? m[3] ?? '';
      if (!STATEMENT_START.test(raw) || raw.length > 2000) continue;
      const sql = m[1] !== undefined ? raw.replace(/\\'/g, "'") : m[2] !== undefined ? raw.replace(/\\"/g, '"') : raw;
      found.add(sql.replace(/\\n/g, '\n'));
    }
  }
  return [...found].sort();
}

const TOKENS = [
  '(',
  ')',
  '[',
  ']',
  ',',
  ';',
  '.',
  '*',
  '+',
  '-',
  '/',
  '%',
  '||',
  '=',
  '<>',
  '<',
  '>=',
  '->',
  '=>',
  "'",
  '"',
  '`',
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP BY',
  'HAVING',
  'EMIT CHANGES',
  'WINDOW TUMBLING (SIZE 1 SECOND)',
  'JOIN',
  'ON',
  'AS',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'NULL',
  'TRUE',
  'NOT',
  'AND',
  'OR',
  'IN',
  'LIKE',
  'BETWEEN',
  'CAST(',
  'STRUCT<A INT>',
  'ARRAY[1]',
  'MAP(1:=2)',
  'PARTITION BY',
  'LIMIT 1',
  'KEY',
  'PRIMARY KEY',
  'WITH (',
  'PARTITIONS=',
  '${x}',
  '/*',
  '--',
  '\u0000',
  '\u00e9',
  '\ud83d\ude00',
  '1e400',
  '-0',
  '9223372036854775808',
  '0.0000000000000000001',
];
const NUMBERS = ['0', '-1', '2147483648', '-2147483649', '9223372036854775807', '9223372036854775808', '1e308', '1e-400', '100000000', '0.5', "'x'"];

/** One random change to a statement: a cut, a copy, a token put in, a number or name swapped for an extreme one, or a truncation. */
export function mutate(sql, rng) {
  const at = rng.int(sql.length + 1);
  switch (rng.int(8)) {
    case 0: {
      const len = 1 + rng.int(Math.max(1, Math.floor(sql.length / 4)));
      return sql.slice(0, at) + sql.slice(at + len);
    }
    case 1: {
      const len = 1 + rng.int(30);
      return sql.slice(0, at) + sql.slice(at, at + len) + sql.slice(at);
    }
    case 2:
      return `${sql.slice(0, at)} ${rng.pick(TOKENS)} ${sql.slice(at)}`;
    case 3: {
      const nums = [...sql.matchAll(/\b\d+\b/g)];
      if (nums.length === 0) return `${sql.slice(0, at)}${rng.pick(NUMBERS)}${sql.slice(at)}`;
      const m = rng.pick(nums);
      return sql.slice(0, m.index) + rng.pick(NUMBERS) + sql.slice(m.index + m[0].length);
    }
    case 4: {
      const names = [...sql.matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b/g)];
      if (names.length === 0) return sql;
      const m = rng.pick(names);
      const long = 'N'.repeat(rng.pick([256, 5000, 100_000]));
      return sql.slice(0, m.index) + long + sql.slice(m.index + m[0].length);
    }
    case 5:
      return sql.slice(0, at);
    case 6: {
      const exprs = [...sql.matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b|\b\d+\b/g)];
      if (exprs.length === 0) return sql;
      const m = rng.pick(exprs);
      const n = rng.pick([5, 50, 120, 400]);
      return `${sql.slice(0, m.index)}${'('.repeat(n)}${m[0]}${')'.repeat(n)}${sql.slice(m.index + m[0].length)}`;
    }
    default:
      return `${sql}${sql}`;
  }
}

const seq = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('');

/** Statements built to hit every limit and the parser's and planner's recursion. */
export function pathological(rng) {
  const n = rng.pick([10, 99, 101, 500, 3000, 20_000]);
  const name = rng.pick(['S', 'FUZZ_S', 'T']);
  const cases = [
    () => `SELECT ${'('.repeat(n)}1${')'.repeat(n)} AS X FROM ${name};`,
    () => `SELECT ${'ABS('.repeat(n)}A${')'.repeat(n)} AS X FROM ${name};`,
    () => `SELECT ${'ARRAY['.repeat(n)}1${']'.repeat(n)} AS X FROM ${name};`,
    () => `SELECT ${'CASE WHEN A = 1 THEN '.repeat(n)}A${' END'.repeat(n)} AS X FROM ${name};`,
    () => `SELECT ${'NOT '.repeat(n)}TRUE AS X FROM ${name};`,
    () => `CREATE STREAM F${rng.int(1e6)} AS SELECT ID, ${seq(n, (i) => (i ? `+${i}` : '0'))} AS X FROM ${name};`,
    () => `CREATE STREAM F${rng.int(1e6)} AS SELECT * FROM ${name} WHERE A IN (${seq(n, (i) => (i ? `,${i}` : '0'))});`,
    () => `CREATE STREAM F${rng.int(1e6)} AS SELECT * FROM ${name} WHERE ${seq(n, (i) => (i ? ` AND A <> ${i}` : 'A <> 0'))};`,
    () => `SELECT '${'x'.repeat(n * 50)}' AS X FROM ${name};`,
    () => `INSERT INTO ${name} (ID, A) VALUES (1, ${'9'.repeat(n)});`,
    () => `CREATE STREAM ${'N'.repeat(n)} (ID INT KEY, A INT) WITH (kafka_topic='t${rng.int(1e6)}', value_format='JSON', partitions=1);`,
    () => `CREATE STREAM \`${'q'.repeat(n)}\` (ID INT KEY) WITH (kafka_topic='q${rng.int(1e6)}', value_format='JSON', partitions=1);`,
    () =>
      `CREATE STREAM P${rng.int(1e6)} (ID INT KEY, A INT) WITH (kafka_topic='p${rng.int(1e6)}', value_format='JSON', partitions=${rng.pick(['0', '-1', '1001', '100000000', '1.5', "'x'", '9223372036854775808'])});`,
    () =>
      `CREATE STREAM D${rng.int(1e6)} (ID INT KEY, A ${'STRUCT<F '.repeat(Math.min(n, 5000))}INT${'>'.repeat(Math.min(n, 5000))}) WITH (kafka_topic='d${rng.int(1e6)}', value_format='JSON', partitions=1);`,
    () => 'SHOW STREAMS;'.repeat(Math.min(n, 3000)),
    () => `${'/*'.repeat(n)}SELECT 1 FROM ${name};`,
    () => `SELECT '${"''".repeat(n)} FROM ${name};`,
    () => `DEFINE v = '${'x'.repeat(n)}'; SELECT '\${v}${'${v}'.repeat(Math.min(n, 200))}' FROM ${name};`,
    () => `EXPLAIN SELECT ${seq(Math.min(n, 3000), (i) => (i ? `, A AS C${i}` : 'A AS C0'))} FROM ${name} EMIT CHANGES;`,
    () => `DESCRIBE ${'N'.repeat(n)} EXTENDED;`,
  ];
  return rng.pick(cases)();
}

/** Statements that set up sources the others can refer to. */
export const SETUP = [
  "CREATE STREAM S (ID INT KEY, A INT, B STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);",
  "CREATE STREAM FUZZ_S (ID INT KEY, A INT, B STRING) WITH (kafka_topic='fuzz_s', value_format='JSON', partitions=2);",
  "CREATE TABLE T (ID INT PRIMARY KEY, A INT, B STRING) WITH (kafka_topic='t', value_format='JSON', partitions=1);",
  "INSERT INTO S (ID, A, B) VALUES (1, 1, 'a');",
];

/** `count` statements for `seed`: about a third pathological, the rest mutated from `corpus`. */
export function generate(seed, count, corpus) {
  const rng = random(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    if (corpus.length === 0 || rng.next() < 0.33) {
      out.push(pathological(rng));
      continue;
    }
    let sql = rng.pick(corpus);
    const times = 1 + rng.int(3);
    for (let k = 0; k < times; k++) sql = mutate(sql, rng);
    out.push(sql);
  }
  return out;
}

function isKsqlError(body) {
  return (
    body !== null && typeof body === 'object' && typeof body['@type'] === 'string' && Number.isInteger(body.error_code) && typeof body.message === 'string'
  );
}

/**
 * Sends each statement to `url`: SELECTs without EMIT to `/query` (pull
 * queries end by themselves), everything to `/ksql`. Returns the figures and
 * every finding (`5xx`, `badShape`, `hang`) with its statement.
 */
export async function runFuzz(url, statements, { timeoutMs = 30_000, onFinding } = {}) {
  const figures = { tried: 0, ok: 0, cleanErrors: 0, serverErrors: 0, badShape: 0, hangs: 0 };
  const findings = [];
  const send = async (endpoint, body, sql) => {
    figures.tried++;
    let status;
    let text;
    try {
      const res = await fetch(`${url}${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      figures.hangs++;
      const f = { kind: 'hang', endpoint, sql, detail: String(e?.message ?? e) };
      findings.push(f);
      onFinding?.(f);
      return;
    }
    if (status < 300) {
      figures.ok++;
      return;
    }
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    let kind;
    if (status >= 500) {
      figures.serverErrors++;
      kind = '5xx';
    } else if (!isKsqlError(parsed)) {
      figures.badShape++;
      kind = 'badShape';
    } else {
      figures.cleanErrors++;
      return;
    }
    const f = { kind, endpoint, sql, detail: `${status} ${text.slice(0, 300)}` };
    findings.push(f);
    onFinding?.(f);
  };
  for (const sql of statements) {
    if (/^\s*SELECT\b/i.test(sql) && !/\bEMIT\b/i.test(sql)) await send('/query', { ksql: sql, streamsProperties: { 'auto.offset.reset': 'earliest' } }, sql);
    await send('/ksql', { ksql: sql }, sql);
  }
  return { figures, findings };
}
