import { Category, defineScalar } from '../../define/define-scalar.js';
import { encodingOf, textToBytes } from '../../support/encodings.js';

/** TO_BYTES(str, encoding): text decoded from hex, utf8, ascii or base64. */
export const toBytes = defineScalar({
  name: 'TO_BYTES',
  category: Category.STRING,
  description: "Converts a STRING value in the specified encoding to BYTES. The accepted encoders are 'hex', 'utf8', 'ascii', and 'base64'.",
  overloads: [
    {
      params: ['STRING', 'STRING'],
      returns: 'BYTES',
      fn: (s: string, enc: string) => {
        const e = encodingOf(enc);
        if (!e) throw new Error(`Unknown encoding: '${enc}'`);
        return textToBytes(s, e);
      },
    },
  ],
});
