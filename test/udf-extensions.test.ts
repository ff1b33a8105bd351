import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExtensions, type ExtensionReport } from '../src/functions/extensions.js';
import { listFunctions } from '../src/functions/registry.js';
import { on, run, runError } from './helpers/engine-harness.js';

/**
 * User-defined functions: JavaScript modules dropped into an extensions directory
 * register scalar, aggregate and table functions that SQL can call; modules that
 * fail to load are reported and skipped.
 */
let dir: string;
let report: ExtensionReport;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-udf-'));
  fs.writeFileSync(
    path.join(dir, 'finance.mjs'),
    `export const scalars = [
       { name: 'vat', description: 'Adds 20% VAT', params: ['DOUBLE'], returns: 'DOUBLE', fn: (x) => Math.round(x * 120) / 100 },
       { name: 'initials', overloads: [
         { params: ['STRING', 'STRING'], returns: 'STRING', fn: (a, b) => a[0] + b[0] },
         { params: ['STRING'], returns: 'STRING', fn: (a) => a[0] } ] },
     ];
     export const aggregates = [
       { name: 'longest', params: ['STRING'], returns: 'STRING',
         make: () => ({ init: () => '', add: (acc, [s]) => (s !== null && s.length > acc.length ? s : acc), result: (acc) => acc }) },
     ];
     export const tables = [
       { name: 'chars', params: ['STRING'], returns: 'STRING', fn: (s) => [...s] },
     ];`,
  );
  fs.writeFileSync(
    path.join(dir, 'broken.mjs'),
    'export const scalars = [ { name: "oops", params: ["NOT_A_TYPE<"], returns: "INT", fn: () => 1 } ];\nthrow new Error("boom");',
  );
  fs.writeFileSync(path.join(dir, 'clash.mjs'), 'export default { scalars: [ { name: "ucase", params: ["STRING"], returns: "STRING", fn: (s) => s } ] };');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a module');
  report = await loadExtensions(dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const DDL = `CREATE STREAM people (id INT KEY, first STRING, last STRING, salary DOUBLE) WITH (kafka_topic='people', value_format='JSON', partitions=1);`;
const person = (id: number, first: string, last: string, salary: number) => ({
  topic: 'people',
  key: id,
  value: { FIRST: first, LAST: last, SALARY: salary },
  timestamp: id,
});

describe('user-defined functions from an extensions directory', () => {
  it('registers every function of a good module and reports the bad ones without failing', () => {
    expect(report.loaded.map((f) => `${f.kind}:${f.name}`).sort()).toEqual(['aggregate:LONGEST', 'scalar:INITIALS', 'scalar:VAT', 'table:CHARS']);
    expect(report.errors.map((e) => e.file).sort()).toEqual(['broken.mjs', 'clash.mjs']);
    expect(report.errors.find((e) => e.file === 'broken.mjs')?.message).toMatch(/boom/);
    expect(report.errors.find((e) => e.file === 'clash.mjs')?.message).toMatch(/UCASE already exists/);
    expect(listFunctions().find((f) => f.name === 'VAT')).toMatchObject({ type: 'scalar', description: 'Adds 20% VAT' });
  });

  it('SQL calls scalar UDFs with overloads and type checking', async () => {
    const out = await run(`${DDL} CREATE STREAM out AS SELECT id, VAT(salary) AS gross, INITIALS(first, last) AS i2, initials(first) AS i1 FROM people;`, [
      person(1, 'Ada', 'Lovelace', 100),
    ]);
    expect(on('OUT', out).map((r) => r.value)).toEqual([{ GROSS: 120, I2: 'AL', I1: 'A' }]);
    await expect(runError(`${DDL} CREATE STREAM out AS SELECT id, VAT(first) AS g FROM people;`)).resolves.toMatch(/VAT/);
  });

  it('SQL calls aggregate and table UDFs', async () => {
    const agg = await run(`${DDL} CREATE TABLE t AS SELECT last, LONGEST(first) AS l FROM people GROUP BY last;`, [
      person(1, 'Al', 'X', 1),
      person(2, 'Alice', 'X', 1),
      person(3, 'Bo', 'X', 1),
    ]);
    expect(on('T', agg).map((r) => r.value)).toEqual([{ L: 'Al' }, { L: 'Alice' }, { L: 'Alice' }]);
    const exploded = await run(`${DDL} CREATE STREAM c AS SELECT id, CHARS(first) AS ch FROM people;`, [person(1, 'Abc', 'X', 1)]);
    expect(on('C', exploded).map((r) => r.value)).toEqual([{ CH: 'A' }, { CH: 'b' }, { CH: 'c' }]);
  });
});
