/**
 * ksqlDB's rejection rules, one row per rule: a statement ksqlDB rejects, the
 * substring of ksqlDB's message Sluice must give, and the REST error code. The
 * rules are grouped by the ksqlDB class that enforces them (see each block).
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, PlanError, SluiceError } from '../src/common/errors.js';
import { startEngine } from './helpers/engine-harness.js';

const SETUP = [
  `CREATE STREAM S (ID INT KEY, A INT, B STRING, ARR ARRAY<INT>, ST STRUCT<F INT>, TS TIMESTAMP, BO BOOLEAN, BYT BYTES) WITH (kafka_topic='s', value_format='JSON');`,
  `CREATE TABLE T (ID INT PRIMARY KEY, A INT) WITH (kafka_topic='t', value_format='JSON');`,
  `CREATE TABLE WT (ID INT PRIMARY KEY, A INT) WITH (kafka_topic='wt', value_format='JSON', window_type='tumbling', window_size='1 second');`,
  `CREATE STREAM KS (ID INT KEY, A INT) WITH (kafka_topic='ks', value_format='KAFKA');`,
].join('\n');

interface Rule {
  readonly rule: string;
  readonly sql: string;
  readonly message: string;
}

/** Runs SETUP then `sql`, which must be rejected; returns the error. */
async function rejection(sql: string): Promise<SluiceError> {
  const h = await startEngine(['s', 't', 'wt', 'ks', 'x']);
  await h.engine.execute(SETUP);
  try {
    await h.engine.execute(sql);
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return e as SluiceError;
  }
  throw new Error(`expected a rejection of: ${sql}`);
}

function family(name: string, rules: readonly Rule[]): void {
  describe(name, () => {
    for (const r of rules) {
      it(`rejects ${r.rule}`, async () => {
        const err = await rejection(r.sql);
        expect(err).toBeInstanceOf(PlanError);
        expect(err.errorCode).toBe(ErrorCode.BAD_STATEMENT);
        expect(err.message).toContain(r.message);
      });
    }
  });
}

const W = `CREATE TABLE X AS SELECT ID, COUNT(*) AS C FROM S WINDOW`;

family('CAST legality (CastEvaluator)', [
  { rule: 'BYTES to STRING', sql: `CREATE STREAM X AS SELECT ID, CAST(BYT AS STRING) FROM S;`, message: 'Cast of BYTES to STRING is not supported' },
  {
    rule: 'an array whose elements cannot be cast',
    sql: `CREATE STREAM X AS SELECT ID, CAST(ARR AS ARRAY<BOOLEAN>) FROM S;`,
    message: 'Cast of ARRAY<INTEGER> to ARRAY<BOOLEAN> is not supported',
  },
  {
    rule: 'a struct whose common field cannot be cast',
    sql: `CREATE STREAM X AS SELECT ID, CAST(ST AS STRUCT<F BOOLEAN>) FROM S;`,
    message: 'Cast of STRUCT<`F` INTEGER> to STRUCT<`F` BOOLEAN> is not supported',
  },
  { rule: 'TIMESTAMP to BIGINT', sql: `CREATE STREAM X AS SELECT ID, CAST(TS AS BIGINT) FROM S;`, message: 'Cast of TIMESTAMP to BIGINT is not supported' },
]);

family('WINDOW clauses (Kafka Streams TimeWindows / SessionWindows / window stores)', [
  { rule: 'a zero window size', sql: `${W} TUMBLING (SIZE 0 SECONDS) GROUP BY ID;`, message: 'Window size (sizeMs) must be larger than zero.' },
  {
    rule: 'a zero hop',
    sql: `${W} HOPPING (SIZE 1 SECOND, ADVANCE BY 0 SECONDS) GROUP BY ID;`,
    message: 'Window advancement interval should be more than zero and less than window duration which is 1000 ms, but given advancement interval is: 0 ms',
  },
  {
    rule: 'a hop larger than the window',
    sql: `${W} HOPPING (SIZE 1 SECOND, ADVANCE BY 2 SECONDS) GROUP BY ID;`,
    message: 'but given advancement interval is: 2000 ms',
  },
  { rule: 'a zero session gap', sql: `${W} SESSION (0 SECONDS) GROUP BY ID;`, message: 'Gap time cannot be zero or negative.' },
  {
    rule: 'a retention shorter than size plus grace',
    sql: `${W} TUMBLING (SIZE 10 SECONDS, RETENTION 11 SECONDS, GRACE PERIOD 2 SECONDS) GROUP BY ID;`,
    message: 'must be no smaller than its window size plus the grace period. Got size=[10000], grace=[2000], retention=[11000]',
  },
  {
    rule: 'a session retention shorter than gap plus grace',
    sql: `${W} SESSION (10 SECONDS, RETENTION 5 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY ID;`,
    message: 'must be no smaller than the session inactivity gap plus the grace period. Got gap=[10000], grace=[0], retention=[5000]',
  },
]);

