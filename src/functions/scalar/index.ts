// The list of built-in scalar functions: one import per function file.
import type { ScalarFunction } from '../define/function-types.js';
import { arrayConcat } from './array/array-concat.js';
import { arrayContains } from './array/array-contains.js';
import { arrayDistinct } from './array/array-distinct.js';
import { arrayExcept } from './array/array-except.js';
import { arrayIntersect } from './array/array-intersect.js';
import { arrayJoin } from './array/array-join.js';
import { arrayLength } from './array/array-length.js';
import { arrayMax } from './array/array-max.js';
import { arrayMin } from './array/array-min.js';
import { arrayRemove } from './array/array-remove.js';
import { arraySort } from './array/array-sort.js';
import { arrayUnion } from './array/array-union.js';
import { generateSeries } from './array/generate-series.js';
import { slice } from './array/slice.js';
import { coalesce } from './conditional/coalesce.js';
import { ifnull } from './conditional/ifnull.js';
import { nullif } from './conditional/nullif.js';
import { asValue } from './conversion/as-value.js';
import { bigintFromBytes, doubleFromBytes, intFromBytes } from './conversion/from-bytes-numbers.js';
import { intFromBoolean } from './conversion/int-from-boolean.js';
import { convertTz } from './datetime/convert-tz.js';
import { dateAdd } from './datetime/date-add.js';
import { dateSub } from './datetime/date-sub.js';
import { dateToString } from './datetime/date-to-string.js';
import { formatDate } from './datetime/format-date.js';
import { formatTime } from './datetime/format-time.js';
import { formatTimestamp } from './datetime/format-timestamp.js';
import { fromDays } from './datetime/from-days.js';
import { fromUnixtime } from './datetime/from-unixtime.js';
import { parseDate } from './datetime/parse-date.js';
import { parseTime } from './datetime/parse-time.js';
import { parseTimestamp } from './datetime/parse-timestamp.js';
import { stringToDate } from './datetime/string-to-date.js';
import { stringToTimestamp } from './datetime/string-to-timestamp.js';
import { timeAdd } from './datetime/time-add.js';
import { timeSub } from './datetime/time-sub.js';
import { timestampAdd } from './datetime/timestamp-add.js';
import { timestampSub } from './datetime/timestamp-sub.js';
import { timestampToString } from './datetime/timestamp-to-string.js';
import { unixDate } from './datetime/unix-date.js';
import { unixTimestamp } from './datetime/unix-timestamp.js';
import { extractJsonField } from './json/extract-json-field.js';
import { isJsonString } from './json/is-json-string.js';
import { jsonArrayContains } from './json/json-array-contains.js';
import { jsonArrayLength } from './json/json-array-length.js';
import { jsonConcat } from './json/json-concat.js';
import { jsonItems } from './json/json-items.js';
import { jsonKeys } from './json/json-keys.js';
import { jsonRecords } from './json/json-records.js';
import { toJsonString } from './json/to-json-string.js';
import { filter } from './lambda/filter.js';
import { reduce } from './lambda/reduce.js';
import { transform } from './lambda/transform.js';
import { asMap } from './map/as-map.js';
import { entries } from './map/entries.js';
import { mapKeys } from './map/map-keys.js';
import { mapUnion } from './map/map-union.js';
import { mapValues } from './map/map-values.js';
import { abs } from './math/abs.js';
import { acos } from './math/acos.js';
import { asin } from './math/asin.js';
import { atan } from './math/atan.js';
import { atan2 } from './math/atan2.js';
import { cbrt } from './math/cbrt.js';
import { ceil } from './math/ceil.js';
import { cos } from './math/cos.js';
import { cosh } from './math/cosh.js';
import { cot } from './math/cot.js';
import { degrees } from './math/degrees.js';
import { exp } from './math/exp.js';
import { floor } from './math/floor.js';
import { geoDistanceFn } from './math/geo-distance.js';
import { greatest } from './math/greatest.js';
import { least } from './math/least.js';
import { ln } from './math/ln.js';
import { log } from './math/log.js';
import { pi } from './math/pi.js';
import { power } from './math/power.js';
import { radians } from './math/radians.js';
import { random } from './math/random.js';
import { round } from './math/round.js';
import { sign } from './math/sign.js';
import { sin } from './math/sin.js';
import { sinh } from './math/sinh.js';
import { sqrt } from './math/sqrt.js';
import { tan } from './math/tan.js';
import { tanh } from './math/tanh.js';
import { trunc } from './math/trunc.js';
import { regexpExtractAll } from './regex/regexp-extract-all.js';
import { regexpExtract } from './regex/regexp-extract.js';
import { regexpReplace } from './regex/regexp-replace.js';
import { regexpSplitToArray } from './regex/regexp-split-to-array.js';
import { chr } from './string/chr.js';
import { concatWs } from './string/concat-ws.js';
import { concat } from './string/concat.js';
import { elt } from './string/elt.js';
import { encodeFn } from './string/encode.js';
import { field } from './string/field.js';
import { fromBytes } from './string/from-bytes.js';
import { initcap } from './string/initcap.js';
import { instrFn } from './string/instr.js';
import { lcase } from './string/lcase.js';
import { len } from './string/len.js';
import { lpad } from './string/lpad.js';
import { ltrim } from './string/ltrim.js';
import { maskKeepLeft } from './string/mask-keep-left.js';
import { maskKeepRight } from './string/mask-keep-right.js';
import { maskLeft } from './string/mask-left.js';
import { maskRight } from './string/mask-right.js';
import { maskFn } from './string/mask.js';
import { md5 } from './string/md5.js';
import { replace } from './string/replace.js';
import { rpad } from './string/rpad.js';
import { rtrim } from './string/rtrim.js';
import { splitToMapFn } from './string/split-to-map.js';
import { split } from './string/split.js';
import { substring } from './string/substring.js';
import { toBytes } from './string/to-bytes.js';
import { trim } from './string/trim.js';
import { ucase } from './string/ucase.js';
import { uuid } from './string/uuid.js';
import { urlDecodeParam } from './url/url-decode-param.js';
import { urlEncodeParam } from './url/url-encode-param.js';
import { urlExtractFragment } from './url/url-extract-fragment.js';
import { urlExtractHost } from './url/url-extract-host.js';
import { urlExtractParameter } from './url/url-extract-parameter.js';
import { urlExtractPath } from './url/url-extract-path.js';
import { urlExtractPort } from './url/url-extract-port.js';
import { urlExtractProtocol } from './url/url-extract-protocol.js';
import { urlExtractQuery } from './url/url-extract-query.js';

