import { describe, expect, it } from 'vitest';
import { NULL_ARG, T, arg, call, callError, resolveError, resolveScalar } from './helpers/function-harness.js';

const S = arg(T.STRING);
const I = arg(T.INTEGER);
const B = arg(T.BYTES);

describe('case and trim', () => {
  it('UCASE / LCASE, case-insensitive names', () => {
    expect(call('ucase', [S], ['abc'])).toBe('ABC');
    expect(call('LCase', [S], ['AbC'])).toBe('abc');
    expect(call('UCASE', [S], [null])).toBeNull();
  });
  it("rejects wrong types with ksqlDB's message", () => {
    expect(resolveError('UCASE', [I])).toMatch(/^Function 'UCASE' does not accept parameters \(INTEGER\)\./);
  });
  it('TRIM family uses Java whitespace rules', () => {
    expect(call('TRIM', [S], ['  a b \t'])).toBe('a b');
    expect(call('LTRIM', [S], ['  a '])).toBe('a ');
    expect(call('RTRIM', [S], ['  a '])).toBe('  a');
    expect(call('TRIM', [S], ['\u00a0a'])).toBe('\u00a0a');
  });
});

describe('LEN and SUBSTRING', () => {
  it('LEN counts UTF-16 units and bytes', () => {
    expect(call('LEN', [S], ['héllo'])).toBe(5);
    expect(call('LEN', [B], [Buffer.from([1, 2, 3])])).toBe(3);
  });
  it('SUBSTRING is 1-based with negative positions from the end', () => {
    expect(call('SUBSTRING', [S, I], ['hello world', 7])).toBe('world');
    expect(call('SUBSTRING', [S, I, I], ['hello world', 1, 5])).toBe('hello');
    expect(call('SUBSTRING', [S, I], ['hello', -3])).toBe('llo');
    expect(call('SUBSTRING', [S, I, I], ['hello', -3, 2])).toBe('ll');
    expect(call('SUBSTRING', [S, I], ['hello', 0])).toBe('hello');
    expect(call('SUBSTRING', [S, I], ['hello', 10])).toBe('');
    expect(call('SUBSTRING', [S, I], ['hello', -10])).toBe('hello');
    expect(call('SUBSTRING', [S, I, I], ['hello', 2, -1])).toBe('');
    expect(call('SUBSTRING', [B, I, I], [Buffer.from('abcd'), 2, 2])).toEqual(Buffer.from('bc'));
  });
  it('takes INT positions only, not BIGINT', () => {
    expect(resolveError('SUBSTRING', [S, arg(T.BIGINT)])).toBe(
      [
        "Function 'SUBSTRING' does not accept parameters (STRING, BIGINT).",
        'Valid alternatives are:',
        'SUBSTRING(VARCHAR, INTEGER) => VARCHAR',
        'SUBSTRING(VARCHAR, INTEGER, INTEGER) => VARCHAR',
        'SUBSTRING(BYTES, INTEGER) => BYTES',
        'SUBSTRING(BYTES, INTEGER, INTEGER) => BYTES',
      ].join('\n'),
    );
  });
});

describe('CONCAT family', () => {
  it('CONCAT skips nulls', () => {
    const r = resolveScalar('CONCAT', [S, S, S]);
    expect(r.nullTolerant).toBe(true);
    expect(r.invoke(['a', null, 'c'])).toBe('ac');
    expect(call('CONCAT', [B, B], [Buffer.from('a'), Buffer.from('b')])).toEqual(Buffer.from('ab'));
  });
  it('CONCAT_WS skips null values, null separator gives null', () => {
    expect(call('CONCAT_WS', [S, S, S, S], ['-', 'a', null, 'b'])).toBe('a-b');
    expect(call('CONCAT_WS', [S, S], [null, 'a'])).toBeNull();
  });
});

