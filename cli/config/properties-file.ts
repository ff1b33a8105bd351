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

/** Reads PEM CA certificates; a Java keystore (JKS/PKCS12) is refused with how to convert it. */
export function readCaFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the CA file ${path}: ${(e as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw new Error(
      `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----); a JKS or PKCS12 truststore must be converted first, e.g. keytool -exportcert -rfc -alias ALIAS -keystore ${path}`,
    );
  return text;
}