/** Every built-in scalar function. */
export const SCALAR_FUNCTIONS: readonly ScalarFunction[] = [
  arrayConcat,
  arrayContains,
  arrayDistinct,
  arrayExcept,
  arrayIntersect,
  arrayJoin,
  arrayLength,
  arrayMax,
  arrayMin,
  arrayRemove,
  arraySort,
  arrayUnion,
  generateSeries,
  slice,
  coalesce,
  ifnull,
  nullif,
  asValue,
  bigintFromBytes,
  doubleFromBytes,
  intFromBoolean,
  intFromBytes,
  convertTz,
  dateAdd,
  dateSub,
  dateToString,
  formatDate,
  formatTime,
  formatTimestamp,
  fromDays,
  fromUnixtime,
  parseDate,
  parseTime,
  parseTimestamp,
  stringToDate,
  stringToTimestamp,
  timeAdd,
  timeSub,
  timestampAdd,
  timestampSub,
  timestampToString,
  unixDate,
  unixTimestamp,
  extractJsonField,
  isJsonString,
  jsonArrayContains,
  jsonArrayLength,
  jsonConcat,
  jsonItems,
  jsonKeys,
  jsonRecords,
  toJsonString,
  filter,
  reduce,
  transform,
  asMap,
  entries,
  mapKeys,
  mapUnion,
  mapValues,
  abs,
  acos,
  asin,
  atan,
  atan2,
  cbrt,
  ceil,
  cos,
  cosh,
  cot,
  degrees,
  exp,
  floor,
  geoDistanceFn,
  greatest,
  least,
  ln,
  log,
  pi,
  power,
  radians,
  random,
  round,
  sign,
  sin,
  sinh,
  sqrt,
  tan,
  tanh,
  trunc,
  regexpExtractAll,
  regexpExtract,
  regexpReplace,
  regexpSplitToArray,
  chr,
  concatWs,
  concat,
  elt,
  encodeFn,
  field,
  fromBytes,
  initcap,
  instrFn,
  lcase,
  len,
  lpad,
  ltrim,
  maskKeepLeft,
  maskKeepRight,
  maskLeft,
  maskRight,
  maskFn,
  md5,
  replace,
  rpad,
  rtrim,
  splitToMapFn,
  split,
  substring,
  toBytes,
  trim,
  ucase,
  uuid,
  urlDecodeParam,
  urlEncodeParam,
  urlExtractFragment,
  urlExtractHost,
  urlExtractParameter,
  urlExtractPath,
  urlExtractPort,
  urlExtractProtocol,
  urlExtractQuery,
];
