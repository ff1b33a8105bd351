import type { Position } from '../../common/position.js';
import type { Expression } from './expression.js';

/** A SELECT query (top level or inside CREATE … AS / INSERT INTO). */
export interface Query {
  readonly kind: 'Query';
  readonly select: readonly SelectItem[];
  readonly from: Relation;
  readonly window?: WindowExpression;
  readonly where?: Expression;
  readonly groupBy?: readonly Expression[];
  readonly partitionBy?: readonly Expression[];
  readonly having?: Expression;
  /** Absent when no EMIT clause was written. */
  readonly emit?: 'CHANGES' | 'FINAL';
  readonly limit?: number;
  readonly pos: Position;
}

export type SelectItem =
  | { readonly kind: 'AllColumns'; readonly source?: string; readonly pos: Position }
  | { readonly kind: 'SingleColumn'; readonly expr: Expression; readonly alias?: string; readonly pos: Position }
  /** `base->*`: every field of the struct `base`, each as its own column (added by the parser). */
  | { readonly kind: 'StructAll'; readonly base: Expression; readonly pos: Position };

export type Relation = AliasedSource | Join;

/** A stream or table in FROM, with an optional alias (`FROM s AS x` / `FROM s x`). */
export interface AliasedSource {
  readonly kind: 'AliasedSource';
  readonly name: string;
  readonly alias?: string;
  readonly pos: Position;
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

export interface Join {
  readonly kind: 'Join';
  readonly joinType: JoinType;
  readonly left: Relation;
  readonly right: AliasedSource;
  readonly within?: JoinWithin;
  readonly on: Expression;
  readonly pos: Position;
}

/** `WITHIN n unit` (before = after) or `WITHIN (b unit, a unit)`, with optional GRACE PERIOD. */
export interface JoinWithin {
  readonly before: Duration;
  readonly after: Duration;
  readonly grace?: Duration;
}

/** A duration such as `5 SECONDS`; `ms` is the length in milliseconds. */
export interface Duration {
  readonly value: number;
  readonly unit: string;
  readonly ms: number;
  readonly pos: Position;
}

export type WindowExpression =
  | {
      readonly kind: 'Tumbling';
      readonly size: Duration;
      readonly retention?: Duration;
      readonly grace?: Duration;
      readonly pos: Position;
    }
  | {
      readonly kind: 'Hopping';
      readonly size: Duration;
      readonly advance: Duration;
      readonly retention?: Duration;
      readonly grace?: Duration;
      readonly pos: Position;
    }
  | {
      readonly kind: 'Session';
      readonly gap: Duration;
      readonly retention?: Duration;
      readonly grace?: Duration;
      readonly pos: Position;
    };