family('query shape (LogicalPlanner, PushQueryValidator, Analyzer)', [
  {
    rule: 'EMIT FINAL without a window',
    sql: `CREATE TABLE X AS SELECT ID, COUNT(*) AS C FROM S GROUP BY ID EMIT FINAL;`,
    message: 'EMIT FINAL is only supported for windowed aggregations.',
  },
  {
    rule: 'EMIT FINAL on a projection',
    sql: `CREATE STREAM X AS SELECT * FROM S EMIT FINAL;`,
    message: 'EMIT FINAL is only supported for windowed aggregations.',
  },
  {
    rule: 'a persistent query over a windowed table',
    sql: `CREATE TABLE X AS SELECT * FROM WT;`,
    message: 'KSQL does not support persistent queries on windowed tables.',
  },
  {
    rule: 'GROUP BY over KAFKA-format values',
    sql: `CREATE TABLE X AS SELECT A, COUNT(*) AS C FROM KS GROUP BY A;`,
    message: "Source(s) KS are using the 'KAFKA' value format. This format does not yet support GROUP BY.",
  },
  {
    rule: 'nested table functions',
    sql: `CREATE STREAM X AS SELECT ID, EXPLODE(EXPLODE(ARRAY[ARR])) AS E FROM S;`,
    message: 'Table functions cannot be nested: EXPLODE(EXPLODE())',
  },
  {
    rule: 'a table function with GROUP BY',
    sql: `CREATE TABLE X AS SELECT ID, EXPLODE(ARR) AS E, COUNT(*) AS C FROM S GROUP BY ID;`,
    message: 'Table functions cannot be used with aggregations.',
  },
  {
    rule: 'a table function in a searched CASE',
    sql: `CREATE STREAM X AS SELECT ID, CASE WHEN A > 1 THEN EXPLODE(ARR) END AS E FROM S;`,
    message: 'Table functions cannot be used in CASE: ',
  },
]);

family('constructors (ExpressionTypeManager)', [
  {
    rule: 'a MAP whose keys are all NULL',
    sql: `CREATE STREAM X AS SELECT ID, MAP(NULL := 1) AS M FROM S;`,
    message: 'Cannot construct a map with all NULL keys',
  },
]);

family('column types (SqlStruct, RegisterTypeFactory)', [
  {
    rule: 'a custom type registered twice',
    sql: `CREATE TYPE P AS STRUCT<A INT>; CREATE TYPE P AS STRUCT<B STRING>;`,
    message: "Cannot register custom type 'P' since it is already registered with type: STRUCT<`A` INTEGER>",
  },
  {
    rule: 'a declared STRUCT with a repeated field',
    sql: `CREATE STREAM X (A STRUCT<F INT, F STRING>) WITH (kafka_topic='x', value_format='JSON');`,
    message: "Duplicate field names found in STRUCT: '`F` INTEGER' and '`F` STRING'",
  },
  {
    rule: 'a STRUCT constructor with a repeated field',
    sql: `CREATE STREAM X AS SELECT ID, STRUCT(F := 1, F := 'a') AS X FROM S;`,
    message: "Duplicate field names found in STRUCT: '`F` INTEGER' and '`F` STRING'",
  },
]);

