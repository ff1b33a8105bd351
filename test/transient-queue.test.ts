import { describe, expect, it } from 'vitest';
import { T } from '../src/common/types.js';
import { PUSH_BUFFER_PROPERTY, RowQueue, TransientHandle, valueBytes } from '../src/runtime/query/row-queue.js';

/** Takes every row the queue holds now (the queue must have ended, or hold them all). */
async function drain(q: RowQueue): Promise<(readonly unknown[])[]> {
  const out: (readonly unknown[])[] = [];
  for await (const r of q) out.push(r);
  return out;
}

describe('RowQueue bounds the rows a push query holds for its client', () => {
  it('counts the bytes of the rows held and gives them back as rows are taken', async () => {
    const q = new RowQueue();
    q.maxBytes = 10_000;
    q.push([1, 'ab']);
    q.push([null, [1, 2], new Map([['k', 'v']])]);
    expect(q.bufferedBytes).toBe(16 + valueBytes(1) + valueBytes('ab') + 16 + valueBytes(null) + valueBytes([1, 2]) + valueBytes(new Map([['k', 'v']])));
    q.end();
    expect(await drain(q)).toEqual([
      [1, 'ab'],
      [null, [1, 2], new Map([['k', 'v']])],
    ]);
    expect(q.bufferedBytes).toBe(0);
  });

  it('is full from half its bound until the client takes it down to a quarter, then calls onDrained once', async () => {
    const q = new RowQueue();
    q.maxBytes = 4320; // ten rows of 432 bytes
    let drained = 0;
    q.onDrained = () => drained++;
    const row = ['x'.repeat(200)]; // 16 + 16 + 400 bytes
    for (let i = 0; i < 4; i++) q.push(row);
    expect(q.full).toBe(false); // 1728 < 2160
    q.push(row);
    expect(q.full).toBe(true); // 2160: half the bound
    q.end();
    const it = q[Symbol.asyncIterator]();
    await it.next(); // 1728
    await it.next(); // 1296
    expect(q.full).toBe(true);
    expect(drained).toBe(0);
    await it.next(); // 864 <= 1080: a quarter
    expect(q.full).toBe(false);
    expect(drained).toBe(1);
    await it.next();
    expect(drained).toBe(1);
  });

  it('past the bound drops every row held, ends, and reports how much was waiting', async () => {
    const overflows: number[] = [];
    const q = new RowQueue((n) => overflows.push(n));
    q.maxBytes = 1000;
    const row = ['x'.repeat(200)]; // 16 + 16 + 400 bytes
    q.push(row);
    q.push(row);
    expect(overflows).toEqual([]);
    q.push(row);
    expect(overflows).toEqual([3 * 432]);
    expect(q.bufferedBytes).toBe(0);
    q.push(row); // ended: ignored
    expect(await drain(q)).toEqual([]);
  });

  it('a push query handle fails with an error naming the bound and the server property', async () => {
    const h = new TransientHandle('transient_S_1', 'push', [{ name: 'V', type: T.STRING }], [], () => undefined);
    h.limitBuffer(100);
    h.queue.push(['y'.repeat(100)]);
    await h.done;
    expect(h.isClosed).toBe(true);
    expect(h.error).toBe(
      `Push query transient_S_1 was closed because its client is not reading its results: 232 bytes of rows were waiting to be sent, more than the limit of 100 bytes (server property ${PUSH_BUFFER_PROPERTY}).`,
    );
  });

  it('pull query handles are not bounded: their rows are all there is', async () => {
    const h = new TransientHandle('q', 'pull', [], [], () => undefined);
    h.limitBuffer(10);
    for (let i = 0; i < 100; i++) h.queue.push(['z'.repeat(100)]);
    h.close();
    expect(h.error).toBeUndefined();
    expect((await drain(h.queue)).length).toBe(100);
  });
});
