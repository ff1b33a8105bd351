/** Java's String.trim(): strips code units ≤ U+0020 from both ends. */
export function javaTrim(s: string): string {
  return javaRtrim(javaLtrim(s));
}

/** Strips code units ≤ U+0020 from the start. */
export function javaLtrim(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) <= 0x20) i++;
  return s.slice(i);
}

/** Strips code units ≤ U+0020 from the end. */
export function javaRtrim(s: string): string {
  let j = s.length;
  while (j > 0 && s.charCodeAt(j - 1) <= 0x20) j--;
  return s.slice(0, j);
}
