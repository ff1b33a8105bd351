import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import type { TransientQuery } from '../src/runtime/query/transient-query.js';
import { eventually } from './helpers/eventually.js';

/**
 * After a restart, a durable engine fills its tables' materialized views from
 * their topics in the background, so the first pull query does not pay the
 * rebuild; one arriving before it ends waits for the same rebuild.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function rows(q: TransientQuery): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const r of q.rows) out.push([...r]);
  return out;
}

/** A data directory with table PER_PAGE (home: 2, about: 1) written by a query, engine closed. */
async function preparedDir(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-warmup-'));
  dirs.push(dataDir);
  const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest' } });
  await first.execute(`
    CREATE STREAM clicks (user_id STRING KEY, page STRING) WITH (kafka_topic='clicks', value_format='JSON', partitions=2);
    CREATE TABLE per_page AS SELECT page, COUNT(*) AS views FROM clicks GROUP BY page;`);
  await first.insert('CLICKS', { USER_ID: 'u1', PAGE: 'home' });
  await first.insert('CLICKS', { USER_ID: 'u2', PAGE: 'home' });
  await first.insert('CLICKS', { USER_ID: 'u3', PAGE: 'about' });
  await first.pumpAll();
  await first.close();
  return dataDir;
}

describe('materialized views after a restart', () => {
  it('are filled in the background without a pull query, and kept current afterwards', async () => {
    const engine = await Engine.open({ dataDir: await preparedDir(), autoPump: false });
    const view = engine.views.get('PER_PAGE')!;
    await eventually('the view of PER_PAGE is filled', () => view.complete);
    expect(view.get(['home'])?.value).toEqual([2]);
    await engine.insert('CLICKS', { USER_ID: 'u4', PAGE: 'home' });
    await engine.pumpAll();
    expect(await rows(await engine.startQuery("SELECT * FROM per_page WHERE page = 'home';"))).toEqual([['home', 3]]);
    expect(await rows(await engine.startQuery('SELECT * FROM per_page;'))).toEqual(
      expect.arrayContaining([
        ['home', 3],
        ['about', 1],
      ]),
    );
    await engine.close();
  });

  it('answer a pull query made right after the restart, before the background fill ends', async () => {
    const engine = await Engine.open({ dataDir: await preparedDir(), autoPump: false });
    const view = engine.views.get('PER_PAGE')!;
    expect(view.complete).toBe(false);
    expect(await rows(await engine.startQuery("SELECT views FROM per_page WHERE page = 'about';"))).toEqual([[1]]);
    expect(view.complete).toBe(true);
    expect(view.rebuilding).toBeUndefined();
    await engine.close();
  });

  it('closing right after a restart is clean, and the next start fills the view again', async () => {
    const dataDir = await preparedDir();
    const engine = await Engine.open({ dataDir, autoPump: false });
    await engine.close();
    const again = await Engine.open({ dataDir, autoPump: false });
    expect(await rows(await again.startQuery("SELECT views FROM per_page WHERE page = 'home';"))).toEqual([[2]]);
    expect(again.views.get('PER_PAGE')!.complete).toBe(true);
    await again.close();
  });
});