const H = 'ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS';
family('header columns (LogicalSchema builder)', [
  {
    rule: 'two HEADERS columns',
    sql: `CREATE STREAM X (A INT, H1 ${H}, H2 ${H}) WITH (kafka_topic='x', value_format='JSON');`,
    message: 'Schema already contains a HEADERS column.',
  },
  {
    rule: "a HEADER('k') column after HEADERS",
    sql: `CREATE STREAM X (A INT, H1 ${H}, H2 BYTES HEADER('k')) WITH (kafka_topic='x', value_format='JSON');`,
    message: 'Schema already contains a HEADERS column.',
  },
  {
    rule: 'a header key read twice',
    sql: `CREATE STREAM X (A INT, H1 BYTES HEADER('k'), H2 BYTES HEADER('k')) WITH (kafka_topic='x', value_format='JSON');`,
    message: "Schema already contains a HEADER('k') column.",
  },
]);

family('WITH clause of CREATE (CreateSourceProperties)', [
  {
    rule: 'WINDOW_SIZE without WINDOW_TYPE',
    sql: `CREATE STREAM X (K INT KEY, A INT) WITH (kafka_topic='x', value_format='JSON', window_size='1 second');`,
    message: "'WINDOW_SIZE' should not be set for SESSION windows.",
  },
  {
    rule: 'WINDOW_SIZE on a session window',
    sql: `CREATE STREAM X (K INT KEY, A INT) WITH (kafka_topic='x', value_format='JSON', window_type='session', window_size='1 second');`,
    message: "'WINDOW_SIZE' should not be set for SESSION windows.",
  },
  {
    rule: 'a time window without WINDOW_SIZE',
    sql: `CREATE STREAM X (K INT KEY, A INT) WITH (kafka_topic='x', value_format='JSON', window_type='hopping');`,
    message: "HOPPING windows require 'WINDOW_SIZE' to be provided in the WITH clause.",
  },
  {
    rule: 'an unknown WINDOW_TYPE',
    sql: `CREATE STREAM X (K INT KEY, A INT) WITH (kafka_topic='x', value_format='JSON', window_type='sliding');`,
    message: 'Invalid value sliding for property WINDOW_TYPE: String must be one of: SESSION, HOPPING, TUMBLING, null',
  },
  {
    rule: 'a WINDOW_SIZE with an unknown unit',
    sql: `CREATE STREAM X (K INT KEY, A INT) WITH (kafka_topic='x', value_format='JSON', window_type='tumbling', window_size='30 bobs');`,
    message: "Configuration WINDOW_SIZE is invalid: Invalid duration: '30 bobs'. Unknown time unit: 'BOBS'",
  },
  {
    rule: 'a TIMESTAMP_FORMAT Java cannot compile',
    sql: `CREATE STREAM X (K INT KEY, A STRING) WITH (kafka_topic='x', value_format='JSON', timestamp='A', timestamp_format='invalid');`,
    message: 'Invalid datetime format for config:TIMESTAMP_FORMAT, reason:Unknown pattern letter: i',
  },
  {
    rule: 'a protobuf nullable representation on JSON',
    sql: `CREATE STREAM X (A INT) WITH (kafka_topic='x', value_format='JSON', value_protobuf_nullable_representation='WRAPPER');`,
    message: 'Property VALUE_PROTOBUF_NULLABLE_REPRESENTATION can only be enabled with protobuf format',
  },
]);

family('comparisons (ComparisonUtil, ExpressionTypeManager)', [
  {
    rule: 'a comparison with a NULL literal',
    sql: `CREATE STREAM X AS SELECT * FROM S WHERE A = NULL;`,
    message: "Comparison with NULL not supported: INTEGER = NULL\nUse 'IS NULL' or 'IS NOT NULL' instead.",
  },
  {
    rule: 'ordering BOOLEANs',
    sql: `CREATE STREAM X AS SELECT * FROM S WHERE BO < BO;`,
    message: 'Cannot compare BO (BOOLEAN) to BO (BOOLEAN) with LESS_THAN.',
  },
  {
    rule: 'STRING against INTEGER, in WHERE',
    sql: `CREATE STREAM X AS SELECT * FROM S WHERE B >= A;`,
    message: 'Error in WHERE expression: Cannot compare B (STRING) to A (INTEGER) with GREATER_THAN_OR_EQUAL.',
  },
]);

