import type { SqlType } from '../../src/common/types.js';
import { T } from '../../src/common/types.js';
import type { ArgShape, ResolvedAggregate, ResolvedScalar } from '../../src/functions/define/function-types.js';
import { getAggregate, getScalar, getTableFunction } from '../../src/functions/registry.js';
import { FunctionArgumentError } from '../../src/functions/support/bounds.js';

export { T };

/** A value argument of `type` (with its literal value when given). */
export function arg(type: SqlType, literal?: unknown): ArgShape {
  return literal === undefined ? { kind: 'value', type } : { kind: 'value', type, literal };
}

/** The NULL literal. */
export const NULL_ARG: ArgShape = { kind: 'value', type: T.STRING, isNullLiteral: true };

/** A keyword argument such as SECONDS. */
export function kw(word: string): ArgShape {
  return { kind: 'keyword', word };
}

/** A lambda whose body type is computed by `body`. */
export function lambda(arity: number, body: (params: readonly SqlType[]) => SqlType): ArgShape {
  return { kind: 'lambda', arity, bodyType: body };
}

/** Resolves a scalar call, failing the test with the message when it does not resolve. */
export function resolveScalar(name: string, args: readonly ArgShape[]): ResolvedScalar {
  const f = getScalar(name);
  if (!f) throw new Error(`no scalar ${name}`);
  const r = f.resolve(args);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

/** The resolution error message (or undefined when it resolves). */
export function resolveError(name: string, args: readonly ArgShape[]): string | undefined {
  const f = getScalar(name) ?? getAggregate(name) ?? getTableFunction(name);
  if (!f) throw new Error(`no function ${name}`);
  const r = f.resolve(args);
  return typeof r === 'string' ? r : undefined;
}

/** Invokes like the planner: null in → null out unless the function is null tolerant. */
export function invoke(r: ResolvedScalar, values: unknown[]): unknown {
  if (!r.nullTolerant && values.some((v) => v === null)) return null;
  return r.invoke(values);
}

/** Resolves and invokes in one go. */
export function call(name: string, args: readonly ArgShape[], values: unknown[]): unknown {
  return invoke(resolveScalar(name, args), values);
}

/** Resolves an aggregate, failing with the message when it does not resolve. */
export function resolveAggregate(name: string, args: readonly ArgShape[], config?: Readonly<Record<string, unknown>>): ResolvedAggregate {
  const f = getAggregate(name);
  if (!f) throw new Error(`no aggregate ${name}`);
  const r = f.resolve(args, config);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

/**
 * Feeds rows to an aggregate, round-tripping the accumulator through JSON after
 * every step as a state store would, and returns the result after each row.
 */
export function aggregateRows(r: ResolvedAggregate, rows: readonly unknown[][]): unknown[] {
  let acc = r.init();
  const out: unknown[] = [];
  for (const row of rows) {
    acc = JSON.parse(JSON.stringify(r.add(acc, row)));
    out.push(r.result(acc));
  }
  return out;
}

/** Runs a table function. */
export function explodeCall(name: string, args: readonly ArgShape[], values: unknown[]): unknown[] {
  const f = getTableFunction(name);
  if (!f) throw new Error(`no table function ${name}`);
  const r = f.resolve(args);
  if (typeof r === 'string') throw new Error(r);
  return r.invoke(values);
}

/**
 * The FunctionArgumentError a call throws (ksqlDB's KsqlFunctionException), as
 * `{ code, message }`; fails when the call succeeds or throws anything else.
 */
export function callError(run: () => unknown): { code: number; message: string } {
  try {
    run();
  } catch (e) {
    if (e instanceof FunctionArgumentError) return { code: e.errorCode, message: e.message };
    throw e;
  }
  throw new Error('expected the call to fail');
}
