/**
 * CREATE TYPE and DROP TYPE: custom type names in the catalog.
 */
import { PlanError } from '../../common/errors.js';
import { formatType } from '../../common/types.js';
import type { CreateType, DropType } from '../../parser/ast/index.js';
import { resolveType } from '../../planner/type-resolver.js';
import type { StatementContext } from './context.js';
import type { StatementResult } from './statement-result.js';

export function createType(ctx: StatementContext, s: CreateType): StatementResult {
  const name = s.name.toUpperCase();
  const existing = ctx.catalog.types.get(name);
  if (existing) {
    if (s.ifNotExists) return { kind: 'Message', statementText: s.text, message: `Type ${name} already exists` };
    throw new PlanError(`Cannot register custom type '${name}' since it is already registered with type: ${formatType(existing)}`, s.pos);
  }
  ctx.catalog.types.set(name, resolveType(s.type, ctx.catalog.types));
  return { kind: 'Message', statementText: s.text, message: `Registered custom type with name '${name}'` };
}

export function dropType(ctx: StatementContext, s: DropType): StatementResult {
  const name = s.name.toUpperCase();
  if (!ctx.catalog.types.delete(name) && !s.ifExists) throw new PlanError(`Type ${name} does not exist.`, s.pos);
  return { kind: 'Message', statementText: s.text, message: `Dropped type '${name}'` };
}
