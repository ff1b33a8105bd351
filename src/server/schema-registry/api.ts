/**
 * The routes of Confluent's Schema Registry REST API over an
 * {@link InMemorySchemaRegistry}: a pure function from (method, path, query,
 * body) to a response, so the HTTP layer (server.ts) stays small.
 */
import type { FormatName, SchemaReference } from '../../serde/serde-types.js';
import {
  COMPATIBILITY_LEVELS,
  schemaString,
  schemaTypeOfFormat,
  type CompatibilityLevel,
  type InMemorySchemaRegistry,
  type SubjectVersion,
} from '../../serde/schema-registry.js';
import { compatibilityProblems, type ComparableSchema } from './compatibility.js';
import * as err from './errors.js';
import { formatOfSchemaType, parseSchemaText, SCHEMA_TYPES } from './schema-text.js';
import { type ErrorLog, logServerError } from '../http/errors.js';

/** A request as the API sees it; `body` is parsed JSON (undefined when empty). */
export interface ApiRequest {
  readonly method: string;
  /** Path segments, URL-decoded (`/subjects/a%2Fb/versions` → `['subjects', 'a/b', 'versions']`). */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly body: unknown;
}

/** A response: JSON `body`, or a `raw` string sent as is (the `/schema` endpoints). */
export interface ApiResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly raw?: string;
}

const ok = (body: unknown): ApiResponse => ({ status: 200, body });

type Handler = (registry: InMemorySchemaRegistry, params: readonly string[], req: ApiRequest) => ApiResponse;

/** `[method, pattern, handler]`: `*` in a pattern matches one segment, passed to the handler in order. */
const ROUTES: readonly (readonly [string, string, Handler])[] = [
  ['GET', '', () => ok({})],
  ['GET', 'subjects', (r, _, q) => ok(r.subjectNames(flag(q, 'deleted')).filter((s) => s.startsWith(q.query.get('subjectPrefix') ?? '')))],
  ['GET', 'subjects/*/versions', (r, [s], q) => ok(versionsOf(r, s!, flag(q, 'deleted')).map((v) => v.version))],
  ['GET', 'subjects/*/versions/*', (r, [s, v], q) => ok(versionBody(r, findVersion(r, s!, v!, flag(q, 'deleted'))))],
  ['GET', 'subjects/*/versions/*/schema', (r, [s, v], q) => raw(r, findVersion(r, s!, v!, flag(q, 'deleted')).id)],
  ['GET', 'subjects/*/versions/*/referencedby', (r, [s, v]) => ok(referencedBy(r, findVersion(r, s!, v!, false)))],
  ['POST', 'subjects/*/versions', (r, [s], q) => ok({ id: register(r, s!, q.body) })],
  ['POST', 'subjects/*', (r, [s], q) => ok(lookup(r, s!, q))],
  ['DELETE', 'subjects/*', (r, [s], q) => ok(deleteSubject(r, s!, flag(q, 'permanent')))],
  ['DELETE', 'subjects/*/versions/*', (r, [s, v], q) => ok(deleteVersion(r, s!, v!, flag(q, 'permanent')))],
  ['GET', 'schemas', (r, _, q) => ok(allSchemas(r, q))],
  ['GET', 'schemas/types', () => ok([...SCHEMA_TYPES])],
  ['GET', 'schemas/ids/*', (r, [id]) => ok(schemaBody(r, schemaId(r, id!)))],
  ['GET', 'schemas/ids/*/schema', (r, [id]) => raw(r, schemaId(r, id!))],
  [
    'GET',
    'schemas/ids/*/subjects',
    (r, [id], q) => ok([...new Set(r.versionsOfId(schemaId(r, id!), flag(q, 'deleted')).map((v: SubjectVersion) => v.subject))]),
  ],
  [
    'GET',
    'schemas/ids/*/versions',
    (r, [id], q) => ok(r.versionsOfId(schemaId(r, id!), flag(q, 'deleted')).map((v: SubjectVersion) => ({ subject: v.subject, version: v.version }))),
  ],
  ['GET', 'config', (r) => ok({ compatibilityLevel: r.getCompatibility() })],
  ['PUT', 'config', (r, _, q) => ok(setLevel(r, undefined, q.body))],
  ['GET', 'config/*', (r, [s], q) => ok({ compatibilityLevel: subjectLevel(r, s!, flag(q, 'defaultToGlobal')) })],
  ['PUT', 'config/*', (r, [s], q) => ok(setLevel(r, s, q.body))],
  ['DELETE', 'config/*', (r, [s]) => ok({ compatibilityLevel: deleteLevel(r, s!) })],
  ['GET', 'mode', () => ok({ mode: 'READWRITE' })],
  ['GET', 'mode/*', () => ok({ mode: 'READWRITE' })],
  ['POST', 'compatibility/subjects/*/versions', (r, [s], q) => ok(checkCompatibility(r, s!, undefined, q))],
  ['POST', 'compatibility/subjects/*/versions/*', (r, [s, v], q) => ok(checkCompatibility(r, s!, v, q))],
];

