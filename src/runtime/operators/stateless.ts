import type { Evaluator } from '../expr/compile.js';
import { keyString } from '../state/key-codec.js';
import type { Operator, OperatorContext, Rec } from './record.js';

/** Reports an expression failure for `rec` to the processing log. */
function report(ctx: OperatorContext, rec: Rec, what: string, e: unknown): void {
  ctx.log.error({ queryId: ctx.queryId, message: `Error computing ${what}: ${(e as Error).message}`, partition: rec.partition, offset: rec.offset });
}

/** The keys of one window (or of an unwindowed table) a table filter passes. */
interface PassingKeys {
  readonly prim: Set<string | number>;
  readonly other: Set<string>;
}

/**
 * WHERE / HAVING. On a stream a failing row is dropped. On a table the filter
 * remembers which keys currently pass: a key that stops passing (or is deleted)
 * becomes a tombstone; a key that never passed emits nothing (ksqlDB's
 * materialised table filter).
 */
export class FilterOperator implements Operator {
  private readonly vars: unknown[] = [];
  /**
   * Table filters: the keys passing now, by window start (null: unwindowed). A
   * single string or number key is kept as itself (already hashed by the
   * aggregation before, and no string to build for every failing row); other keys
   * as their keyString, in a Set of their own so the two kinds never collide.
   */
  private readonly passing = new Map<number | null, PassingKeys>();
  constructor(
    private readonly predicate: Evaluator,
    private readonly isTable: boolean,
    private readonly next: Operator,
    private readonly ctx: OperatorContext,
  ) {}

  process(rec: Rec): void {
    if (!this.isTable) {
      if (rec.row !== null && this.test(rec.row, rec)) this.next.process(rec);
      return;
    }
    if (rec.old !== undefined && rec.old !== null && !this.test(rec.old, undefined)) rec.old = null;
    const start = rec.window === null ? null : rec.window.start;
    const key = rec.key;
    const k0 = key !== null && key.length === 1 ? key[0] : undefined;
    const prim = typeof k0 === 'string' || typeof k0 === 'number' ? k0 : undefined;
    if (rec.row !== null && this.test(rec.row, rec)) {
      let keys = this.passing.get(start);
      if (keys === undefined) this.passing.set(start, (keys = { prim: new Set(), other: new Set() }));
      if (prim !== undefined) keys.prim.add(prim);
      else keys.other.add(keyString(key));
      this.next.process(rec);
      return;
    }
    const keys = this.passing.get(start);
    if (keys === undefined) return;
    if (!(prim !== undefined ? keys.prim.delete(prim) : keys.other.size > 0 && keys.other.delete(keyString(key)))) return;
    rec.row = null;
    this.next.process(rec);
  }

  private test(row: unknown[], rec: Rec | undefined): boolean {
    try {
      return this.predicate(row, this.vars) === true;
    } catch (e) {
      if (rec) report(this.ctx, rec, 'predicate', e);
      return false;
    }
  }
}

/**
 * Table functions (EXPLODE …): one output row per position, the functions'
 * results zipped and padded with nulls to the longest. Each output row is the
 * input row plus one column per function.
 */
export class FlatMapOperator implements Operator {
  private readonly vars: unknown[] = [];
  constructor(
    private readonly fns: readonly { readonly invoke: (args: unknown[]) => unknown[]; readonly args: readonly Evaluator[] }[],
    private readonly next: Operator,
    private readonly ctx: OperatorContext,
  ) {}

  process(rec: Rec): void {
    const row = rec.row;
    if (row === null) return;
    const results: unknown[][] = [];
    let max = 0;
    for (const f of this.fns) {
      let out: unknown[];
      try {
        const args = f.args.map((a) => a(row, this.vars));
        out = f.invoke(args) ?? [];
      } catch (e) {
        // ksqlDB drops the whole record when a table function or its arguments fail.
        report(this.ctx, rec, 'table function', e);
        return;
      }
      results.push(out);
      if (out.length > max) max = out.length;
    }
    for (let i = 0; i < max; i++) {
      const r = row.slice();
      for (const out of results) r.push(i < out.length ? (out[i] ?? null) : null);
      this.next.process({ key: rec.key, row: r, ts: rec.ts, window: rec.window, partition: rec.partition, offset: rec.offset, headers: rec.headers });
    }
  }
}

