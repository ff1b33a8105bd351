/**
 * ksqlDB's SQL-file test format (its `ksqldb-testing-tool`): a `.sql` file holds
 * tests, each starting at a `--@test: name` line; a test runs its statements
 * in order on a fresh engine, where `INSERT INTO … VALUES` writes input,
 * `ASSERT VALUES` / `ASSERT NULL VALUES` take the next record of a source's
 * topic and compare it, and `ASSERT STREAM|TABLE` compare a source's shape.
 * The assertions are parsed by the grammar (AST kinds `AssertValues` and
 * `AssertSource`, which the server refuses) through prepare(), as every
 * statement.
 * `--@expected.error:` / `--@expected.message:` say the test must fail so.
 */
import { splitStatements } from '../../parser/index.js';
import type { AssertSource, AssertValues } from '../../parser/ast/index.js';
import { AssertionFailedError, ParseError, SluiceError } from '../../common/errors.js';
import { T, formatType, type SqlType } from '../../common/types.js';
import type { DataSource } from '../../planner/data-source.js';
import { serializedValueColumns } from '../../planner/schema.js';
import { ExpressionTyper } from '../../planner/expression-typer.js';
import { resolveType } from '../../planner/type-resolver.js';
import { serdeFor } from '../../serde/serde-for.js';
import { decodeWindowedKey } from '../../serde/windowed.js';
import { isSessionWindow, type WindowBounds } from '../../common/windows.js';
import { InMemorySchemaRegistry } from '../../serde/schema-registry.js';
import { compile } from '../expr/compile.js';
import { valuesEqual } from '../expr/values.js';
import { prepareEach, type PreparedStatement } from '../engine/prepare.js';
import { createCaseEngine } from './case-runner.js';
import type { JournalingLog } from './journal-log.js';
import type { Engine } from '../engine/engine.js';

/** One `--@test:` block of a SQL test file. */
export interface SqlTest {
  readonly name: string;
  readonly file: string;
  /** 1-based line of the `--@test:` directive. */
  readonly line: number;
  readonly sql: string;
}

/** How one SQL-file test ended: passed, or failed with ksqlDB-like wording. */
export type SqlTestResult = { readonly kind: 'Passed' } | { readonly kind: 'Failed'; readonly message: string };

const TEST_DIRECTIVE = /^\s*--@test:\s*(.*)$/i;
const DIRECTIVE = /^--@([a-zA-Z.]+):\s*(.*)$/;

/** Splits a SQL test file into its tests; text before the first `--@test:` line belongs to no test. */
export function loadSqlTests(text: string, file: string): SqlTest[] {
  const lines = text.split(/\r?\n/);
  const out: SqlTest[] = [];
  let current: { name: string; line: number; body: string[] } | undefined;
  const flush = () => {
    if (current) out.push({ name: current.name.trim(), file, line: current.line, sql: current.body.join('\n') });
  };
  lines.forEach((l, i) => {
    const m = TEST_DIRECTIVE.exec(l);
    if (m) {
      flush();
      current = { name: m[1] ?? '', line: i + 1, body: [] };
    } else current?.body.push(l);
  });
  flush();
  return out;
}

/** The statement a test is at: its text, where it is in the file, and whether it is an assertion. */
interface TestStep {
  readonly text: string;
  readonly line: number;
  isAssert: boolean;
}

/** Leading comment lines of a statement: its directives, and the statement without them. */
function splitDirectives(text: string): { directives: [string, string][]; body: string; skipped: number } {
  const directives: [string, string][] = [];
  const lines = text.split(/\r?\n/);
  let i = 0;
  for (; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === '') continue;
    if (!l.startsWith('--')) break;
    const m = DIRECTIVE.exec(l);
    if (m) directives.push([m[1]!.toLowerCase(), m[2]!.trim()]);
  }
  return { directives, body: lines.slice(i).join('\n').trim(), skipped: i };
}

