// The live chart's update queue: one write in flight, the newest waiting update only, and settled() once the newest
// value is written — so a slow editor shows the latest training state, and the final one is never lost.
import assert from 'node:assert/strict';
import { LatestUpdate } from '../../src/extension/host/latestUpdate';

/** A write that finishes only when the test says so. */
function slowWriter(): { written: number[]; finish: () => Promise<void>; write: (value: number) => Promise<void> } {
  const written: number[] = [];
  const pending: (() => void)[] = [];
  return {
    written,
    write: (value) => new Promise<void>((resolve) => pending.push(() => {
      written.push(value);
      resolve();
    })),
    /** Lets the queue start its next write, finishes the oldest write in progress, and lets the queue react. */
    finish: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('LatestUpdate: live output updates, newest first', () => {
  it('writes one value at a time and, of the values pushed meanwhile, only the newest', async () => {
    const writer = slowWriter();
    const updates = new LatestUpdate(writer.write);
    for (let step = 1; step <= 100; step++) updates.push(step);
    await writer.finish();
    await writer.finish();
    await writer.finish();
    assert.deepEqual(writer.written, [1, 100], 'the first update, then the newest: 98 stale ones skipped');
    assert.equal(updates.skipped, 98);
  });

  it('settled() resolves only after the newest value is written', async () => {
    const writer = slowWriter();
    const updates = new LatestUpdate(writer.write);
    updates.push(1);
    updates.push(2);
    let settled = false;
    const done = updates.settled().then(() => {
      settled = true;
    });
    await writer.finish();
    assert.equal(settled, false, 'the newest (2) is still waiting');
    await writer.finish();
    await done;
    assert.deepEqual(writer.written, [1, 2]);
    assert.equal(settled, true);
  });

  it('a failed write does not stop the next one', async () => {
    const written: number[] = [];
    const updates = new LatestUpdate((value: number) => {
      if (value === 1) return Promise.reject(new Error('the output was removed'));
      written.push(value);
      return Promise.resolve();
    });
    updates.push(1);
    updates.push(2);
    await updates.settled();
    assert.deepEqual(written, [2]);
  });
});
