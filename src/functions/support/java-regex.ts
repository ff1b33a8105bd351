import { type ClassBody, javaProperty } from './java-regex-properties.js';

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 256;

/**
 * A JS RegExp (global) for a Java regular expression, translated construct by
 * construct: `\A` `\z` `\Z` and a non-multiline `$` (which in Java also matches
 * before a final line terminator), `\Q…\E`, `\h` `\v` `\R` `\e` `\a`, ASCII-only
 * `\s`, octal `\0nn` and `\x{h…}` escapes, `\p{…}` properties (POSIX, java.lang.Character,
 * Unicode categories, scripts and common blocks), nested character classes and `&&`
 * intersections, and inline flags anywhere (`(?i)`, `(?-i)`, `(?i:…)`; scoped by
 * groups, so no JS flags are used: case-insensitivity expands ASCII letters, which
 * is also Java's default folding; back-references stay case-sensitive). Possessive
 * quantifiers and atomic groups become their backtracking forms (same matches in
 * all but contrived cases). Only patterns using Unicode properties compile with
 * the `u` flag. Cached.
 */
export function javaRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) {
    re.lastIndex = 0;
    return re;
  }
  const t = translateJavaRegex(pattern);
  re = new RegExp(t.source, t.flags);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}

const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
const LINE_END = '(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])';
const H_SPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';
const V_SPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';
const S_SPACE = ' \\t\\n\\x0B\\f\\r';

/** A JS escape for one UTF-16 unit or code point given as a number. */
function unitEscape(cp: number): string {
  if (cp > 0xffff) {
    const h = Math.floor((cp - 0x10000) / 0x400) + 0xd800;
    const l = ((cp - 0x10000) % 0x400) + 0xdc00;
    return `\\u${h.toString(16)}\\u${l.toString(16)}`;
  }
  return `\\u${cp.toString(16).padStart(4, '0')}`;
}

/** A literal character, escaped so it is valid with or without the `u` flag. */
function literal(c: string, inClass: boolean): string {
  if (SYNTAX.has(c) || (inClass && c === '-')) return `\\${c}`;
  return c;
}

/** One set of characters in a class: a plain body plus nested sets to union or intersect. */
interface CharSet {
  negated: boolean;
  body: string;
  /** Nested classes or negated properties unioned in. */
  readonly union: CharSet[];
  /** Further operands of `&&`, intersected with everything before. */
  readonly and: CharSet[];
}

/** A regex fragment matching exactly one character of `set`. */
function emitSet(set: CharSet): string {
  const parts: string[] = [];
  if (set.body !== '' || set.union.length === 0) parts.push(`[${set.body}]`);
  for (const u of set.union) parts.push(emitSet(u));
  let one = parts.length === 1 ? parts[0]! : `(?:${parts.join('|')})`;
  if (set.and.length > 0) one = `(?:${set.and.map((a) => `(?=${emitSet(a)})`).join('')}${one})`;
  if (!set.negated) return one;
  if (set.union.length === 0 && set.and.length === 0) return set.body === '' ? '[\\s\\S]' : `[^${set.body}]`;
  return `(?:(?!${one})[\\s\\S])`;
}

/** The other ASCII case of a letter. */
function swapCase(c: string): string {
  return c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
}

/** Class ranges adding the other ASCII case of the letters in lo..hi. */
function foldedRange(lo: number, hi: number): string {
  let out = '';
  for (const [a, z, shift] of [
    [97, 122, -32],
    [65, 90, 32],
  ] as const) {
    const from = Math.max(lo, a);
    const to = Math.min(hi, z);
    if (from <= to) out += `${String.fromCharCode(from + shift)}-${String.fromCharCode(to + shift)}`;
  }
  return out;
}

interface Translated {
  readonly source: string;
  readonly flags: string;
}