/** The state of one running test: its engine, and how far ASSERT VALUES has read each topic. */
interface TestRun {
  readonly engine: Engine;
  readonly log: JournalingLog;
  readonly read: Map<string, number>;
  /** Variables DEFINE has set so far, substituted into later statements and asserts. */
  readonly variables: Map<string, string>;
}

/**
 * Runs one SQL-file test on a fresh engine, as ksqlDB's `SqlTestExecutor` does:
 * statement by statement; the first failure ends the test, which passes only if
 * the directives before it expected that failure: its message containing
 * `--@expected.message`, its kind the Java class `--@expected.error` names
 * (see {@link isInstance}).
 */
export async function runSqlTest(test: SqlTest): Promise<SqlTestResult> {
  const registry = new InMemorySchemaRegistry();
  const { engine, log } = createCaseEngine(registry);
  const run: TestRun = { engine, log, read: new Map(), variables: new Map() };
  let expectedError: string | undefined;
  let expectedMessage: string | undefined;
  let last: TestStep | undefined;
  try {
    for (const slice of splitStatements(test.sql)) {
      const { directives, body, skipped } = splitDirectives(slice.text);
      for (const [type, contents] of directives) {
        if (type === 'expected.error') expectedError = contents;
        else if (type === 'expected.message') expectedMessage = contents;
      }
      if (body === '') continue;
      // The test's text starts on the line after its --@test: line.
      last = { text: body, line: test.line + slice.pos.line + skipped, isAssert: false };
      await runStep(run, last);
    }
  } catch (e) {
    const message = e instanceof SluiceError ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
    if (expectedError === undefined && expectedMessage === undefined) return failed(test, last, message);
    if (expectedMessage !== undefined && !message.includes(expectedMessage)) {
      return failed(test, last, `Expected exception with message "${expectedMessage}" but got ${javaClassOf(e)}: ${message}`);
    }
    if (expectedError !== undefined && !isInstance(e, expectedError)) {
      return failed(test, last, `Expected exception with class class ${expectedError} but got ${javaClassOf(e)}: ${message}`);
    }
    return { kind: 'Passed' };
  } finally {
    await engine.close();
  }
  if (expectedError !== undefined || expectedMessage !== undefined) {
    return failed(test, last, `Did not get expected exception of type ${expectedError ?? '<any>'} with message ${expectedMessage ?? '<any>'}`);
  }
  return { kind: 'Passed' };
}

/** KsqlTestException's wording: which statement or assert failed, where in the file, and why. */
function failed(test: SqlTest, at: TestStep | undefined, message: string): SqlTestResult {
  if (!at) return { kind: 'Failed', message: `Test failure in ${test.file}:${test.line}:\n\t${message}` };
  const what = at.isAssert ? 'assert' : 'statement';
  return { kind: 'Failed', message: `Test failure for ${what} \`${at.text}\` (${test.file}:${at.line}):\n\t${message}` };
}

/** An ASSERT VALUES / ASSERT NULL VALUES that did not hold: ksqlDB throws java.lang.AssertionError for these. */
class RecordAssertionError extends AssertionFailedError {}

/** The ksqlDB exception class that an error stands for, as `--@expected.error` names them. */
function javaClassOf(e: unknown): string {
  if (e instanceof RecordAssertionError) return 'java.lang.AssertionError';
  if (e instanceof ParseError) return 'io.confluent.ksql.parser.exception.ParseFailedException';
  if (e instanceof SluiceError) return 'io.confluent.ksql.util.KsqlStatementException';
  return 'java.lang.RuntimeException';
}

/**
 * Whether `e` is an instance of the Java class `--@expected.error` names, for the
 * classes ksqlDB's tool throws: AssertionError (ASSERT VALUES), parse failures,
 * KsqlStatementException (statements) under KsqlException; a class Sluice has no
 * counterpart for (a ksqlDB-internal one) is taken as matching.
 */