family('CASE (ExpressionTypeManager)', [
  {
    rule: 'a non-boolean WHEN',
    sql: `CREATE STREAM X AS SELECT ID, CASE WHEN A THEN 1 END AS C FROM S;`,
    message: "WHEN operand type should be boolean.\nType for 'A' is INTEGER",
  },
  {
    rule: 'THEN results of different types',
    sql: `CREATE STREAM X AS SELECT ID, CASE WHEN A > 1 THEN 1 WHEN A > 2 THEN 'x' END AS C FROM S;`,
    message: "Invalid Case expression. Type for all 'THEN' clauses should be the same.",
  },
  {
    rule: 'an ELSE of another type (no widening)',
    sql: `CREATE STREAM X AS SELECT ID, CASE WHEN A > 1 THEN A ELSE CAST(0 AS BIGINT) END AS C FROM S;`,
    message: "Invalid Case expression. Type for the default clause should be the same as for 'THEN' clauses.\nTHEN type: INTEGER.\nDEFAULT type: BIGINT.",
  },
  {
    rule: 'only NULL results',
    sql: `CREATE STREAM X AS SELECT ID, CASE WHEN A > 1 THEN NULL END AS C FROM S;`,
    message: 'Invalid Case expression. All case branches have NULL type',
  },
]);

family('WHERE and HAVING (FilterTypeValidator, AggregateAnalyzer)', [
  {
    rule: 'a non-boolean WHERE',
    sql: `CREATE STREAM X AS SELECT * FROM S WHERE A + 1;`,
    message: 'Type error in WHERE expression: Should evaluate to boolean but is A + 1 (INTEGER) instead.',
  },
  {
    rule: 'a plain column beside an aggregate without GROUP BY',
    sql: `CREATE TABLE X AS SELECT A, COUNT(*) AS C FROM S;`,
    message: 'Non-aggregate SELECT expression(s) not part of GROUP BY: S.A',
  },
  {
    rule: 'an ungrouped column in HAVING',
    sql: `CREATE TABLE X AS SELECT ID, COUNT(*) AS C FROM S GROUP BY ID HAVING A > 1;`,
    message: 'Non-aggregate HAVING expression not part of GROUP BY: S.A\nConsider switching the HAVING clause to a WHERE clause before the GROUP BY.',
  },
  {
    rule: 'a window bound passed to an aggregate',
    sql: `CREATE TABLE X AS SELECT ID, MAX(WINDOWSTART) AS M FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID;`,
    message: 'Window bounds column WINDOWSTART can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.',
  },
  {
    rule: 'a window bound in the HAVING of a windowed aggregation',
    sql: `CREATE TABLE X AS SELECT ID, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID HAVING WINDOWEND > 1;`,
    message: 'Window bounds column WINDOWEND can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.',
  },
]);

family('INSERT VALUES (InsertValuesExecutor, GenericRecordFactory)', [
  { rule: 'a windowed target', sql: `INSERT INTO WT (ID, A) VALUES (1, 2);`, message: 'Cannot insert values into windowed stream/table!' },
  {
    rule: 'an unknown target, quoted in the wrong case',
    sql: `INSERT INTO "t" (ID, A) VALUES (1, 2);`,
    message: 'Cannot insert values into an unknown stream/table: `t`\nDid you mean T? Hint: try removing double quotes from the source name.',
  },
  {
    rule: 'a table row without its primary key',
    sql: `INSERT INTO T (A) VALUES (2);`,
    message: "Failed to insert values into 'T'. Value for primary key column(s) ID is required for tables",
  },
]);

family('WITH clause of CREATE … AS SELECT (TimestampExtractionPolicyFactory)', [
  {
    rule: 'a TIMESTAMP column the result does not have',
    sql: `CREATE STREAM X WITH (timestamp='NOPE') AS SELECT * FROM S;`,
    message: "The TIMESTAMP column set in the WITH clause does not exist in the schema: 'NOPE'",
  },
  {
    rule: 'a TIMESTAMP column of the wrong type',
    sql: `CREATE STREAM X WITH (timestamp='A') AS SELECT * FROM S;`,
    message: 'Timestamp column, `A`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.',
  },
]);

