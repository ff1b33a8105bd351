import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';

// An embedded query reads its input in steps (read, process, write, checkpoint). A step
// holds its outputs until it ends, so the runner sizes steps by the outputs they make:
// one output per record means small steps (their rows die young); a record cache folding
// many updates into few outputs keeps whole batches of 20000.

const STREAM = `CREATE STREAM s (k STRING, v INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);`;
const N = 30_000;

describe('embedded step size', () => {
  const dirs: string[] = [];
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A durable engine with `sql` over N records of stream S (all with key 'a'), not yet pumped. */
  async function setup(sql: string, sink: string) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-step-'));
    dirs.push(dataDir);
    const engine = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest' } });
    engines.push(engine);
    await engine.execute(STREAM);
    await engine.execute(sql);
    const records = [];
    for (let i = 0; i < N; i++) records.push({ key: null, value: Buffer.from(JSON.stringify({ k: 'a', v: i })), timestamp: i, headers: [] });
    await engine.log.append('s', 0, records);
    const [id, query] = [...engine.queries.entries()][0]!;
    /** Runs one step; resolves the committed input position and the sink's record count after it. */
    const step = async () => {
      await query.step(engine.log);
      return [await engine.log.committed(id, 's', 0), await engine.log.endOffset(sink, 0)];
    };
    return { step };
  }

  it('a projection (an output per record) reads 2000 records a step', async () => {
    const { step } = await setup('CREATE STREAM p AS SELECT k, v * 2 AS w FROM s;', 'P');
    expect((await step())[1]).toBe(2000);
    expect((await step())[1]).toBe(4000);
    expect((await step())[1]).toBe(6000);
  });

  it('a count whose record cache folds every update into one output reads whole batches of 20000 after its first step', async () => {
    const { step } = await setup('CREATE TABLE c AS SELECT k, COUNT(*) AS n FROM s GROUP BY k;', 'C');
    expect((await step())[1]).toBe(1);
    expect((await step())[1]).toBe(2);
    expect(await step()).toEqual([N, 3]);
  });

  it('small steps commit their position every 20000 records and when caught up, not every step', async () => {
    const { step } = await setup('CREATE STREAM p AS SELECT k, v * 2 AS w FROM s;', 'P');
    const committed: (number | undefined)[] = [];
    for (let k = 0; k < 16; k++) committed.push((await step())[0]);
    // Steps 1-15 read 2000 records each; the 16th finds none: caught up, it commits.
    expect(committed).toEqual([...Array(9).fill(undefined), ...Array(6).fill(20_000), N]);
  });
});
