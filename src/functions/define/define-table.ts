import type { TableFunction } from './function-types.js';
import type { SqlType } from '../../common/types.js';
import { type OverloadBase, chooseOverload, prepare, signaturesOf } from './choose-overload.js';
import type { ResolveContext } from './overload-resolution.js';
import type { Body } from './define-scalar.js';

/** One overload of a table function; `returns` is the type of each produced element. */
export interface TableOverload extends OverloadBase {
  /** Returns the elements to emit, or null for none. */
  readonly fn?: Body;
  readonly make?: (ctx: ResolveContext) => Body;
}

export interface TableDefinition {
  readonly name: string;
  readonly description: string;
  readonly overloads: readonly TableOverload[];
}

/** Builds a {@link TableFunction}; a null result or null argument yields no rows. */
export function defineTable(def: TableDefinition): TableFunction {
  const prepared = prepare(def.overloads);
  return {
    name: def.name,
    description: def.description,
    signatures: signaturesOf(def.name, prepared),
    resolve(args, config): { readonly returnType: SqlType; readonly invoke: (args: unknown[]) => unknown[] } | string {
      const chosen = chooseOverload(def.name, prepared, args, config);
      if (typeof chosen === 'string') return chosen;
      const o = chosen.overload;
      const body = o.make ? o.make(chosen.match.ctx) : o.fn;
      if (!body) throw new Error(`table function ${def.name}: overload without fn or make`);
      return {
        returnType: chosen.returnType,
        invoke: (values: unknown[]) => {
          const out = body(...values);
          return Array.isArray(out) ? out : [];
        },
      };
    },
  };
}
