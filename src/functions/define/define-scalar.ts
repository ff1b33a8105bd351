import type { ResolvedScalar, ScalarFunction } from './function-types.js';
import { type OverloadBase, chooseOverload, prepare, signaturesOf } from './choose-overload.js';
import type { ResolveContext } from './overload-resolution.js';

/** A function body: receives the evaluated arguments in order (varargs spread). */
// biome-ignore lint/suspicious/noExplicitAny: bodies take their overload's argument types, checked at resolve time
export type Body = (...args: any[]) => unknown;

/** One overload of a scalar function. Give `fn`, or `make` when the body depends on types. */
export interface ScalarOverload extends OverloadBase {
  readonly fn?: Body;
  /** Builds the body once per call site (plan time), e.g. to capture argument types. */
  readonly make?: (ctx: ResolveContext) => Body;
  /** Call `fn` even when an argument is null (the function handles nulls itself). */
  readonly nullTolerant?: boolean;
}

/** Everything needed to define a scalar function in one small file. */
export interface ScalarDefinition {
  /** Upper-case name. */
  readonly name: string;
  readonly category: string;
  readonly description: string;
  readonly overloads: readonly ScalarOverload[];
}

/** Categories as ksqlDB's DESCRIBE FUNCTION prints them. */
export const Category = {
  STRING: 'STRING',
  MATH: 'MATHEMATICAL',
  DATETIME: 'DATE / TIME',
  JSON: 'JSON',
  ARRAY: 'ARRAY',
  MAP: 'MAP',
  CONDITIONAL: 'CONDITIONAL',
  REGEX: 'REGULAR EXPRESSION',
  URL: 'URL',
  LAMBDA: 'LAMBDA',
  CONVERSION: 'CONVERSIONS',
  OTHER: 'OTHER',
} as const;

/** Builds a {@link ScalarFunction} from overload definitions. */
export function defineScalar(def: ScalarDefinition): ScalarFunction {
  const prepared = prepare(def.overloads);
  const signatures = signaturesOf(def.name, prepared);
  return {
    name: def.name,
    category: def.category,
    description: def.description,
    signatures,
    resolve(args, config): ResolvedScalar | string {
      const chosen = chooseOverload(def.name, prepared, args, config);
      if (typeof chosen === 'string') return chosen;
      const o = chosen.overload;
      const body = o.make ? o.make(chosen.match.ctx) : o.fn;
      if (!body) throw new Error(`function ${def.name}: overload without fn or make`);
      return {
        returnType: chosen.returnType,
        argTypes: chosen.match.argTypes,
        nullTolerant: o.nullTolerant ?? false,
        invoke: (values: unknown[]) => body(...values),
      };
    },
  };
}
