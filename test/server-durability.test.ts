import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import { DIST, describeIf } from './helpers/describe-if.js';

/**
 * The real `sluice server` process, fed over HTTP, killed with SIGKILL while a
 * persistent aggregation consumes, restarted on the same data directory: the
 * table and its sink topic must match an independent count of the input.
 */
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = path.join(root, 'bin', 'sluice.js');
const built = fs.existsSync(path.join(root, 'dist', 'sluice.mjs'));
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Starts `sluice server` on a free port (port 0); resolves with its URL once it listens, or rejects with its output. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'server', '--port', '0', '--no-schema-registry', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${out}`)));
  });
  return { child, url };
}

async function ksql(url: string, sql: string): Promise<void> {
  const r = await fetch(`${url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: sql, streamsProperties: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': '0' } }),
  });
  if (r.status !== 200) throw new Error(`/ksql ${r.status}: ${await r.text()}`);
}

describeIf(built, DIST)('sluice server durability', () => {
  it('survives SIGKILL mid-aggregation: nothing lost, nothing duplicated', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-server-kill-'));
    dirs.push(dataDir);
    let { child, url } = await startServer(dataDir);
    await ksql(url, "CREATE STREAM txns (id STRING KEY, card STRING, amount INT) WITH (kafka_topic='txns', value_format='JSON', partitions=2);");
    await ksql(url, 'CREATE TABLE per_card AS SELECT card, COUNT(*) AS n, SUM(amount) AS total FROM txns GROUP BY card;');

    // Feed it over /inserts-stream, and kill it with SIGKILL part-way through one batch.
    let seq = 0;
    for (let round = 0; round < 8; round++) {
      const lines = [JSON.stringify({ target: 'TXNS' })];
      for (let i = 0; i < 3000; i++, seq++) lines.push(JSON.stringify({ ID: `t${seq}`, CARD: `card-${(seq * 7) % 23}`, AMOUNT: (seq % 9) + 1 }));
      const sent = fetch(`${url}/inserts-stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: lines.join('\n') })
        .then((r) => r.text())
        .catch(() => '');
      // The first round's rows are all acked before its kill, so some input is in whatever the load:
      // that kill lands in the aggregation, the later ones part-way through an insert.
      if (round === 0) await sent;
      // Not a sync: a random moment to kill at, so the runs land at different points of a batch.
      await new Promise((r) => setTimeout(r, 40 + Math.floor(Math.random() * 120)));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      await sent;
      ({ child, url } = await startServer(dataDir));
    }
    // Stop the restarted server cleanly and check its data directory (pumpAll below finishes what it had not).
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));

    const engine = await Engine.open({ dataDir, autoPump: false });
    await engine.pumpAll();
    const read = async (topic: string) => {
      const out: { key: string | null; value: Record<string, unknown> | null }[] = [];
      for (let p = 0; p < ((await engine.log.topic(topic))?.partitions ?? 0); p++) {
        for (const r of await engine.log.read(topic, p, 0, 10_000_000))
          out.push({ key: r.key?.toString() ?? null, value: r.value ? JSON.parse(r.value.toString()) : null });
      }
      return out;
    };
    const expected = new Map<string, { n: number; total: number }>();
    for (const r of await read('txns')) {
      const e = expected.get(String(r.value?.['CARD'])) ?? { n: 0, total: 0 };
      e.n += 1;
      e.total += Number(r.value?.['AMOUNT']);
      expected.set(String(r.value?.['CARD']), e);
    }
    expect(expected.size).toBeGreaterThan(0);
    const seen = new Map<string, number[]>();
    const latest = new Map<string, { n: number; total: number }>();
    for (const r of await read('PER_CARD')) {
      seen.set(String(r.key), [...(seen.get(String(r.key)) ?? []), Number(r.value?.['N'])]);
      latest.set(String(r.key), { n: Number(r.value?.['N']), total: Number(r.value?.['TOTAL']) });
    }
    for (const [card, e] of expected) {
      expect(seen.get(card), card).toEqual(Array.from({ length: e.n }, (_, i) => i + 1));
      expect(latest.get(card), card).toEqual(e);
    }
    await engine.close();
  }, 60_000);
});
