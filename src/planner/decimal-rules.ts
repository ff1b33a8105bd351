import { T, decimalOf, type SqlType } from '../common/types.js';

/**
 * Result type of DECIMAL arithmetic, following ksqlDB (which follows SQL Server):
 * both operands are seen as DECIMAL (INT as DECIMAL(10,0), BIGINT as DECIMAL(19,0)).
 */
export function decimalArithmeticType(op: '+' | '-' | '*' | '/' | '%', a: SqlType, b: SqlType): SqlType {
  const { precision: p1, scale: s1 } = decimalOf(a)!;
  const { precision: p2, scale: s2 } = decimalOf(b)!;
  let precision: number;
  let scale: number;
  switch (op) {
    case '+':
    case '-':
      scale = Math.max(s1, s2);
      precision = Math.max(p1 - s1, p2 - s2) + scale + 1;
      break;
    case '*':
      precision = p1 + p2 + 1;
      scale = s1 + s2;
      break;
    case '/':
      scale = Math.max(6, s1 + p2 + 1);
      precision = p1 - s1 + s2 + scale;
      break;
    case '%':
      scale = Math.max(s1, s2);
      precision = Math.min(p1 - s1, p2 - s2) + scale;
      break;
  }
  if (precision > 38) {
    scale = Math.max(0, scale - (precision - 38));
    precision = 38;
  }
  return T.decimal(precision, scale);
}
