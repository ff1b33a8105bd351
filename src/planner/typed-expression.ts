import type { ResolvedScalar } from '../functions/define/function-types.js';
import type { SqlType } from '../common/types.js';

/**
 * A resolved, typed expression. Column references point at an index of the row
 * the expression is evaluated over; every implicit cast is explicit as a `Cast`
 * node, so operands of `Arithmetic` and `Compare` already share `operandType`.
 */
export type TypedExpression =
  | { readonly kind: 'Literal'; readonly type: SqlType; readonly value: unknown }
  | { readonly kind: 'Column'; readonly type: SqlType; readonly index: number; readonly name: string }
  | { readonly kind: 'LambdaVar'; readonly type: SqlType; readonly slot: number; readonly name: string }
  | { readonly kind: 'Field'; readonly type: SqlType; readonly base: TypedExpression; readonly field: string }
  | { readonly kind: 'Subscript'; readonly type: SqlType; readonly base: TypedExpression; readonly index: TypedExpression }
  | { readonly kind: 'Negate'; readonly type: SqlType; readonly operand: TypedExpression }
  | { readonly kind: 'Not'; readonly type: SqlType; readonly operand: TypedExpression }
  | {
      readonly kind: 'Arithmetic';
      readonly type: SqlType;
      readonly op: '+' | '-' | '*' | '/' | '%';
      readonly left: TypedExpression;
      readonly right: TypedExpression;
    }
  | { readonly kind: 'Concat'; readonly type: SqlType; readonly left: TypedExpression; readonly right: TypedExpression }
  | {
      readonly kind: 'Compare';
      readonly type: SqlType;
      readonly op: '=' | '<>' | '<' | '<=' | '>' | '>=' | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM';
      readonly operandType: SqlType;
      readonly left: TypedExpression;
      readonly right: TypedExpression;
    }
  | { readonly kind: 'And' | 'Or'; readonly type: SqlType; readonly left: TypedExpression; readonly right: TypedExpression }
  | { readonly kind: 'IsNull'; readonly type: SqlType; readonly operand: TypedExpression; readonly negated: boolean }
  | {
      readonly kind: 'Between';
      readonly type: SqlType;
      readonly operandType: SqlType;
      readonly operand: TypedExpression;
      readonly low: TypedExpression;
      readonly high: TypedExpression;
      readonly negated: boolean;
    }
  | {
      readonly kind: 'In';
      readonly type: SqlType;
      readonly operand: TypedExpression;
      /** One equality test per list item; each side already cast to the pair's common type. */
      readonly pairs: readonly { readonly left: TypedExpression; readonly right: TypedExpression }[];
      readonly negated: boolean;
    }
  | {
      readonly kind: 'Like';
      readonly type: SqlType;
      readonly operand: TypedExpression;
      readonly pattern: TypedExpression;
      readonly escape?: string;
      readonly negated: boolean;
    }
  | {
      readonly kind: 'Case';
      readonly type: SqlType;
      readonly whens: readonly { readonly when: TypedExpression; readonly then: TypedExpression }[];
      readonly else?: TypedExpression;
    }
  | { readonly kind: 'Cast'; readonly type: SqlType; readonly operand: TypedExpression }
  | {
      readonly kind: 'Call';
      readonly type: SqlType;
      readonly name: string;
      readonly fn: ResolvedScalar;
      readonly args: readonly TypedExpression[];
    }
  | { readonly kind: 'Keyword'; readonly type: SqlType; readonly word: string }
  | {
      readonly kind: 'Lambda';
      readonly type: SqlType;
      readonly slots: readonly number[];
      readonly body: TypedExpression;
    }
  | {
      readonly kind: 'CreateStruct';
      readonly type: SqlType;
      readonly fields: readonly { readonly name: string; readonly value: TypedExpression }[];
    }
  | { readonly kind: 'CreateArray'; readonly type: SqlType; readonly items: readonly TypedExpression[] }
  | {
      readonly kind: 'CreateMap';
      readonly type: SqlType;
      readonly entries: readonly { readonly key: TypedExpression; readonly value: TypedExpression }[];
    };
