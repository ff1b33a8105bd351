import { Category, defineScalar } from '../define/define-scalar.js';

/** BAD_UDF: ksqlDB's test UDF that throws (INT), throws when asked (BOOLEAN) or alternates null (STRING). */
export const badUdf = defineScalar({
  name: 'BAD_UDF',
  category: Category.OTHER,
  description: 'throws exceptions when called',
  overloads: [
    {
      params: ['INT'],
      returns: 'STRING',
      nullTolerant: true,
      fn: () => {
        throw new Error('boom!');
      },
    },
    {
      params: ['BOOLEAN'],
      returns: 'INT',
      fn: (b: boolean) => {
        if (b) throw new Error('You asked me to throw...');
        return 0;
      },
    },
    {
      params: ['STRING'],
      returns: 'STRING',
      nullTolerant: true,
      // One counter per call site, like the per-instance field of ksqlDB's test UDF.
      make: () => {
        let calls = 0;
        return (s: string | null) => (calls++ % 2 === 0 ? null : s);
      },
    },
  ],
});
