import type { AggregateFunction } from '../define/function-types.js';
import { attrAgg } from './attr.js';
import { avg } from './avg.js';
import { collectListAgg } from './collect-list.js';
import { collectSetAgg } from './collect-set.js';
import { correlation } from './correlation.js';
import { count } from './count.js';
import { countDistinct } from './count-distinct.js';
import { earliestByOffset } from './earliest-by-offset.js';
import { histogram } from './histogram.js';
import { latestByOffset } from './latest-by-offset.js';
import { max } from './max.js';
import { min } from './min.js';
import { stddevPop } from './stddev-pop.js';
import { stddevSamp } from './stddev-samp.js';
import { stddevSample } from './stddev-sample.js';
import { sum } from './sum.js';
import { sumList } from './sum-list.js';
import { topk } from './topk.js';
import { topkDistinct } from './topk-distinct.js';

/** Every built-in aggregate function. */
export const AGGREGATE_FUNCTIONS: readonly AggregateFunction[] = [
  attrAgg,
  avg,
  collectListAgg,
  collectSetAgg,
  correlation,
  count,
  countDistinct,
  earliestByOffset,
  histogram,
  latestByOffset,
  max,
  min,
  stddevPop,
  stddevSamp,
  stddevSample,
  sum,
  sumList,
  topk,
  topkDistinct,
];
