import type { SqlType } from '../../common/types.js';
import type { AggregateFunction, ResolvedAggregate } from './function-types.js';
import { type OverloadBase, chooseOverload, prepare, signaturesOf } from './choose-overload.js';
import type { ResolveContext } from './overload-resolution.js';

/**
 * The behaviour of an aggregate for one call site. `A` is the accumulator, which
 * must survive `JSON.parse(JSON.stringify(acc))` unchanged in meaning.
 */
export interface AggregateImpl<A> {
  init(): A;
  add(acc: A, args: readonly unknown[]): A;
  undo?(acc: A, args: readonly unknown[]): A;
  merge?(a: A, b: A): A;
  result(acc: A): unknown;
}

/** One overload of an aggregate function. */
export interface AggregateOverload extends OverloadBase {
  /** ksqlDB's accumulator type for this overload, when not the return type. */
  readonly intermediate?: (ctx: ResolveContext, returnType: SqlType) => SqlType;
  // biome-ignore lint/suspicious/noExplicitAny: each overload's accumulator type differs; the registry erases it
  readonly make: (ctx: ResolveContext) => AggregateImpl<any>;
}

export interface AggregateDefinition {
  readonly name: string;
  readonly description: string;
  readonly overloads: readonly AggregateOverload[];
}

/** Builds an {@link AggregateFunction} from overload definitions. */
export function defineAggregate(def: AggregateDefinition): AggregateFunction {
  const prepared = prepare(def.overloads);
  return {
    name: def.name,
    description: def.description,
    signatures: signaturesOf(def.name, prepared),
    resolve(args, config): ResolvedAggregate | string {
      const chosen = chooseOverload(def.name, prepared, args, config);
      if (typeof chosen === 'string') return chosen;
      const impl = chosen.overload.make(chosen.match.ctx);
      const r: ResolvedAggregate = {
        returnType: chosen.returnType,
        argTypes: chosen.match.argTypes,
        ...(chosen.overload.intermediate ? { intermediateType: chosen.overload.intermediate(chosen.match.ctx, chosen.returnType) } : {}),
        init: () => impl.init(),
        add: (acc, a) => impl.add(acc, a),
        result: (acc) => impl.result(acc),
        ...(impl.undo ? { undo: (acc: unknown, a: readonly unknown[]) => impl.undo!(acc, a) } : {}),
        ...(impl.merge ? { merge: (x: unknown, y: unknown) => impl.merge!(x, y) } : {}),
      };
      return r;
    },
  };
}
