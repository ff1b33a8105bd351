import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DamagedDataError } from '../src/common/errors.js';
import { FileLog } from '../src/runtime/log/file-log.js';
import type { NewRecord } from '../src/runtime/log/log.js';
import { encodeRecords } from '../src/runtime/log/segment.js';

// The recovery checkpoint (recovery-point.json): which segment bytes `FileLog.open`
// takes as good without checking CRCs, observed through `FileLog.recovery`.

let dir: string;
const warnings: string[] = [];
const opts = { warn: (m: string) => warnings.push(m) };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-recovery-'));
  warnings.length = 0;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const rec = (key: string, value: string, timestamp: number): NewRecord => ({ key: Buffer.from(key), value: Buffer.from(value), timestamp });
const keys = async (log: FileLog, topic: string, p: number) => (await log.read(topic, p, 0, 100)).map((r) => r.key?.toString());
const frames = (...rs: NewRecord[]) => encodeRecords(rs).length;

function segmentPath(topic: string, p: number): string {
  const d = readdirSync(join(dir, 'topics')).find((n) => n.startsWith(`${topic}-`));
  if (!d) throw new Error(`no dir for ${topic}`);
  return join(dir, 'topics', d, `${p}.seg`);
}

describe('FileLog recovery checkpoint', () => {
  it('skips the CRC checks of every segment unchanged since a clean close', async () => {
    const log = await FileLog.open(dir, opts);
    await log.createTopic('t', 2);
    await log.append('t', 0, [rec('a', '1', 1), rec('b', '2', 2)]);
    await log.append('t', 1, [rec('c', '3', 3)]);
    await log.close();
    const total = statSync(segmentPath('t', 0)).size + statSync(segmentPath('t', 1)).size;

    const again = await FileLog.open(dir, opts);
    expect(again.recovery).toEqual({ trustedBytes: total, verifiedBytes: 0, indexedSegments: 2 });
    expect(await keys(again, 't', 0)).toEqual(['a', 'b']);
    expect(await keys(again, 't', 1)).toEqual(['c']);
    // Segments loaded from their index take appends and truncations as scanned ones do.
    await again.append('t', 0, [rec('d', '4', 4)]);
    await again.truncate('t', 1, 0);
    await again.append('t', 1, [rec('e', '5', 5)]);
    await again.close();
    const third = await FileLog.open(dir, opts);
    expect(third.recovery.indexedSegments).toBe(2);
    expect(await keys(third, 't', 0)).toEqual(['a', 'b', 'd']);
    expect(await keys(third, 't', 1)).toEqual(['e']);
    await third.close();
    expect(warnings).toEqual([]);
  });

  it('loads a segment of many chunks from its index and reads each chunk back when needed', async () => {
    const small = { ...opts, maxChunkBytes: 64, maxResidentBytes: 256 };
    const log = await FileLog.open(dir, small);
    await log.createTopic('t', 1);
    const all = Array.from({ length: 50 }, (_, i) => rec(`k${i}`, `value ${i}`.repeat(1 + (i % 3)), i));
    for (let i = 0; i < all.length; i += 7) await log.append('t', 0, all.slice(i, i + 7));
    await log.close();

    const again = await FileLog.open(dir, small);
    expect(again.recovery.indexedSegments).toBe(1);
    expect(again.residentBytes).toBe(0);
    const read = await again.read('t', 0, 0, 100);
    expect(read.map((r) => [r.key?.toString(), r.value?.toString(), r.timestamp, r.offset])).toEqual(
      all.map((r, i) => [r.key?.toString(), r.value?.toString(), r.timestamp, i]),
    );
    expect((await again.read('t', 0, 31, 2)).map((r) => r.key?.toString())).toEqual(['k31', 'k32']);
    await again.close();
  });

  it('scans a segment whose index file is missing or does not describe it', async () => {
    const log = await FileLog.open(dir, opts);
    await log.createTopic('t', 2);
    await log.append('t', 0, [rec('a', '1', 1), rec('b', '2', 2)]);
    await log.append('t', 1, [rec('c', '3', 3)]);
    await log.close();
    rmSync(`${segmentPath('t', 0)}.index`);
    writeFileSync(`${segmentPath('t', 1)}.index`, 'SLX1 garbage');

    const again = await FileLog.open(dir, opts);
    const total = statSync(segmentPath('t', 0)).size + statSync(segmentPath('t', 1)).size;
    expect(again.recovery).toEqual({ trustedBytes: total, verifiedBytes: 0, indexedSegments: 0 });
    expect(await keys(again, 't', 0)).toEqual(['a', 'b']);
    expect(await keys(again, 't', 1)).toEqual(['c']);
    await again.close();
  });

  it('checks in full a segment cut short after a clean close, and trusts the others', async () => {
    const log = await FileLog.open(dir, opts);
    await log.createTopic('t', 2);
    await log.append('t', 0, [rec('a', '1', 1), rec('b', '2', 2)]);
    await log.append('t', 1, [rec('c', '3', 3)]);
    await log.close();
    const p0 = segmentPath('t', 0);
    truncateSync(p0, statSync(p0).size - 3); // record b loses its last bytes

    const again = await FileLog.open(dir, opts);
    expect(again.recovery).toEqual({ trustedBytes: statSync(segmentPath('t', 1)).size, verifiedBytes: 4 + frames(rec('a', '1', 1)), indexedSegments: 1 });
    expect(await keys(again, 't', 0)).toEqual(['a']);
    expect(warnings).toEqual([
      `topic 't' partition 0, segment ${p0}: cut off a torn last record (${frames(rec('b', '2', 2)) - 3} bytes from byte ${4 + frames(rec('a', '1', 1))}, left by a crash during an append); the partition ends at offset 1`,
    ]);
    await again.close();
  });

  it('detects a record corrupted in place after a clean close (same size)', async () => {
    const log = await FileLog.open(dir, opts);
    await log.createTopic('t', 1);
    await log.append('t', 0, [rec('a', 'aaaa', 1), rec('b', 'bbbb', 2), rec('c', 'cccc', 3)]);
    await log.close();
    const p = segmentPath('t', 0);
    const bytes = readFileSync(p);
    bytes[bytes.indexOf('bbbb')] = 'x'.charCodeAt(0); // only the CRC can tell
    writeFileSync(p, bytes);

    const error = await FileLog.open(dir, opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DamagedDataError);
    expect((error as Error).message).toContain(
      `Log segment ${p} is damaged at byte ${4 + frames(rec('a', 'aaaa', 1))}: topic 't' partition 0 has 1 intact records (offsets 0 to 0), then a corrupt record`,
    );
  });

  it('after a crash checks only the records past the recovery point, and finds damage there', async () => {
    const first = await FileLog.open(dir, opts);
    await first.createTopic('t', 1);
    await first.append('t', 0, [rec('a', 'aaaa', 1)]);
    await first.close();
    const recoveryPoint = statSync(segmentPath('t', 0)).size;
    // Opened again, appended to, and never closed: the process died.
    const crashed = await FileLog.open(dir, opts);
    await crashed.append('t', 0, [rec('b', 'bbbb', 2), rec('c', 'cccc', 3)]);

    // Damage past the recovery point is found.
    const p = segmentPath('t', 0);
    const good = readFileSync(p);
    const bytes = Buffer.from(good);
    bytes[bytes.indexOf('bbbb')] = 'x'.charCodeAt(0);
    writeFileSync(p, bytes);
    const error = await FileLog.open(dir, opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DamagedDataError);
    expect((error as Error).message).toContain(`Log segment ${p} is damaged at byte ${recoveryPoint}: topic 't' partition 0 has 1 intact records`);
    // Undamaged, only the records past it are checked.
    writeFileSync(p, good);
    const recovered = await FileLog.open(dir, opts);
    expect(recovered.recovery).toEqual({ trustedBytes: recoveryPoint, verifiedBytes: frames(rec('b', 'bbbb', 2), rec('c', 'cccc', 3)), indexedSegments: 0 });
    expect(await keys(recovered, 't', 0)).toEqual(['a', 'b', 'c']);
    await crashed.close();
    await recovered.close();
  });

  it('lowers the recovery point before a truncation, so records appended after it are checked after a crash', async () => {
    const first = await FileLog.open(dir, opts);
    await first.createTopic('t', 1);
    await first.append('t', 0, [rec('a', '1', 1), rec('b', '2', 2), rec('c', '3', 3)]);
    await first.close();
    const crashed = await FileLog.open(dir, opts);
    await crashed.truncate('t', 0, 1);
    await crashed.append('t', 0, [rec('d', '4', 4), rec('e', '5', 5)]);

    const recovered = await FileLog.open(dir, opts);
    expect(recovered.recovery).toEqual({
      trustedBytes: 4 + frames(rec('a', '1', 1)),
      verifiedBytes: frames(rec('d', '4', 4), rec('e', '5', 5)),
      indexedSegments: 0,
    });
    expect(await keys(recovered, 't', 0)).toEqual(['a', 'd', 'e']);
    await crashed.close();
    await recovered.close();
  });

  it('checks everything when the checkpoint is unreadable', async () => {
    const log = await FileLog.open(dir, opts);
    await log.createTopic('t', 1);
    await log.append('t', 0, [rec('a', '1', 1)]);
    await log.close();
    writeFileSync(join(dir, 'recovery-point.json'), '{"version":1,"clean":tru');

    const again = await FileLog.open(dir, opts);
    expect(again.recovery).toEqual({ trustedBytes: 0, verifiedBytes: statSync(segmentPath('t', 0)).size, indexedSegments: 0 });
    expect(await keys(again, 't', 0)).toEqual(['a']);
    await again.close();
    expect(warnings).toEqual([]);
  });
});