function isInstance(e: unknown, javaClass: string): boolean {
  const cls = javaClassOf(e);
  const simple = javaClass.slice(javaClass.lastIndexOf('.') + 1);
  switch (simple) {
    case 'AssertionError':
    case 'Error':
      return cls === 'java.lang.AssertionError';
    case 'ParseFailedException':
    case 'ParsingException':
      return e instanceof ParseError;
    case 'KsqlStatementException':
      return e instanceof SluiceError && !(e instanceof RecordAssertionError) && !(e instanceof ParseError);
    case 'KsqlException':
    case 'RuntimeException':
    case 'Exception':
      return !(e instanceof RecordAssertionError);
    default:
      return true;
  }
}

/** Runs a step's statements: assertions by the tool, everything else by the engine. */
async function runStep(run: TestRun, step: TestStep): Promise<void> {
  for (const p of prepareEach(splitStatements(step.text), run.variables)) {
    switch (p.stmt.kind) {
      case 'AssertValues':
        step.isAssert = true;
        await assertValues(run, p.stmt);
        continue;
      case 'AssertSource':
        step.isAssert = true;
        assertSource(run, p.stmt);
        continue;
      case 'Define':
        run.variables.set(p.stmt.name, p.stmt.value);
        break;
      case 'Undefine':
        run.variables.delete(p.stmt.name);
        break;
      default:
        break;
    }
    await createDeclaredTopic(run, p);
    await run.engine.executePrepared(p);
    await run.engine.pumpAll();
  }
  const failedQuery = [...run.engine.queries.values()].find((q) => q.state === 'ERROR');
  if (failedQuery) throw new AssertionFailedError(`Query ${failedQuery.id} failed: ${failedQuery.error ?? 'unknown error'}`);
}

/** The testing tool creates the topic a CREATE STREAM/TABLE names when it does not exist yet. */
async function createDeclaredTopic(run: TestRun, p: PreparedStatement): Promise<void> {
  if (p.stmt.kind !== 'CreateSource') return;
  const prop = (name: string) => p.stmt.kind === 'CreateSource' && p.stmt.properties.find((x) => x.name === name)?.value.value;
  const topic = prop('KAFKA_TOPIC');
  if (typeof topic !== 'string' || (await run.log.topic(topic))) return;
  const n = Number(prop('PARTITIONS'));
  await run.log.createTopic(topic, Number.isInteger(n) && n > 0 ? n : 1);
}

/** The record ASSERT VALUES expects: key and value columns in the source's order, ROWTIME and window bounds if given. */
interface ExpectedRecord {
  readonly key: unknown[];
  readonly value: unknown[];
  readonly rowtime?: number;
  readonly windowStart?: number;
  readonly windowEnd?: number;
}

/** Pseudo columns an assertion may name besides the source's own: ROWTIME, and window bounds of a windowed source. */
function pseudoColumns(source: DataSource): readonly string[] {
  return source.window ? ['ROWTIME', 'WINDOWSTART', 'WINDOWEND'] : ['ROWTIME'];
}

function expectedRecord(engine: Engine, source: DataSource, s: AssertValues): ExpectedRecord {
  const all = [...source.schema.key, ...source.schema.value];
  const columns = s.columns ?? [...source.schema.key, ...source.schema.value.filter((c) => c.namespace === 'VALUE')].map((c) => c.name);
  if (columns.length !== s.values.length) {
    throw new AssertionFailedError(`Expected number columns and values to match: ${columns.length}, ${s.values.length}`);
  }
  const typer = new ExpressionTyper({ columns: [], types: engine.catalog.types });
  const byName = new Map<string, unknown>();
  const pseudo = new Map<string, number>();
  columns.forEach((name, i) => {
    const expr = s.values[i]!;
    const isPseudo = pseudoColumns(source).includes(name);
    const type: SqlType | undefined = isPseudo ? T.BIGINT : all.find((c) => c.name === name)?.type;
    if (!type) throw new AssertionFailedError(`Column name ${name} does not exist.`);
    const v = compile(typer.coerceValue(typer.type(expr), type, expr.pos))([], []);
    if (isPseudo) pseudo.set(name, Number(v));
    else byName.set(name, v);
  });
  const rowtime = pseudo.get('ROWTIME');
  const windowStart = pseudo.get('WINDOWSTART');
  const windowEnd = pseudo.get('WINDOWEND');
  return {
    key: source.schema.key.map((c) => byName.get(c.name) ?? null),
    value: serializedValueColumns(source.schema).map((c) => byName.get(c.name) ?? null),
    ...(rowtime !== undefined ? { rowtime } : {}),
    ...(windowStart !== undefined ? { windowStart } : {}),
    ...(windowEnd !== undefined ? { windowEnd } : {}),
  };
}

