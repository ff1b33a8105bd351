import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AggregateImpl } from './define/define-aggregate.js';
import { defineAggregate } from './define/define-aggregate.js';
import { defineScalar, type Body } from './define/define-scalar.js';
import { defineTable } from './define/define-table.js';
import { registerFunction } from './registry.js';

/**
 * One overload as a user writes it in an extension module. Types are pattern
 * strings as the built-ins use them: `INT`, `BIGINT`, `DOUBLE`, `STRING`, `DECIMAL`,
 * `ARRAY<T>`, `MAP<K,V>`, a generic letter `T`, `ANY`; the last parameter may end
 * in `...` (varargs).
 */
export interface UdfOverload {
  readonly params: readonly string[];
  readonly returns: string;
  /** Scalar and table functions: the body (a table function returns an array of rows' values). */
  readonly fn?: Body;
  /** Aggregates: a fresh implementation {init, add, undo?, merge?, result}. */
  readonly make?: () => AggregateImpl<unknown>;
  /** Scalars: call `fn` even when an argument is null. */
  readonly nullTolerant?: boolean;
}

/** A user-defined function: one overload inline, or several in `overloads`. */
export interface UdfDefinition extends Partial<UdfOverload> {
  readonly name: string;
  readonly description?: string;
  readonly overloads?: readonly UdfOverload[];
}

/**
 * What an extension module exports (as named exports or as its default export):
 * lists of scalar, aggregate and table function definitions.
 */
export interface ExtensionModule {
  readonly scalars?: readonly UdfDefinition[];
  readonly aggregates?: readonly UdfDefinition[];
  readonly tables?: readonly UdfDefinition[];
}

/** What loading an extensions directory did: functions registered, and per-file errors. */
export interface ExtensionReport {
  readonly loaded: readonly { readonly file: string; readonly name: string; readonly kind: 'scalar' | 'aggregate' | 'table' }[];
  readonly errors: readonly { readonly file: string; readonly message: string }[];
}

const MODULE = /\.(m?js|cjs)$/;

function overloadsOf(d: UdfDefinition): readonly UdfOverload[] {
  if (d.overloads && d.overloads.length > 0) return d.overloads;
  if (d.params && d.returns) return [{ params: d.params, returns: d.returns, fn: d.fn, make: d.make, nullTolerant: d.nullTolerant }];
  throw new Error(`function ${d.name}: give params and returns, or overloads`);
}

/**
 * Loads every JavaScript module (`.js`, `.mjs`, `.cjs`) in `dir` and registers the
 * functions it exports. A module or function that fails to load is reported in
 * `errors` and skipped; the others still load. SQL can call the functions at once.
 */
export async function loadExtensions(dir: string): Promise<ExtensionReport> {
  const loaded: { file: string; name: string; kind: 'scalar' | 'aggregate' | 'table' }[] = [];
  const errors: { file: string; message: string }[] = [];
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => MODULE.test(f) && statSync(join(dir, f)).isFile())
      .sort();
  } catch (e) {
    return { loaded, errors: [{ file: dir, message: `cannot read extensions directory: ${(e as Error).message}` }] };
  }
  for (const file of files) {
    let mod: ExtensionModule;
    try {
      const imported = (await import(pathToFileURL(resolve(dir, file)).href)) as ExtensionModule & { default?: ExtensionModule };
      mod = imported.scalars || imported.aggregates || imported.tables ? imported : (imported.default ?? {});
    } catch (e) {
      errors.push({ file, message: `cannot load module: ${(e as Error).message}` });
      continue;
    }
    const kinds = [
      ['scalar', mod.scalars],
      ['aggregate', mod.aggregates],
      ['table', mod.tables],
    ] as const;
    for (const [kind, defs] of kinds) {
      for (const d of defs ?? []) {
        try {
          if (typeof d?.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(d.name)) throw new Error(`invalid function name ${JSON.stringify(d?.name)}`);
          const name = d.name.toUpperCase();
          const description = d.description ?? `User-defined ${kind} function from ${file}`;
          const overloads = overloadsOf(d);
          let error: string | undefined;
          if (kind === 'scalar') {
            const fn = defineScalar({
              name,
              category: 'USER-DEFINED',
              description,
              overloads: overloads.map((o) => ({ params: o.params, returns: o.returns, fn: o.fn, nullTolerant: o.nullTolerant })),
            });
            error = registerFunction({ kind, fn });
          } else if (kind === 'aggregate') {
            const fn = defineAggregate({
              name,
              description,
              overloads: overloads.map((o) => {
                const make = o.make;
                if (typeof make !== 'function') throw new Error(`aggregate ${name}: each overload needs make()`);
                return { params: o.params, returns: o.returns, make: () => make() };
              }),
            });
            error = registerFunction({ kind, fn });
          } else {
            const fn = defineTable({ name, description, overloads: overloads.map((o) => ({ params: o.params, returns: o.returns, fn: o.fn })) });
            error = registerFunction({ kind, fn });
          }
          if (error) throw new Error(error);
          loaded.push({ file, name, kind });
        } catch (e) {
          errors.push({ file, message: `${kind} function ${String(d?.name)}: ${(e as Error).message}` });
        }
      }
    }
  }
  return { loaded, errors };
}
