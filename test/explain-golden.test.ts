import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';

/**
 * EXPLAIN golden files: the logical plan and physical topology Sluice prints for
 * representative queries. A change in planning shows up as a diff against
 * test/golden/explain/<name>.txt; regenerate deliberately with UPDATE_GOLDEN=1.
 */
const GOLDEN = path.join(path.dirname(new URL(import.meta.url).pathname), 'golden', 'explain');

const DDL = `
CREATE STREAM pageviews (user_id STRING KEY, page STRING, duration_ms INT, ts BIGINT)
  WITH (kafka_topic='pageviews', value_format='JSON', partitions=2, timestamp='ts');
CREATE TABLE users (user_id STRING PRIMARY KEY, level STRING, region STRING)
  WITH (kafka_topic='users', value_format='JSON', partitions=2);
CREATE STREAM clicks (click_id BIGINT KEY, user_id STRING, url STRING)
  WITH (kafka_topic='clicks', value_format='JSON', partitions=2);
`;

const CASES: Record<string, string> = {
  'filter-project': `EXPLAIN CREATE STREAM long_views AS SELECT user_id, UCASE(page) AS page, duration_ms / 1000 AS secs FROM pageviews WHERE duration_ms > 5000;`,
  'tumbling-count': `EXPLAIN CREATE TABLE views_per_page AS SELECT page, COUNT(*) AS n, MAX(duration_ms) AS longest FROM pageviews WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS) GROUP BY page HAVING COUNT(*) > 2;`,
  'partition-by': `EXPLAIN CREATE STREAM views_by_page AS SELECT * FROM pageviews PARTITION BY page;`,
  'stream-table-join': `EXPLAIN CREATE STREAM enriched AS SELECT c.user_id, c.url, u.level FROM clicks c LEFT JOIN users u ON c.user_id = u.user_id WHERE u.level = 'Platinum';`,
  'emit-final': `EXPLAIN CREATE TABLE final_counts AS SELECT user_id, COUNT(*) AS n FROM pageviews WINDOW TUMBLING (SIZE 5 SECONDS) GROUP BY user_id EMIT FINAL;`,
};

async function explain(sql: string): Promise<string> {
  const engine = new Engine({ log: new MemoryLog() });
  await engine.execute(DDL);
  const [result] = await engine.execute(sql);
  if (result?.kind !== 'Explain') throw new Error(`expected an Explain result, got ${result?.kind}`);
  return `${result.text}\n`;
}

describe('EXPLAIN golden files', () => {
  for (const [name, sql] of Object.entries(CASES)) {
    it(name, async () => {
      const text = await explain(sql);
      const file = path.join(GOLDEN, `${name}.txt`);
      if (process.env.UPDATE_GOLDEN === '1') {
        fs.mkdirSync(GOLDEN, { recursive: true });
        fs.writeFileSync(file, text);
      }
      // A missing golden file is a failure, not a file to write and then compare with itself.
      if (!fs.existsSync(file)) throw new Error(`golden file ${file} is missing: create it deliberately with UPDATE_GOLDEN=1`);
      expect(text).toBe(fs.readFileSync(file, 'utf8'));
    });
  }

  it('EXPLAIN of a running query names its sink step', async () => {
    const engine = new Engine({ log: new MemoryLog() });
    await engine.execute(DDL);
    const [created] = await engine.execute('CREATE STREAM copy AS SELECT * FROM pageviews;');
    const id = created?.kind === 'Message' ? created.queryId : undefined;
    expect(id).toMatch(/^CSAS_COPY_\d+$/);
    const [explained] = await engine.execute(`EXPLAIN ${id};`);
    expect(explained?.kind === 'Explain' && explained.text).toContain('StreamSink');
  });
});
