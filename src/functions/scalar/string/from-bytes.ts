import { Category, defineScalar } from '../../define/define-scalar.js';
import { bytesToText, encodingOf } from '../../support/encodings.js';

/** FROM_BYTES(bytes, encoding): bytes rendered as hex, utf8, ascii or base64 text. */
export const fromBytes = defineScalar({
  name: 'FROM_BYTES',
  category: Category.STRING,
  description: "Converts a BYTES value to STRING in the specified encoding. The accepted encoders are 'hex', 'utf8', 'ascii', and 'base64'.",
  overloads: [
    {
      params: ['BYTES', 'STRING'],
      returns: 'STRING',
      fn: (b: Buffer, enc: string) => {
        const e = encodingOf(enc);
        if (!e) throw new Error(`Unknown encoding: '${enc}'`);
        return bytesToText(b, e);
      },
    },
  ],
});
