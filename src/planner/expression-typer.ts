import { PlanError } from '../common/errors.js';
import { assertNever } from '../common/assert.js';
import type { Position } from '../common/position.js';
import { Decimal } from '../common/decimal.js';
import { T, canImplicitlyCast, formatType, isNumeric, typeEquals, widerNumeric, type SqlType } from '../common/types.js';
import type { Expression } from '../parser/ast/index.js';
import { formatExpression } from '../parser/format.js';
import type { ArgShape } from '../functions/define/function-types.js';
import { getAggregate, getScalar, getTableFunction } from '../functions/registry.js';
import { decimalArithmeticType } from './decimal-rules.js';
import { resolveType, structOf, type TypeRegistry } from './type-resolver.js';
import type { TypedExpression } from './typed-expression.js';

/** A column visible to expressions, at `index` in the evaluated row. */
export interface ScopeColumn {
  readonly name: string;
  /** Upper-case source name or alias that qualifies it (`s.col`), if any. */
  readonly qualifiers: readonly string[];
  readonly type: SqlType;
  readonly index: number;
}

/**
 * What names mean while typing one expression. `special` is consulted on every
 * node first: the aggregation planner uses it to map aggregate calls and GROUP BY
 * expressions to columns it has already computed.
 */
export interface Scope {
  readonly columns: readonly ScopeColumn[];
  readonly types: TypeRegistry;
  readonly special?: (e: Expression) => TypedExpression | undefined;
  /** Message used when an aggregate function appears where it may not. */
  readonly aggregateMessage?: string;
  /** Session properties functions may read (e.g. ksql.functions.collect_list.limit). */
  readonly config?: Readonly<Record<string, unknown>>;
}

const TIME_UNITS = new Set([
  'MILLISECOND',
  'MILLISECONDS',
  'SECOND',
  'SECONDS',
  'MINUTE',
  'MINUTES',
  'HOUR',
  'HOURS',
  'DAY',
  'DAYS',
  'WEEK',
  'WEEKS',
  'MONTH',
  'MONTHS',
  'YEAR',
  'YEARS',
]);

/** ksqlDB's names of the comparison operators (ComparisonExpression.Type), used in its messages. */
export const COMPARISON_NAMES: Readonly<Record<Extract<Expression, { kind: 'Comparison' }>['op'], string>> = {
  '=': 'EQUAL',
  '<>': 'NOT_EQUAL',
  '<': 'LESS_THAN',
  '<=': 'LESS_THAN_OR_EQUAL',
  '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL',
  'IS DISTINCT FROM': 'IS_DISTINCT_FROM',
  'IS NOT DISTINCT FROM': 'IS_NOT_DISTINCT_FROM',
};

/** The type the NULL literal carries until something gives it one. */
const NULL_TYPE = T.STRING;

export function isNullLiteral(e: TypedExpression): boolean {
  return e.kind === 'Literal' && e.value === null && (e as { untyped?: boolean }).untyped === true;
}

function nullLiteral(): TypedExpression {
  return { kind: 'Literal', type: NULL_TYPE, value: null, untyped: true } as TypedExpression;
}

/** Types AST expressions against a scope, inserting implicit casts. */
export class ExpressionTyper {
  private readonly lambdaScopes: Map<string, { slot: number; type: SqlType }>[] = [];
  private nextSlot = 0;

  constructor(private readonly scope: Scope) {}

  /** Session properties for function resolution. */
  get config(): Readonly<Record<string, unknown>> | undefined {
    return this.scope.config;
  }

  /** Number of lambda variable slots the compiled expressions need. */
  get slotCount(): number {
    return this.nextSlot;
  }