/** What PARTITION BY computes: the new key, and which input columns the row keeps. */
export interface SelectKeySpec {
  readonly keyExprs: readonly Evaluator[];
  /** Input column of each value column after the new key columns. */
  readonly rowMap: readonly number[];
  /** Columns of the input row. */
  readonly inputWidth: number;
  /** Per key expression: whether it reads only the input key columns. */
  readonly fromKey: readonly boolean[];
}

/**
 * PARTITION BY: computes the new key from the row and lays the row out as
 * [new key columns, the input columns listed in `rowMap`]. A null row (a stream
 * record without value) gets a key of nulls.
 */
export class SelectKeyOperator implements Operator {
  private readonly vars: unknown[] = [];
  private readonly keyExprs: readonly Evaluator[];
  private readonly rowMap: readonly number[];
  private readonly inputWidth: number;
  private readonly fromKey: readonly boolean[];
  constructor(
    spec: SelectKeySpec,
    private readonly next: Operator,
    private readonly ctx: OperatorContext,
  ) {
    this.keyExprs = spec.keyExprs;
    this.rowMap = spec.rowMap;
    this.inputWidth = spec.inputWidth;
    this.fromKey = spec.fromKey;
  }

  process(rec: Rec): void {
    const n = this.keyExprs.length;
    const key = new Array<unknown>(n);
    // A record without value keeps only key-derived key columns; others are null.
    const row = rec.row ?? this.keyOnlyRow(rec.key);
    for (let i = 0; i < n; i++) {
      if (rec.row === null && !this.fromKey[i]) {
        key[i] = null;
        continue;
      }
      try {
        key[i] = this.keyExprs[i]!(row, this.vars);
      } catch (e) {
        report(this.ctx, rec, 'PARTITION BY expression', e);
        key[i] = null;
      }
    }
    rec.key = key;
    if (rec.row !== null) {
      const out = new Array<unknown>(n + this.rowMap.length);
      for (let i = 0; i < n; i++) out[i] = key[i];
      for (let i = 0; i < this.rowMap.length; i++) out[n + i] = row[this.rowMap[i]!];
      rec.row = out;
    }
    this.next.process(rec);
  }

  private keyOnlyRow(key: unknown[] | null): unknown[] {
    const row = new Array<unknown>(this.inputWidth).fill(null);
    if (key) for (let i = 0; i < key.length; i++) row[i] = key[i];
    return row;
  }
}

/**
 * The SELECT list: emits `key` = key expressions (or the input key when there are
 * none and `keepKey`), `row` = value expressions. A failing expression yields null
 * for that column and a processing-log entry. Tombstones keep their key.
 */
export class ProjectOperator implements Operator {
  private readonly vars: unknown[] = [];
  constructor(
    private readonly keyExprs: readonly Evaluator[],
    private readonly valueExprs: readonly Evaluator[],
    private readonly next: Operator,
    private readonly ctx: OperatorContext,
  ) {}

  process(rec: Rec): void {
    const row = rec.row;
    // Without key expressions (transient queries, keyless sinks) the input key passes through.
    if (row === null) {
      this.next.process({ key: rec.key, row: null, ts: rec.ts, window: rec.window, partition: rec.partition, offset: rec.offset, headers: rec.headers });
      return;
    }
    const key = this.keyExprs.length === 0 || rec.key === null ? rec.key : this.evalAll(this.keyExprs, row, rec);
    const value = this.evalAll(this.valueExprs, row, rec);
    this.next.process({ key, row: value, ts: rec.ts, window: rec.window, partition: rec.partition, offset: rec.offset, headers: rec.headers });
  }

  private evalAll(exprs: readonly Evaluator[], row: unknown[], rec: Rec): unknown[] {
    const out = new Array<unknown>(exprs.length);
    for (let i = 0; i < exprs.length; i++) {
      try {
        out[i] = exprs[i]!(row, this.vars);
      } catch (e) {
        report(this.ctx, rec, 'select expression', e);
        out[i] = null;
      }
    }
    return out;
  }
}
