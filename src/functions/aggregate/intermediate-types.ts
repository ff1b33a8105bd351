import { type SqlType, T } from '../../common/types.js';

/** STRUCT with the given fields, as ksqlDB declares its aggregate schemas. */
function struct(fields: Readonly<Record<string, SqlType>>): SqlType {
  return T.struct(Object.entries(fields).map(([name, type]) => ({ name, type })));
}

/** AVG's `STRUCT<SUM, COUNT>` over the argument type. */
export const avgIntermediate = (arg: SqlType): SqlType => struct({ SUM: arg, COUNT: T.BIGINT });

/** The standard deviations' `STRUCT<SUM, COUNT, M2>` (COUNT a BIGINT, as in ksqlDB's current UDAFs). */
export const stddevIntermediate = (arg: SqlType): SqlType => struct({ SUM: arg, COUNT: T.BIGINT, M2: T.DOUBLE });

/** CORRELATION's running sums. */
export const correlationIntermediate = (): SqlType =>
  struct({ X_SUM: T.DOUBLE, Y_SUM: T.DOUBLE, X_SQUARED_SUM: T.DOUBLE, Y_SQUARED_SUM: T.DOUBLE, XY_SUM: T.DOUBLE, COUNT: T.BIGINT });

/** LATEST/EARLIEST_BY_OFFSET's `STRUCT<SEQ, VAL>` (or an array of them for N values). */
export const byOffsetIntermediate = (arg: SqlType, many: boolean): SqlType => {
  const entry = struct({ SEQ: T.BIGINT, VAL: arg });
  return many ? T.array(entry) : entry;
};

/** ATTR's list of `STRUCT<VALUE, COUNT>`. */
export const attrIntermediate = (arg: SqlType): SqlType => T.array(struct({ VALUE: arg, COUNT: T.INTEGER }));
