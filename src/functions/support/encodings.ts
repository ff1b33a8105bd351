/** The text encodings ksqlDB's ENCODE, TO_BYTES and FROM_BYTES accept. */
export type TextEncoding = 'hex' | 'utf8' | 'ascii' | 'base64';

/** Normalises an encoding name (case-insensitive), or undefined when unsupported. */
export function encodingOf(name: string): TextEncoding | undefined {
  const n = name.toLowerCase();
  return n === 'hex' || n === 'utf8' || n === 'ascii' || n === 'base64' ? n : undefined;
}

/** Strips `0x` (padding odd digit counts) or `X'…'` around hex text, as ksqlDB does. */
export function hexStrip(s: string): string {
  if (s.startsWith('0x')) return s.length % 2 !== 0 ? `0${s.slice(2)}` : s.slice(2);
  if (/^[xX]'.*'$/s.test(s)) return s.slice(2, -1);
  return s;
}

/** Strict hex decoding (commons-codec): odd length or a non-hex digit is an error. */
function decodeHex(s: string): Buffer {
  if (s.length % 2 !== 0) throw new Error('Odd number of characters.');
  if (!/^[0-9a-fA-F]*$/.test(s)) throw new Error(`Illegal hexadecimal character in ${s}`);
  return Buffer.from(s, 'hex');
}

/** Java US_ASCII decoding: bytes ≥ 0x80 become U+FFFD. */
function decodeAscii(b: Buffer): string {
  let out = '';
  for (const x of b) out += x < 0x80 ? String.fromCharCode(x) : '\ufffd';
  return out;
}

/** Java US_ASCII encoding: characters beyond 0x7F become '?'. */
function encodeAscii(s: string): Buffer {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)! < 0x80 ? ch.charCodeAt(0) : 0x3f);
  return Buffer.from(out);
}

/** Text in `enc` to bytes. */
export function textToBytes(s: string, enc: TextEncoding): Buffer {
  switch (enc) {
    case 'hex':
      return decodeHex(hexStrip(s));
    case 'utf8':
      return Buffer.from(s, 'utf8');
    case 'ascii':
      return encodeAscii(s);
    case 'base64':
      return Buffer.from(s, 'base64');
  }
}

/** Bytes to text in `enc`. */
export function bytesToText(b: Buffer, enc: TextEncoding): string {
  switch (enc) {
    case 'hex':
      return b.toString('hex');
    case 'utf8':
      return b.toString('utf8');
    case 'ascii':
      return decodeAscii(b);
    case 'base64':
      return b.toString('base64');
  }
}
