import { Category, type ScalarOverload, defineScalar } from '../../define/define-scalar.js';

function byteOrderLittle(order: string | undefined): boolean {
  if (order === undefined) return false;
  const o = order.toUpperCase();
  if (o === 'BIG_ENDIAN') return false;
  if (o === 'LITTLE_ENDIAN') return true;
  throw new Error(`Byte order must be BIG_ENDIAN or LITTLE_ENDIAN. Unknown byte order '${order}'.`);
}

function reader(size: number, returns: string, read: (b: Buffer, little: boolean) => number): ScalarOverload[] {
  const fn = (b: Buffer, order?: string): number => {
    if (b.length !== size) throw new Error(`Number of bytes must be equal to ${size}, but found ${b.length}`);
    return read(b, byteOrderLittle(order));
  };
  return [
    { params: ['BYTES'], returns, fn },
    { params: ['BYTES', 'STRING'], returns, fn },
  ];
}

/** INT_FROM_BYTES(bytes [, byteOrder]): a 4-byte two's-complement integer. */
export const intFromBytes = defineScalar({
  name: 'INT_FROM_BYTES',
  category: Category.CONVERSION,
  description: 'Converts a BYTES value to an INT value according to the specified byte order (BIG_ENDIAN by default).',
  overloads: reader(4, 'INT', (b, little) => (little ? b.readInt32LE(0) : b.readInt32BE(0))),
});

/** BIGINT_FROM_BYTES(bytes [, byteOrder]): an 8-byte two's-complement integer. */
export const bigintFromBytes = defineScalar({
  name: 'BIGINT_FROM_BYTES',
  category: Category.CONVERSION,
  description: 'Converts a BYTES value to a BIGINT value according to the specified byte order (BIG_ENDIAN by default).',
  overloads: reader(8, 'BIGINT', (b, little) => Number(little ? b.readBigInt64LE(0) : b.readBigInt64BE(0))),
});

/** DOUBLE_FROM_BYTES(bytes [, byteOrder]): an 8-byte IEEE 754 double. */
export const doubleFromBytes = defineScalar({
  name: 'DOUBLE_FROM_BYTES',
  category: Category.CONVERSION,
  description: 'Converts a BYTES value to a DOUBLE value according to the specified byte order (BIG_ENDIAN by default).',
  overloads: [
    { params: ['BYTES'], returns: 'DOUBLE', fn: (b: Buffer) => readDouble(b, undefined) },
    { params: ['BYTES', 'STRING'], returns: 'DOUBLE', fn: readDouble },
  ],
});

function readDouble(b: Buffer, order: string | undefined): number {
  if (b.length !== 8) throw new Error(`Number of bytes must be equal to 8, but found ${b.length}`);
  return byteOrderLittle(order) ? b.readDoubleLE(0) : b.readDoubleBE(0);
}