family('column references (ColumnReferenceValidator)', [
  { rule: 'an unknown column in SELECT', sql: `CREATE STREAM X AS SELECT ID, NOPE FROM S;`, message: "SELECT column 'NOPE' cannot be resolved." },
  { rule: 'an unknown column in WHERE', sql: `CREATE STREAM X AS SELECT * FROM S WHERE NOPE = 1;`, message: "WHERE column 'NOPE' cannot be resolved." },
  {
    rule: 'an unknown column in GROUP BY',
    sql: `CREATE TABLE X AS SELECT NOPE, COUNT(*) AS C FROM S GROUP BY NOPE;`,
    message: "GROUP BY column 'NOPE' cannot be resolved.",
  },
  {
    rule: 'an unknown column in HAVING',
    sql: `CREATE TABLE X AS SELECT ID, COUNT(*) AS C FROM S GROUP BY ID HAVING NOPE > 1;`,
    message: "HAVING column 'NOPE' cannot be resolved.",
  },
  {
    rule: 'an ambiguous column in a join',
    sql: `CREATE STREAM S2 (ID INT KEY, A INT) WITH (kafka_topic='x', value_format='JSON'); CREATE STREAM X AS SELECT S.ID, A FROM S JOIN S2 WITHIN 1 SECOND ON S.ID = S2.ID;`,
    message: "Column 'A' is ambiguous. Could be S.A or S2.A.",
  },
  { rule: 'an unknown source qualifier', sql: `CREATE STREAM X AS SELECT ID, Q.A FROM S;`, message: "'Q' is not a valid stream/table name or alias." },
]);

family('GROUP BY, PARTITION BY and result columns (GroupBy, PartitionByParamsFactory, LogicalSchema)', [
  {
    rule: 'a repeated GROUP BY expression',
    sql: `CREATE TABLE X AS SELECT A, COUNT(*) AS C FROM S GROUP BY A, S.A;`,
    message: 'Duplicate GROUP BY expression: S.A',
  },
  {
    rule: 'PARTITION BY NULL with other expressions',
    sql: `CREATE STREAM X WITH (key_format='JSON') AS SELECT * FROM S PARTITION BY A, NULL;`,
    message: 'Cannot PARTITION BY multiple columns including NULL',
  },
  {
    rule: 'two value columns with one name',
    sql: `CREATE STREAM X AS SELECT ID, A AS Z, B AS Z FROM S;`,
    message: 'Duplicate value columns found in schema: `Z` STRING',
  },
  {
    rule: 'a value column named like the key',
    sql: `CREATE TABLE X AS SELECT A AS C, COUNT(*) AS C FROM S GROUP BY A;`,
    message: 'Duplicate value columns found in schema: `C` BIGINT',
  },
]);

family('INSERT INTO … SELECT (ksqlDB engine)', [
  { rule: 'an unknown target', sql: `INSERT INTO NOPE SELECT * FROM S;`, message: 'Source `NOPE` does not exist.' },
  {
    rule: 'a QUERY_ID already in use',
    sql: `CREATE STREAM X AS SELECT * FROM S; INSERT INTO X WITH (QUERY_ID='q1') SELECT * FROM S; INSERT INTO X WITH (QUERY_ID='Q1') SELECT * FROM S;`,
    message: "Query ID 'Q1' already exists.",
  },
  {
    rule: 'a QUERY_ID with a reserved prefix',
    sql: `CREATE STREAM X AS SELECT * FROM S; INSERT INTO X WITH (QUERY_ID='csas_mine') SELECT * FROM S;`,
    message: "Query IDs must not start with a reserved query ID prefix (INSERTQUERY_, CTAS_, CSAS_, CST_). Got 'CSAS_MINE'.",
  },
  {
    rule: 'a QUERY_ID with other characters',
    sql: `CREATE STREAM X AS SELECT * FROM S; INSERT INTO X WITH (QUERY_ID='my-query') SELECT * FROM S;`,
    message: "Query IDs may contain only alphanumeric characters and '_'. Got: 'MY-QUERY'",
  },
  {
    rule: 'CREATE OR REPLACE of a sink with two writers',
    sql: `CREATE STREAM X AS SELECT * FROM S; INSERT INTO X SELECT * FROM S; CREATE OR REPLACE STREAM X AS SELECT * FROM S;`,
    message: 'REPLACE for sink X is not supported because there are multiple queries writing into it: [CSAS_X_0, INSERTQUERY_1]',
  },
  {
    rule: 'a target with header columns',
    sql: `CREATE STREAM HS (ID INT KEY, A INT, H ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS) WITH (kafka_topic='x', value_format='JSON'); INSERT INTO HS SELECT ID, A FROM S;`,
    message: 'Cannot insert into HS because it has header columns',
  },
]);

