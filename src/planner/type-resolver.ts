import { PlanError } from '../common/errors.js';
import { T, formatType, type SqlType } from '../common/types.js';
import type { Position } from '../common/position.js';
import type { TypeNode } from '../parser/ast/index.js';
import { assertNever } from '../common/assert.js';

/** Custom types defined with CREATE TYPE, by upper-case name. */
export type TypeRegistry = ReadonlyMap<string, SqlType>;

/** Turns a written type into a SqlType, expanding custom types. */
export function resolveType(node: TypeNode, types: TypeRegistry): SqlType {
  switch (node.kind) {
    case 'Primitive':
      return T[node.name];
    case 'Decimal':
      if (node.precision < 1 || node.precision > 38) {
        throw new PlanError(`DECIMAL precision must be between 1 and 38: ${node.precision}`, node.pos);
      }
      if (node.scale < 0 || node.scale > node.precision) {
        throw new PlanError(`DECIMAL scale must be between 0 and precision ${node.precision}: ${node.scale}`, node.pos);
      }
      return T.decimal(node.precision, node.scale);
    case 'Array':
      return T.array(resolveType(node.item, types));
    case 'Map':
      return T.map(resolveType(node.key, types), resolveType(node.value, types));
    case 'Struct':
      return structOf(
        node.fields.map((f) => ({ name: f.name, type: resolveType(f.type, types) })),
        node.pos,
      );
    case 'Custom': {
      const t = types.get(node.name.toUpperCase());
      if (!t) throw new PlanError(`Unknown type: ${node.name}`, node.pos);
      return t;
    }
    default:
      return assertNever(node, 'type node');
  }
}

/** A STRUCT type; as ksqlDB's SqlStruct builder, two fields may not share a name. */
export function structOf(fields: readonly { readonly name: string; readonly type: SqlType }[], pos: Position): SqlType {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const first = fields.findIndex((x) => x.name === f.name);
    if (first < i) {
      const a = fields[first]!;
      throw new PlanError(`Duplicate field names found in STRUCT: '\`${a.name}\` ${formatType(a.type)}' and '\`${f.name}\` ${formatType(f.type)}'`, pos);
    }
  }
  return T.struct(fields);
}
