import { assertNever } from '../../common/assert.js';
import { Decimal } from '../../common/decimal.js';
import { ExecutionError } from '../../common/errors.js';
import type { SqlType } from '../../common/types.js';
import type { TypedExpression } from '../../planner/typed-expression.js';
import type { CallErrors } from './call-errors.js';
import { castValue, compareValues, valuesEqual } from './values.js';

/**
 * A compiled expression: evaluates over one row. `vars` holds lambda variables
 * (one array per compiled top-level expression, reused across rows).
 * Evaluation may throw ExecutionError (bad cast, division by zero); callers
 * decide what that means (null column, filtered row) and log it.
 */
export type Evaluator = (row: readonly unknown[], vars: unknown[]) => unknown;

/** How compiled expressions treat a function call that throws. */
export interface CompileOptions {
  /**
   * True: the error propagates (the caller drops the record, as ksqlDB does for
   * table-function arguments). False (default): that call yields null.
   */
  readonly strictCalls?: boolean;
  /**
   * Set inside lambda bodies: arithmetic on a null operand throws (as Java's
   * unboxing does in ksqlDB's lambdas), so the lambda's function call yields null.
   */
  readonly inLambda?: boolean;
  /** Where a failing call (yielding null) is reported; without, it yields null silently (pull-time constants). */
  readonly calls?: CallErrors;
}

/** Compiles a typed expression into a closure tree, once per query. */
export function compile(e: TypedExpression, opts: CompileOptions = {}): Evaluator {
  return compileWith(e, opts);
}

