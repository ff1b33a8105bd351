/** Java string-literal unescaping as ksqlDB's CHR uses it (commons-lang3). */
import { FunctionArgumentError } from './bounds.js';

const OCTAL = /[0-7]/;
const CONTROL_ESCAPES: Readonly<Record<string, string>> = { b: '\b', n: '\n', t: '\t', f: '\f', r: '\r', '\\': '\\', '"': '"', "'": "'" };

/**
 * Apache commons-lang3 StringEscapeUtils.unescapeJava: octal (`\0`–`\377`),
 * unicode (`\uXXXX`, any number of `u`s, optional `+`), `\b \n \t \f \r \\ \" \'`;
 * a backslash before anything else is dropped. A malformed unicode escape throws
 * with commons-lang's message.
 */
export function unescapeJava(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      i++;
      continue;
    }
    const n = s[i + 1]!;
    if (OCTAL.test(n)) {
      let end = i + 2;
      if (end < s.length && OCTAL.test(s[end]!)) {
        end++;
        if (n <= '3' && end < s.length && OCTAL.test(s[end]!)) end++;
      }
      out += String.fromCharCode(parseInt(s.slice(i + 1, end), 8));
      i = end;
    } else if (n === 'u') {
      let j = i + 2;
      while (j < s.length && s[j] === 'u') j++;
      if (j < s.length && s[j] === '+') j++;
      const hex = s.slice(j, j + 4);
      if (hex.length < 4) {
        throw new FunctionArgumentError(`Less than 4 hex digits in unicode value: '${s.slice(i)}' due to end of CharSequence`);
      }
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new FunctionArgumentError(`Unable to parse unicode value: ${hex}`);
      out += String.fromCharCode(parseInt(hex, 16));
      i = j + 4;
    } else {
      out += CONTROL_ESCAPES[n] ?? n;
      i += 2;
    }
  }
  return out;
}
