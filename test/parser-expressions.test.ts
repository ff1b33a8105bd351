import { describe, expect, it } from 'vitest';
import { parseExpression } from '../src/parser/index.js';
import { col, expr, int, prim, str } from './parser-helpers.js';

const a = col('A');
const b = col('B');
const c = col('C');

describe('precedence', () => {
  it('OR < AND < NOT < comparison', () => {
    expect(expr('NOT a = 1 AND b OR c')).toEqual({
      kind: 'Logical',
      op: 'OR',
      left: {
        kind: 'Logical',
        op: 'AND',
        left: { kind: 'Not', operand: { kind: 'Comparison', op: '=', left: a, right: int(1) } },
        right: b,
      },
      right: c,
    });
  });

  it('|| binds looser than + and -, which bind looser than * / %', () => {
    expect(expr('a || b + c * 2')).toEqual({
      kind: 'Concat',
      left: a,
      right: { kind: 'Arithmetic', op: '+', left: b, right: { kind: 'Arithmetic', op: '*', left: c, right: int(2) } },
    });
    expect(expr('a % b / c')).toEqual({
      kind: 'Arithmetic',
      op: '/',
      left: { kind: 'Arithmetic', op: '%', left: a, right: b },
      right: c,
    });
  });

  it('is left-associative', () => {
    expect(expr('a - b - c')).toEqual({ kind: 'Arithmetic', op: '-', left: { kind: 'Arithmetic', op: '-', left: a, right: b }, right: c });
    expect(expr('a AND b AND c')).toEqual({ kind: 'Logical', op: 'AND', left: { kind: 'Logical', op: 'AND', left: a, right: b }, right: c });
  });

  it('unary minus binds tighter than *, postfix tighter than unary', () => {
    expect(expr('-a * b')).toEqual({ kind: 'Arithmetic', op: '*', left: { kind: 'Unary', op: '-', operand: a }, right: b });
    expect(expr('-a->f')).toEqual({ kind: 'Unary', op: '-', operand: { kind: 'Dereference', base: a, field: 'F' } });
    expect(expr('+a')).toEqual({ kind: 'Unary', op: '+', operand: a });
  });

  it('folds a minus directly before a number into the literal', () => {
    expect(expr('-5')).toEqual(int(-5));
    expect(expr('a - -5')).toEqual({ kind: 'Arithmetic', op: '-', left: a, right: int(-5) });
    expect(expr('a-5')).toEqual({ kind: 'Arithmetic', op: '-', left: a, right: int(5) });
    expect(expr('-(5)')).toEqual({ kind: 'Unary', op: '-', operand: int(5) });
    expect(expr('-1.50')).toEqual({ kind: 'Literal', literalType: 'DECIMAL', value: '-1.50' });
  });

  it('comparison operands are full value expressions', () => {
    expect(expr('a + 1 >= b || c')).toEqual({
      kind: 'Comparison',
      op: '>=',
      left: { kind: 'Arithmetic', op: '+', left: a, right: int(1) },
      right: { kind: 'Concat', left: b, right: c },
    });
  });

  it('parentheses override precedence', () => {
    expect(expr('(a + b) * c')).toEqual({ kind: 'Arithmetic', op: '*', left: { kind: 'Arithmetic', op: '+', left: a, right: b }, right: c });
  });
});

describe('predicates', () => {
  it.each([
    ['a = b', '='],
    ['a <> b', '<>'],
    ['a != b', '<>'],
    ['a < b', '<'],
    ['a <= b', '<='],
    ['a > b', '>'],
    ['a >= b', '>='],
    ['a IS DISTINCT FROM b', 'IS DISTINCT FROM'],
    ['a IS NOT DISTINCT FROM b', 'IS NOT DISTINCT FROM'],
  ])('%s', (sql, op) => {
    expect(expr(sql)).toEqual({ kind: 'Comparison', op, left: a, right: b });
  });

  it('IS [NOT] NULL', () => {
    expect(expr('a IS NULL')).toEqual({ kind: 'IsNull', operand: a, negated: false });
    expect(expr('a IS NOT NULL')).toEqual({ kind: 'IsNull', operand: a, negated: true });
  });

  it('[NOT] BETWEEN keeps its AND apart from logical AND', () => {
    expect(expr('a NOT BETWEEN 1 AND 2 AND b')).toEqual({
      kind: 'Logical',
      op: 'AND',
      left: { kind: 'Between', operand: a, low: int(1), high: int(2), negated: true },
      right: b,
    });
  });

  it('[NOT] IN', () => {
    expect(expr("a IN (1, 'x')")).toEqual({ kind: 'InList', operand: a, list: [int(1), str('x')], negated: false });
    expect(expr('a NOT IN (b)')).toEqual({ kind: 'InList', operand: a, list: [b], negated: true });
  });

  it('[NOT] LIKE with ESCAPE', () => {
    expect(expr("a LIKE 'x%'")).toEqual({ kind: 'Like', operand: a, pattern: str('x%'), negated: false });
    expect(expr("a NOT LIKE 'x!%' ESCAPE '!'")).toEqual({ kind: 'Like', operand: a, pattern: str('x!%'), escape: '!', negated: true });
  });
});