/** A record of a source's topic, decoded with the source's serdes (windowed keys: the inner key and the bounds). */
interface ActualRecord {
  readonly key: unknown[];
  readonly value: unknown[] | null;
  readonly rowtime: number;
  readonly window?: WindowBounds;
}

async function topicRecords(run: TestRun, source: DataSource): Promise<ActualRecord[]> {
  const out: ActualRecord[] = [];
  const keySerde = source.schema.key.length === 0 ? undefined : serdeFor(source.keyFormat, source.schema.key, true, run.engine.registry);
  const valueSerde = serdeFor(source.valueFormat, serializedValueColumns(source.schema), false, run.engine.registry);
  for (const j of run.log.journal) {
    if (j.topic !== source.topic) continue;
    const [r] = await run.log.read(j.topic, j.partition, j.offset, 1);
    if (!r) continue;
    const windowed = source.window && r.key ? decodeWindowedKey(r.key, isSessionWindow(source.window.type), source.window.sizeMs) : undefined;
    const keyBytes = windowed ? windowed.inner : r.key;
    out.push({
      key: keySerde?.deserialize(keyBytes) ?? [],
      value: valueSerde.deserialize(r.value),
      rowtime: r.timestamp,
      ...(windowed ? { window: windowed.window } : {}),
    });
  }
  return out;
}

async function assertValues(run: TestRun, s: AssertValues): Promise<void> {
  const tombstone = s.tombstone;
  const source = run.engine.catalog.getSource(s.target);
  if (!source) throw new AssertionFailedError(`Unknown data source ${s.target}`);
  const expected = expectedRecord(run.engine, source, s);
  const records = await topicRecords(run, source);
  const at = run.read.get(source.topic) ?? 0;
  const actual = records[at];
  if (!actual) throw new RecordAssertionError(assertionText('Expected another record, but all records have already been read:', source, expected, records));
  run.read.set(source.topic, at + 1);
  let ok: boolean;
  if (tombstone) {
    if (expected.value.some((v) => v !== null)) throw new RecordAssertionError('Unexpected value columns specified in ASSERT NULL VALUES.');
    ok = actual.value === null && valuesEqual(actual.key, expected.key) && windowMatches(expected, actual);
  } else {
    ok = actual.value !== null && columnsMatch(source, s, expected, actual);
  }
  if (!ok) throw new RecordAssertionError(assertionText('Expected record does not match actual.', source, expected, [actual]));
}

/** The window bounds an assertion names are the record's (a windowed source's key). */
function windowMatches(expected: ExpectedRecord, actual: ActualRecord): boolean {
  if (expected.windowStart !== undefined && expected.windowStart !== actual.window?.start) return false;
  return expected.windowEnd === undefined || expected.windowEnd === actual.window?.end;
}

/** ksqlDB checks only the columns the assertion names (ROWTIME against the record's timestamp, WINDOWSTART/WINDOWEND against its window). */
function columnsMatch(source: DataSource, s: AssertValues, expected: ExpectedRecord, actual: ActualRecord): boolean {
  const valueCols = serializedValueColumns(source.schema);
  const names = s.columns ?? [...source.schema.key, ...valueCols].map((c) => c.name);
  if (!windowMatches(expected, actual)) return false;
  return names.every((name) => {
    if (name === 'ROWTIME') return expected.rowtime === actual.rowtime;
    if (name === 'WINDOWSTART' || name === 'WINDOWEND') return true;
    const k = source.schema.key.findIndex((c) => c.name === name);
    if (k >= 0) return valuesEqual(expected.key[k] ?? null, actual.key[k] ?? null);
    const v = valueCols.findIndex((c) => c.name === name);
    return v < 0 || valuesEqual(expected.value[v] ?? null, actual.value?.[v] ?? null);
  });
}