/** Answers one request; a {@link err.RegistryError} becomes its status and body. */
export function handleRegistryRequest(registry: InMemorySchemaRegistry, req: ApiRequest, log?: ErrorLog): ApiResponse {
  try {
    let pathMatched = false;
    for (const [method, pattern, handler] of ROUTES) {
      const params = match(pattern, req.segments);
      if (!params) continue;
      pathMatched = true;
      if (method === req.method) return handler(registry, params, req);
    }
    throw pathMatched ? err.methodNotAllowed() : err.noRoute();
  } catch (e) {
    if (e instanceof err.RegistryError) return { status: e.status, body: e.body };
    // Only a schema nested deeper than the stack allows makes the registry recurse that far.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      const refused = err.invalidSchema('the schema is nested too deeply to process');
      return { status: refused.status, body: refused.body };
    }
    if (log) logServerError(log, { error: e });
    return { status: 500, body: { error_code: 50001, message: `Error in the backend data store: ${(e as Error).message}` } };
  }
}

function match(pattern: string, segments: readonly string[]): string[] | undefined {
  const parts = pattern === '' ? [] : pattern.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === '*') params.push(segments[i]!);
    else if (parts[i] !== segments[i]) return undefined;
  }
  return params;
}

function flag(req: ApiRequest, name: string): boolean {
  return req.query.get(name)?.toLowerCase() === 'true';
}

function versionsOf(r: InMemorySchemaRegistry, subject: string, deleted: boolean): SubjectVersion[] {
  const versions = r.versions(subject, deleted);
  if (versions.length === 0) throw err.subjectNotFound(subject);
  return versions;
}

/** `latest` / `-1` or a version number in [1, 2^31-1]. */
function parseVersion(v: string): number | 'latest' {
  if (v === 'latest' || v === '-1') return 'latest';
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 31 - 1) throw err.invalidVersion(v);
  return n;
}

function findVersion(r: InMemorySchemaRegistry, subject: string, v: string, deleted: boolean): SubjectVersion {
  const version = parseVersion(v);
  versionsOf(r, subject, deleted);
  const found = r.getVersion(subject, version, deleted);
  if (!found) throw err.versionNotFound(v);
  return found;
}

function schemaId(r: InMemorySchemaRegistry, text: string): number {
  const id = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id) || !r.getRegistered(id)) throw err.schemaNotFound(Number.isNaN(id) ? undefined : id);
  return id;
}

function referencesOut(refs: readonly SchemaReference[]): { name: string; subject?: string; version?: number }[] | undefined {
  return refs.length === 0 ? undefined : refs.map((x) => ({ name: x.name, subject: x.subject, version: x.version }));
}

