import type { ScalarFunction } from '../../define/function-types.js';
import { Category, defineScalar } from '../../define/define-scalar.js';

/** A DOUBLE → DOUBLE math function (integers widen to DOUBLE). */
export function unaryDouble(name: string, description: string, fn: (x: number) => number): ScalarFunction {
  return defineScalar({ name, category: Category.MATH, description, overloads: [{ params: ['DOUBLE'], returns: 'DOUBLE', fn }] });
}
