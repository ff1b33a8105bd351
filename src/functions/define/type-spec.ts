import { type SqlType, type SqlTypeKind, formatType } from '../../common/types.js';

/**
 * A parameter type pattern of a function overload, written as a short string and
 * parsed once at definition time:
 *
 * - a primitive: `BOOLEAN`, `INT`/`INTEGER`, `BIGINT`, `DOUBLE`, `STRING`, `BYTES`,
 *   `DATE`, `TIME`, `TIMESTAMP`; `DECIMAL` matches any precision and scale;
 * - a generic: one upper-case letter (`T`, `K`, `V`, …) bound by the first argument
 *   that meets it; later arguments must fit (widening numbers);
 * - `ANY` (any type, not bound), `STRUCT` (any struct), `KEYWORD` (a bare word);
 * - containers `ARRAY<…>`, `MAP<…,…>`;
 * - lambdas `FN(T,U)=>V`: parameter types come from bound generics, the body's
 *   type binds or must fit the result.
 */
export type TypeSpec =
  | { readonly k: 'prim'; readonly type: SqlType }
  | { readonly k: 'decimal' }
  | { readonly k: 'any' }
  | { readonly k: 'struct' }
  | { readonly k: 'keyword' }
  | { readonly k: 'gen'; readonly name: string }
  | { readonly k: 'array'; readonly item: TypeSpec }
  | { readonly k: 'map'; readonly key: TypeSpec; readonly value: TypeSpec }
  | { readonly k: 'fn'; readonly params: readonly TypeSpec[]; readonly ret: TypeSpec };

const PRIMS: Record<string, SqlTypeKind> = {
  BOOLEAN: 'BOOLEAN',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  DOUBLE: 'DOUBLE',
  STRING: 'STRING',
  BYTES: 'BYTES',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
};

/** Parses a parameter pattern such as `ARRAY<T>` or `FN(K,V)=>BOOLEAN`; throws on bad syntax. */
export function parseSpec(text: string): TypeSpec {
  const p = new SpecParser(text.replace(/\s+/g, ''));
  const spec = p.spec();
  if (p.pos !== p.src.length) throw new Error(`bad type spec '${text}'`);
  return spec;
}

class SpecParser {
  pos = 0;
  constructor(readonly src: string) {}

  spec(): TypeSpec {
    const word = this.word();
    switch (word) {
      case 'ARRAY': {
        this.expect('<');
        const item = this.spec();
        this.expect('>');
        return { k: 'array', item };
      }
      case 'MAP': {
        this.expect('<');
        const key = this.spec();
        this.expect(',');
        const value = this.spec();
        this.expect('>');
        return { k: 'map', key, value };
      }
      case 'FN': {
        this.expect('(');
        const params: TypeSpec[] = [];
        while (this.src[this.pos] !== ')') {
          params.push(this.spec());
          if (this.src[this.pos] === ',') this.pos++;
        }
        this.expect(')');
        this.expect('=>');
        return { k: 'fn', params, ret: this.spec() };
      }
      case 'DECIMAL':
        return { k: 'decimal' };
      case 'ANY':
        return { k: 'any' };
      case 'STRUCT':
        return { k: 'struct' };
      case 'KEYWORD':
        return { k: 'keyword' };
      default: {
        const prim = PRIMS[word];
        if (prim) return { k: 'prim', type: { kind: prim } as SqlType };
        if (/^[A-Z]$/.test(word)) return { k: 'gen', name: word };
        throw new Error(`bad type spec word '${word}' in '${this.src}'`);
      }
    }
  }

  word(): string {
    const m = /^[A-Z_]+/.exec(this.src.slice(this.pos));
    if (!m) throw new Error(`bad type spec '${this.src}' at ${this.pos}`);
    this.pos += m[0].length;
    return m[0];
  }

  expect(tok: string): void {
    if (!this.src.startsWith(tok, this.pos)) throw new Error(`expected '${tok}' in type spec '${this.src}'`);
    this.pos += tok.length;
  }
}

/** Printable form of a pattern for DESCRIBE FUNCTION (STRING is shown as VARCHAR like ksqlDB). */
export function formatSpec(spec: TypeSpec): string {
  switch (spec.k) {
    case 'prim':
      return spec.type.kind === 'STRING' ? 'VARCHAR' : formatType(spec.type);
    case 'decimal':
      return 'DECIMAL';
    case 'any':
      return 'ANY';
    case 'struct':
      return 'STRUCT';
    case 'keyword':
      return 'INTERVALUNIT';
    case 'gen':
      return spec.name;
    case 'array':
      return `ARRAY<${formatSpec(spec.item)}>`;
    case 'map':
      return `MAP<${formatSpec(spec.key)}, ${formatSpec(spec.value)}>`;
    case 'fn':
      return `LAMBDA(${spec.params.map(formatSpec).join(', ')}) => ${formatSpec(spec.ret)}`;
  }
}

/** Whether the pattern contains a generic or ANY (used to prefer concrete overloads). */
export function isGenericSpec(spec: TypeSpec): boolean {
  switch (spec.k) {
    case 'gen':
    case 'any':
    case 'struct':
      return true;
    case 'array':
      return isGenericSpec(spec.item);
    case 'map':
      return isGenericSpec(spec.key) || isGenericSpec(spec.value);
    default:
      return false;
  }
}
