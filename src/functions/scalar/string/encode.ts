import { Category, defineScalar } from '../../define/define-scalar.js';
import { bytesToText, encodingOf, textToBytes } from '../../support/encodings.js';

function encode(s: string, from: string, to: string): string {
  const a = encodingOf(from);
  const b = encodingOf(to);
  if (!a || !b || a === b) throw new Error('Supported input and output encodings are: hex, utf8, ascii and base64');
  return bytesToText(textToBytes(s, a), b);
}

/** ENCODE(str, inputEncoding, outputEncoding) over hex, utf8, ascii and base64. */
export const encodeFn = defineScalar({
  name: 'ENCODE',
  category: Category.STRING,
  description:
    'Takes an input string s, which is encoded as input_encoding, and encodes it as output_encoding. The accepted input and output encodings are: hex, utf8, ascii and base64. Throws exception if provided encodings are not supported.',
  overloads: [{ params: ['STRING', 'STRING', 'STRING'], returns: 'STRING', fn: encode }],
});