function compileWith(e: TypedExpression, opts: CompileOptions): Evaluator {
  const compile = (x: TypedExpression): Evaluator => compileWith(x, opts);
  switch (e.kind) {
    case 'Literal': {
      const v = e.value;
      return () => v;
    }
    case 'Column': {
      const i = e.index;
      return (row) => row[i] ?? null;
    }
    case 'LambdaVar': {
      const s = e.slot;
      return (_row, vars) => vars[s] ?? null;
    }
    case 'Field': {
      const base = compile(e.base);
      const f = e.field;
      return (row, vars) => {
        const b = base(row, vars) as Record<string, unknown> | null;
        return b === null ? null : (b[f] ?? null);
      };
    }
    case 'Subscript': {
      const base = compile(e.base);
      const index = compile(e.index);
      if (e.base.type.kind === 'ARRAY') {
        return (row, vars) => {
          const a = base(row, vars) as unknown[] | null;
          const i = index(row, vars) as number | null;
          if (a === null || i === null) return null;
          const at = i > 0 ? i - 1 : i < 0 ? a.length + i : -1;
          return at >= 0 && at < a.length ? (a[at] ?? null) : null;
        };
      }
      return (row, vars) => {
        const m = base(row, vars) as Map<unknown, unknown> | null;
        const k = index(row, vars);
        if (m === null || k === null) return null;
        return m.get(k) ?? null;
      };
    }
    case 'Negate': {
      const o = compile(e.operand);
      if (e.type.kind === 'DECIMAL')
        return (row, vars) => {
          const v = o(row, vars) as Decimal | null;
          return v === null ? null : v.negate();
        };
      const isInt = e.type.kind === 'INTEGER';
      return (row, vars) => {
        const v = o(row, vars) as number | null;
        return v === null ? null : isInt ? -v | 0 : -v;
      };
    }
    case 'Not': {
      const o = compile(e.operand);
      return (row, vars) => {
        const v = o(row, vars);
        return v === null ? null : !v;
      };
    }
    case 'Arithmetic':
      return compileArithmetic(e, opts);
    case 'Concat': {
      const l = compile(e.left);
      const r = compile(e.right);
      return (row, vars) => {
        const a = l(row, vars);
        const b = r(row, vars);
        return a === null || b === null ? null : (a as string) + (b as string);
      };
    }
    case 'Compare':
      return compileCompare(e.op, compile(e.left), compile(e.right));
    case 'And': {
      const l = compile(e.left);
      const r = compile(e.right);
      return (row, vars) => {
        const a = l(row, vars);
        if (a === false) return false;
        const b = r(row, vars);
        if (b === false) return false;
        return a === null || b === null ? null : true;
      };
    }
    case 'Or': {
      const l = compile(e.left);
      const r = compile(e.right);
      return (row, vars) => {
        const a = l(row, vars);
        if (a === true) return true;
        const b = r(row, vars);
        if (b === true) return true;
        return a === null || b === null ? null : false;
      };
    }
    case 'IsNull': {
      const o = compile(e.operand);
      const neg = e.negated;
      return (row, vars) => (o(row, vars) === null) !== neg;
    }
    case 'Between': {
      const o = compile(e.operand);
      const lo = compile(e.low);
      const hi = compile(e.high);
      const neg = e.negated;
      return (row, vars) => {
        const v = o(row, vars);
        const a = lo(row, vars);
        const b = hi(row, vars);
        if (v === null || a === null || b === null) return false;
        const inside = compareValues(v, a) >= 0 && compareValues(v, b) <= 0;
        return inside !== neg;
      };
    }
    case 'In': {
      const o = compile(e.operand);
      const pairs = e.pairs.map((p) => ({ left: compile(p.left), right: compile(p.right) }));
      const neg = e.negated;
      return (row, vars) => {
        if (o(row, vars) === null) return false;
        for (const p of pairs) {
          const a = p.left(row, vars);
          const b = p.right(row, vars);
          if (a !== null && b !== null && valuesEqual(a, b)) return !neg;
        }
        return neg;
      };
    }
    case 'Like': {
      const o = compile(e.operand);
      const p = compile(e.pattern);
      const neg = e.negated;
      const esc = e.escape;
      const fixed = e.pattern.kind === 'Literal' && typeof e.pattern.value === 'string' ? likeRegex(e.pattern.value, esc) : undefined;
      return (row, vars) => {
        const v = o(row, vars) as string | null;
        if (v === null) return null;
        let re = fixed;
        if (!re) {
          const pat = p(row, vars) as string | null;
          if (pat === null) return null;
          re = likeRegex(pat, esc);
        }
        return re.test(v) !== neg;
      };
    }
    case 'Case': {
      const whens = e.whens.map((w) => ({ when: compile(w.when), then: compile(w.then) }));
      const otherwise = e.else ? compile(e.else) : undefined;
      return (row, vars) => {
        for (let i = 0; i < whens.length; i++) {
          const w = whens[i]!;
          if (w.when(row, vars) === true) return w.then(row, vars);
        }
        return otherwise ? otherwise(row, vars) : null;
      };
    }
    case 'Cast': {
      const o = compile(e.operand);
      const from = e.operand.type;
      const to = e.type;
      if (e.operand.kind === 'Literal') {
        // A constant (e.g. a DECIMAL literal in DOUBLE arithmetic) is cast once; one that
        // cannot be cast, or casts to a mutable value, is still cast per row.
        try {
          const v = castValue(e.operand.value, from, to);
          if (v === null || typeof v !== 'object' || v instanceof Decimal) return () => v;
        } catch {
          // fails per row, where the error is reported with the record
        }
      }
      return (row, vars) => castValue(o(row, vars), from, to);
    }
    case 'Call': {
      const args = e.args.map(compile);
      const invoke = e.fn.invoke;
      const tolerant = e.fn.nullTolerant === true;
      const valueArg = e.args.map((a) => a.kind !== 'Lambda' && a.kind !== 'Keyword');
      const strict = opts.strictCalls === true;
      const calls = opts.calls;
      const name = e.name;
      const n = args.length;
      return (row, vars) => {
        const vals = new Array<unknown>(n);
        for (let i = 0; i < n; i++) {
          const v = args[i]!(row, vars);
          if (v === null && !tolerant && valueArg[i]) return null;
          vals[i] = v;
        }
        // A failing function yields null for this call only (ksqlDB logs and continues).
        let r: unknown;
        if (strict) r = invoke(vals);
        else {
          try {
            r = invoke(vals);
          } catch (err) {
            calls?.report(name, err);
            return null;
          }
        }
        return r === undefined ? null : r;
      };
    }
    case 'Keyword': {
      const w = e.word;
      return () => w;
    }
    case 'Lambda': {
      // One JS function per compiled lambda, reading the row it was last handed.
      const body = compileWith(e.body, { ...opts, inLambda: true });
      const slots = e.slots;
      let row: readonly unknown[] = [];
      let vars: unknown[] = [];
      const fn = (...args: unknown[]) => {
        for (let i = 0; i < slots.length; i++) vars[slots[i]!] = args[i] ?? null;
        return body(row, vars);
      };
      return (r, v) => {
        row = r;
        vars = v;
        return fn;
      };
    }
    case 'CreateStruct': {
      const fields = e.fields.map((f) => ({ name: f.name, value: compile(f.value) }));
      return (row, vars) => {
        const out: Record<string, unknown> = {};
        for (const f of fields) out[f.name] = f.value(row, vars);
        return out;
      };
    }
    case 'CreateArray': {
      const items = e.items.map(compile);
      return (row, vars) => items.map((x) => x(row, vars));
    }
    case 'CreateMap': {
      const entries = e.entries.map((x) => ({ key: compile(x.key), value: compile(x.value) }));
      return (row, vars) => {
        const m = new Map<unknown, unknown>();
        for (const x of entries) m.set(x.key(row, vars), x.value(row, vars));
        return m;
      };
    }
    default:
      return assertNever(e, 'typed expression');
  }
}

