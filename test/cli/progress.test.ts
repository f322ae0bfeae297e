// Progress display: the terminal bar never wraps, and durations read like a clock.
import assert from 'node:assert/strict';
import { formatDuration, formatLoss, formatProgressBar, formatProgressLine, ProgressState } from '../../src/cli/progress';

const STATE: ProgressState = { step: 120, steps: 500, loss: 2.31415, validationLoss: 2.4011, stepsPerSecond: 38.2, etaSeconds: 9.9 };

describe('cli progress', () => {
  it('formats durations like a clock, and unknown ones as --:--', () => {
    assert.equal(formatDuration(9.9), '0:10');
    assert.equal(formatDuration(723), '12:03');
    assert.equal(formatDuration(3723), '1:02:03');
    assert.equal(formatDuration(NaN), '--:--');
    assert.equal(formatDuration(Infinity), '--:--');
  });

  it('spells out a diverged loss', () => {
    assert.equal(formatLoss(NaN), 'NaN');
    assert.equal(formatLoss(-Infinity), '-Infinity');
    assert.equal(formatLoss(undefined), '—');
  });

  it('shows step, bar, loss, validation loss, speed and ETA on a normal terminal', () => {
    const bar = formatProgressBar(STATE, 120);
    assert.match(bar, /^120\/500 \[█+░+\]  24%  loss 2\.314  val 2\.401  38\.2 steps\/s  ETA 0:10$/);
    assert.equal((bar.match(/█/g) ?? []).length, 7, '24% of a 30-character bar');
  });

  it('never reaches the last column, however narrow the terminal', () => {
    for (let columns = 8; columns <= 200; columns++) {
      const bar = formatProgressBar(STATE, columns);
      assert.ok(bar.length < columns, `${bar.length} characters at ${columns} columns: ${bar}`);
    }
    assert.match(formatProgressBar(STATE, 60), /ETA 0:10$/, 'a 60-column terminal still shows the ETA');
  });

  it('writes a plain line for logs', () => {
    assert.equal(formatProgressLine(STATE), 'step 120/500  loss 2.314  val 2.401  38.2 steps/s  ETA 0:10');
  });
});