/** Translates Java regex syntax to a JS source and flags (see {@link javaRegex}). */
export function translateJavaRegex(pattern: string): Translated {
  /** Java's inline flags in force (case-insensitive, multiline, dotall, comments); scoped by groups. */
  interface Flags {
    i: boolean;
    m: boolean;
    s: boolean;
    x: boolean;
  }
  let fl: Flags = { i: false, m: false, s: false, x: false };
  const scopes: Flags[] = [];
  let i = 0;
  let unicode = false;
  let out = '';
  let quantified = false;

  /** A literal outside a class, both ASCII cases when case-insensitive (Java's default folding is ASCII-only). */
  const fold = (c: string): string => (fl.i && /^[A-Za-z]$/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : literal(c, false));

  const property = (negated: boolean): ClassBody & { negated: boolean } => {
    // At pattern[i] = 'p' or 'P'.
    let name: string;
    if (pattern[i + 1] === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0) throw new Error(`Unclosed character family near index ${i}`);
      name = pattern.slice(i + 2, close);
      i = close + 1;
    } else {
      name = pattern[i + 1] ?? '';
      i += 2;
    }
    const b = javaProperty(name);
    if (b.unicode) unicode = true;
    return { ...b, negated };
  };

  /** Escapes shared by classes and the top level; returns undefined when not one of them. */
  const commonEscape = (inClass: boolean): string | undefined => {
    const c = pattern[i]!;
    switch (c) {
      case 'e':
        i++;
        return '\\x1B';
      case 'a':
        i++;
        return '\\x07';
      case '0': {
        const m = /^0([0-3][0-7]{2}|[0-7]{1,2})/.exec(pattern.slice(i));
        if (!m) throw new Error(`Illegal octal escape sequence near index ${i}`);
        i += m[0].length;
        return unitEscape(parseInt(m[1]!, 8));
      }
      case 'x':
        if (pattern[i + 1] === '{') {
          const close = pattern.indexOf('}', i);
          const cp = parseInt(pattern.slice(i + 2, close), 16);
          if (close < 0 || !(cp >= 0 && cp <= 0x10ffff)) throw new Error(`Illegal hexadecimal escape sequence near index ${i}`);
          i = close + 1;
          return unitEscape(cp);
        }
        return undefined;
      case 's':
        i++;
        return inClass ? S_SPACE : `[${S_SPACE}]`;
      case 'h':
        i++;
        return inClass ? H_SPACE : `[${H_SPACE}]`;
      case 'v':
        i++;
        return inClass ? V_SPACE : `[${V_SPACE}]`;
      case 'Q': {
        const end = pattern.indexOf('\\E', i + 1);
        const text = pattern.slice(i + 1, end < 0 ? pattern.length : end);
        i = end < 0 ? pattern.length : end + 2;
        return [...text].map((ch) => (inClass ? literal(ch, true) + (fl.i && /^[A-Za-z]$/.test(ch) ? swapCase(ch) : '') : fold(ch))).join('');
      }
      default:
        if (/[A-Za-z0-9]/.test(c)) return undefined;
        i++;
        return literal(c, inClass);
    }
  };

  const parseClass = (): CharSet => {
    // At pattern[i] = '['.
    i++;
    const set: CharSet = { negated: false, body: '', union: [], and: [] };
    if (pattern[i] === '^') {
      set.negated = true;
      i++;
    }
    let current: CharSet = { negated: false, body: '', union: [], and: [] };
    const operands: CharSet[] = [];
    let first = true;
    for (;;) {
      if (i >= pattern.length) throw new Error(`Unclosed character class near index ${pattern.length - 1}`);
      const c = pattern[i]!;
      if (c === ']' && !first) {
        i++;
        break;
      }
      first = false;
      if (c === '[') {
        current.union.push(parseClass());
      } else if (c === '&' && pattern[i + 1] === '&') {
        i += 2;
        operands.push(current);
        current = { negated: false, body: '', union: [], and: [] };
      } else if (c === '\\') {
        i++;
        const e = pattern[i];
        if (e === undefined) throw new Error('Unexpected internal error');
        if (e === 'p' || e === 'P') {
          const p = property(e === 'P');
          if (!p.negated) current.body += p.body;
          else if (p.unicode) current.body += p.body.replace(/\\p\{/g, '\\P{');
          else current.union.push({ negated: true, body: p.body, union: [], and: [] });
        } else if (e === 'S' || e === 'H' || e === 'V') {
          i++;
          current.union.push({ negated: true, body: e === 'S' ? S_SPACE : e === 'H' ? H_SPACE : V_SPACE, union: [], and: [] });
        } else {
          const done = commonEscape(true);
          if (done !== undefined) current.body += done;
          else {
            current.body += `\\${e}`;
            i++;
          }
        }
      } else {
        const range = /^(.)-([^\]\\[])/s.exec(pattern.slice(i));
        if (fl.i && range) {
          current.body += `${literal(range[1]!, true)}-${literal(range[2]!, true)}${foldedRange(range[1]!.charCodeAt(0), range[2]!.charCodeAt(0))}`;
          i += 3;
          continue;
        }
        current.body += c === ']' ? '\\]' : c === '[' ? '\\[' : c;
        if (fl.i && /^[A-Za-z]$/.test(c)) current.body += swapCase(c);
        i++;
      }
    }
    if (operands.length === 0) return { ...current, negated: set.negated };
    operands.push(current);
    const [head, ...rest] = operands;
    return { negated: set.negated, body: head!.body, union: head!.union, and: rest };
  };

  while (i < pattern.length) {
    const c = pattern[i]!;
    const wasQuantified: boolean = quantified;
    quantified = false;
    if (fl.x && /\s/.test(c)) {
      i++;
      quantified = wasQuantified;
      continue;
    }
    if (fl.x && c === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
      quantified = wasQuantified;
      continue;
    }
    if (c === '\\') {
      i++;
      const e = pattern[i];
      if (e === undefined) throw new Error(`Unexpected internal error near index ${pattern.length}`);
      if (e === 'A') {
        out += '(?<![\\s\\S])';
        i++;
      } else if (e === 'z') {
        out += '(?![\\s\\S])';
        i++;
      } else if (e === 'Z') {
        out += `(?=${LINE_END}?(?![\\s\\S]))`;
        i++;
      } else if (e === 'R') {
        out += '(?:\\r\\n|[\\n\\x0B\\f\\r\\x85\\u2028\\u2029])';
        i++;
      } else if (e === 'S' || e === 'H' || e === 'V') {
        out += `[^${e === 'S' ? S_SPACE : e === 'H' ? H_SPACE : V_SPACE}]`;
        i++;
      } else if (e === 'p' || e === 'P') {
        const p = property(e === 'P');
        out += p.negated ? `[^${p.body}]` : `[${p.body}]`;
      } else {
        const done = commonEscape(false);
        if (done !== undefined) out += done;
        else {
          out += `\\${e}`;
          i++;
        }
      }
    } else if (c === '[') {
      out += emitSet(parseClass());
    } else if (c === '(') {
      const flagGroup = /^\(\?([idmsuxU]*)(?:-([idmsuxU]*))?([:)])/.exec(pattern.slice(i));
      if (flagGroup) {
        // (?flags) changes the enclosing group from here; (?flags:X) only X.
        const next: Flags = { ...fl };
        for (const f of flagGroup[1]!) if (f in next) next[f as keyof Flags] = true;
        for (const f of flagGroup[2] ?? '') if (f in next) next[f as keyof Flags] = false;
        i += flagGroup[0].length;
        if (flagGroup[3] === ')') fl = next;
        else {
          scopes.push(fl);
          fl = next;
          out += '(?:';
        }
      } else {
        const opener = /^\((?:\?(?:[=!>]|<[=!]|<[A-Za-z][A-Za-z0-9]*>))?/.exec(pattern.slice(i))![0];
        scopes.push(fl);
        fl = { ...fl };
        // An atomic group (?>X) keeps its backtracking form.
        out += opener === '(?>' ? '(?:' : opener;
        i += opener.length;
      }
    } else if (c === ')') {
      fl = scopes.pop() ?? fl;
      out += c;
      i++;
    } else if (c === '*' || c === '+' || c === '?') {
      i++;
      if (!wasQuantified) {
        out += c;
        quantified = true;
      } else if (c !== '+') {
        // A lazy '?' (or Java's error for a dangling '*', left to the JS engine).
        out += c;
      }
      // A '+' after a quantifier makes it possessive: keep the backtracking form.
    } else if (c === '{') {
      const m = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i));
      if (!m) throw new Error(`Illegal repetition near index ${i}`);
      out += m[0];
      i += m[0].length;
      quantified = true;
    } else if (c === '}' || c === ']') {
      out += `\\${c}`;
      i++;
    } else if (c === '$') {
      out += fl.m ? '(?=[\\n\\r\\u0085\\u2028\\u2029]|(?![\\s\\S]))' : `(?=${LINE_END}?(?![\\s\\S]))`;
      i++;
    } else if (c === '^') {
      out += fl.m ? '(?:(?<![\\s\\S])|(?<=[\\n\\r\\u0085\\u2028\\u2029])(?=[\\s\\S]))' : '^';
      i++;
    } else if (c === '.') {
      out += fl.s ? '[\\s\\S]' : '[^\\n\\r\\u0085\\u2028\\u2029]';
      i++;
    } else {
      out += c === '|' ? c : fold(c);
      i++;
    }
  }
  return { source: out, flags: unicode ? 'gu' : 'g' };
}