describe('primaries', () => {
  it('literals', () => {
    expect(expr('2147483647')).toEqual(int(2147483647));
    expect(expr('2147483648')).toEqual({ kind: 'Literal', literalType: 'BIGINT', value: 2147483648, digits: '2147483648' });
    expect(expr('9223372036854775807')).toMatchObject({ literalType: 'BIGINT', digits: '9223372036854775807' });
    expect(expr('-2147483648')).toEqual(int(-2147483648));
    expect(expr('1.5')).toEqual({ kind: 'Literal', literalType: 'DECIMAL', value: '1.5' });
    expect(expr('.5')).toEqual({ kind: 'Literal', literalType: 'DECIMAL', value: '.5' });
    expect(expr('1.5E3')).toEqual({ kind: 'Literal', literalType: 'DOUBLE', value: 1500 });
    expect(expr('2e-1')).toEqual({ kind: 'Literal', literalType: 'DOUBLE', value: 0.2 });
    expect(expr("'it''s'")).toEqual(str("it's"));
    expect(expr('TRUE')).toEqual({ kind: 'Literal', literalType: 'BOOLEAN', value: true });
    expect(expr('false')).toEqual({ kind: 'Literal', literalType: 'BOOLEAN', value: false });
    expect(expr('NULL')).toEqual({ kind: 'Literal', literalType: 'NULL', value: null });
  });

  it('column references', () => {
    expect(expr('s.a')).toEqual(col('A', 'S'));
    expect(expr('`s`.`a`')).toEqual(col('a', 's'));
  });

  it('dereference and subscript chains', () => {
    expect(expr("a->b[1]['k']->c")).toEqual({
      kind: 'Dereference',
      base: {
        kind: 'Subscript',
        base: { kind: 'Subscript', base: { kind: 'Dereference', base: a, field: 'B' }, index: int(1) },
        index: str('k'),
      },
      field: 'C',
    });
  });

  it('CASE', () => {
    expect(expr("CASE WHEN a > 1 THEN 'x' WHEN b THEN 'y' ELSE 'z' END")).toEqual({
      kind: 'SearchedCase',
      whens: [
        { when: { kind: 'Comparison', op: '>', left: a, right: int(1) }, then: str('x') },
        { when: b, then: str('y') },
      ],
      else: str('z'),
    });
    expect(expr('CASE a WHEN 1 THEN b END')).toEqual({ kind: 'SimpleCase', operand: a, whens: [{ when: int(1), then: b }] });
  });

  it('CAST', () => {
    expect(expr('CAST(a AS BIGINT)')).toEqual({ kind: 'Cast', operand: a, type: prim('BIGINT') });
    expect(expr('CAST(a AS ARRAY<DECIMAL(4, 2)>)')).toEqual({
      kind: 'Cast',
      operand: a,
      type: { kind: 'Array', item: { kind: 'Decimal', precision: 4, scale: 2 } },
    });
  });

  it('function calls', () => {
    const call = (name: string, args: unknown[], star = false, distinct = false) => ({ kind: 'FunctionCall', name, args, star, distinct });
    expect(expr('count(*)')).toEqual(call('COUNT', [], true));
    expect(expr('count()')).toEqual(call('COUNT', [], true));
    expect(expr('UNIX_TIMESTAMP()')).toEqual(call('UNIX_TIMESTAMP', []));
    expect(expr('count(DISTINCT a)')).toEqual(call('COUNT', [a], false, true));
    expect(expr('substring(a, 1, 2)')).toEqual(call('SUBSTRING', [a, int(1), int(2)]));
    expect(expr('TIMESTAMPADD(SECONDS, 5, a)')).toEqual(call('TIMESTAMPADD', [col('SECONDS'), int(5), a]));
  });

  it('lambdas as function arguments', () => {
    expect(expr('TRANSFORM(a, x => x + 1)')).toEqual({
      kind: 'FunctionCall',
      name: 'TRANSFORM',
      args: [a, { kind: 'Lambda', params: ['X'], body: { kind: 'Arithmetic', op: '+', left: col('X'), right: int(1) } }],
      star: false,
      distinct: false,
    });
    expect(expr('REDUCE(a, 0, (s, x) => s + x)')).toMatchObject({
      args: [a, int(0), { kind: 'Lambda', params: ['S', 'X'], body: { kind: 'Arithmetic', left: col('S'), right: col('X') } }],
    });
    expect(expr('f((a))')).toMatchObject({ args: [a] });
  });

  it('constructors', () => {
    expect(expr("STRUCT(a := 1, `b` := 'x')")).toEqual({
      kind: 'CreateStruct',
      fields: [
        { name: 'A', value: int(1) },
        { name: 'b', value: str('x') },
      ],
    });
    expect(expr("MAP('k' := a)")).toEqual({ kind: 'CreateMap', entries: [{ key: str('k'), value: a }] });
    expect(expr('ARRAY[1, a]')).toEqual({ kind: 'CreateArray', items: [int(1), a] });
    expect(expr('ARRAY[]')).toEqual({ kind: 'CreateArray', items: [] });
  });

  it('positions point at the start of each node', () => {
    const e = parseExpression('a +\n  b * c');
    expect(e.pos).toEqual({ line: 1, column: 1, offset: 0 });
    if (e.kind !== 'Arithmetic') throw new Error('kind');
    expect(e.right.pos).toEqual({ line: 2, column: 3, offset: 6 });
  });
});
