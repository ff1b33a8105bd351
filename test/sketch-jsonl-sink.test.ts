import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine.js';

// SKETCH (reverted): a third SinkWriter gets a persistent query's rows.
it('a JSON-lines sink writer receives the rows of a persistent query', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-jsonl-'));
  process.env['SLUICE_SKETCH_JSONL_DIR'] = dir;
  try {
    const engine = await Engine.open({ dataDir: path.join(dir, 'data'), autoPump: false, properties: { 'auto.offset.reset': 'earliest' } });
    await engine.execute(`
      CREATE STREAM clicks (user_id STRING KEY, page STRING) WITH (kafka_topic='clicks', value_format='JSON', partitions=1);
      CREATE STREAM home AS SELECT user_id, page FROM clicks WHERE page = 'home';`);
    await engine.insert('CLICKS', { USER_ID: 'u1', PAGE: 'home' });
    await engine.insert('CLICKS', { USER_ID: 'u2', PAGE: 'cart' });
    await engine.insert('CLICKS', { USER_ID: 'u3', PAGE: 'home' });
    await engine.pumpAll();
    const lines = fs.readFileSync(path.join(dir, 'HOME.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { key: string; value: string });
    expect(lines.map((l) => [l.key, l.value])).toEqual([['u1', '{"PAGE":"home"}'], ['u3', '{"PAGE":"home"}']]);
    await engine.close();
  } finally {
    delete process.env['SLUICE_SKETCH_JSONL_DIR'];
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