describe('search and replace', () => {
  it('REPLACE is literal', () => {
    expect(call('REPLACE', [S, S, S], ['a.b.c', '.', '-'])).toBe('a-b-c');
  });
  it('INSTR finds occurrences forwards and backwards', () => {
    expect(call('INSTR', [S, S], ['CORPORATE FLOOR', 'OR'])).toBe(2);
    expect(call('INSTR', [S, S, I], ['CORPORATE FLOOR', 'OR', 3])).toBe(5);
    expect(call('INSTR', [S, S, I, I], ['CORPORATE FLOOR', 'OR', 3, 2])).toBe(14);
    expect(call('INSTR', [S, S, I], ['CORPORATE FLOOR', 'OR', -3])).toBe(5);
    expect(call('INSTR', [S, S, I, I], ['CORPORATE FLOOR', 'OR', -3, 2])).toBe(2);
    // Backwards searches report where the match starts, whatever its length (ksqlDB Instr.find).
    expect(call('INSTR', [S, S, I, I], ['abcabc', 'c', -1, 2])).toBe(3);
    expect(call('INSTR', [S, S, I], ['abcabc', 'abc', -1])).toBe(4);
    expect(call('INSTR', [S, S, I, I], ['xyzxyzxyz', 'xyz', -1, 2])).toBe(4);
    expect(call('INSTR', [S, S], [null, 'x'])).toBe(0);
  });
  it('SPLIT keeps empty parts and splits characters on empty delimiter', () => {
    expect(call('SPLIT', [S, S], ['a,,b,', ','])).toEqual(['a', '', 'b', '']);
    expect(call('SPLIT', [S, S], ['abc', ''])).toEqual(['a', 'b', 'c']);
    expect(call('SPLIT', [B, B], [Buffer.from('a|b'), Buffer.from('|')])).toEqual([Buffer.from('a'), Buffer.from('b')]);
  });
  it('SPLIT_TO_MAP', () => {
    expect(call('SPLIT_TO_MAP', [S, S, S], ['a=1;b=2;;c;a=3', ';', '='])).toEqual(
      new Map([
        ['a', '3'],
        ['b', '2'],
      ]),
    );
    expect(call('SPLIT_TO_MAP', [S, S, S], ['a=1', '=', '='])).toBeNull();
  });
});