/** `{schema, schemaType?, references?}` of a stored schema. */
function schemaBody(r: InMemorySchemaRegistry, id: number): Record<string, unknown> {
  const s = r.getRegistered(id)!;
  return { schemaType: schemaTypeOfFormat(s.format), schema: schemaString(s.format, s.schema), references: referencesOut(s.references) };
}

function versionBody(r: InMemorySchemaRegistry, v: SubjectVersion): Record<string, unknown> {
  const { schema, ...rest } = schemaBody(r, v.id);
  return { subject: v.subject, version: v.version, id: v.id, ...rest, schema };
}

function raw(r: InMemorySchemaRegistry, id: number): ApiResponse {
  const s = r.getRegistered(id)!;
  return { status: 200, raw: schemaString(s.format, s.schema) };
}

function referencedBy(r: InMemorySchemaRegistry, v: SubjectVersion): number[] {
  const out: number[] = [];
  for (const s of r.subjectNames()) {
    for (const x of r.versions(s)) {
      if (r.getRegistered(x.id)?.references.some((ref) => ref.subject === v.subject && ref.version === v.version) && !out.includes(x.id)) out.push(x.id);
    }
  }
  return out;
}

/** A request's `{schema, schemaType, references}` parsed and validated (42201 when not). */
function requestSchema(r: InMemorySchemaRegistry, body: unknown): ComparableSchema & { references: SchemaReference[] } {
  if (typeof body !== 'object' || body === null) throw err.invalidSchema('expected a JSON object with a "schema" field');
  const b = body as Record<string, unknown>;
  const format: FormatName | undefined = formatOfSchemaType(b['schemaType']);
  if (!format) throw new err.RegistryError(422, 42201, `Invalid schema type ${String(b['schemaType'])}`);
  const references: SchemaReference[] = [];
  for (const ref of Array.isArray(b['references']) ? (b['references'] as unknown[]) : []) {
    const x = (ref ?? {}) as Record<string, unknown>;
    const name = String(x['name'] ?? '');
    const subject = String(x['subject'] ?? '');
    const version = x['version'] === undefined ? 'latest' : Number(x['version']);
    const found = r.getVersion(subject, version === -1 ? 'latest' : (version as number | 'latest'));
    if (!found) throw err.invalidSchema(`reference '${name}' to subject '${subject}' version ${String(x['version'] ?? 'latest')} not found`);
    const target = r.getRegistered(found.id)!;
    references.push({ name, subject, version: found.version, schema: schemaString(target.format, target.schema) });
  }
  try {
    return { format, schema: parseSchemaText(format, b['schema'], references), references };
  } catch (e) {
    throw err.invalidSchema((e as Error).message);
  }
}

function comparable(r: InMemorySchemaRegistry, id: number): ComparableSchema {
  return r.getRegistered(id)!;
}

function levelOf(r: InMemorySchemaRegistry, subject: string): CompatibilityLevel {
  return r.getCompatibility(subject) ?? r.getCompatibility()!;
}

function register(r: InMemorySchemaRegistry, subject: string, body: unknown): number {
  const candidate = requestSchema(r, body);
  const live = r.versions(subject);
  const existing = r.findId(candidate.schema, candidate);
  if (existing !== undefined && live.some((v) => v.id === existing)) return existing;
  const problems = compatibilityProblems(
    levelOf(r, subject),
    candidate,
    live.map((v) => comparable(r, v.id)),
  );
  if (problems.length > 0) throw err.incompatibleSchema(subject, problems);
  const id = r.register(candidate.schema, { format: candidate.format, references: candidate.references });
  r.addVersion(subject, id);
  return id;
}

function lookup(r: InMemorySchemaRegistry, subject: string, req: ApiRequest): Record<string, unknown> {
  const versions = versionsOf(r, subject, flag(req, 'deleted'));
  const candidate = requestSchema(r, req.body);
  const id = r.findId(candidate.schema, candidate);
  const found = versions.filter((v) => v.id === id).at(-1);
  if (!found) throw err.schemaNotFound();
  return versionBody(r, found);
}