family('code generation (CastEvaluator, InListEvaluator) with their clause context', [
  {
    rule: 'an impossible CAST in SELECT',
    sql: `CREATE STREAM X AS SELECT ID, CAST(B AS ARRAY<INT>) AS C FROM S;`,
    message: 'Invalid Select: Cast of STRING to ARRAY<INTEGER> is not supported',
  },
  {
    rule: 'an IN list item of another type',
    sql: `CREATE STREAM X AS SELECT * FROM S WHERE BO IN (true, A);`,
    message: 'Invalid Predicate: operator does not exist: BOOLEAN = INTEGER (A)\nHint: You might need to add explicit type casts.',
  },
  {
    rule: 'an IN list literal that does not parse',
    sql: `CREATE STREAM X AS SELECT * FROM S WHERE A IN (10, '10 - not a number');`,
    message: 'Invalid Predicate: invalid input syntax for type INTEGER: "10 - not a number"',
  },
]);

family('operators (Operator.resultType, ExpressionTypeManager)', [
  {
    rule: 'arithmetic on a STRING and a number',
    sql: `CREATE STREAM X AS SELECT ID, B + A AS C FROM S;`,
    message: 'Unsupported arithmetic types. STRING INTEGER',
  },
  {
    rule: 'a subscript on a STRUCT',
    sql: `CREATE STREAM X AS SELECT ID, ST['F'] AS C FROM S;`,
    message: 'do not apply to STRUCT<`F` INTEGER>. Use the dereference operator for STRUCTS',
  },
  { rule: 'a missing STRUCT field', sql: `CREATE STREAM X AS SELECT ID, ST->G AS C FROM S;`, message: "Could not find field 'G' in 'ST'." },
]);

family('new query planner (EngineExecutor.throwIfUnsupported)', [
  {
    rule: 'WHERE under ksql.new.query.planner.enabled',
    sql: `SET 'ksql.new.query.planner.enabled'='true'; CREATE STREAM X AS SELECT * FROM S WHERE A > 1;`,
    message: 'New query planner does not support WHERE. Set ksql.new.query.planner.enabled=false.',
  },
  {
    rule: 'a join under ksql.new.query.planner.enabled',
    sql: `SET 'ksql.new.query.planner.enabled'='true'; CREATE STREAM X AS SELECT * FROM S JOIN T ON S.ID = T.ID;`,
    message: 'New query planner does not support joins. Set ksql.new.query.planner.enabled=false.',
  },
]);

