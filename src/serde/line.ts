/** SKETCH: the LINE format, one STRING column as raw UTF-8 text. */
import type { Format } from './format.js';
import type { Serde } from './serde-types.js';

const lineSerde: Serde = {
  serialize: (values) => (values === null ? null : Buffer.from(String(values[0] ?? ''), 'utf8')),
  deserialize: (bytes) => (bytes === null ? null : [bytes.toString('utf8')]),
};

export const LINE_FORMAT: Format = {
  name: 'LINE',
  usesSchemaRegistry: false,
  configs: new Set(),
  nullableRepresentation: false,
  holdsNestedAggregateState: false,
  holdsColumns: true,
  create: (columns) => {
    if (columns.length !== 1 || columns[0]!.type.kind !== 'STRING') throw new Error("The 'LINE' format holds one STRING column.");
    return lineSerde;
  },
  testForm: {
    toBytes: (json) => Buffer.from(String(json), 'utf8'),
    fromBytes: (bytes) => bytes.toString('utf8'),
  },
};