function deleteSubject(r: InMemorySchemaRegistry, subject: string, permanent: boolean): number[] {
  const all = r.versions(subject, true);
  if (all.length === 0) throw err.subjectNotFound(subject);
  const live = all.some((v) => !v.deleted);
  if (!permanent && !live) throw err.subjectSoftDeleted(subject);
  if (permanent && live) throw err.subjectNotSoftDeleted(subject);
  return r.deleteVersions(subject, undefined, permanent);
}

function deleteVersion(r: InMemorySchemaRegistry, subject: string, v: string, permanent: boolean): number {
  const version = parseVersion(v);
  if (r.versions(subject, true).length === 0) throw err.subjectNotFound(subject);
  const found = r.getVersion(subject, version, version !== 'latest' || permanent);
  if (!found) throw err.versionNotFound(v);
  if (!permanent && found.deleted) throw err.versionSoftDeleted(subject, found.version);
  if (permanent && !found.deleted) throw err.versionNotSoftDeleted(subject, found.version);
  r.deleteVersions(subject, found.version, permanent);
  return found.version;
}

function allSchemas(r: InMemorySchemaRegistry, req: ApiRequest): Record<string, unknown>[] {
  const prefix = req.query.get('subjectPrefix') ?? '';
  const latestOnly = flag(req, 'latestOnly');
  return r
    .subjectNames(flag(req, 'deleted'))
    .filter((s) => s.startsWith(prefix))
    .flatMap((s) => {
      const versions = r.versions(s, flag(req, 'deleted'));
      return (latestOnly ? versions.slice(-1) : versions).map((v) => versionBody(r, v));
    });
}

function parseLevel(body: unknown): CompatibilityLevel {
  const level = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['compatibility'] : undefined;
  const upper = typeof level === 'string' ? level.toUpperCase() : '';
  if (!(COMPATIBILITY_LEVELS as readonly string[]).includes(upper)) throw err.invalidCompatibilityLevel();
  return upper as CompatibilityLevel;
}

function setLevel(r: InMemorySchemaRegistry, subject: string | undefined, body: unknown): { compatibility: CompatibilityLevel } {
  const level = parseLevel(body);
  r.setCompatibility(level, subject);
  return { compatibility: level };
}

function subjectLevel(r: InMemorySchemaRegistry, subject: string, defaultToGlobal: boolean): CompatibilityLevel {
  const level = r.getCompatibility(subject);
  if (level !== undefined) return level;
  if (defaultToGlobal) return r.getCompatibility()!;
  throw err.subjectLevelConfigNotFound(subject);
}

function deleteLevel(r: InMemorySchemaRegistry, subject: string): CompatibilityLevel {
  const level = r.deleteCompatibility(subject);
  if (level === undefined) throw r.versions(subject, true).length === 0 ? err.subjectNotFound(subject) : err.subjectLevelConfigNotFound(subject);
  return level;
}

function checkCompatibility(r: InMemorySchemaRegistry, subject: string, v: string | undefined, req: ApiRequest): Record<string, unknown> {
  const version = v === undefined ? undefined : parseVersion(v);
  const live = r.versions(subject);
  if (version !== undefined && live.length === 0) throw err.subjectNotFound(subject);
  const candidate = requestSchema(r, req.body);
  let against = live;
  let level = levelOf(r, subject);
  if (typeof version === 'number') {
    const found = r.getVersion(subject, version);
    if (!found) throw err.versionNotFound(version);
    against = [found];
    level = level.replace('_TRANSITIVE', '') as CompatibilityLevel;
  }
  const problems = compatibilityProblems(
    level,
    candidate,
    against.map((x) => comparable(r, x.id)),
  );
  return flag(req, 'verbose') ? { is_compatible: problems.length === 0, messages: problems } : { is_compatible: problems.length === 0 };
}