family('WITH clauses (CommonCreateConfigs, CreateAsConfigs, InsertIntoConfigs)', [
  {
    rule: 'WINDOW_TYPE on CREATE … AS SELECT',
    sql: `CREATE STREAM X WITH (window_type='SESSION') AS SELECT * FROM S;`,
    message: 'Invalid config variable(s) in the WITH clause: WINDOW_TYPE',
  },
  {
    rule: 'a CREATE property on INSERT INTO',
    sql: `CREATE STREAM X AS SELECT * FROM S; INSERT INTO X WITH (kafka_topic='s') SELECT * FROM S;`,
    message: 'Invalid config variable(s) in the WITH clause: KAFKA_TOPIC',
  },
  {
    rule: 'FORMAT with KEY_FORMAT on CREATE … AS SELECT',
    sql: `CREATE STREAM X WITH (format='JSON', key_format='KAFKA') AS SELECT * FROM S;`,
    message:
      "Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
  },
  {
    rule: 'both value schema full-name properties',
    sql: `CREATE STREAM X (A INT) WITH (kafka_topic='x', value_format='AVRO', value_avro_schema_full_name='a.B', value_schema_full_name='a.C');`,
    message: "Cannot supply both 'VALUE_AVRO_SCHEMA_FULL_NAME' and 'VALUE_SCHEMA_FULL_NAME' properties. Please only set 'VALUE_SCHEMA_FULL_NAME'.",
  },
  {
    rule: 'a schema full name on JSON values',
    sql: `CREATE STREAM X (A INT) WITH (kafka_topic='x', value_format='JSON', value_schema_full_name='a.B');`,
    message: 'JSON does not support the following configs: [fullSchemaName]',
  },
  {
    rule: 'a key delimiter on a KAFKA key',
    sql: `CREATE STREAM X WITH (key_delimiter=';') AS SELECT * FROM S;`,
    message: 'KAFKA does not support the following configs: [delimiter]',
  },
  {
    rule: 'an empty AVRO schema full name',
    sql: `CREATE STREAM X (A INT) WITH (kafka_topic='x', value_format='AVRO', value_schema_full_name=' ');`,
    message: 'fullSchemaName cannot be empty.',
  },
  {
    rule: 'an empty KAFKA_TOPIC',
    sql: `CREATE STREAM X (A INT) WITH (kafka_topic='', value_format='JSON');`,
    message: 'Invalid value  for property KAFKA_TOPIC: String must be non-empty',
  },
  {
    rule: 'an unknown protobuf nullable representation',
    sql: `CREATE STREAM X (A INT) WITH (kafka_topic='x', value_format='PROTOBUF', value_protobuf_nullable_representation='MAYBE');`,
    message: 'Invalid value MAYBE for property VALUE_PROTOBUF_NULLABLE_REPRESENTATION: String must be one of: OPTIONAL, WRAPPER',
  },
]);

family('DROP (EngineContext referential integrity)', [
  {
    rule: 'a source another query reads',
    sql: `CREATE STREAM X AS SELECT * FROM S; DROP STREAM S;`,
    message:
      'Cannot drop S.\nThe following queries read from this source: [CSAS_X_0].\nThe following queries write into this source: [].\nYou need to terminate them before dropping S.',
  },
  {
    rule: 'a sink an INSERT INTO query writes',
    sql: `CREATE STREAM X AS SELECT * FROM S; INSERT INTO X SELECT * FROM S; DROP STREAM X;`,
    message: 'The following queries write into this source: [INSERTQUERY_1].',
  },
]);

family('CREATE OR REPLACE (StructuredDataSource.canUpgradeTo)', [
  {
    rule: 'a column type change',
    sql: `CREATE STREAM X (A INT) WITH (kafka_topic='x', value_format='JSON'); CREATE OR REPLACE STREAM X (A STRING) WITH (kafka_topic='x', value_format='JSON');`,
    message:
      "Cannot upgrade data source: DataSource '`X`' has schema = `A` INTEGER which is not upgradeable to `A` STRING. (The following columns are changed, missing or reordered: [`A` INTEGER])",
  },
  {
    rule: 'a dropped column in a replaced query',
    sql: `CREATE STREAM X AS SELECT ID, A, B FROM S; CREATE OR REPLACE STREAM X AS SELECT ID, A FROM S;`,
    message: 'The following columns are changed, missing or reordered: [`B` STRING]',
  },
  {
    rule: 'a stream replaced by a table',
    sql: `CREATE STREAM X (ID INT KEY, A INT) WITH (kafka_topic='x', value_format='JSON'); CREATE OR REPLACE TABLE X (ID INT PRIMARY KEY, A INT) WITH (kafka_topic='x', value_format='JSON');`,
    message: "DataSource '`X`' has type = KSTREAM which is not upgradeable to KTABLE",
  },
]);

describe('CREATE OR REPLACE that ksqlDB allows', () => {
  it('accepts a value column appended to a stream', async () => {
    const h = await startEngine(['s', 't', 'wt', 'ks', 'x']);
    await h.engine.execute(`CREATE STREAM X (A INT) WITH (kafka_topic='x', value_format='JSON');`);
    await expect(h.engine.execute(`CREATE OR REPLACE STREAM X (A INT, B STRING) WITH (kafka_topic='x', value_format='JSON');`)).resolves.toBeDefined();
  });
});
