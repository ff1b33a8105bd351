const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 256;

/**
 * A JS RegExp (global, unicode-unaware like Java's UTF-16 matching) for a Java
 * regular expression. Translates the Java-only constructs that matter in practice
 * (`\A`, `\Z`, `\z`, possessive quantifiers, inline `(?i)` at the start). Cached.
 */
export function javaRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) {
    re.lastIndex = 0;
    return re;
  }
  let src = pattern;
  let flags = 'g';
  const inline = /^\(\?([imsx]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    for (const f of inline[1]!) if (f !== 'x' && !flags.includes(f)) flags += f;
  }
  src = src
    .replace(/\\A/g, '^')
    .replace(/\\[Zz]/g, '$')
    .replace(/([*+?}])\+/g, '$1');
  re = new RegExp(src, flags);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** Converts a Java replacement string (`$1`, `${name}`, `\$`) to JS replacement syntax. */
export function javaReplacement(rep: string): string {
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === '\\' && i + 1 < rep.length) {
      const n = rep[++i]!;
      out += n === '$' ? '$$' : n;
    } else if (c === '$' && rep[i + 1] === '{') {
      const end = rep.indexOf('}', i);
      out += `$<${rep.slice(i + 2, end)}>`;
      i = end;
    } else {
      out += c;
    }
  }
  return out;
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
