import { PlanError } from '../common/errors.js';
import type { Position } from '../common/position.js';
import { containsMap, formatType, type SqlType } from '../common/types.js';

/** Rejects a key column whose type contains a MAP, with ksqlDB's message. */
export function checkKeyType(name: string, type: SqlType, pos: Position): void {
  if (!containsMap(type)) return;
  throw new PlanError(
    `Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: \`${name}\`. Column type: ${formatType(type)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`,
    pos,
  );
}