describe('padding, masking and friends', () => {
  it('LPAD / RPAD truncate and reject empty padding', () => {
    expect(call('LPAD', [S, I, S], ['ab', 5, 'xy'])).toBe('xyxab');
    expect(call('RPAD', [S, I, S], ['ab', 5, 'xy'])).toBe('abxyx');
    expect(call('LPAD', [S, I, S], ['abcdef', 3, 'x'])).toBe('abc');
    expect(call('RPAD', [S, I, S], ['ab', 3, ''])).toBeNull();
    expect(call('LPAD', [S, I, S], ['ab', -1, 'x'])).toBeNull();
    expect(call('LPAD', [B, I, B], [Buffer.from([1]), 3, Buffer.from([9])])).toEqual(Buffer.from([9, 9, 1]));
  });
  // ksqlDB LPad/RPad have no upper bound; Sluice refuses to build more than 2^20 units.
  it.each([
    ['LPAD', S, 'ab', 1048576, 'x', 1048576],
    ['RPAD', B, Buffer.from('ab'), 1048576, Buffer.from('x'), 1048576],
    ['LPAD', S, 'x'.repeat(10), 5, '', null],
    ['RPAD', S, 'x'.repeat(1048578), 1048577, 'y', 1048577],
  ] as const)('%s(%s) to %#: length %d', (name, type, input, len, pad, expected) => {
    const out = call(name, [type, I, type], [input, len, pad]) as string | Buffer | null;
    expect(out === null ? null : out.length).toBe(expected);
  });
  it.each([
    ['LPAD', S, 'ab', 2147483647, 'x'],
    ['RPAD', B, Buffer.from('ab'), 1048577, Buffer.from('x')],
  ] as const)('%s(%s) over 2^20 fails with a clear message', (name, type, input, len, pad) => {
    expect(callError(() => call(name, [type, I, type], [input, len, pad]))).toEqual({
      code: 50000,
      message: `${name} target length (${len}) exceeds the maximum of 1048576.`,
    });
  });
  it('INITCAP capitalises words', () => {
    expect(call('INITCAP', [S], ['the  QUICK brown'])).toBe('The  Quick Brown');
    // Words follow Java's ASCII \s: leading whitespace is dropped, a no-break space joins words.
    expect(call('INITCAP', [S], ['  hello\tWORLD'])).toBe('Hello\tWorld');
    expect(call('INITCAP', [S], ['ab\u00a0cd ef'])).toBe('Ab\u00a0cd Ef');
  });
  it('CHR, ELT, FIELD', () => {
    expect(call('CHR', [I], [75])).toBe('K');
    expect(call('CHR', [S], ['\\u004b'])).toBe('K');
    expect(call('CHR', [S], ['004b'])).toBeNull();
    expect(call('ELT', [I, S, S], [2, 'a', 'b'])).toBe('b');
    expect(call('ELT', [I, S, S], [3, 'a', 'b'])).toBeNull();
    expect(call('FIELD', [S, S, S], ['b', 'a', 'b'])).toBe(2);
    expect(call('FIELD', [S, S], [null, 'a'])).toBe(0);
  });
  it('MASK family', () => {
    expect(call('MASK', [S], ['AbC-12'])).toBe('XxX-nn');
    expect(call('MASK', [S, S, S, S, S], ['AbC-12', '*', null, '#', null])).toBe('*b*-##');
    expect(call('MASK_KEEP_LEFT', [S, I], ['AbC-12', 2])).toBe('AbX-nn');
    expect(call('MASK_KEEP_RIGHT', [S, I], ['AbC-12', 2])).toBe('XxX-12');
    expect(call('MASK_LEFT', [S, I], ['AbC-12', 2])).toBe('XxC-12');
    expect(call('MASK_RIGHT', [S, I], ['AbC-12', 2])).toBe('AbC-nn');
  });
  it('UUID and MD5', () => {
    expect(call('UUID', [], [])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(call('MD5', [S], ['hello'])).toBe('5d41402abc4b2a76b9719d911017c592');
  });
});

describe('encodings', () => {
  it('ENCODE between hex, utf8, ascii and base64', () => {
    expect(call('ENCODE', [S, S, S], ['48656c6c6f', 'hex', 'utf8'])).toBe('Hello');
    expect(call('ENCODE', [S, S, S], ['0x48656c6c6f', 'hex', 'base64'])).toBe('SGVsbG8=');
    expect(call('ENCODE', [S, S, S], ["X'c39c'", 'hex', 'ascii'])).toBe('\ufffd\ufffd');
    expect(call('ENCODE', [S, S, S], ['Hi', 'utf8', 'hex'])).toBe('4869');
  });
  it('TO_BYTES / FROM_BYTES', () => {
    expect(call('TO_BYTES', [S, S], ['AQI=', 'base64'])).toEqual(Buffer.from([1, 2]));
    expect(call('FROM_BYTES', [B, S], [Buffer.from([1, 255]), 'hex'])).toBe('01ff');
    expect(call('INT_FROM_BYTES', [B], [Buffer.from([0, 0, 7, 229])])).toBe(2021);
    expect(call('BIGINT_FROM_BYTES', [B, S], [Buffer.from([0, 242, 5, 42, 1, 0, 0, 0]), 'LITTLE_ENDIAN'])).toBe(5000000000);
  });
  it('INT_FROM_BOOLEAN: 1, 0 or null', () => {
    const BO = arg(T.BOOLEAN);
    expect(resolveScalar('INT_FROM_BOOLEAN', [BO]).returnType).toEqual(T.INTEGER);
    expect(call('INT_FROM_BOOLEAN', [BO], [true])).toBe(1);
    expect(call('INT_FROM_BOOLEAN', [BO], [false])).toBe(0);
    expect(call('INT_FROM_BOOLEAN', [BO], [null])).toBeNull();
    expect(resolveError('INT_FROM_BOOLEAN', [I])).toMatch(/does not accept parameters \(INTEGER\)/);
  });
});

describe('regular expressions', () => {
  it('REGEXP_EXTRACT takes the pattern first', () => {
    expect(call('REGEXP_EXTRACT', [S, S], ['b.', 'abcd'])).toBe('bc');
    expect(call('REGEXP_EXTRACT', [S, S, I], ['(\\w+) (\\w+)', 'jane doe', 2])).toBe('doe');
    expect(call('REGEXP_EXTRACT', [S, S], ['z', 'abc'])).toBeNull();
  });
  it('REGEXP_EXTRACT_ALL', () => {
    expect(call('REGEXP_EXTRACT_ALL', [S, S], ['\\d', 'a1b2'])).toEqual(['1', '2']);
    expect(call('REGEXP_EXTRACT_ALL', [S, S], ['\\d', 'ab'])).toEqual([]);
  });
  it('REGEXP_REPLACE with Java group references', () => {
    expect(call('REGEXP_REPLACE', [S, S, S], ['a-b-c', '(\\w)-', '$1+'])).toBe('a+b+c');
  });
  it('REGEXP_SPLIT_TO_ARRAY keeps empties and ignores groups', () => {
    expect(call('REGEXP_SPLIT_TO_ARRAY', [S, S], ['a1b22c', '(\\d)+'])).toEqual(['a', 'b', 'c']);
    expect(call('REGEXP_SPLIT_TO_ARRAY', [S, S], [',a,', ','])).toEqual(['', 'a', '']);
  });
  it('null literal arguments resolve', () => {
    expect(call('REGEXP_EXTRACT', [NULL_ARG, S], [null, 'x'])).toBeNull();
  });
});

describe('Java regular expression syntax', () => {
  const X = (re: string, s: string) => call('REGEXP_EXTRACT', [S, S], [re, s]);
  it('POSIX and java.lang.Character properties', () => {
    expect(X('\\p{Alpha}+', '12ab3')).toBe('ab');
    expect(X('\\p{Upper}\\p{Lower}+', 'xHello')).toBe('Hello');
    expect(X('\\p{Punct}+', 'ab!?c')).toBe('!?');
    expect(X('[\\P{Alpha}]+', 'ab12c')).toBe('12');
    expect(X('\\p{javaLowerCase}+', 'ABcd')).toBe('cd');
  });
  it('Unicode categories, scripts and blocks', () => {
    expect(X('\\p{L}+', '12héllo')).toBe('héllo');
    expect(X('\\p{IsAlphabetic}+', '12héllo')).toBe('héllo');
    expect(X('\\p{IsGreek}+', 'abαβγ')).toBe('αβγ');
    expect(X('\\p{InGreek}+', 'abαβγ')).toBe('αβγ');
    expect(X('\\p{Lu}\\-\\d', 'xA-1')).toBe('A-1');
    expect(() => X('\\p{NoSuchThing}', 'a')).toThrow(/Unknown character property name/);
  });
  it('nested classes, intersections and Java-only escapes', () => {
    expect(X('[a-c[x-z]]+', '1abxz2')).toBe('abxz');
    expect(X('[a-z&&[^aeiou]]+', 'aebcd')).toBe('bcd');
    expect(X('\\Q.*\\E', 'a.*b')).toBe('.*');
    expect(X('a\\hb', 'a b')).toBe('a b');
    expect(X('\\0101\\x{42}', 'xAB')).toBe('AB');
    expect(X('\\x{1F600}', 'x😀')).toBe('😀');
    // \s is ASCII-only in Java: no-break space is not whitespace.
    expect(X('a\\sb', 'a\u00a0b')).toBeNull();
  });
  it('anchors: $ and \\Z also match before a final line terminator, \\z only at the end', () => {
    expect(X('ab$', 'ab\n')).toBe('ab');
    expect(X('ab\\Z', 'ab\n')).toBe('ab');
    expect(X('ab\\z', 'ab\n')).toBeNull();
    expect(X('b$', 'ab\nc')).toBeNull();
    expect(call('REGEXP_EXTRACT_ALL', [S, S], ['(?m)^\\w', 'ab\ncd'])).toEqual(['a', 'c']);
  });
  it('comments mode, atomic groups and possessive quantifiers', () => {
    expect(X('(?x) a b # comment', 'ab')).toBe('ab');
    expect(X('(?>a+)b', 'aaab')).toBe('aaab');
    expect(X('a++b', 'aaab')).toBe('aaab');
    expect(X('a}', 'a}')).toBe('a}');
    expect(() => X('a{', 'a{')).toThrow(/Illegal repetition/);
  });
  it('inline flags anywhere, scoped by groups; case folding is ASCII-only like Java', () => {
    expect(X('^(?i)hello', 'HeLLo world')).toBe('HeLLo');
    expect(X('a(?i:b)c', 'aBc')).toBe('aBc');
    expect(X('a(?i:b)c', 'aBC')).toBeNull();
    expect(X('(?i)a(?-i)b', 'AB')).toBeNull();
    expect(X('(?i)[a-c]+', 'xAbCd')).toBe('AbC');
    expect(X('(?i)é', 'É')).toBeNull();
    expect(X('a(?s).b', 'a\nb')).toBe('a\nb');
    expect(call('REGEXP_EXTRACT_ALL', [S, S], ['(?m)\\w$', 'ab\ncd'])).toEqual(['b', 'd']);
  });
  it('REGEXP_REPLACE follows Matcher.appendReplacement', () => {
    const R = (s: string, re: string, rep: string) => call('REGEXP_REPLACE', [S, S, S], [s, re, rep]);
    expect(R('abc', 'b', '[$0]')).toBe('a[b]c');
    expect(R('ab', '(a)(b)', '$12')).toBe('a2');
    expect(R('ab', '(x)?a', '[$1]')).toBe('[]b');
    expect(R('john smith', '(?<first>\\w+) (?<last>\\w+)', '${last}, ${first}')).toBe('smith, john');
    expect(R('abc', 'b', '\\$')).toBe('a$c');
    expect(() => R('abc', 'b', '$2')).toThrow(/No group 2/);
    expect(() => R('ab', '(a)', '${x}')).toThrow(/No group with name \{x\}/);
  });
});

// Edge cases checked against ksqlDB's UDF source (Substring, Replace, Chr).
describe('string edge cases as ksqlDB computes them', () => {
  it.each([
    ['SUBSTRING', [S, I, I], ['abc', 2, 2147483647], ''], // start + length wraps in Java int arithmetic
    ['SUBSTRING', [S, I, I], ['abc', 1, 2147483646], 'abc'],
    ['SUBSTRING', [S, I, I], ['abc', -2147483648, 2], 'ab'],
    ['SUBSTRING', [S, I], ['', 1], ''],
    ['SUBSTRING', [S, I], ['a😀b', 2], '😀b'],
    ['SUBSTRING', [B, I, I], [Buffer.from('abc'), 3, 2147483647], Buffer.alloc(0)],
    ['REPLACE', [S, S, S], ['abc', '', 'x'], 'xaxbxcx'], // String.replace("", …) inserts everywhere
    ['REPLACE', [S, S, S], ['', '', 'x'], 'x'],
    ['REPLACE', [S, S, S], ['', 'a', 'x'], ''],
    ['REPLACE', [S, S, S], ['aaa', 'aa', 'b'], 'ba'],
    ['REPLACE', [S, S, S], ['abc', 'b', null], null],
    ['CHR', [S], ['\\u004b\\u0053\\n\\101\\q'], 'KS\nAq'], // commons-lang unescapeJava
    ['CHR', [S], ['\\uu004b'], 'K'],
    ['CHR', [S], ['\\u12'], null],
    ['CHR', [I], [0x10ffff], '\u{10ffff}'],
    ['CHR', [I], [0x110000], null],
    ['CHR', [I], [-1], null],
  ] as const)('%s(%j)', (name, types, values, expected) => {
    expect(call(name, types, [...values])).toEqual(expected);
  });
  it('REPLACE refuses to build more than 2^20 units', () => {
    expect(callError(() => call('REPLACE', [S, S, S], ['a'.repeat(1024), '', 'x'.repeat(1024)]))).toEqual({
      code: 50000,
      message: 'REPLACE result length (1050624) exceeds the maximum of 1048576.',
    });
    expect(call('REPLACE', [S, S, S], ['a'.repeat(1023), '', 'x'.repeat(1023)])).toHaveLength(1023 + 1024 * 1023);
    expect(call('REPLACE', [S, S, S], ['a'.repeat(2_000_000), 'a', 'b'])).toHaveLength(2_000_000);
  });
  it.each([
    ['\\uzzzzzz', 'Unable to parse unicode value: zzzz'],
    ['\\u0041\\u12', "Less than 4 hex digits in unicode value: '\\u12' due to end of CharSequence"],
  ])('CHR(%s) fails as unescapeJava does', (input, message) => {
    expect(callError(() => call('CHR', [S], [input]))).toEqual({ code: 50000, message });
  });
});

// ksqlDB Masker: walks UTF-16 code units (codePointAt(i) for i++), mask characters are one code unit.
describe('MASK over surrogate pairs', () => {
  it.each([
    [['a😀B'], 'x--X'],
    [['a😀B', null, null, null, null], 'a😀\ude00B'],
    [['Ab1 ä', '*', null, '#', '.'], '*b#.ä'],
  ] as const)('MASK(%j) is %j', (values, expected) => {
    expect(
      call(
        'MASK',
        values.map(() => S),
        [...values],
      ),
    ).toBe(expected);
  });
  it('refuses a mask of two code units', () => {
    expect(() => call('MASK', [S, S, S, S, S], ['a', '😀', null, null, null])).toThrow("Invalid mask character. Must be only single character, but was '😀'");
  });
});
