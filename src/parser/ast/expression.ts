import type { Position } from '../../common/position.js';
import type { TypeNode } from './type-node.js';

/**
 * Expressions as written in SQL, before name resolution and typing.
 * Identifiers are already normalised: unquoted names upper-cased, quoted names
 * (backticks or double quotes) kept exactly.
 */
export type Expression =
  | Literal
  | ColumnRef
  | Dereference
  | Subscript
  | Unary
  | Not
  | Arithmetic
  | Concat
  | Comparison
  | Logical
  | IsNull
  | Between
  | InList
  | Like
  | SearchedCase
  | SimpleCase
  | Cast
  | FunctionCall
  | CreateStruct
  | CreateArray
  | CreateMap
  | Lambda;

/**
 * A literal. `literalType` follows ksqlDB: whole numbers that fit 32 bits are
 * INTEGER, larger ones BIGINT; `1.5` is DECIMAL (value kept as text), `1.5E3` DOUBLE.
 */
export interface Literal {
  readonly kind: 'Literal';
  readonly literalType: 'INTEGER' | 'BIGINT' | 'DECIMAL' | 'DOUBLE' | 'STRING' | 'BOOLEAN' | 'NULL';
  /** number for INTEGER/BIGINT/DOUBLE, string for STRING and DECIMAL (digits as written), boolean, or null. */
  readonly value: number | string | boolean | null;
  /**
   * BIGINT only: the exact value as canonical decimal digits (with sign), since
   * `value` loses precision beyond 2^53 (added by the parser).
   */
  readonly digits?: string;
  readonly pos: Position;
}

/** `name` or `source.name`; may also name a lambda parameter (the planner decides). */
export interface ColumnRef {
  readonly kind: 'ColumnRef';
  readonly source?: string;
  readonly name: string;
  readonly pos: Position;
}

/** Struct field access `base->field`. */
export interface Dereference {
  readonly kind: 'Dereference';
  readonly base: Expression;
  readonly field: string;
  readonly pos: Position;
}

/** `base[index]`: array element (1-based, negative from the end) or map value. */
export interface Subscript {
  readonly kind: 'Subscript';
  readonly base: Expression;
  readonly index: Expression;
  readonly pos: Position;
}

export interface Unary {
  readonly kind: 'Unary';
  readonly op: '-' | '+';
  readonly operand: Expression;
  readonly pos: Position;
}

export interface Not {
  readonly kind: 'Not';
  readonly operand: Expression;
  readonly pos: Position;
}

export interface Arithmetic {
  readonly kind: 'Arithmetic';
  readonly op: '+' | '-' | '*' | '/' | '%';
  readonly left: Expression;
  readonly right: Expression;
  readonly pos: Position;
}

/** `left || right` string concatenation. */
export interface Concat {
  readonly kind: 'Concat';
  readonly left: Expression;
  readonly right: Expression;
  readonly pos: Position;
}

export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM';

export interface Comparison {
  readonly kind: 'Comparison';
  /** `!=` is normalised to `<>`. */
  readonly op: ComparisonOp;
  readonly left: Expression;
  readonly right: Expression;
  readonly pos: Position;
}

export interface Logical {
  readonly kind: 'Logical';
  readonly op: 'AND' | 'OR';
  readonly left: Expression;
  readonly right: Expression;
  readonly pos: Position;
}

/** `operand IS [NOT] NULL`. */
export interface IsNull {
  readonly kind: 'IsNull';
  readonly operand: Expression;
  readonly negated: boolean;
  readonly pos: Position;
}

export interface Between {
  readonly kind: 'Between';
  readonly operand: Expression;
  readonly low: Expression;
  readonly high: Expression;
  readonly negated: boolean;
  readonly pos: Position;
}

export interface InList {
  readonly kind: 'InList';
  readonly operand: Expression;
  readonly list: readonly Expression[];
  readonly negated: boolean;
  readonly pos: Position;
}

export interface Like {
  readonly kind: 'Like';
  readonly operand: Expression;
  readonly pattern: Expression;
  /** The single escape character of `ESCAPE 'c'`, if given. */
  readonly escape?: string;
  readonly negated: boolean;
  readonly pos: Position;
}

export interface WhenClause {
  readonly when: Expression;
  readonly then: Expression;
}

/** `CASE WHEN cond THEN v … [ELSE e] END`. */
export interface SearchedCase {
  readonly kind: 'SearchedCase';
  readonly whens: readonly WhenClause[];
  readonly else?: Expression;
  readonly pos: Position;
}

/** `CASE operand WHEN value THEN v … [ELSE e] END`. */
export interface SimpleCase {
  readonly kind: 'SimpleCase';
  readonly operand: Expression;
  readonly whens: readonly WhenClause[];
  readonly else?: Expression;
  readonly pos: Position;
}

export interface Cast {
  readonly kind: 'Cast';
  readonly operand: Expression;
  readonly type: TypeNode;
  readonly pos: Position;
}

/**
 * A function call. `name` is upper-cased. `COUNT(*)` and `count()` both give
 * `star: true` with no args. Bare time-unit words used as arguments (as in
 * `TIMESTAMPADD(SECONDS, 5, ts)`) arrive as ColumnRef nodes.
 */
export interface FunctionCall {
  readonly kind: 'FunctionCall';
  readonly name: string;
  readonly args: readonly Expression[];
  readonly star: boolean;
  readonly distinct: boolean;
  readonly pos: Position;
}

/** `STRUCT(name := value, …)`. */
export interface CreateStruct {
  readonly kind: 'CreateStruct';
  readonly fields: readonly { readonly name: string; readonly value: Expression }[];
  readonly pos: Position;
}

/** `ARRAY[a, b, …]`. */
export interface CreateArray {
  readonly kind: 'CreateArray';
  readonly items: readonly Expression[];
  readonly pos: Position;
}

/** `MAP(k := v, …)`. */
export interface CreateMap {
  readonly kind: 'CreateMap';
  readonly entries: readonly { readonly key: Expression; readonly value: Expression }[];
  readonly pos: Position;
}

/** `x => body` or `(x, y) => body`; parameter names normalised like identifiers. */
export interface Lambda {
  readonly kind: 'Lambda';
  readonly params: readonly string[];
  readonly body: Expression;
  readonly pos: Position;
}
