import { readFileSync } from 'node:fs';

/** Reads a Java-style properties file: `key=value` or `key: value` lines, `#`/`!` comments. */
export function readProperties(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith('!')) return;
      const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
      if (!m) throw new Error(`${path}:${i + 1}: expected key=value`);
      out[m[1]!] = m[2]!;
    });
  return out;
}
