import { type SqlType, T, canImplicitlyCast, decimalOf, formatType, typeEquals, widerNumeric } from '../../common/types.js';
import type { ArgShape, FunctionConfig } from './function-types.js';
import { type TypeSpec, formatSpec, isGenericSpec, parseSpec } from './type-spec.js';

/**
 * What an overload's return-type rule, checks and factories see once the overload
 * has been chosen for a call.
 */
export interface ResolveContext {
  /** The call's arguments as the planner described them. */
  readonly args: readonly ArgShape[];
  /**
   * The type each argument has at invoke time (after the implicit cast), or
   * undefined for lambdas and keywords.
   */
  readonly types: readonly (SqlType | undefined)[];
  /** Generic letters bound by this call, e.g. `T` → INTEGER. */
  readonly bindings: ReadonlyMap<string, SqlType>;
  /** Types lambda bodies had, by argument index. */
  readonly lambdaTypes: ReadonlyMap<number, SqlType>;
  /** Session/server properties passed to resolve (empty when none). */
  readonly config: FunctionConfig;
}

/** The parameter list of one overload, parsed once. */
export interface ParsedParams {
  readonly specs: readonly TypeSpec[];
  /** Whether the last parameter repeats (`STRING...`). */
  readonly variadic: boolean;
  /** Printable parameter list for signatures. */
  readonly text: string;
}

/** Parses `['STRING', 'INT...']` into specs; `...` marks the last parameter variadic. */
export function parseParams(params: readonly string[]): ParsedParams {
  let variadic = false;
  const specs = params.map((p, i) => {
    let s = p.trim();
    if (s.endsWith('...')) {
      if (i !== params.length - 1) throw new Error(`only the last parameter may be variadic: ${params.join(', ')}`);
      variadic = true;
      s = s.slice(0, -3);
    }
    return parseSpec(s);
  });
  const text = specs.map((s, i) => formatSpec(s) + (variadic && i === specs.length - 1 ? '...' : '')).join(', ');
  return { specs, variadic, text };
}

/** A successful match of arguments against one overload. */
export interface Match {
  /** Lower is better: sum of widening steps plus small penalties for generics and varargs. */
  readonly cost: number;
  /** Cast targets for the planner (undefined = leave the argument as is). */
  readonly argTypes: readonly (SqlType | undefined)[];
  readonly ctx: ResolveContext;
}

const NUM_RANK: Partial<Record<SqlType['kind'], number>> = { INTEGER: 0, BIGINT: 1, DECIMAL: 2, DOUBLE: 3 };

/** Widening steps from `from` to `to`, or undefined when no implicit cast exists. */
export function castCost(from: SqlType, to: SqlType): number | undefined {
  if (typeEquals(from, to)) return 0;
  const rf = NUM_RANK[from.kind];
  const rt = NUM_RANK[to.kind];
  if (rf !== undefined && rt !== undefined) {
    if (!canImplicitlyCast(from, to)) return undefined;
    return rf === rt ? 0.5 : rt - rf;
  }
  if (from.kind === 'ARRAY' && to.kind === 'ARRAY') return castCost(from.item, to.item);
  if (from.kind === 'MAP' && to.kind === 'MAP') {
    const k = castCost(from.key, to.key);
    const v = castCost(from.value, to.value);
    return k === undefined || v === undefined ? undefined : k + v;
  }
  return undefined;
}

/** The type a generic settles on when it meets both `a` and `b`, or undefined. */
function unify(a: SqlType, b: SqlType): SqlType | undefined {
  if (typeEquals(a, b)) return a;
  if (canImplicitlyCast(b, a)) return a;
  if (canImplicitlyCast(a, b)) return b;
  const w = widerNumeric(a, b);
  if (w) return w;
  if (a.kind === 'ARRAY' && b.kind === 'ARRAY') {
    const item = unify(a.item, b.item);
    return item && T.array(item);
  }
  if (a.kind === 'MAP' && b.kind === 'MAP') {
    const key = unify(a.key, b.key);
    const value = unify(a.value, b.value);
    return key && value && T.map(key, value);
  }
  return undefined;
}

/** Binds generics in `spec` from `type`; false when the shapes cannot meet. */
function bind(spec: TypeSpec, type: SqlType, b: Map<string, SqlType>): boolean {
  switch (spec.k) {
    case 'gen': {
      const cur = b.get(spec.name);
      if (!cur) {
        b.set(spec.name, type);
        return true;
      }
      const u = unify(cur, type);
      if (!u) return false;
      b.set(spec.name, u);
      return true;
    }
    case 'array':
      return type.kind === 'ARRAY' && bind(spec.item, type.item, b);
    case 'map':
      return type.kind === 'MAP' && bind(spec.key, type.key, b) && bind(spec.value, type.value, b);
    default:
      return true;
  }
}

/** The concrete type a pattern stands for under `b`, or undefined when it is open. */
export function substitute(spec: TypeSpec, b: ReadonlyMap<string, SqlType>): SqlType | undefined {
  switch (spec.k) {
    case 'prim':
      return spec.type;
    case 'gen':
      return b.get(spec.name);
    case 'array': {
      const item = substitute(spec.item, b);
      return item && T.array(item);
    }
    case 'map': {
      const k = substitute(spec.key, b);
      const v = substitute(spec.value, b);
      return k && v && T.map(k, v);
    }
    default:
      return undefined;
  }
}

