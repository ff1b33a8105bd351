import { Category, defineScalar } from '../../define/define-scalar.js';
import { unaryDouble } from './unary-double.js';

/** ACOS(x). */
export const acos = unaryDouble('ACOS', 'Returns the inverse (arc) cosine of the value.', Math.acos);
/** ASIN(x). */
export const asin = unaryDouble('ASIN', 'Returns the inverse (arc) sine of the value.', Math.asin);
/** ATAN(x). */
export const atan = unaryDouble('ATAN', 'Returns the inverse (arc) tangent of the value.', Math.atan);
/** COS(x). */
export const cos = unaryDouble('COS', 'Returns the cosine of the value.', Math.cos);
/** COSH(x). */
export const cosh = unaryDouble('COSH', 'Returns the hyperbolic cosine of the value.', Math.cosh);
/** COT(x). */
export const cot = unaryDouble('COT', 'Returns the cotangent of the value.', (x) => 1 / Math.tan(x));
/** SIN(x). */
export const sin = unaryDouble('SIN', 'Returns the sine of the value.', Math.sin);
/** SINH(x). */
export const sinh = unaryDouble('SINH', 'Returns the hyperbolic sine of the value.', Math.sinh);
/** TAN(x). */
export const tan = unaryDouble('TAN', 'Returns the tangent of the value.', Math.tan);
/** TANH(x). */
export const tanh = unaryDouble('TANH', 'Returns the hyperbolic tangent of the value.', Math.tanh);

/** ATAN2(y, x). */
export const atan2 = defineScalar({
  name: 'ATAN2',
  category: Category.MATH,
  description: 'Returns the angle theta from the conversion of rectangular coordinates (x, y) to polar coordinates (r, theta).',
  overloads: [{ params: ['DOUBLE', 'DOUBLE'], returns: 'DOUBLE', fn: Math.atan2 }],
});
