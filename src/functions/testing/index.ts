/**
 * Functions that only exist in ksqlDB's query-validation-test environment (its
 * test and example UDF jars). They resolve like built-ins so those tests run, but
 * are left out of SHOW FUNCTIONS.
 */
import type { ScalarFunction, TableFunction } from '../define/function-types.js';
import { badUdf } from './bad-udf.js';
import { testUdf } from './test-udf.js';
import { testUdtf, throwingUdtf } from './test-udtf.js';
import { toStruct } from './to-struct.js';
import { whenCondition, whenResult } from './when-condition.js';

export const TESTING_SCALAR_FUNCTIONS: readonly ScalarFunction[] = [badUdf, testUdf, toStruct, whenCondition, whenResult];
export const TESTING_TABLE_FUNCTIONS: readonly TableFunction[] = [testUdtf, throwingUdtf];