/** ksqlDB's assertion text: the message, a header of the source's columns, the EXPECTED row and the ACTUAL rows. */
function assertionText(message: string, source: DataSource, expected: ExpectedRecord, actual: readonly ActualRecord[]): string {
  const valueCols = serializedValueColumns(source.schema);
  const header = ['.', 'ROWTIME', ...source.schema.key.map((c) => c.name), ...valueCols.map((c) => c.name)];
  const row = (label: string, key: readonly unknown[], rowtime: number | undefined, value: readonly unknown[] | null) =>
    [
      label,
      ...key.map(show),
      rowtime === undefined ? 'null' : String(rowtime),
      ...(value === null ? valueCols.map(() => '<TOMBSTONE>') : value.map(show)),
    ].join(' | ');
  return [
    message,
    header.join(' | '),
    row('EXPECTED', expected.key, expected.rowtime, expected.value),
    ...actual.map((a) => row('ACTUAL', a.key, a.rowtime, a.value)),
  ].join('\n');
}

function show(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object' && !Buffer.isBuffer(v)) return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x));
  return String(v);
}

/** ASSERT STREAM|TABLE: the source's type, columns, topic and formats are as the statement declares. */
function assertSource(run: TestRun, s: AssertSource): void {
  const source = run.engine.catalog.getSource(s.name);
  if (!source) throw new AssertionFailedError(`Unknown data source ${s.name}`);
  const prop = (name: string) => s.properties.find((p) => p.name === name)?.value.value;
  const cols = s.columns.map((c) => ({
    name: c.name,
    type: resolveType(c.type, run.engine.catalog.types),
    key: c.constraint?.kind === 'Key' || c.constraint?.kind === 'PrimaryKey',
  }));
  const checks: [string, unknown, unknown][] = [
    [
      'schema',
      schemaText(cols),
      schemaText([...source.schema.key.map((c) => ({ ...c, key: true })), ...source.schema.value.map((c) => ({ ...c, key: false }))]),
    ],
    ['type', s.sourceType === 'TABLE' ? 'KTABLE' : 'KSTREAM', source.sourceType === 'TABLE' ? 'KTABLE' : 'KSTREAM'],
  ];
  if (prop('KAFKA_TOPIC') !== undefined) checks.push(['kafka topic', prop('KAFKA_TOPIC'), source.topic]);
  const keyFormat = prop('KEY_FORMAT') ?? prop('FORMAT');
  if (keyFormat !== undefined) checks.push(['key format', String(keyFormat).toUpperCase(), source.keyFormat.format]);
  const valueFormat = prop('VALUE_FORMAT') ?? prop('FORMAT');
  if (valueFormat !== undefined) checks.push(['value format', String(valueFormat).toUpperCase(), source.valueFormat.format]);
  if (prop('TIMESTAMP') !== undefined) checks.push(['timestamp column', String(prop('TIMESTAMP')).toUpperCase(), source.timestampColumn]);
  for (const [what, expected, actual] of checks) {
    if (expected !== actual) {
      throw new AssertionFailedError(
        `Expected ${what} does not match actual for source ${source.name}.\n\tExpected: ${String(expected)}\n\tActual: ${String(actual)}`,
      );
    }
  }
}

function schemaText(cols: readonly { readonly name: string; readonly type: SqlType; readonly key: boolean }[]): string {
  return cols.map((c) => `\`${c.name}\` ${formatType(c.type)}${c.key ? ' KEY' : ''}`).join(', ');
}