/** The number of capturing groups in `re`. */
function groupCount(re: RegExp): number {
  return new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('')!.length - 1;
}

/**
 * A replacer applying a Java replacement string (Matcher.appendReplacement rules):
 * `$n` takes as many digits as name an existing group (`$0` is the whole match),
 * `${name}` a named group, `\x` a literal x; references to missing groups throw
 * like Java, and unmatched groups insert nothing.
 */
export function javaReplacer(rep: string, re: RegExp): (match: string, ...rest: unknown[]) => string {
  const count = groupCount(re);
  type Part = string | number | { readonly name: string };
  const parts: Part[] = [];
  let text = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === '\\') {
      if (++i >= rep.length) throw new Error('character to be escaped is missing');
      text += rep[i]!;
    } else if (c === '$') {
      if (++i >= rep.length) throw new Error('Illegal group reference: group index is missing');
      if (rep[i] === '{') {
        const end = rep.indexOf('}', i);
        const name = end < 0 ? '' : rep.slice(i + 1, end);
        if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error("named capturing group is missing trailing '}'");
        parts.push(text, { name });
        text = '';
        i = end;
      } else {
        let ref = rep.charCodeAt(i) - 48;
        if (ref < 0 || ref > 9) throw new Error('Illegal group reference');
        while (i + 1 < rep.length && rep.charCodeAt(i + 1) >= 48 && rep.charCodeAt(i + 1) <= 57) {
          const next = ref * 10 + (rep.charCodeAt(i + 1) - 48);
          if (next > count) break;
          ref = next;
          i++;
        }
        if (ref > count) throw new Error(`No group ${ref}`);
        parts.push(text, ref);
        text = '';
      }
    } else {
      text += c;
    }
  }
  parts.push(text);
  return (match: string, ...rest: unknown[]) => {
    const last = rest[rest.length - 1];
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else if (typeof p === 'number') out += p === 0 ? match : ((rest[p - 1] as string | undefined) ?? '');
      else {
        if (!named || !(p.name in named)) throw new Error(`No group with name {${p.name}}`);
        out += named[p.name] ?? '';
      }
    }
    return out;
  };
}

/** Java's Pattern.split(s, -1): keeps trailing empty parts, no leading empty part for a zero-width match at 0, no groups. */
export function javaSplit(s: string, re: RegExp): string[] {
  const out: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const end = m.index + m[0].length;
    if (m[0].length === 0) {
      re.lastIndex++;
      if (m.index === 0 || m.index >= s.length) continue;
    }
    out.push(s.slice(last, m.index));
    last = end;
  }
  out.push(s.slice(last));
  return out;
}
