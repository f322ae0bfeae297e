// The display API inside the real kernel (dist/kernel.js through KernelProcess), as a lesson cell uses it:
// `await train({...})` streams one live chart and returns the run; `show.*` add charts to the cell; Interrupt stops
// training with the run so far kept in the variable. The live update rate is printed, not asserted.
import assert from 'node:assert/strict';
import { CHART_MIME, parseNotebookPayload } from '../../src/shared/notebookOutput';
import { kernelForSuite, recordingSink } from './kernelHarness';

const CONFIG = "{ task: 'adding', sequenceLength: 20, cell: 'lstm', hidden: 16, batchSize: 16, learningRate: 0.01, seed: 1, validateEvery: 100";

describe('lesson kernel: charts from cells (show, train)', () => {
  const suite = kernelForSuite();

  it('await train({...}) streams one live chart into the cell and returns the run; show.* add charts', async () => {
    const sink = recordingSink();
    const outcome = await suite.kernel.run(`import { train, show } from 'rnn-lab';
const run = await train(${CONFIG}, steps: 1500 });
show.timeGradients(run);
show.table([{ steps: run.steps, stopped: run.stopReason }]);
run.steps`, 'Cell 1', sink);
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
    assert.equal(outcome.status === 'ok' ? outcome.value?.find((item) => item.mime === 'text/plain')?.data : '', '1500');
    const displays = sink.events.filter((event) => event.kind === 'display');
    assert.equal(displays.length, 3, 'the live chart, the gradient chart, the table');
    const live = displays[0];
    assert.ok(live.kind === 'display' && live.displayId, 'the live chart has a display id');
    const updates = sink.events.filter((event) => event.kind === 'update');
    assert.ok(updates.every((event) => event.kind === 'update' && event.displayId === live.displayId));
    const last = updates[updates.length - 1];
    const payload = JSON.parse(last.items.find((item) => item.mime === CHART_MIME)!.data);
    const parsed = parseNotebookPayload(CHART_MIME, payload);
    assert.ok(parsed.ok && parsed.payload.runs[0].info.status === 'done' && parsed.payload.runs[0].steps.at(-1)?.step === 1500);
    // The updates while it trained (the last one is sent when it ends), from the chart's first display to its last update.
    const seconds = (last.at - live.at) / 1000;
    const rate = (updates.length - 1) / seconds;
    console.log(`      train() in the kernel: 1500 steps in ${seconds.toFixed(2)} s, ${updates.length - 1} live updates = ${rate.toFixed(1)} chart updates/s`);
    assert.ok(updates.length >= 2);
    assert.ok(displays[1].items.some((item) => item.mime === CHART_MIME) && displays[1].items.some((item) => item.mime === 'text/plain'));
    assert.ok(displays[2].items.some((item) => item.mime === 'text/markdown' && item.data.includes('| 1500 | done |')));
  });

  it('Interrupt stops train() at its next step: the cell says interrupted, and the variable holds the run so far', async () => {
    const sink = recordingSink();
    const running = suite.kernel.run(`import { train } from 'rnn-lab';
console.log('started');
const long = await train(${CONFIG}, steps: 1000000 });`, 'Cell 2', sink);
    await sink.seen('started');
    while (!sink.events.some((event) => event.kind === 'update')) await new Promise((resolve) => setTimeout(resolve, 20));
    const asked = Date.now();
    await suite.kernel.interrupt();
    const outcome = await running;
    console.log(`      interrupt of train(): ${Date.now() - asked} ms`);
    // train() returns at its next step, normally within the runtime's grace period after an interrupt: then the cell
    // ends normally with the run in its variable. On a machine so loaded that one step outlasts the grace period, the
    // runtime abandons the cell instead (said, not hidden); the kernel is never restarted either way.
    assert.ok(outcome.status === 'ok' || (outcome.status === 'interrupted' && !outcome.restarted), JSON.stringify(outcome));
    if (outcome.status !== 'ok') {
      console.log('      (train() outlasted the runtime\'s grace period on this loaded machine: the cell was abandoned)');
      return;
    }
    const after = await suite.kernel.run('[long.stopReason, long.steps > 0, long.steps < 1000000, long.metrics.length === long.steps]', 'Cell 3', recordingSink());
    assert.equal(after.status === 'ok' ? after.value?.[0].data : JSON.stringify(after), "[ 'interrupted', true, true, true ]");
    const updates = sink.events.filter((event) => event.kind === 'update');
    const final = JSON.parse(updates[updates.length - 1].items.find((item) => item.mime === CHART_MIME)!.data);
    assert.equal(final.runs[0].info.status, 'stopped', 'the chart says the run stopped, not that it is still training');
  });
});