  type(e: Expression): TypedExpression {
    const special = this.scope.special?.(e);
    if (special) return special;
    switch (e.kind) {
      case 'Literal':
        return this.literal(e);
      case 'ColumnRef':
        return this.column(e.source, e.name, e.pos);
      case 'Dereference': {
        const base = this.type(e.base);
        if (base.type.kind !== 'STRUCT') {
          throw new PlanError(`Expected STRUCT type, got: ${formatType(base.type)} in '->${e.field}'`, e.pos);
        }
        const f = base.type.fields.find((x) => x.name === e.field) ?? base.type.fields.find((x) => x.name.toUpperCase() === e.field.toUpperCase());
        if (!f) throw new PlanError(`Could not find field '${e.field}' in '${formatExpression(e.base)}'.`, e.pos);
        return { kind: 'Field', type: f.type, base, field: f.name };
      }
      case 'Subscript': {
        const base = this.type(e.base);
        const index = this.type(e.index);
        if (base.type.kind === 'ARRAY') {
          return { kind: 'Subscript', type: base.type.item, base, index: this.coerce(index, T.INTEGER, e.index.pos) };
        }
        if (base.type.kind === 'MAP') {
          return { kind: 'Subscript', type: base.type.value, base, index: this.coerce(index, base.type.key, e.index.pos) };
        }
        const hint = base.type.kind === 'STRUCT' ? ` Use the dereference operator for STRUCTS: ${formatExpression(e.base)}->${formatExpression(e.index)}` : '';
        throw new PlanError(`Subscript expression (${formatExpression(e)}) do not apply to ${formatType(base.type)}.${hint}`, e.pos);
      }
      case 'Unary': {
        const operand = this.type(e.operand);
        if (!isNumeric(operand.type) && !isNullLiteral(operand)) {
          throw new PlanError(`Unsupported arithmetic: ${e.op}${formatType(operand.type)}`, e.pos);
        }
        return e.op === '+' ? operand : { kind: 'Negate', type: operand.type, operand };
      }
      case 'Not':
        return { kind: 'Not', type: T.BOOLEAN, operand: this.boolean(e.operand, 'NOT') };
      case 'Arithmetic':
        return this.arithmetic(e, this.type(e.left), this.type(e.right));
      case 'Concat': {
        const left = this.type(e.left);
        const right = this.type(e.right);
        return { kind: 'Concat', type: T.STRING, left: this.coerce(left, T.STRING, e.pos), right: this.coerce(right, T.STRING, e.pos) };
      }
      case 'Comparison':
        return this.comparison(e);
      case 'Logical':
        return {
          kind: e.op === 'AND' ? 'And' : 'Or',
          type: T.BOOLEAN,
          left: this.boolean(e.left, e.op),
          right: this.boolean(e.right, e.op),
        };
      case 'IsNull':
        return { kind: 'IsNull', type: T.BOOLEAN, operand: this.type(e.operand), negated: e.negated };
      case 'Between': {
        const items = [this.type(e.operand), this.type(e.low), this.type(e.high)];
        const t = this.unify(items, e.pos, 'BETWEEN');
        const [operand, low, high] = items.map((x) => this.coerce(x, t, e.pos)) as [TypedExpression, TypedExpression, TypedExpression];
        return { kind: 'Between', type: T.BOOLEAN, operandType: t, operand, low, high, negated: e.negated };
      }
      case 'InList': {
        const operand = this.type(e.operand);
        const pairs: { left: TypedExpression; right: TypedExpression }[] = [];
        for (const x of e.list) {
          const built = this.constructorAs(x, operand.type);
          if (built === 'never') continue;
          const item = built ?? this.type(x);
          let pair: [TypedExpression, TypedExpression, SqlType];
          try {
            pair = this.unifyPair(operand, item, x.pos, 'IN', true);
          } catch (err) {
            if (!(err instanceof PlanError) || !err.message.startsWith('Cannot compare')) throw err;
            // ksqlDB's InListEvaluator wording (a hint only for BOOLEAN operands).
            const hint = operand.type.kind === 'BOOLEAN' ? '\nHint: You might need to add explicit type casts.' : '';
            throw new PlanError(`operator does not exist: ${formatType(operand.type)} = ${formatType(item.type)} (${formatExpression(x)})${hint}`, x.pos);
          }
          pairs.push({ left: pair[0], right: pair[1] });
        }
        return { kind: 'In', type: T.BOOLEAN, operand, pairs, negated: e.negated };
      }
      case 'Like': {
        const operand = this.type(e.operand);
        const pattern = this.type(e.pattern);
        if (operand.type.kind !== 'STRING' && !isNullLiteral(operand)) {
          throw new PlanError(`LIKE expects STRING operands, got ${formatType(operand.type)}`, e.pos);
        }
        return { kind: 'Like', type: T.BOOLEAN, operand, pattern: this.coerce(pattern, T.STRING, e.pos), escape: e.escape, negated: e.negated };
      }
      case 'SearchedCase':
        return this.searchedCase(e);
      case 'SimpleCase': {
        const operand = e.kind === 'SimpleCase' ? this.type(e.operand) : undefined;
        const whens = e.whens.map((w) => {
          let when: TypedExpression;
          if (operand) {
            const [l, r, operandType] = this.unifyPair(operand, this.type(w.when), w.when.pos, 'CASE');
            when = { kind: 'Compare', type: T.BOOLEAN, op: '=', operandType, left: l, right: r };
          } else {
            when = this.boolean(w.when, 'WHEN');
          }
          return { when, then: this.type(w.then) };
        });
        const elseExpr = e.else ? this.type(e.else) : undefined;
        const results = [...whens.map((w) => w.then), ...(elseExpr ? [elseExpr] : [])];
        const t = this.unify(results, e.pos, 'CASE');
        return {
          kind: 'Case',
          type: t,
          whens: whens.map((w) => ({ when: w.when, then: this.coerce(w.then, t, e.pos) })),
          else: elseExpr ? this.coerce(elseExpr, t, e.pos) : undefined,
        };
      }
      case 'Cast': {
        const operand = this.type(e.operand);
        const type = resolveType(e.type, this.scope.types);
        if (isNullLiteral(operand)) return { kind: 'Literal', type, value: null };
        checkCast(operand.type, type, e.pos);
        if (typeEquals(operand.type, type)) return operand;
        return { kind: 'Cast', type, operand };
      }
      case 'FunctionCall':
        return this.call(e);
      case 'CreateStruct': {
        const fields = e.fields.map((f) => ({ name: f.name, value: this.type(f.value) }));
        return {
          kind: 'CreateStruct',
          type: structOf(
            fields.map((f) => ({ name: f.name, type: f.value.type })),
            e.pos,
          ),
          fields,
        };
      }
      case 'CreateArray': {
        if (e.items.length === 0)
          throw new PlanError(
            'Array constructor cannot be empty. Please supply at least one element (see https://github.com/confluentinc/ksql/issues/4239).',
            e.pos,
          );
        const items = e.items.map((x) => this.type(x));
        if (items.every(isNullLiteral))
          throw new PlanError(
            'Cannot construct an array with all NULL elements (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL value to the desired type.',
            e.pos,
          );
        // The element type comes from the non-literal-string elements; string literals are
        // converted to it ('2e1' in a numeric array), and structs merge into one type.
        const typed = items.filter((x) => !isNullLiteral(x) && !(x.kind === 'Literal' && x.type.kind === 'STRING'));
        const t =
          typed.length > 0 && typed.every((x) => x.type.kind === 'STRUCT')
            ? mergeStructs(typed.map((x) => x.type))
            : this.unify(typed.length > 0 ? typed : items, e.pos, 'ARRAY');
        const converted = items.map((x) => {
          if (isNullLiteral(x) || typeEquals(x.type, t)) return this.coerce(x, t, e.pos);
          if (x.kind === 'Literal' && x.type.kind === 'STRING' && t.kind !== 'STRING') {
            const lit = coerceLiteral(x, t, e.pos);
            return typeEquals(lit.type, t) ? lit : ({ kind: 'Cast', type: t, operand: lit } as TypedExpression);
          }
          if (x.type.kind === 'STRUCT' && t.kind === 'STRUCT') return { kind: 'Cast', type: t, operand: x } as TypedExpression;
          return this.coerce(x, t, e.pos);
        });
        return { kind: 'CreateArray', type: T.array(t), items: converted };
      }
      case 'CreateMap': {
        if (e.entries.length === 0)
          throw new PlanError(
            'Map constructor cannot be empty. Please supply at least one key value pair (see https://github.com/confluentinc/ksql/issues/4239).',
            e.pos,
          );
        const keys = e.entries.map((x) => this.type(x.key));
        if (keys.every(isNullLiteral))
          throw new PlanError(
            'Cannot construct a map with all NULL keys (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL key to the desired type.',
            e.pos,
          );
        const values = e.entries.map((x) => this.type(x.value));
        if (values.every(isNullLiteral))
          throw new PlanError(
            'Cannot construct a map with all NULL values (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL value to the desired type.',
            e.pos,
          );
        const kt = this.unify(keys, e.pos, 'MAP key');
        const vt = this.unify(values, e.pos, 'MAP value');
        return {
          kind: 'CreateMap',
          type: T.map(kt, vt),
          entries: keys.map((k, i) => ({ key: this.coerce(k, kt, e.pos), value: this.coerce(values[i]!, vt, e.pos) })),
        };
      }
      case 'Lambda':
        throw new PlanError('A lambda may only be used as a function argument', e.pos);
      default:
        return assertNever(e, 'expression');
    }
  }