function compileCompare(op: Extract<TypedExpression, { kind: 'Compare' }>['op'], l: Evaluator, r: Evaluator): Evaluator {
  switch (op) {
    case '=':
      return (row, vars) => {
        const a = l(row, vars);
        const b = r(row, vars);
        return a === null || b === null ? false : valuesEqual(a, b);
      };
    case '<>':
      return (row, vars) => {
        const a = l(row, vars);
        const b = r(row, vars);
        return a === null || b === null ? false : !valuesEqual(a, b);
      };
    case 'IS DISTINCT FROM':
      return (row, vars) => !valuesEqual(l(row, vars), r(row, vars));
    case 'IS NOT DISTINCT FROM':
      return (row, vars) => valuesEqual(l(row, vars), r(row, vars));
    case '<':
      return (row, vars) => ord(l(row, vars), r(row, vars), (c) => c < 0);
    case '<=':
      return (row, vars) => ord(l(row, vars), r(row, vars), (c) => c <= 0);
    case '>':
      return (row, vars) => ord(l(row, vars), r(row, vars), (c) => c > 0);
    case '>=':
      return (row, vars) => ord(l(row, vars), r(row, vars), (c) => c >= 0);
    default:
      return assertNever(op, 'comparison');
  }
}

function ord(a: unknown, b: unknown, test: (c: number) => boolean): boolean {
  if (a === null || b === null) return false;
  return test(compareValues(a, b));
}

function compileArithmetic(e: Extract<TypedExpression, { kind: 'Arithmetic' }>, opts: CompileOptions): Evaluator {
  const l = nonNullInLambda(compileWith(e.left, opts), opts);
  const r = nonNullInLambda(compileWith(e.right, opts), opts);
  const t: SqlType = e.type;
  if (t.kind === 'DECIMAL') {
    const scale = t.scale;
    const op = e.op;
    return (row, vars) => {
      const a = l(row, vars) as Decimal | null;
      const b = r(row, vars) as Decimal | null;
      if (a === null || b === null) return null;
      try {
        switch (op) {
          case '+':
            return a.add(b).setScale(scale);
          case '-':
            return a.subtract(b).setScale(scale);
          case '*':
            return a.multiply(b).setScale(scale);
          case '/':
            return a.divide(b, scale);
          case '%':
            return a.remainder(b).setScale(scale);
        }
      } catch (err) {
        throw new ExecutionError((err as Error).message);
      }
    };
  }
  const isInt = t.kind === 'INTEGER';
  const isWhole = isInt || t.kind === 'BIGINT';
  switch (e.op) {
    case '+':
      return isInt ? num2(l, r, (a, b) => (a + b) | 0) : num2(l, r, (a, b) => a + b);
    case '-':
      return isInt ? num2(l, r, (a, b) => (a - b) | 0) : num2(l, r, (a, b) => a - b);
    case '*':
      return isInt ? num2(l, r, (a, b) => Math.imul(a, b)) : num2(l, r, (a, b) => a * b);
    case '/':
      if (isWhole) {
        return num2(l, r, (a, b) => {
          if (b === 0) throw new ExecutionError('/ by zero');
          const q = Math.trunc(a / b);
          return isInt ? q | 0 : q;
        });
      }
      return num2(l, r, (a, b) => a / b);
    case '%':
      if (isWhole) {
        return num2(l, r, (a, b) => {
          if (b === 0) throw new ExecutionError('/ by zero');
          return a % b;
        });
      }
      return num2(l, r, (a, b) => a % b);
    default:
      return assertNever(e.op, 'arithmetic operator');
  }
}

/** In a lambda body, an arithmetic operand that evaluates to null throws (see CompileOptions.inLambda). */
function nonNullInLambda(x: Evaluator, opts: CompileOptions): Evaluator {
  if (opts.inLambda !== true) return x;
  return (row, vars) => {
    const v = x(row, vars);
    if (v === null) throw new ExecutionError('null operand in lambda arithmetic');
    return v;
  };
}

function num2(l: Evaluator, r: Evaluator, f: (a: number, b: number) => number): Evaluator {
  return (row, vars) => {
    const a = l(row, vars) as number | null;
    if (a === null) return null;
    const b = r(row, vars) as number | null;
    if (b === null) return null;
    return f(a, b);
  };
}

const likeCache = new Map<string, RegExp>();

/** SQL LIKE pattern to an anchored RegExp: `%` any run, `_` one character. */
export function likeRegex(pattern: string, escapeChar?: string): RegExp {
  const key = `${escapeChar ?? ''}\u0000${pattern}`;
  let re = likeCache.get(key);
  if (re) return re;
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escapeChar !== undefined && c === escapeChar && i + 1 < pattern.length) {
      src += escapeRe(pattern[++i]!);
    } else if (c === '%') src += '[\\s\\S]*';
    else if (c === '_') src += '[\\s\\S]';
    else src += escapeRe(c);
  }
  re = new RegExp(`^${src}$`);
  if (likeCache.size < 1000) likeCache.set(key, re);
  return re;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
