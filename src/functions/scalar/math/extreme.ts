import { Decimal } from '../../../common/decimal.js';
import { widerNumeric, type SqlType } from '../../../common/types.js';
import type { ResolveContext } from '../../define/overload-resolution.js';
import type { ScalarOverload } from '../../define/define-scalar.js';
import { compareValues } from '../../support/sql-values.js';

/** The widest DECIMAL among the arguments (ksqlDB's decimal schema provider). */
function widestDecimal(ctx: ResolveContext): SqlType | string {
  let t: SqlType | undefined;
  ctx.args.forEach((a, i) => {
    const ty = ctx.types[i];
    if (a.kind !== 'value' || a.isNullLiteral || !ty || ty.kind !== 'DECIMAL') return;
    t = t ? widerNumeric(t, ty) : ty;
  });
  return t ?? 'Function cannot be resolved due to ambiguous method parameters (null).';
}

/**
 * GREATEST / LEAST overloads: the extreme non-null value of INT, BIGINT, DOUBLE,
 * DECIMAL, STRING or temporal arguments (sign 1 = greatest), null when all are null.
 */
export function extremeOverloads(sign: 1 | -1): ScalarOverload[] {
  const pick = (...xs: unknown[]): unknown => {
    let best: unknown = null;
    for (const x of xs) {
      if (x === null || x === undefined) continue;
      if (best === null || compareValues(x, best) * sign > 0) best = x;
    }
    return best;
  };
  const simple = ['INT', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP'].map(
    (t): ScalarOverload => ({ params: [t, `${t}...`], returns: t, nullTolerant: true, fn: pick }),
  );
  const decimals: ScalarOverload = {
    params: ['DECIMAL', 'DECIMAL...'],
    returns: widestDecimal,
    nullTolerant: true,
    make: (ctx) => {
      const t = widestDecimal(ctx);
      const scale = typeof t === 'string' || t.kind !== 'DECIMAL' ? undefined : t.scale;
      // The result carries the widened type's scale.
      return (...xs: unknown[]) => {
        const best = pick(...xs);
        return best instanceof Decimal && scale !== undefined ? best.setScale(scale) : best;
      };
    },
  };
  return [...simple, decimals];
}
