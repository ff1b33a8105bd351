import { Category, defineScalar } from '../define/define-scalar.js';

/** WHENCONDITION(result, shouldBeEvaluated): ksqlDB's test UDF proving CASE conditions are lazy. */
export const whenCondition = defineScalar({
  name: 'WHENCONDITION',
  category: Category.OTHER,
  description: 'test UDF for lazy CASE evaluation',
  overloads: [
    {
      params: ['BOOLEAN', 'BOOLEAN'],
      returns: 'BOOLEAN',
      fn: (ret: boolean, shouldBeEvaluated: boolean) => {
        if (!shouldBeEvaluated) throw new Error('This condition should not have been evaluated');
        return ret;
      },
    },
  ],
});

/** WHENRESULT(result, shouldBeEvaluated): ksqlDB's test UDF proving CASE results are lazy. */
export const whenResult = defineScalar({
  name: 'WHENRESULT',
  category: Category.OTHER,
  description: 'test UDF for lazy CASE evaluation',
  overloads: [
    {
      params: ['INT', 'BOOLEAN'],
      returns: 'INT',
      fn: (ret: number, shouldBeEvaluated: boolean) => {
        if (!shouldBeEvaluated) throw new Error('This result should not have been evaluated');
        return ret;
      },
    },
  ],
});
