import type { SqlType } from '../../common/types.js';

/**
 * What the planner knows about one argument when it resolves a call: either a
 * typed value, or a lambda whose result type depends on the parameter types the
 * function gives it.
 */
export type ArgShape =
  | {
      readonly kind: 'value';
      readonly type: SqlType;
      /** The value when the argument is a literal (e.g. a format pattern), else undefined. */
      readonly literal?: unknown;
      /** True when the argument is the SQL NULL literal (its `type` is then a placeholder). */
      readonly isNullLiteral?: boolean;
    }
  | {
      readonly kind: 'lambda';
      readonly arity: number;
      /** Types the body given these parameter types; throws a PlanError when they do not fit. */
      readonly bodyType: (paramTypes: readonly SqlType[]) => SqlType;
    }
  | {
      /** A bare word such as `SECONDS` in `TIMESTAMPADD(SECONDS, 5, ts)`. */
      readonly kind: 'keyword';
      readonly word: string;
    };

/**
 * Session and server properties a function may read when it is resolved, by name
 * (e.g. `ksql.functions.collect_list.limit`). Optional everywhere.
 */
export type FunctionConfig = Readonly<Record<string, unknown>>;

/**
 * A resolved overload: the result type, the argument types the planner must
 * implicitly cast each value argument to (undefined = leave as is), and the
 * implementation. `invoke` receives evaluated arguments (lambdas as JS functions,
 * keywords as their upper-cased word) and returns the result or `null`.
 * Unless `nullTolerant`, the caller returns null without calling `invoke` when any
 * value argument is null.
 */
export interface ResolvedScalar {
  readonly returnType: SqlType;
  readonly argTypes?: readonly (SqlType | undefined)[];
  readonly nullTolerant?: boolean;
  readonly invoke: (args: unknown[]) => unknown;
}

/** A scalar function: one entry in `SHOW FUNCTIONS`, possibly many overloads. */
export interface ScalarFunction {
  /** Upper-case name as users call it. */
  readonly name: string;
  readonly category: string;
  readonly description: string;
  /** Human-readable signatures for DESCRIBE FUNCTION, e.g. `UCASE(input STRING) => STRING`. */
  readonly signatures: readonly string[];
  /**
   * Picks the overload for these arguments, or returns a string saying why none fits
   * (the planner turns it into a PlanError at the call's position).
   */
  resolve(args: readonly ArgShape[], config?: FunctionConfig): ResolvedScalar | string;
}

/**
 * A resolved aggregate. The accumulator must be a JSON-serialisable value (it is
 * kept in state stores), or something `toJSON`-able that `fromJSON` restores.
 * `undo` exists for aggregates over tables (ksqlDB retracts the old row's
 * contribution); when absent, the aggregate cannot be used on a table.
 */
export interface ResolvedAggregate {
  readonly returnType: SqlType;
  /**
   * The type of ksqlDB's accumulator for this call (e.g. STRUCT<SUM, COUNT> for AVG),
   * when it differs from `returnType`. ksqlDB rejects queries whose intermediate
   * type the value format cannot hold (DELIMITED: "One of the functions used in the
   * statement has an intermediate type that the value format can not handle.").
   */
  readonly intermediateType?: SqlType;
  readonly argTypes?: readonly (SqlType | undefined)[];
  /** Fresh accumulator. */
  init(): unknown;
  /** Adds one row's argument values; returns the new accumulator (may mutate and return `acc`). */
  add(acc: unknown, args: readonly unknown[]): unknown;
  /** Removes one row's contribution (table aggregation). */
  readonly undo?: (acc: unknown, args: readonly unknown[]) => unknown;
  /** Combines two accumulators (session window merges). */
  readonly merge?: (a: unknown, b: unknown) => unknown;
  /** The SQL value the aggregate currently stands at. */
  result(acc: unknown): unknown;
}

export interface AggregateFunction {
  readonly name: string;
  readonly description: string;
  readonly signatures: readonly string[];
  /**
   * `args` are the value arguments; literal initial arguments (like TOPK's k) are
   * passed with their `literal` set.
   */
  resolve(args: readonly ArgShape[], config?: FunctionConfig): ResolvedAggregate | string;
}

/**
 * A table function (EXPLODE): one input row becomes zero or more output rows, one
 * per element of the returned array.
 */
export interface TableFunction {
  readonly name: string;
  readonly description: string;
  readonly signatures: readonly string[];
  resolve(args: readonly ArgShape[], config?: FunctionConfig): { readonly returnType: SqlType; readonly invoke: (args: unknown[]) => unknown[] } | string;
}