/** Cast target and cost for an argument of `type` passed to a parameter `spec`. */
function target(spec: TypeSpec, type: SqlType, b: ReadonlyMap<string, SqlType>): { type: SqlType; cost: number } | undefined {
  switch (spec.k) {
    case 'prim': {
      const cost = castCost(type, spec.type);
      return cost === undefined ? undefined : { type: spec.type, cost };
    }
    case 'decimal': {
      if (type.kind === 'DECIMAL') return { type, cost: 0 };
      const d = decimalOf(type);
      return d ? { type: T.decimal(d.precision, d.scale), cost: type.kind === 'INTEGER' ? 2 : 1 } : undefined;
    }
    case 'any':
      return { type, cost: 0 };
    case 'struct':
      return type.kind === 'STRUCT' ? { type, cost: 0 } : undefined;
    case 'gen': {
      const bound = b.get(spec.name);
      if (!bound) return undefined;
      const cost = castCost(type, bound);
      return cost === undefined ? undefined : { type: bound, cost };
    }
    case 'array': {
      if (type.kind !== 'ARRAY') return undefined;
      const r = target(spec.item, type.item, b);
      return r && { type: T.array(r.type), cost: r.cost };
    }
    case 'map': {
      if (type.kind !== 'MAP') return undefined;
      const k = target(spec.key, type.key, b);
      const v = target(spec.value, type.value, b);
      return k && v && { type: T.map(k.type, v.type), cost: k.cost + v.cost };
    }
    default:
      return undefined;
  }
}

const TEMPORAL = new Set(['DATE', 'TIME', 'TIMESTAMP']);

/**
 * ksqlDB lets a string literal stand for a DATE, TIME or TIMESTAMP argument (the
 * planner casts it): `GREATEST(ts, '2022-06-14')`.
 */
function temporalFromLiteral(spec: TypeSpec, a: ArgShape & { kind: 'value' }, b: ReadonlyMap<string, SqlType>): { type: SqlType; cost: number } | undefined {
  if (a.type.kind !== 'STRING' || typeof a.literal !== 'string') return undefined;
  const want = spec.k === 'prim' ? spec.type : spec.k === 'gen' ? b.get(spec.name) : undefined;
  return want && TEMPORAL.has(want.kind) ? { type: want, cost: 1 } : undefined;
}

/** Thrown errors from lambda bodies are remembered so a failed resolve can report them. */
export interface MatchFailure {
  lambdaError?: unknown;
}

/** Matches `args` against one overload; undefined when they do not fit. */
export function matchParams(p: ParsedParams, args: readonly ArgShape[], failure: MatchFailure, config: FunctionConfig = {}): Match | undefined {
  const n = p.specs.length;
  if (p.variadic ? args.length < n - 1 : args.length !== n) return undefined;
  const specAt = (i: number): TypeSpec => p.specs[Math.min(i, n - 1)]!;
  const b = new Map<string, SqlType>();
  // Pass 1: kinds line up; value arguments bind generics.
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const s = specAt(i);
    if (a.kind === 'keyword') {
      if (s.k !== 'keyword') return undefined;
    } else if (a.kind === 'lambda') {
      if (s.k !== 'fn' || s.params.length !== a.arity) return undefined;
    } else {
      if (s.k === 'fn' || s.k === 'keyword') return undefined;
      if (!a.isNullLiteral && !bind(s, a.type, b)) return undefined;
    }
  }
  // Pass 2: lambdas, in order, once their parameter types are known.
  const lambdaTypes = new Map<number, SqlType>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const s = specAt(i);
    if (a.kind !== 'lambda' || s.k !== 'fn') continue;
    const paramTypes: SqlType[] = [];
    for (const ps of s.params) {
      const t = substitute(ps, b);
      if (!t) return undefined;
      paramTypes.push(t);
    }
    let body: SqlType;
    try {
      body = a.bodyType(paramTypes);
    } catch (e) {
      failure.lambdaError = e;
      return undefined;
    }
    if (!bind(s.ret, body, b)) return undefined;
    const want = substitute(s.ret, b);
    if (want && castCost(body, want) === undefined) return undefined;
    lambdaTypes.set(i, body);
  }
  // Pass 3: cast targets and cost.
  let cost = p.variadic ? 0.5 : 0;
  const argTypes: (SqlType | undefined)[] = [];
  const types: (SqlType | undefined)[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const s = specAt(i);
    if (isGenericSpec(s)) cost += 0.01;
    if (a.kind !== 'value') {
      argTypes.push(undefined);
      types.push(undefined);
      continue;
    }
    if (a.isNullLiteral) {
      const t = substitute(s, b);
      argTypes.push(t);
      types.push(t ?? a.type);
      continue;
    }
    const r = target(s, a.type, b) ?? temporalFromLiteral(s, a, b);
    if (!r) return undefined;
    cost += r.cost;
    argTypes.push(typeEquals(r.type, a.type) ? undefined : r.type);
    types.push(r.type);
  }
  return { cost, argTypes, ctx: { args, types, bindings: b, lambdaTypes, config } };
}

/** How ksqlDB prints an argument list in resolution errors: `(STRING, INTEGER)`. */
export function describeArgs(args: readonly ArgShape[]): string {
  return `(${args.map((a) => (a.kind === 'lambda' ? 'LAMBDA' : a.kind === 'keyword' ? a.word : a.isNullLiteral ? 'null' : formatType(a.type))).join(', ')})`;
}
