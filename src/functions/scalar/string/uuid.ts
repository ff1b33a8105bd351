import { randomUUID } from 'node:crypto';
import { Category, defineScalar } from '../../define/define-scalar.js';

/** UUID(): a random type-4 UUID; UUID(bytes): the 16 bytes formatted as a UUID. */
export const uuid = defineScalar({
  name: 'UUID',
  category: Category.STRING,
  description: 'Create a Universally Unique Identifier (UUID) generated according to RFC 4122, or convert 16 bytes to one.',
  overloads: [
    { params: [], returns: 'STRING', fn: () => randomUUID() },
    {
      params: ['BYTES'],
      returns: 'STRING',
      fn: (b: Buffer) => {
        if (b.length !== 16) return null;
        const h = b.toString('hex');
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      },
    },
  ],
});
