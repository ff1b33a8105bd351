import { describe, expect, it } from 'vitest';
import { planPersistent } from './helpers/plan-persistent.js';
import { sourceColumnsRead } from '../src/planner/columns-read.js';

/** The physical plan of a persistent query over `mon` (key HOST; TYPE, CODE, MESSAGE) and `hosts`. */
function plan(sql: string) {
  return planPersistent(
    [
      `CREATE STREAM mon (host STRING KEY, type STRING, code INT, message STRING) WITH (kafka_topic='mon', value_format='JSON');`,
      `CREATE TABLE hosts (id STRING PRIMARY KEY, dc STRING) WITH (kafka_topic='hosts', value_format='JSON');`,
    ],
    sql,
  ).steps;
}

/** Column names of the source rows a query reads (null: all), by the source step's schema. */
function namesRead(sql: string): string[] | null {
  const steps = plan(sql);
  const i = steps.findIndex((s) => s.kind === 'StreamSource' || s.kind === 'TableSource');
  const read = sourceColumnsRead(steps, i);
  if (read === undefined) return null;
  const cols = steps[i]!.schema.columns;
  return [...read].sort((a, b) => a - b).map((c) => cols[c]!.name);
}

describe('which source columns a query reads', () => {
  it('a filter and a projection read their columns only', () => {
    expect(namesRead(`CREATE STREAM w1 AS SELECT host, code FROM mon WHERE type = 'ERROR';`)).toEqual(['HOST', 'TYPE', 'CODE']);
  });

  it('an aggregation reads its GROUP BY and arguments', () => {
    expect(namesRead(`CREATE TABLE c AS SELECT code, COUNT(*) AS n, MAX(LEN(message)) AS m FROM mon GROUP BY code;`)).toEqual(['CODE', 'MESSAGE']);
  });

  it('SELECT * reads every column; rows going into a join count as read whole', () => {
    expect(namesRead(`CREATE STREAM all_of AS SELECT * FROM mon;`)).toEqual(['HOST', 'TYPE', 'CODE', 'MESSAGE']);
    expect(namesRead(`CREATE STREAM j AS SELECT m.host, h.dc FROM mon m JOIN hosts h ON m.host = h.id;`)).toBeNull();
  });
});