  /**
   * A comparison, with ksqlDB's ComparisonUtil rules: no NULL literal operand (use
   * IS NULL), and BOOLEAN, ARRAY, MAP and STRUCT operands only with =, <> and
   * IS [NOT] DISTINCT FROM.
   */
  private comparison(e: Extract<Expression, { kind: 'Comparison' }>): TypedExpression {
    const l = this.type(e.left);
    const r = this.type(e.right);
    if (isNullLiteral(l) || isNullLiteral(r)) {
      const name = (x: TypedExpression) => (isNullLiteral(x) ? 'NULL' : formatType(x.type).replace(/[<(].*$/, ''));
      throw new PlanError(`Comparison with NULL not supported: ${name(l)} ${e.op} ${name(r)}\nUse 'IS NULL' or 'IS NOT NULL' instead.`, e.pos);
    }
    const mismatch = (): PlanError =>
      new PlanError(
        `Cannot compare ${formatExpression(e.left)} (${formatType(l.type)}) to ${formatExpression(e.right)} (${formatType(r.type)}) with ${COMPARISON_NAMES[e.op]}.`,
        e.pos,
      );
    let unified: [TypedExpression, TypedExpression, SqlType];
    try {
      unified = this.unifyPair(l, r, e.pos, `comparison ${e.op}`);
    } catch (err) {
      if (err instanceof PlanError) throw mismatch();
      throw err;
    }
    const [left, right, operandType] = unified;
    if (['BOOLEAN', 'ARRAY', 'MAP', 'STRUCT'].includes(operandType.kind) && !['=', '<>', 'IS DISTINCT FROM', 'IS NOT DISTINCT FROM'].includes(e.op))
      throw mismatch();
    return { kind: 'Compare', type: T.BOOLEAN, op: e.op, operandType, left, right };
  }

  /**
   * A searched CASE, typed as ksqlDB's ExpressionTypeManager does: every WHEN is a
   * BOOLEAN, and the THEN results and the ELSE have exactly one type (no widening;
   * NULL literals fit any), which must exist.
   */
  private searchedCase(e: Extract<Expression, { kind: 'SearchedCase' }>): TypedExpression {
    let t: SqlType | undefined;
    const whens = e.whens.map((w) => {
      const when = this.type(w.when);
      if (!isNullLiteral(when) && when.type.kind !== 'BOOLEAN') {
        throw new PlanError(`WHEN operand type should be boolean.\nType for '${formatExpression(w.when)}' is ${formatType(when.type)}`, w.when.pos);
      }
      const then = this.type(w.then);
      if (!isNullLiteral(then)) {
        if (t !== undefined && !typeEquals(t, then.type)) {
          throw new PlanError(
            `Invalid Case expression. Type for all 'THEN' clauses should be the same.\nTHEN expression 'WHEN ${formatExpression(w.when)} THEN ${formatExpression(w.then)}' has type: ${formatType(then.type)}.\nPrevious THEN expression(s) type: ${formatType(t)}.`,
            w.then.pos,
          );
        }
        t ??= then.type;
      }
      return { when: isNullLiteral(when) ? ({ kind: 'Literal', type: T.BOOLEAN, value: null } as TypedExpression) : when, then };
    });
    const elseExpr = e.else ? this.type(e.else) : undefined;
    if (elseExpr && !isNullLiteral(elseExpr)) {
      if (t !== undefined && !typeEquals(t, elseExpr.type)) {
        throw new PlanError(
          `Invalid Case expression. Type for the default clause should be the same as for 'THEN' clauses.\nTHEN type: ${formatType(t)}.\nDEFAULT type: ${formatType(elseExpr.type)}.`,
          e.else!.pos,
        );
      }
      t ??= elseExpr.type;
    }
    if (t === undefined) throw new PlanError('Invalid Case expression. All case branches have NULL type', e.pos);
    const type = t;
    return {
      kind: 'Case',
      type,
      whens: whens.map((w) => ({ when: w.when, then: this.coerce(w.then, type, e.pos) })),
      else: elseExpr ? this.coerce(elseExpr, type, e.pos) : undefined,
    };
  }

  /**
   * In `x IN (…)`, an ARRAY/MAP/STRUCT constructor is built with the operand's
   * element types, converting literals as IN does ('3' into a BIGINT element).
   * A STRUCT constructor with fields the operand lacks can never match ('never');
   * undefined = not a constructor of the operand's kind.
   */
  private constructorAs(x: Expression, target: SqlType): TypedExpression | 'never' | undefined {
    const elem = (item: Expression, t: SqlType): TypedExpression => {
      const nested = this.constructorAs(item, t);
      if (nested === 'never') throw new PlanError(`operator does not exist: ${formatType(t)}`, item.pos);
      const typed = nested ?? this.type(item);
      const lit = coerceLiteral(typed, t, item.pos);
      if (isNullLiteral(lit)) return { kind: 'Literal', type: t, value: null };
      const wide = isNumeric(lit.type) && isNumeric(t) ? t : undefined;
      if (typeEquals(lit.type, t)) return lit;
      if (wide || canImplicitlyCast(lit.type, t) || (lit.kind === 'Literal' && isNumeric(lit.type) && isNumeric(t)))
        return { kind: 'Cast', type: t, operand: lit };
      throw new PlanError(`operator does not exist: ${formatType(t)} = ${formatType(lit.type)}`, item.pos);
    };
    if (x.kind === 'CreateArray' && target.kind === 'ARRAY') {
      return { kind: 'CreateArray', type: target, items: x.items.map((i) => elem(i, target.item)) };
    }
    if (x.kind === 'CreateMap' && target.kind === 'MAP') {
      return { kind: 'CreateMap', type: target, entries: x.entries.map((en) => ({ key: elem(en.key, target.key), value: elem(en.value, target.value) })) };
    }
    if (x.kind === 'CreateStruct' && target.kind === 'STRUCT') {
      if (x.fields.some((f) => !target.fields.some((tf) => tf.name === f.name))) return 'never';
      return {
        kind: 'CreateStruct',
        type: target,
        fields: target.fields.map((tf) => {
          const f = x.fields.find((ff) => ff.name === tf.name);
          return { name: tf.name, value: f ? elem(f.value, tf.type) : { kind: 'Literal', type: tf.type, value: null } };
        }),
      };
    }
    return undefined;
  }

  /** Types `e` and requires BOOLEAN. */
  boolean(e: Expression, where: string): TypedExpression {
    const t = this.type(e);
    if (isNullLiteral(t)) return { kind: 'Literal', type: T.BOOLEAN, value: null };
    if (t.type.kind !== 'BOOLEAN') {
      // WHERE and HAVING use ksqlDB's FilterTypeValidator wording.
      const detail = where.endsWith(' expression')
        ? `Should evaluate to boolean but is ${formatExpression(e)} (${formatType(t.type)}) instead.`
        : `expected BOOLEAN, got ${formatType(t.type)}`;
      throw new PlanError(`Type error in ${where}: ${detail}`, e.pos);
    }
    return t;
  }

  /** Wraps `e` in an implicit cast to `to`, or fails with a PlanError at `pos`. */
  coerce(e: TypedExpression, to: SqlType, pos: Position): TypedExpression {
    if (isNullLiteral(e)) return { kind: 'Literal', type: to, value: null };
    if (typeEquals(e.type, to)) return e;
    if (canImplicitlyCast(e.type, to) || implicitTemporal(e, to)) return { kind: 'Cast', type: to, operand: e };
    throw new PlanError(`Cannot implicitly convert ${formatType(e.type)} to ${formatType(to)}`, pos);
  }

  /**
   * {@link coerce} for a value written for a column (INSERT VALUES): besides the
   * implicit casts, an ARRAY, MAP or STRUCT constructor takes the column's type
   * when each element casts implicitly (`STRUCT(FOO := 2)` into
   * `STRUCT<FOO BIGINT>`), as ksqlDB's value coercer widens inside them.
   */
  coerceValue(e: TypedExpression, to: SqlType, pos: Position): TypedExpression {
    try {
      return this.coerce(e, to, pos);
    } catch (err) {
      const widened = err instanceof PlanError ? this.widenConstructed(e, to, pos) : undefined;
      if (widened === undefined) throw err;
      return widened;
    }
  }

  /** A constructor rebuilt as `to` with each element coerced; undefined when one cannot be. */
  private widenConstructed(e: TypedExpression, to: SqlType, pos: Position): TypedExpression | undefined {
    const each = (x: TypedExpression, t: SqlType): TypedExpression | undefined => {
      if (isNullLiteral(x) || typeEquals(x.type, t) || canImplicitlyCast(x.type, t)) return this.coerce(x, t, pos);
      return this.widenConstructed(x, t, pos);
    };
    const all = <A>(xs: readonly (A | undefined)[]): xs is readonly A[] => xs.every((x) => x !== undefined);
    if (e.kind === 'CreateArray' && to.kind === 'ARRAY') {
      const items = e.items.map((x) => each(x, to.item));
      return all(items) ? { kind: 'CreateArray', type: to, items } : undefined;
    }
    if (e.kind === 'CreateMap' && to.kind === 'MAP') {
      const entries: { key: TypedExpression; value: TypedExpression }[] = [];
      for (const x of e.entries) {
        const key = each(x.key, to.key);
        const value = each(x.value, to.value);
        if (key === undefined || value === undefined) return undefined;
        entries.push({ key, value });
      }
      return { kind: 'CreateMap', type: to, entries };
    }
    if (e.kind === 'CreateStruct' && to.kind === 'STRUCT') {
      if (e.fields.some((f) => !to.fields.some((tf) => tf.name === f.name))) return undefined;
      const fields = to.fields.map((tf) => {
        const f = e.fields.find((x) => x.name === tf.name);
        return { name: tf.name, value: f ? each(f.value, tf.type) : ({ kind: 'Literal', type: tf.type, value: null } as TypedExpression) };
      });
      return fields.every((f) => f.value !== undefined)
        ? { kind: 'CreateStruct', type: to, fields: fields as { name: string; value: TypedExpression }[] }
        : undefined;
    }
    return undefined;
  }

  private literal(e: Extract<Expression, { kind: 'Literal' }>): TypedExpression {
    switch (e.literalType) {
      case 'NULL':
        return nullLiteral();
      case 'INTEGER':
        return { kind: 'Literal', type: T.INTEGER, value: e.value };
      case 'BIGINT':
        // Beyond ±2^53 a JS number is not exact: such literals are held as bigint.
        return { kind: 'Literal', type: T.BIGINT, value: e.digits !== undefined && !Number.isSafeInteger(Number(e.digits)) ? BigInt(e.digits) : e.value };
      case 'DOUBLE':
        return { kind: 'Literal', type: T.DOUBLE, value: e.value };
      case 'STRING':
        return { kind: 'Literal', type: T.STRING, value: e.value };
      case 'BOOLEAN':
        return { kind: 'Literal', type: T.BOOLEAN, value: e.value };
      case 'DECIMAL': {
        const d = Decimal.parse(String(e.value));
        const precision = Math.max(d.precision, d.scale);
        return { kind: 'Literal', type: T.decimal(Math.max(1, precision), d.scale), value: d };
      }
      default:
        return assertNever(e.literalType, 'literal type');
    }
  }

  private column(source: string | undefined, name: string, pos: Position): TypedExpression {
    if (source === undefined) {
      for (let i = this.lambdaScopes.length - 1; i >= 0; i--) {
        const v = this.lambdaScopes[i]!.get(name);
        if (v) return { kind: 'LambdaVar', type: v.type, slot: v.slot, name };
      }
    }
    const matches = this.scope.columns.filter((c) => c.name === name && (source === undefined || c.qualifiers.includes(source)));
    if (matches.length === 0) {
      if (source !== undefined && this.scope.columns.length > 0 && !this.scope.columns.some((c) => c.qualifiers.includes(source))) {
        throw new PlanError(`'${source}' is not a valid stream/table name or alias.`, pos);
      }
      const label = source ? `${source}.${name}` : name;
      throw new PlanError(`Column '${label}' cannot be resolved.`, pos);
    }
    if (matches.length > 1 && source === undefined) {
      throw new PlanError(`Column '${name}' is ambiguous. Could be ${matches.map((m) => `${m.qualifiers[0] ?? ''}.${m.name}`).join(' or ')}.`, pos);
    }
    const c = matches[0]!;
    return { kind: 'Column', type: c.type, index: c.index, name: c.name };
  }

  private arithmetic(e: Extract<Expression, { kind: 'Arithmetic' }>, left: TypedExpression, right: TypedExpression): TypedExpression {
    const op = e.op;
    const pos = e.pos;
    if (isNullLiteral(left) || isNullLiteral(right)) {
      // ksqlDB's ExpressionTypeManager: a NULL literal has no type, so arithmetic on it is refused.
      const side = (x: TypedExpression, ast: Expression) => (isNullLiteral(x) ? 'null' : formatExpression(ast));
      const type = (x: TypedExpression) => (isNullLiteral(x) ? 'null' : formatType(x.type));
      throw new PlanError(
        `Error processing expression: (${side(left, e.left)} ${op} ${side(right, e.right)}). Arithmetic on types ${type(left)} and ${type(right)} are not supported.`,
        pos,
      );
    }
    if (op === '+' && left.type.kind === 'STRING' && right.type.kind === 'STRING') {
      return { kind: 'Concat', type: T.STRING, left, right };
    }
    const wide = widerNumeric(left.type, right.type);
    if (!wide) {
      // ksqlDB's Operator.resultType names the base types only.
      const base = (t: SqlType) => formatType(t).replace(/[<(].*$/, '');
      throw new PlanError(`Error processing expression: ${formatExpression(e)}. Unsupported arithmetic types. ${base(left.type)} ${base(right.type)}`, pos);
    }
    if (wide.kind === 'DECIMAL') {
      const type = decimalArithmeticType(op, left.type, right.type);
      return {
        kind: 'Arithmetic',
        type,
        op,
        left: left.type.kind === 'DECIMAL' ? left : { kind: 'Cast', type: decimalTypeOf(left.type), operand: left },
        right: right.type.kind === 'DECIMAL' ? right : { kind: 'Cast', type: decimalTypeOf(right.type), operand: right },
      };
    }
    return { kind: 'Arithmetic', type: wide, op, left: this.coerce(left, wide, pos), right: this.coerce(right, wide, pos) };
  }

  /** Brings two operands to one comparable type. */
  private unifyPair(left: TypedExpression, right: TypedExpression, pos: Position, what: string, lenient = false): [TypedExpression, TypedExpression, SqlType] {
    if (isNullLiteral(left) && isNullLiteral(right)) return [left, right, NULL_TYPE];
    if (isNullLiteral(left)) return [{ kind: 'Literal', type: right.type, value: null }, right, right.type];
    if (isNullLiteral(right)) return [left, { kind: 'Literal', type: left.type, value: null }, left.type];
    left = rowtimeLiteral(left, right);
    right = rowtimeLiteral(right, left);
    if (lenient) {
      left = coerceLiteral(left, right.type, pos);
      right = coerceLiteral(right, left.type, pos);
    }
    const lt = left.type;
    const rt = right.type;
    if (typeEquals(lt, rt)) return [left, right, lt];
    const wide = widerNumeric(lt, rt);
    if (wide) return [this.coerce(left, wide, pos), this.coerce(right, wide, pos), wide];
    const temporal = ['TIMESTAMP', 'DATE', 'TIME'];
    if (temporal.includes(lt.kind) && rt.kind === 'STRING') return [left, { kind: 'Cast', type: lt, operand: right }, lt];
    if (temporal.includes(rt.kind) && lt.kind === 'STRING') return [{ kind: 'Cast', type: rt, operand: left }, right, rt];
    if ((lt.kind === 'TIMESTAMP' && rt.kind === 'DATE') || (lt.kind === 'DATE' && rt.kind === 'TIMESTAMP')) {
      const ts = (x: TypedExpression): TypedExpression => (x.type.kind === 'DATE' ? { kind: 'Cast', type: T.TIMESTAMP, operand: x } : x);
      return [ts(left), ts(right), T.TIMESTAMP];
    }
    if (lt.kind === rt.kind && (lt.kind === 'ARRAY' || lt.kind === 'MAP' || lt.kind === 'STRUCT')) return [left, right, lt];
    throw new PlanError(`Cannot compare ${formatType(lt)} to ${formatType(rt)} in ${what}.`, pos);
  }

  /** The common type of several expressions (numeric widening; NULL literals fit anything). */
  private unify(items: readonly TypedExpression[], pos: Position, what: string): SqlType {
    let t: SqlType | undefined;
    for (const x of items) {
      if (isNullLiteral(x)) continue;
      if (!t) {
        t = x.type;
        continue;
      }
      if (typeEquals(t, x.type)) continue;
      const wide = widerNumeric(t, x.type);
      if (wide) {
        t = wide;
        continue;
      }
      if (canImplicitlyCast(x.type, t)) continue;
      if (canImplicitlyCast(t, x.type)) {
        t = x.type;
        continue;
      }
      if (['TIMESTAMP', 'DATE', 'TIME'].includes(t.kind) && x.type.kind === 'STRING') continue;
      if (t.kind === 'STRING' && ['TIMESTAMP', 'DATE', 'TIME'].includes(x.type.kind)) {
        t = x.type;
        continue;
      }
      throw new PlanError(`Invalid ${what}: all values must have the same type, got ${formatType(t)} and ${formatType(x.type)}`, pos);
    }
    return t ?? NULL_TYPE;
  }

  private call(e: Extract<Expression, { kind: 'FunctionCall' }>): TypedExpression {
    const fn = getScalar(e.name);
    if (!fn) {
      if (getAggregate(e.name)) {
        throw new PlanError(this.scope.aggregateMessage ?? `Aggregate function ${e.name} cannot be used here.`, e.pos);
      }
      if (getTableFunction(e.name)) {
        throw new PlanError(`Table function ${e.name} can only be used in the SELECT clause of a stream query.`, e.pos);
      }
      throw new PlanError(`Can't find any functions with the name '${e.name}'`, e.pos);
    }
    const { shapes, typed } = this.argShapes(e.args);
    const resolved = fn.resolve(shapes, this.scope.config);
    if (typeof resolved === 'string') throw new PlanError(resolved, e.pos);
    const args = typed.map((a, i) => {
      const want = resolved.argTypes?.[i];
      if (a.kind === 'Lambda' || a.kind === 'Keyword' || !want) return isNullLiteral(a) ? { ...a } : a;
      return this.coerce(a, want, e.args[i]!.pos);
    });
    return { kind: 'Call', type: resolved.returnType, name: e.name, fn: resolved, args };
  }

  /**
   * Types call arguments into ArgShapes. Lambdas are typed when the function asks
   * (bodyType), which records the typed body for the call node.
   */
  argShapes(args: readonly Expression[]): { shapes: ArgShape[]; typed: TypedExpression[] } {
    const typed: TypedExpression[] = [];
    const shapes: ArgShape[] = args.map((a, i) => {
      if (a.kind === 'Lambda') {
        const lambda = a;
        typed[i] = { kind: 'Lambda', type: NULL_TYPE, slots: [], body: nullLiteral() };
        return {
          kind: 'lambda',
          arity: a.params.length,
          bodyType: (paramTypes: readonly SqlType[]) => {
            const vars = new Map<string, { slot: number; type: SqlType }>();
            const slots = lambda.params.map((p, j) => {
              const slot = this.nextSlot++;
              vars.set(p, { slot, type: paramTypes[j] ?? NULL_TYPE });
              return slot;
            });
            this.lambdaScopes.push(vars);
            try {
              const body = this.type(lambda.body);
              typed[i] = { kind: 'Lambda', type: body.type, slots, body };
              return body.type;
            } finally {
              this.lambdaScopes.pop();
            }
          },
        };
      }
      if (a.kind === 'ColumnRef' && a.source === undefined && TIME_UNITS.has(a.name) && !this.hasName(a.name)) {
        typed[i] = { kind: 'Keyword', type: T.STRING, word: a.name };
        return { kind: 'keyword', word: a.name };
      }
      const t = this.type(a);
      typed[i] = t;
      const literal = t.kind === 'Literal' ? t.value : undefined;
      return { kind: 'value', type: t.type, literal, isNullLiteral: isNullLiteral(t) };
    });
    return { shapes, typed };
  }

  private hasName(name: string): boolean {
    return this.scope.columns.some((c) => c.name === name) || this.lambdaScopes.some((s) => s.has(name));
  }
}

/**
 * ksqlDB converts a literal compared with a column of another type: a STRING
 * literal to a number, boolean or temporal; a number or boolean literal to its text
 * when compared with a STRING. Anything else is returned unchanged.
 */
function coerceLiteral(e: TypedExpression, other: SqlType, pos: Position): TypedExpression {
  if (e.kind !== 'Literal' || e.value === null || typeEquals(e.type, other)) return e;
  if (e.type.kind === 'STRING' && other.kind !== 'STRING') {
    const text = (e.value as string).trim();
    if (isNumeric(other)) {
      try {
        const d = Decimal.parse(text);
        return { kind: 'Literal', type: T.decimal(Math.max(1, d.precision, d.scale), Math.max(0, d.scale)), value: d.scale < 0 ? d.setScale(0) : d };
      } catch {
        throw new PlanError(`invalid input syntax for type ${formatType(other)}: "${e.value as string}"`, pos);
      }
    }
    if (other.kind === 'BOOLEAN') {
      const s = text.toLowerCase();
      if (s !== '' && ('true'.startsWith(s) || 'yes'.startsWith(s))) return { kind: 'Literal', type: T.BOOLEAN, value: true };
      if (s !== '' && ('false'.startsWith(s) || 'no'.startsWith(s))) return { kind: 'Literal', type: T.BOOLEAN, value: false };
      throw new PlanError(`invalid input syntax for type BOOLEAN: "${e.value as string}"`, pos);
    }
    return e;
  }
  if (other.kind === 'STRING' && (isNumeric(e.type) || e.type.kind === 'BOOLEAN')) {
    return { kind: 'Literal', type: T.STRING, value: e.value instanceof Decimal ? e.value.toString() : String(e.value) };
  }
  return e;
}

/** ksqlDB's "magic timestamp conversion": ROWTIME compared with a (partial) timestamp string. */
function rowtimeLiteral(e: TypedExpression, other: TypedExpression): TypedExpression {
  if (e.kind !== 'Literal' || typeof e.value !== 'string' || other.kind !== 'Column') return e;
  if (other.name !== 'ROWTIME' && other.name !== 'WINDOWSTART' && other.name !== 'WINDOWEND') return e;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(e.value.trim());
  if (!m) return e;
  let t = Date.UTC(
    Number(m[1]),
    Number(m[2] ?? 1) - 1,
    Number(m[3] ?? 1),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    Number((m[7] ?? '0').padEnd(3, '0')),
  );
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const d = zone.slice(1).replace(':', '');
    t -= (zone[0] === '-' ? -1 : 1) * (Number(d.slice(0, 2)) * 60 + Number(d.slice(2))) * 60_000;
  }
  return { kind: 'Literal', type: T.BIGINT, value: t };
}

/** One STRUCT type holding every field of the given ones, in first-seen order (numbers widened). */
function mergeStructs(types: readonly SqlType[]): SqlType {
  const fields: { name: string; type: SqlType }[] = [];
  for (const t of types) {
    if (t.kind !== 'STRUCT') continue;
    for (const f of t.fields) {
      const at = fields.findIndex((x) => x.name === f.name);
      if (at < 0) fields.push({ name: f.name, type: f.type });
      else fields[at] = { name: f.name, type: widerNumeric(fields[at]!.type, f.type) ?? fields[at]!.type };
    }
  }
  return T.struct(fields);
}

function decimalTypeOf(t: SqlType): SqlType {
  return t.kind === 'INTEGER' ? T.decimal(10, 0) : t.kind === 'BIGINT' ? T.decimal(19, 0) : t;
}

function implicitTemporal(e: TypedExpression, to: SqlType): boolean {
  return e.type.kind === 'STRING' && e.kind === 'Literal' && ['TIMESTAMP', 'DATE', 'TIME'].includes(to.kind);
}

/**
 * Rejects CASTs ksqlDB does not allow (its CastEvaluator table). ARRAY, MAP and
 * STRUCT casts are checked element by element (for STRUCT, the fields both have),
 * and a failure names the outer types.
 */
export function checkCast(from: SqlType, to: SqlType, pos: Position): void {
  if (!castable(from, to)) throw new PlanError(`Cast of ${formatType(from)} to ${formatType(to)} is not supported`, pos);
}

function castable(from: SqlType, to: SqlType): boolean {
  if (typeEquals(from, to)) return true;
  switch (to.kind) {
    case 'STRING':
      return from.kind !== 'BYTES';
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'DECIMAL':
      return isNumeric(from) || from.kind === 'STRING';
    case 'BOOLEAN':
      return from.kind === 'STRING';
    case 'TIMESTAMP':
      return from.kind === 'STRING' || from.kind === 'DATE';
    case 'DATE':
    case 'TIME':
      return from.kind === 'STRING' || from.kind === 'TIMESTAMP';
    case 'BYTES':
      return false;
    case 'ARRAY':
      return from.kind === 'ARRAY' && castable(from.item, to.item);
    case 'MAP':
      return from.kind === 'MAP' && castable(from.key, to.key) && castable(from.value, to.value);
    case 'STRUCT':
      if (from.kind !== 'STRUCT') return false;
      for (const f of from.fields) {
        const target = to.fields.find((x) => x.name === f.name);
        if (target && !castable(f.type, target.type)) return false;
      }
      return true;
    default:
      return assertNever(to, 'cast target');
  }
}
