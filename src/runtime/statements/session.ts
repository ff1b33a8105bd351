/**
 * Session statements (SET/UNSET, DEFINE/UNDEFINE) and what the session's
 * properties configure for the statements after them.
 */
import type { FormatName } from '../../common/formats.js';
import { PlanError } from '../../common/errors.js';
import type { AlterSystem, Define, SetProperty, Undefine, UnsetProperty } from '../../parser/ast/index.js';
import type { DdlConfig } from '../../planner/ddl-planner.js';
import type { StatementContext } from './context.js';
import { ksqlProperty, propertyProblem, checkSessionProperty } from './property-defaults.js';
import type { StatementResult } from './statement-result.js';

export function setProperty(ctx: StatementContext, s: SetProperty): StatementResult {
  checkSessionProperty(s.name, s.value);
  ctx.properties.set(s.name, s.value);
  return { kind: 'Message', statementText: s.text, message: `Successfully changed local property '${s.name}' to '${s.value}'.` };
}

export function unsetProperty(ctx: StatementContext, s: UnsetProperty): StatementResult {
  ctx.properties.delete(s.name);
  return { kind: 'Message', statementText: s.text, message: `Successfully unset local property '${s.name}'.` };
}

/**
 * Properties fixed when the server starts: where it listens, which cluster and
 * service it belongs to, and where its data lives. ALTER SYSTEM cannot change them.
 */
const STARTUP_ONLY: ReadonlySet<string> = new Set([
  'listeners',
  'bootstrap.servers',
  'ksql.streams.bootstrap.servers',
  'ksql.service.id',
  'ksql.streams.state.dir',
  'ksql.schema.registry.url',
  'ksql.internal.topic.replicas',
]);

/**
 * ALTER SYSTEM 'name'='value': as ksqlDB, a `ksql.` property applied to every
 * later statement and query of the server, recorded in the command log so that
 * a restart (and every server of the service) applies it too.
 */
export function alterSystem(ctx: StatementContext, s: AlterSystem): StatementResult {
  const startupOnly = STARTUP_ONLY.has(s.name) || ksqlProperty(s.name)?.serverOnly === true;
  if (!s.name.startsWith('ksql.') || startupOnly) {
    const why = startupOnly ? 'it is fixed when the server starts' : 'only ksql.* system properties can be altered';
    throw new PlanError(`Cannot ALTER SYSTEM property '${s.name}': ${why}.`, s.pos);
  }
  const problem = propertyProblem(s.name, s.value);
  if (problem !== undefined) throw new PlanError(problem);
  ctx.setSystemProperty(s.name, s.value);
  return { kind: 'Message', statementText: s.text, message: `Successfully altered system property '${s.name}' to '${s.value}'.` };
}

export function define(ctx: StatementContext, s: Define): StatementResult {
  ctx.variables.set(s.name, s.value);
  return { kind: 'Message', statementText: s.text, message: `Defined variable ${s.name}` };
}

export function undefine(ctx: StatementContext, s: Undefine): StatementResult {
  ctx.variables.delete(s.name);
  return { kind: 'Message', statementText: s.text, message: `Undefined variable ${s.name}` };
}

/** `ksql.new.query.planner.enabled`: keyless projections are allowed. */
export function newPlanner(properties: ReadonlyMap<string, string>): boolean {
  return properties.get('ksql.new.query.planner.enabled') === 'true';
}

/** The default formats and wrapping that `ksql.persistence.*` properties give new sources. */
export function ddlConfig(properties: ReadonlyMap<string, string>): DdlConfig {
  const key = properties.get('ksql.persistence.default.format.key')?.toUpperCase() as FormatName | undefined;
  const value = properties.get('ksql.persistence.default.format.value')?.toUpperCase() as FormatName | undefined;
  const wrap = properties.get('ksql.persistence.wrap.single.values');
  return { defaultKeyFormat: key ?? 'KAFKA', defaultValueFormat: value, wrapSingleValues: wrap === undefined ? undefined : wrap === 'true' };
}
