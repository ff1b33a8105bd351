import type { Position } from '../../common/position.js';

/** A type as written in SQL; `Custom` names a type made with CREATE TYPE. */
export type TypeNode =
  | {
      readonly kind: 'Primitive';
      readonly name: 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'STRING' | 'BYTES' | 'DATE' | 'TIME' | 'TIMESTAMP';
      readonly pos: Position;
    }
  | { readonly kind: 'Decimal'; readonly precision: number; readonly scale: number; readonly pos: Position }
  | { readonly kind: 'Array'; readonly item: TypeNode; readonly pos: Position }
  | { readonly kind: 'Map'; readonly key: TypeNode; readonly value: TypeNode; readonly pos: Position }
  | {
      readonly kind: 'Struct';
      readonly fields: readonly { readonly name: string; readonly type: TypeNode }[];
      readonly pos: Position;
    }
  | { readonly kind: 'Custom'; readonly name: string; readonly pos: Position };
