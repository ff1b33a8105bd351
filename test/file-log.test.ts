import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DamagedDataError } from '../src/common/errors.js';
import { FileLog } from '../src/runtime/log/file-log.js';
import type { NewRecord } from '../src/runtime/log/log.js';
import { ChunkStore } from '../src/runtime/log/chunk-store.js';
import { encodeRecords } from '../src/runtime/log/segment.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-file-log-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const rec = (key: string | null, value: string | null, timestamp: number, headers?: NewRecord['headers']): NewRecord => ({
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  timestamp,
  ...(headers ? { headers } : {}),
});

const plain = (rs: readonly { key: Buffer | null; value: Buffer | null; timestamp: number; offset: number }[]) =>
  rs.map((r) => ({ k: r.key?.toString() ?? null, v: r.value?.toString() ?? null, ts: r.timestamp, o: r.offset }));

function segmentPath(topicDirPrefix: string, p: number): string {
  const d = readdirSync(join(dir, 'topics')).find((n) => n.startsWith(topicDirPrefix + '-'));
  if (!d) throw new Error(`no dir for ${topicDirPrefix}`);
  return join(dir, 'topics', d, `${p}.seg`);
}

describe('FileLog', () => {
  it('keeps topics, records, headers and committed offsets across close and reopen', async () => {
    const log = await FileLog.open(dir);
    await log.createTopic('orders', 2);
    await log.createTopic('users', 1, { compacted: true });
    expect(await log.append('orders', 0, [rec('a', '1', 10), rec(null, null, 20)])).toBe(0);
    expect(
      await log.append('orders', 0, [
        rec('b', '2', 30, [
          { key: 'h', value: Buffer.from('x') },
          { key: 'ü', value: null },
        ]),
      ]),
    ).toBe(2);
    await log.append('orders', 1, [rec('c', '', -5.5)]);
    await log.commit('q1', 'orders', 0, 2);
    await log.commit('q1', 'orders', 1, 1);
    await log.close();

    const again = await FileLog.open(dir);
    expect(await again.listTopics()).toEqual(
      expect.arrayContaining([
        { name: 'orders', partitions: 2, compacted: false },
        { name: 'users', partitions: 1, compacted: true },
      ]),
    );
    const p0 = await again.read('orders', 0, 0, 10);
    expect(plain(p0)).toEqual([
      { k: 'a', v: '1', ts: 10, o: 0 },
      { k: null, v: null, ts: 20, o: 1 },
      { k: 'b', v: '2', ts: 30, o: 2 },
    ]);
    expect(p0[0]!.headers).toEqual([]);
    expect(p0[2]!.headers).toEqual([
      { key: 'h', value: Buffer.from('x') },
      { key: 'ü', value: null },
    ]);
    expect(plain(await again.read('orders', 1, 0, 10))).toEqual([{ k: 'c', v: '', ts: -5.5, o: 0 }]);
    expect(await again.endOffset('orders', 0)).toBe(3);
    expect(await again.endOffset('users', 0)).toBe(0);
    expect(await again.committed('q1', 'orders', 0)).toBe(2);
    expect(await again.committed('q1', 'orders', 1)).toBe(1);
    expect(await again.committed('q2', 'orders', 0)).toBeUndefined();

    // Appends after reopening continue the offsets and survive another reopen.
    expect(await again.append('orders', 0, [rec('d', '4', 40)])).toBe(3);
    await again.commit('q1', 'orders', 0, 4);
    await again.close();
    const third = await FileLog.open(dir);
    expect(plain(await third.read('orders', 0, 2, 5)).map((r) => r.k)).toEqual(['b', 'd']);
    expect(await third.committed('q1', 'orders', 0)).toBe(4);
    await third.close();
  });

  it('reads sequential batches and notifies append listeners', async () => {
    const log = await FileLog.open(dir);
    await log.createTopic('t', 1);
    const seen: string[] = [];
    const off = log.onAppend((t) => seen.push(t));
    await log.append(
      't',
      0,
      Array.from({ length: 5000 }, (_, i) => rec(`k${i}`, `v${i}`, i)),
    );
    off();
    await log.append('t', 0, [rec('x', 'y', 0)]);
    expect(seen).toEqual(['t']);
    let offset = 0;
    let batches = 0;
    for (;;) {
      const batch = await log.read('t', 0, offset, 2000);
      if (batch.length === 0) break;
      expect(batch[0]!.offset).toBe(offset);
      offset += batch.length;
      batches++;
    }
    expect([offset, batches]).toEqual([5001, 3]);
    await log.close();
  });

  it('truncates a torn last record on open and appends after it', async () => {
    const log = await FileLog.open(dir);
    await log.createTopic('t', 1);
    await log.append('t', 0, [rec('a', '1', 1), rec('b', '2', 2)]);
    await log.close();
    const path = segmentPath('t', 0);
    const good = statSync(path).size;
    // A crash mid-write: only part of the next record's bytes reached the file.
    const next = encodeRecords([rec('c', 'a longer value', 3)]);
    appendFileSync(path, next.subarray(0, next.length - 3));

    const again = await FileLog.open(dir);
    expect(plain(await again.read('t', 0, 0, 10)).map((r) => r.k)).toEqual(['a', 'b']);
    expect(statSync(path).size).toBe(good);
    expect(await again.append('t', 0, [rec('d', '4', 4)])).toBe(2);
    await again.close();
    const third = await FileLog.open(dir);
    expect(plain(await third.read('t', 0, 0, 10)).map((r) => r.k)).toEqual(['a', 'b', 'd']);
    await third.close();
  });

  it('drops a last record whose CRC does not match, and a tail shorter than a frame header', async () => {
    const log = await FileLog.open(dir);
    await log.createTopic('t', 2);
    await log.append('t', 0, [rec('a', '1', 1), rec('b', '2', 2)]);
    await log.append('t', 1, [rec('a', '1', 1)]);
    await log.close();
    const p0 = segmentPath('t', 0);
    const bytes = readFileSync(p0);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1); // corrupt the last value byte
    writeFileSync(p0, bytes);
    const p1 = segmentPath('t', 1);
    appendFileSync(p1, Buffer.from([1, 2, 3]));

    const again = await FileLog.open(dir);
    expect(plain(await again.read('t', 0, 0, 10)).map((r) => r.k)).toEqual(['a']);
    expect(plain(await again.read('t', 1, 0, 10)).map((r) => r.k)).toEqual(['a']);
    await again.close();
  });

  it('handles many partitions with fewer descriptors than segments', async () => {
    const log = await FileLog.open(dir, { maxOpenFiles: 4 });
    await log.createTopic('wide', 32);
    for (let round = 0; round < 3; round++) {
      for (let p = 0; p < 32; p++) await log.append('wide', p, [rec(`p${p}`, `r${round}`, round)]);
    }
    for (let p = 0; p < 32; p++) await log.commit('g', 'wide', p, 3);
    await log.close();
    const again = await FileLog.open(dir);
    for (let p = 0; p < 32; p++) {
      expect(plain(await again.read('wide', p, 0, 10)).map((r) => `${r.k}:${r.v}`)).toEqual([`p${p}:r0`, `p${p}:r1`, `p${p}:r2`]);
      expect(await again.committed('g', 'wide', p)).toBe(3);
    }
    await again.close();
  });

  it('deletes a topic and its files; a re-created topic starts empty', async () => {
    const log = await FileLog.open(dir);
    await log.createTopic('gone', 2);
    await log.createTopic('kept', 1);
    await log.append('gone', 1, [rec('a', '1', 1)]);
    await log.append('kept', 0, [rec('a', '1', 1)]);
    await log.deleteTopic('gone');
    await log.deleteTopic('never-existed');
    expect(await log.topic('gone')).toBeUndefined();
    expect(readdirSync(join(dir, 'topics')).filter((n) => n.startsWith('gone'))).toEqual([]);
    await log.close();

    const again = await FileLog.open(dir);
    expect((await again.listTopics()).map((t) => t.name)).toEqual(['kept']);
    await again.createTopic('gone', 3);
    expect(await again.endOffset('gone', 1)).toBe(0);
    await again.close();
  });

  it('keeps topic names that are not file-system safe apart', async () => {
    const log = await FileLog.open(dir);
    const names = ['a/b', 'a_b', 'A_B', '..', 'x y*'];
    for (const [i, n] of names.entries()) {
      await log.createTopic(n, 1);
      await log.append(n, 0, [rec(n, String(i), i)]);
    }
    await log.close();
    const again = await FileLog.open(dir);
    for (const n of names) expect(plain(await again.read(n, 0, 0, 5)).map((r) => r.k)).toEqual([n]);
    await again.close();
  });

  it('removes debris of interrupted creates and deletes and ignores a stale offsets temp file', async () => {
    const log = await FileLog.open(dir, { fsync: true });
    await log.createTopic('t', 1);
    await log.append('t', 0, [rec('a', '1', 1)]);
    await log.commit('g', 't', 0, 1);
    await log.close();
    const topics = join(dir, 'topics');
    const tDir = readdirSync(topics)[0]!;
    // A create that crashed before meta.json, a delete that crashed after the rename, a half-written offsets file.
    mkdirSync(join(topics, 'half-0000'));
    writeFileSync(join(topics, 'half-0000', '0.seg'), 'SLS1');
    mkdirSync(join(topics, `${tDir}x#deleted`));
    writeFileSync(join(dir, 'offsets.json.tmp'), '{"vers');
    const again = await FileLog.open(dir);
    expect(readdirSync(topics)).toEqual([tDir]);
    expect((await again.listTopics()).map((t) => t.name)).toEqual(['t']);
    expect(await again.committed('g', 't', 0)).toBe(1);
    await again.close();
    expect(existsSync(join(dir, 'offsets.json'))).toBe(true);
  });

  it('recreates a segment file truncated before its magic', async () => {
    const log = await FileLog.open(dir);
    await log.createTopic('t', 1);
    await log.close();
    truncateSync(segmentPath('t', 0), 2);
    const again = await FileLog.open(dir);
    await again.append('t', 0, [rec('a', '1', 1)]);
    await again.close();
    const third = await FileLog.open(dir);
    expect(await third.endOffset('t', 0)).toBe(1);
    await third.close();
  });

  it('rejects writes after close and errors for unknown partitions', async () => {
    const log = await FileLog.open(dir);
    await log.createTopic('t', 1);
    await expect(log.append('t', 1, [rec('a', '1', 1)])).rejects.toThrow(/no partition 1/);
    await expect(log.append('nope', 0, [rec('a', '1', 1)])).rejects.toThrow(/does not exist/);
    await log.close();
    await expect(log.append('t', 0, [rec('a', '1', 1)])).rejects.toThrow(/closed/);
  });

  it('stores records across many small chunks: batches straddling chunks, records larger than a chunk, reopen', async () => {
    const opts = { maxChunkBytes: 100 };
    const log = await FileLog.open(dir, opts);
    await log.createTopic('t', 1);
    const expected: { k: string | null; v: string | null; ts: number; o: number }[] = [];
    let n = 0;
    for (const size of [1, 7, 3, 1, 12]) {
      const batch = Array.from({ length: size }, (_, i) => {
        const j = n + i;
        // every 5th value is larger than a whole chunk; a few keys or values are null or empty
        const v = j % 5 === 0 ? 'x'.repeat(150 + j) : j % 7 === 0 ? null : j % 11 === 0 ? '' : `v${j}`;
        return rec(j % 6 === 0 ? null : `k${j}`, v, j * 1.5, j % 4 === 0 ? [{ key: `h${j}`, value: j % 8 === 0 ? null : Buffer.from('hv') }] : undefined);
      });
      expect(await log.append('t', 0, batch)).toBe(n);
      for (const [i, r] of batch.entries()) expected.push({ k: r.key?.toString() ?? null, v: r.value?.toString() ?? null, ts: r.timestamp, o: n + i });
      n += size;
    }
    const check = async (l: FileLog) => {
      expect(await l.endOffset('t', 0)).toBe(n);
      expect(plain(await l.read('t', 0, 0, 1000))).toEqual(expected);
      for (let from = 0; from <= n; from++) {
        for (const max of [1, 2, 5]) expect(plain(await l.read('t', 0, from, max))).toEqual(expected.slice(from, from + max));
      }
      const withHeader = (await l.read('t', 0, 8, 1))[0]!;
      expect(withHeader.headers).toEqual([{ key: 'h8', value: null }]);
      expect((await l.read('t', 0, 4, 1))[0]!.headers).toEqual([{ key: 'h4', value: Buffer.from('hv') }]);
      expect((await l.read('t', 0, 1, 1))[0]!.headers).toEqual([]);
    };
    await check(log);
    await log.close();
    const again = await FileLog.open(dir, opts);
    await check(again);
    // The file holds exactly the frames, in order.
    expect(readFileSync(segmentPath('t', 0)).subarray(4)).toEqual(
      encodeRecords(
        expected.map((e, i) => ({ ...rec(e.k, e.v, e.ts), headers: i % 4 === 0 ? [{ key: `h${i}`, value: i % 8 === 0 ? null : Buffer.from('hv') }] : [] })),
      ),
    );
    await again.close();
    // Reopened with the default chunk size the same bytes load into one chunk.
    const third = await FileLog.open(dir);
    await check(third);
    await third.close();
  });

  it('truncates across chunk boundaries, on disk and in memory, and appends after it', async () => {
    const opts = { maxChunkBytes: 120 };
    const log = await FileLog.open(dir, opts);
    await log.createTopic('t', 1);
    await log.append(
      't',
      0,
      Array.from({ length: 30 }, (_, i) => rec(`k${i}`, `value-${i}`, i)),
    );
    const path = segmentPath('t', 0);
    const read = async (l: FileLog) => plain(await l.read('t', 0, 0, 100)).map((r) => r.k);
    const keys = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `k${from + i}`);
    const sizeWith = (count: number) => 4 + encodeRecords(Array.from({ length: count }, (_, i) => rec(`k${i}`, `value-${i}`, i))).length;

    // Buffers handed out before a truncate keep their bytes through it and later appends.
    const held = await log.read('t', 0, 0, 30);
    await log.truncate('t', 0, 17);
    expect(await log.endOffset('t', 0)).toBe(17);
    expect(statSync(path).size).toBe(sizeWith(17));
    await log.truncate('t', 0, 20); // beyond the end: nothing happens
    expect(await log.endOffset('t', 0)).toBe(17);
    expect(await log.append('t', 0, [rec('a', 'new-a', 100), rec('b', 'new-b', 101)])).toBe(17);
    expect(await read(log)).toEqual([...keys(0, 17), 'a', 'b']);
    expect(held.map((r) => `${r.key}:${r.value}`)).toEqual(Array.from({ length: 30 }, (_, i) => `k${i}:value-${i}`));

    await log.truncate('t', 0, 3);
    await log.truncate('t', 0, 3);
    expect(await read(log)).toEqual(keys(0, 3));
    expect(statSync(path).size).toBe(sizeWith(3));
    await log.append(
      't',
      0,
      Array.from({ length: 10 }, (_, i) => rec(`k${3 + i}`, `value-${3 + i}`, 3 + i)),
    );
    expect(await read(log)).toEqual(keys(0, 13));
    await log.close();

    const again = await FileLog.open(dir, opts);
    expect(await read(again)).toEqual(keys(0, 13));
    expect(statSync(path).size).toBe(sizeWith(13));
    await again.truncate('t', 0, 0);
    expect(await again.read('t', 0, 0, 10)).toEqual([]);
    expect(statSync(path).size).toBe(4);
    expect(await again.append('t', 0, [rec('z', 'z', 1)])).toBe(0);
    await again.close();
    const third = await FileLog.open(dir, opts);
    expect(await read(third)).toEqual(['z']);
    await third.close();
  });

  it('keeps only a budget of chunks in memory and reads evicted ones back from the segment files', async () => {
    const opts = { maxChunkBytes: 200, maxResidentBytes: 1000 };
    const log = await FileLog.open(dir, opts);
    await log.createTopic('a', 2);
    await log.createTopic('b', 1);
    const value = (t: string, p: number, i: number) => `${t}${p}-value-${i}-${'x'.repeat(i % 17)}`;
    const parts = [
      ['a', 0],
      ['a', 1],
      ['b', 0],
    ] as const;
    for (let round = 0; round < 20; round++) {
      for (const [t, p] of parts) {
        const first = round * 10;
        await log.append(
          t,
          p,
          Array.from({ length: 10 }, (_, i) => rec(`k${first + i}`, value(t, p, first + i), first + i)),
        );
      }
    }
    // 3 partitions x 200 records x ~35 bytes is far beyond the 1000-byte budget; only the tails may exceed it.
    expect(log.residentBytes).toBeLessThanOrEqual(1000 + 3 * 200);
    const held = await log.read('a', 0, 0, 5);
    const check = async (l: FileLog) => {
      for (const [t, p] of parts) {
        const all = plain(await l.read(t, p, 0, 1000));
        expect(all.map((r) => r.v)).toEqual(Array.from({ length: 200 }, (_, i) => value(t, p, i)));
        // random access jumps between evicted and resident chunks
        for (const from of [150, 3, 199, 77, 0, 120]) {
          expect(plain(await l.read(t, p, from, 7)).map((r) => r.k)).toEqual(Array.from({ length: Math.min(7, 200 - from) }, (_, i) => `k${from + i}`));
        }
      }
      expect(l.residentBytes).toBeLessThanOrEqual(1000 + 3 * 200);
    };
    await check(log);
    // Truncating into an evicted chunk, then appending, then reading across it.
    await log.truncate('b', 0, 42);
    await log.append('b', 0, [rec('new', 'after-truncate', 1)]);
    const b = plain(await log.read('b', 0, 0, 1000));
    expect(b.map((r) => r.v)).toEqual([...Array.from({ length: 42 }, (_, i) => value('b', 0, i)), 'after-truncate']);
    expect(held.map((r) => r.value!.toString())).toEqual(Array.from({ length: 5 }, (_, i) => value('a', 0, i)));
    await log.deleteTopic('b');
    await log.close();
    const again = await FileLog.open(dir, opts);
    expect(again.residentBytes).toBeLessThanOrEqual(1000 + 2 * 200);
    expect(plain(await again.read('a', 1, 0, 1000)).map((r) => r.v)).toEqual(Array.from({ length: 200 }, (_, i) => value('a', 1, i)));
    await again.close();
  });

  it("reads an evicted chunk back when the partitions' tails alone exceed the budget", async () => {
    // Tails are never evicted: with 4 partitions of 200-byte chunks the tails hold more
    // than the 300-byte budget, so a chunk read back must not be evicted by its own admission.
    const opts = { maxChunkBytes: 200, maxResidentBytes: 300 };
    const log = await FileLog.open(dir, opts);
    await log.createTopic('t', 4);
    for (let p = 0; p < 4; p++) {
      await log.append(
        't',
        p,
        Array.from({ length: 40 }, (_, i) => rec(`k${i}`, `p${p}-value-${i}`, i)),
      );
    }
    for (let p = 0; p < 4; p++) {
      expect(plain(await log.read('t', p, 0, 1000)).map((r) => r.v)).toEqual(Array.from({ length: 40 }, (_, i) => `p${p}-value-${i}`));
    }
    await log.close();
  });

  it('keeps returned buffers valid after later appends and reads them without copying the whole log', async () => {
    const log = await FileLog.open(dir);
    await log.createTopic('t', 1);
    await log.append('t', 0, [rec('a', 'first', 1)]);
    const [a] = await log.read('t', 0, 0, 1);
    for (let i = 0; i < 50; i++)
      await log.append(
        't',
        0,
        Array.from({ length: 100 }, (_, j) => rec(`k${i}-${j}`, 'y'.repeat(100), j)),
      );
    expect([a!.key!.toString(), a!.value!.toString()]).toEqual(['a', 'first']);
    expect(await log.endOffset('t', 0)).toBe(5001);
    await log.close();
  });

  it('loads a torn tail that straddles chunks with a warning; a corrupt record in the middle stops opening until repaired', async () => {
    const opts = { maxChunkBytes: 64 };
    const log = await FileLog.open(dir, opts);
    await log.createTopic('t', 2);
    const recs = Array.from({ length: 10 }, (_, i) => rec(`k${i}`, 'v'.repeat(10 + i * 7), i));
    await log.append('t', 0, recs);
    await log.append('t', 1, recs);
    await log.commit('CTAS_Q_1', 't', 1, 10);
    await log.close();
    const frames = recs.map((r) => encodeRecords([r]).length);
    const upTo = (n: number) => 4 + frames.slice(0, n).reduce((a, b) => a + b, 0);
    // partition 0: a torn copy of a large record; partition 1: record 6's body corrupted, records 7-9 intact
    const p0 = segmentPath('t', 0);
    const big = encodeRecords([rec('big', 'b'.repeat(500), 0)]);
    appendFileSync(p0, big.subarray(0, 300));
    const p1 = segmentPath('t', 1);
    const bytes = readFileSync(p1);
    bytes[upTo(6) + 20]! ^= 0x55;
    writeFileSync(p1, bytes);
    const length = bytes.length;

    const warnings: string[] = [];
    const err = await FileLog.open(dir, { ...opts, warn: (m) => warnings.push(m) }).catch((e: unknown) => e as DamagedDataError);
    expect(err).toBeInstanceOf(DamagedDataError);
    expect((err as DamagedDataError).errorCode).toBe(50000);
    expect((err as DamagedDataError).message).toBe(
      `Log segment ${p1} is damaged at byte ${upTo(6)}: topic 't' partition 1 has 6 intact records (offsets 0 to 5), then a corrupt record, ` +
        `but intact records follow at byte ${upTo(7)} of ${length}, so this is not a torn write. Records from offset 6 on are affected; committed positions past it: CTAS_Q_1 at 10. ` +
        `Start-up stops rather than cut acknowledged data silently. Run 'sluice repair --data-dir ${dirname(dir)}' to keep the intact records and move bytes ${upTo(6)} to ${length} aside.`,
    );
    expect(statSync(p1).size).toBe(length); // nothing cut

    const repaired = await FileLog.open(dir, { ...opts, repair: true, warn: (m) => warnings.push(m) });
    expect(await repaired.endOffset('t', 0)).toBe(10);
    expect(statSync(p0).size).toBe(upTo(10));
    expect(warnings.some((w) => w.includes(`topic 't' partition 0`) && w.includes('cut off a torn last record (300 bytes'))).toBe(true);
    expect(plain(await repaired.read('t', 1, 0, 100)).map((r) => r.k)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
    expect(statSync(p1).size).toBe(upTo(6));
    const aside = readdirSync(dirname(p1)).filter((n) => n.startsWith('1.seg.damaged-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dirname(p1), aside[0]!))).toEqual(bytes.subarray(upTo(6)));
    expect(repaired.repairs).toEqual([
      `topic 't' partition 1, segment ${p1}: kept 6 intact records; moved the damaged bytes ${upTo(6)} to ${length} to ${join(dirname(p1), aside[0]!)}`,
      "query CTAS_Q_1 had committed position 10 in topic 't' partition 1, which now ends at 6: it continues from 6",
    ]);
    // The committed position was moved back, so the next records appended are read, not skipped.
    expect(await repaired.committed('CTAS_Q_1', 't', 1)).toBe(6);
    expect(await repaired.append('t', 1, [rec('n', 'n', 1)])).toBe(6);
    await repaired.close();
    const third = await FileLog.open(dir, opts);
    expect(plain(await third.read('t', 1, 4, 100)).map((r) => r.k)).toEqual(['k4', 'k5', 'n']);
    expect(await third.committed('CTAS_Q_1', 't', 1)).toBe(6);
    await third.close();
  });

  it('checks the CRCs of a segment changed after a clean close', async () => {
    const log = await FileLog.open(dir);
    await log.createTopic('t', 1);
    await log.append('t', 0, [rec('a', 'aaaa', 1), rec('b', 'bbbb', 2), rec('c', 'cccc', 3)]);
    await log.close();
    // Flip a byte inside record b's value: its frame stays well formed, only the CRC can tell.
    const p = segmentPath('t', 0);
    const bytes = readFileSync(p);
    bytes[bytes.indexOf('bbbb')] = 'x'.charCodeAt(0);
    writeFileSync(p, bytes);
    const at = 4 + encodeRecords([rec('a', 'aaaa', 1)]).length;
    await expect(FileLog.open(dir)).rejects.toThrow(
      `Log segment ${p} is damaged at byte ${at}: topic 't' partition 0 has 1 intact records (offsets 0 to 0), then a corrupt record`,
    );
  });

  it('moves a damaged offsets.json aside with a warning instead of failing with a JSON error', async () => {
    const log = await FileLog.open(dir);
    await log.createTopic('t', 1);
    await log.commit('Q', 't', 0, 0);
    await log.close();
    const path = join(dir, 'offsets.json');
    truncateSync(path, 5);
    const warnings: string[] = [];
    const again = await FileLog.open(dir, { warn: (m) => warnings.push(m) });
    expect(await again.committed('Q', 't', 0)).toBeUndefined();
    const aside = readdirSync(dir).filter((n) => n.startsWith('offsets.json.damaged-'));
    expect(aside).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^Committed positions file ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is damaged (.*JSON.*); moved it to .*offsets.json.damaged-.*: queries resume from the checkpoints saved with their state$`,
      ),
    );
    await again.commit('Q', 't', 0, 0);
    await again.close();
  });

  it('leaves nothing behind when the segment write fails', async () => {
    const log = await FileLog.open(dir, { maxChunkBytes: 100 });
    await log.createTopic('t', 1);
    await log.append('t', 0, [rec('a', '1', 1)]);
    const path = segmentPath('t', 0);
    const size = statSync(path).size;
    // A batch whose second record cannot be encoded (a header key that is not a string), after the first
    // already went into a new chunk: nothing of it may reach the file or the store.
    const bad = { key: Buffer.from('b'), value: Buffer.from('x'.repeat(300)), timestamp: 2, headers: [{ key: 42 as unknown as string, value: null }] };
    await expect(log.append('t', 0, [rec('ok', 'x'.repeat(200), 2), bad])).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    expect(await log.endOffset('t', 0)).toBe(1);
    expect(statSync(path).size).toBe(size);
    expect(await log.append('t', 0, [rec('c', '3', 3)])).toBe(1);
    expect(plain(await log.read('t', 0, 0, 10)).map((r) => r.k)).toEqual(['a', 'c']);
    await log.close();
    const again = await FileLog.open(dir);
    expect(plain(await again.read('t', 0, 0, 10)).map((r) => r.k)).toEqual(['a', 'c']);
    await again.close();
  });
});

describe('ChunkStore', () => {
  it('persists each append as the regions of the chunks it touched, and rolls back when persisting fails', () => {
    const store = new ChunkStore(4, 64);
    const seen: number[][] = [];
    store.append([rec('a', '1', 1), rec('b', 'x'.repeat(40), 2), rec('c', '3', 3)], (regions) => seen.push(regions.map((r) => r.length)));
    const frames = [rec('a', '1', 1), rec('b', 'x'.repeat(40), 2), rec('c', '3', 3)].map((r) => encodeRecords([r]).length);
    // the second record does not fit the first 64-byte chunk and gets one of its own size, the third a third one
    expect(seen).toEqual([[frames[0]!, frames[1]!, frames[2]!]]);
    expect(store.fileLength).toBe(4 + frames[0]! + frames[1]! + frames[2]!);
    expect(store.fileLengthAt(1)).toBe(4 + frames[0]!);
    expect(() =>
      store.append([rec('d', 'y'.repeat(100), 4)], () => {
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect([store.length, store.fileLength]).toEqual([3, 4 + frames[0]! + frames[1]! + frames[2]!]);
    store.append([rec('e', '5', 5)]);
    expect(plain(store.read(0, 10)).map((r) => r.k)).toEqual(['a', 'b', 'c', 'e']);
    expect(plain(store.read(-3, 2)).map((r) => r.k)).toEqual(['a', 'b']);
    expect(store.read(4, 10)).toEqual([]);
    expect(store.read(1, 0)).toEqual([]);
  });
});
