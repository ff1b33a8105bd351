import { Category, defineScalar } from '../../define/define-scalar.js';
import { sqlToJson } from '../../support/sql-json.js';

/** TO_JSON_STRING(value): JSON text of any value ("null" for null). */
export const toJsonString = defineScalar({
  name: 'TO_JSON_STRING',
  category: Category.JSON,
  description: 'Given any ksqlDB type returns the equivalent JSON string.',
  overloads: [
    {
      params: ['ANY'],
      returns: 'STRING',
      nullTolerant: true,
      make: (ctx) => {
        const t = ctx.types[0]!;
        return (v: unknown) => sqlToJson(v, t);
      },
    },
  ],
});
