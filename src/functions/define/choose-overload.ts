import type { SqlType } from '../../common/types.js';
import type { ArgShape, FunctionConfig } from './function-types.js';
import { type Match, type MatchFailure, type ParsedParams, type ResolveContext, describeArgs, matchParams, parseParams } from './overload-resolution.js';
import { formatSpec, parseSpec, type TypeSpec } from './type-spec.js';
import { substitute } from './overload-resolution.js';

/** A return type: a pattern over the bound generics, or a rule computing it (a string = error). */
export type ReturnRule = string | ((ctx: ResolveContext) => SqlType | string);

/** Fields every overload definition shares. */
export interface OverloadBase {
  /** Parameter patterns (see {@link TypeSpec}); the last may end in `...`. */
  readonly params: readonly string[];
  readonly returns: ReturnRule;
  /** Extra plan-time validation (e.g. literal arguments); returns an error message. */
  readonly check?: (ctx: ResolveContext) => string | undefined;
  /** Indexes of arguments that must be literal constants. */
  readonly literals?: readonly number[];
}

/** An overload with its parsed parameters. */
export interface Prepared<O extends OverloadBase> {
  readonly def: O;
  readonly params: ParsedParams;
  readonly ret: TypeSpec | undefined;
}

/** Parses every overload's parameter patterns once. */
export function prepare<O extends OverloadBase>(overloads: readonly O[]): Prepared<O>[] {
  return overloads.map((def) => ({
    def,
    params: parseParams(def.params),
    ret: typeof def.returns === 'string' ? parseSpec(def.returns) : undefined,
  }));
}

/** Signatures for DESCRIBE FUNCTION, e.g. `UCASE(VARCHAR) => VARCHAR`. */
export function signaturesOf(name: string, prepared: readonly Prepared<OverloadBase>[]): string[] {
  return prepared.map((p) => `${name}(${p.params.text})${p.ret ? ` => ${formatSpec(p.ret)}` : ''}`);
}

/** The chosen overload, its match and its return type. */
export interface Chosen<O extends OverloadBase> {
  readonly overload: O;
  readonly match: Match;
  readonly returnType: SqlType;
}

/**
 * Picks the cheapest overload for `args` (exact matches over widening, concrete over
 * generic, fixed over variadic), or returns ksqlDB's resolution error text.
 */
export function chooseOverload<O extends OverloadBase>(
  name: string,
  prepared: readonly Prepared<O>[],
  args: readonly ArgShape[],
  config: FunctionConfig = {},
): Chosen<O> | string {
  const failure: MatchFailure = {};
  let best: { p: Prepared<O>; m: Match } | undefined;
  let tie = false;
  for (const p of prepared) {
    const m = matchParams(p.params, args, failure, config);
    if (!m) continue;
    if (!best || m.cost < best.m.cost) {
      best = { p, m };
      tie = false;
    } else if (m.cost === best.m.cost) {
      tie = true;
    }
  }
  if (!best) {
    if (failure.lambdaError) throw failure.lambdaError;
    const alternatives = signaturesOf(name, prepared).join('\n');
    return `Function '${name}' does not accept parameters ${describeArgs(args)}.\nValid alternatives are:\n${alternatives}`;
  }
  const allNull = args.length > 0 && args.every((a) => a.kind === 'value' && a.isNullLiteral);
  if (tie && allNull) {
    return `Function '${name}' cannot be resolved due to ambiguous method parameters ${describeArgs(args)}.`;
  }
  const { p, m } = best;
  for (const i of p.def.literals ?? []) {
    const a = args[i];
    if (a && (a.kind !== 'value' || (a.literal === undefined && !a.isNullLiteral))) {
      return `Parameter ${i + 1} passed to function ${name} must be a literal constant.`;
    }
  }
  const bad = p.def.check?.(m.ctx);
  if (bad !== undefined) return bad;
  let returnType: SqlType | string | undefined;
  if (typeof p.def.returns === 'string') {
    returnType = substitute(p.ret!, m.ctx.bindings);
    if (!returnType) {
      return `Function '${name}' cannot be resolved due to ambiguous method parameters ${describeArgs(args)}.`;
    }
  } else {
    returnType = p.def.returns(m.ctx);
  }
  if (typeof returnType === 'string') return returnType;
  return { overload: p.def, match: m, returnType };
}

/** The literal value of argument `i`, or undefined when it is not a literal. */
export function literalAt(ctx: ResolveContext, i: number): unknown {
  const a = ctx.args[i];
  return a && a.kind === 'value' ? a.literal : undefined;
}
