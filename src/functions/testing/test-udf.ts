import { Category, defineScalar } from '../define/define-scalar.js';

/** TEST_UDF: ksqlDB's test UDF that returns the name of the overload chosen. */
export const testUdf = defineScalar({
  name: 'TEST_UDF',
  category: Category.OTHER,
  description: 'test',
  overloads: [
    { params: ['INT', 'STRING'], returns: 'STRING', nullTolerant: true, fn: () => 'doStuffIntString' },
    { params: ['BIGINT', 'STRING'], returns: 'STRING', nullTolerant: true, fn: () => 'doStuffLongString' },
    { params: ['BIGINT', 'BIGINT', 'STRING'], returns: 'STRING', nullTolerant: true, fn: () => 'doStuffLongLongString' },
    { params: ['BIGINT...'], returns: 'STRING', nullTolerant: true, fn: () => 'doStuffLongVarargs' },
    { params: ['STRUCT'], returns: 'STRING', fn: (s: Record<string, unknown>) => (s.A as string | undefined) ?? null },
  ],
});
