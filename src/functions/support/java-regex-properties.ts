/**
 * Java regex character properties (`\p{Alpha}`, `\p{javaLowerCase}`, `\p{IsLatin}`,
 * `\p{InGreek}`, `\p{Lu}`…) as JS character-class bodies.
 */

/** A property as JS class content; `unicode` when it needs the `u` flag (`\p{…}`). */
export interface ClassBody {
  readonly body: string;
  readonly unicode: boolean;
}

const ascii = (body: string): ClassBody => ({ body, unicode: false });
const uni = (body: string): ClassBody => ({ body, unicode: true });

/** POSIX classes: US-ASCII only, as in Java without UNICODE_CHARACTER_CLASS. */
const POSIX: Readonly<Record<string, ClassBody>> = {
  Lower: ascii('a-z'),
  Upper: ascii('A-Z'),
  ASCII: ascii('\\x00-\\x7F'),
  Alpha: ascii('a-zA-Z'),
  Digit: ascii('0-9'),
  Alnum: ascii('a-zA-Z0-9'),
  Punct: ascii('!-\\/:-@\\[-`{-~'),
  Graph: ascii('!-~'),
  Print: ascii('\\x20-\\x7E'),
  Blank: ascii(' \\t'),
  Cntrl: ascii('\\x00-\\x1F\\x7F'),
  XDigit: ascii('0-9a-fA-F'),
  Space: ascii(' \\t\\n\\x0B\\f\\r'),
};

/** java.lang.Character predicates. */
const JAVA: Readonly<Record<string, ClassBody>> = {
  javaLowerCase: uni('\\p{Lowercase}'),
  javaUpperCase: uni('\\p{Uppercase}'),
  javaWhitespace: ascii('\\t\\n\\x0B\\f\\r\\x1C-\\x20\\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000'),
  javaSpaceChar: uni('\\p{Zs}\\p{Zl}\\p{Zp}'),
  javaDigit: uni('\\p{Nd}'),
  javaLetter: uni('\\p{L}'),
  javaLetterOrDigit: uni('\\p{L}\\p{Nd}'),
  javaAlphabetic: uni('\\p{Alphabetic}'),
  javaIdeographic: uni('\\p{Ideographic}'),
  javaTitleCase: uni('\\p{Lt}'),
  javaISOControl: ascii('\\x00-\\x1F\\x7F-\\x9F'),
};

/** Unicode binary properties Java accepts as `\p{IsX}`. */
const BINARY: Readonly<Record<string, string>> = {
  ALPHABETIC: 'Alphabetic',
  LETTER: 'L',
  IDEOGRAPHIC: 'Ideographic',
  LOWERCASE: 'Lowercase',
  UPPERCASE: 'Uppercase',
  TITLECASE: 'Lt',
  PUNCTUATION: 'P',
  CONTROL: 'Cc',
  WHITE_SPACE: 'White_Space',
  WHITESPACE: 'White_Space',
  DIGIT: 'Nd',
  HEX_DIGIT: 'Hex_Digit',
  HEXDIGIT: 'Hex_Digit',
  NONCHARACTER_CODE_POINT: 'Noncharacter_Code_Point',
  ASSIGNED: 'Assigned',
  EMOJI: 'Emoji',
  JOIN_CONTROL: 'Join_Control',
};

/** Common Unicode blocks (`\p{InGreek}`); JS has no block properties. */
const BLOCKS: Readonly<Record<string, string>> = {
  BASICLATIN: '\\x00-\\x7F',
  LATIN1SUPPLEMENT: '\\x80-\\xFF',
  LATINEXTENDEDA: '\\u0100-\\u017F',
  LATINEXTENDEDB: '\\u0180-\\u024F',
  GREEK: '\\u0370-\\u03FF',
  GREEKANDCOPTIC: '\\u0370-\\u03FF',
  CYRILLIC: '\\u0400-\\u04FF',
  HEBREW: '\\u0590-\\u05FF',
  ARABIC: '\\u0600-\\u06FF',
  DEVANAGARI: '\\u0900-\\u097F',
  THAI: '\\u0E00-\\u0E7F',
  HIRAGANA: '\\u3040-\\u309F',
  KATAKANA: '\\u30A0-\\u30FF',
  HANGULSYLLABLES: '\\uAC00-\\uD7AF',
  CJKUNIFIEDIDEOGRAPHS: '\\u4E00-\\u9FFF',
  GENERALPUNCTUATION: '\\u2000-\\u206F',
  CURRENCYSYMBOLS: '\\u20A0-\\u20CF',
};

const CATEGORY = /^(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfson]?|LC)$/;

/** The class body for the name inside `\p{…}`; throws like Java for unknown names. */
export function javaProperty(name: string): ClassBody {
  const posix = POSIX[name] ?? JAVA[name];
  if (posix) return posix;
  if (CATEGORY.test(name)) return uni(`\\p{${name}}`);
  const eq = /^(script|sc|general_category|gc|block|blk)=(.+)$/i.exec(name);
  if (eq) {
    const kind = eq[1]!.toLowerCase();
    if (kind === 'script' || kind === 'sc') return uni(`\\p{Script=${eq[2]}}`);
    if (kind === 'general_category' || kind === 'gc') return uni(`\\p{${eq[2]}}`);
    return block(eq[2]!, name);
  }
  if (name.startsWith('Is')) {
    const rest = name.slice(2);
    if (CATEGORY.test(rest)) return uni(`\\p{${rest}}`);
    const bin = BINARY[rest.toUpperCase()];
    if (bin) return uni(`\\p{${bin}}`);
    if (/^[A-Za-z_]+$/.test(rest)) return uni(`\\p{Script=${rest[0]!.toUpperCase()}${rest.slice(1).toLowerCase()}}`);
  }
  if (name.startsWith('In')) return block(name.slice(2), name);
  throw new Error(`Unknown character property name {${name}}`);
}

function block(b: string, name: string): ClassBody {
  const range = BLOCKS[b.toUpperCase().replace(/[\s_-]/g, '')];
  if (!range) throw new Error(`Unknown character block name {${name}}`);
  return ascii(range);
}
