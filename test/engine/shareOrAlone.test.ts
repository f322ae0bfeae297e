// Engine tests: ShareOrAlone, the choice between sharing a phase with the helper thread and running it alone, on
// simulated times — the part of the kernels' threading that timing decides, driven here without a clock.
import assert from 'node:assert/strict';
import { EXPLORE_EVERY, SHARING_TRIAL, ShareOrAlone } from '../../src/engine/wasm/sharedPhases';

/** Runs `runs` phases whose time is `timeOf(shared, run)`; returns the way each run went. */
function drive(choice: ShareOrAlone, runs: number, timeOf: (shared: boolean, run: number) => number, from = 0): boolean[] {
  const ways: boolean[] = [];
  for (let run = from; run < from + runs; run++) {
    const shared = choice.share();
    choice.record(shared, timeOf(shared, run));
    ways.push(shared);
  }
  return ways;
}

const count = (ways: readonly boolean[], shared: boolean): number => ways.filter((way) => way === shared).length;

describe('ShareOrAlone: sharing a phase with the helper, or running it alone', () => {
  it('tries sharing first (not counting the run that wakes the helper), then alone, then keeps to the faster', () => {
    const choice = new ShareOrAlone();
    // The helper is asleep on the first shared run (20 ms); after that sharing takes 3 ms, alone 5.
    const ways = drive(choice, 40, (shared, run) => (shared ? (run === 0 ? 20 : 3) : 5));
    assert.deepEqual(ways.slice(0, SHARING_TRIAL + 1), [...Array(SHARING_TRIAL).fill(true), false]);
    assert.equal(count(ways.slice(SHARING_TRIAL + 1), false), 1, 'alone is tried once every EXPLORE_EVERY runs, no more');
  });

  it('runs alone while sharing is slower (a busy core), trying sharing again now and then, and shares once it pays again', () => {
    const choice = new ShareOrAlone();
    let coreBusy = true;
    const timeOf = (shared: boolean): number => (shared ? (coreBusy ? 8 : 3) : 5);
    const busy = drive(choice, 10 * EXPLORE_EVERY, timeOf);
    const settled = busy.slice(2 * EXPLORE_EVERY);
    assert.ok(count(settled, true) <= (settled.length / EXPLORE_EVERY + 1) * SHARING_TRIAL, `shared ${count(settled, true)} of ${settled.length} runs while it was slower`);
    assert.ok(count(settled, true) > 0, 'sharing was never tried again');
    coreBusy = false;   // the other program ended
    const freed = drive(choice, 4 * EXPLORE_EVERY, timeOf, busy.length);
    const after = freed.slice(2 * EXPLORE_EVERY);
    assert.ok(count(after, false) <= after.length / EXPLORE_EVERY + 1, `ran ${count(after, false)} of ${after.length} runs alone after sharing paid again`);
  });

  it('goes back to sharing at its next trial after one preempted run made sharing look slow (the trial is measured afresh)', () => {
    const choice = new ShareOrAlone();
    let run = 0;
    // Sharing takes 3 ms and alone 5, except one shared run at 50 ms: the helper was preempted (a burst of other work).
    let preempted = false;
    const timeOf = (shared: boolean): number => {
      run++;
      if (shared && run === 3 * EXPLORE_EVERY + 2) preempted = true;
      return shared ? (preempted && run === 3 * EXPLORE_EVERY + 2 ? 50 : 3) : 5;
    };
    drive(choice, 3 * EXPLORE_EVERY + 2, timeOf);
    assert.ok(preempted, 'the preempted run happened while sharing');
    const after = drive(choice, 3 * EXPLORE_EVERY, timeOf);
    const last = after.slice(-EXPLORE_EVERY);
    assert.ok(count(last, false) <= 1, `still ran ${count(last, false)} of the last ${last.length} runs alone, long after the burst`);
  });

  it('keeps sharing on a quiet machine even when each trial begins with a helper that has to wake up', () => {
    const choice = new ShareOrAlone();
    let last = true;
    // The first shared run after a run alone finds the helper asleep: 9 ms; shared runs after it 3 ms; alone 5 ms.
    const ways = drive(choice, 8 * EXPLORE_EVERY, (shared) => {
      const ms = shared ? (last ? 3 : 9) : 5;
      last = shared;
      return ms;
    });
    const settled = ways.slice(EXPLORE_EVERY);
    assert.ok(count(settled, true) >= settled.length * 0.9, `shared only ${count(settled, true)} of ${settled.length} runs`);
  });
});
