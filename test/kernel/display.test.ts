// Kernel tests: the display API of a lesson cell (src/kernel/display.ts) against a fake sink — what each `show.*`
// writes (payloads the renderer accepts, text that states the same facts), and `train()`: one live chart, throttled
// updates (the rate is printed, not asserted), interrupt returning the run so far, a diverged run saying so.
import assert from 'node:assert/strict';
import { createDisplayApi, LabRun, LIVE_UPDATE_INTERVAL_MS, markdownTable } from '../../src/kernel/display';
import type { DisplayHooks } from '../../src/kernel/runtime';
import type { OutputItem } from '../../src/kernel/protocol';
import { formatNumber } from '../../src/shared/format';
import { CHART_MIME, HEATMAP_MIME, parseNotebookPayload, type NotebookPayload } from '../../src/shared/notebookOutput';

interface Written {
  readonly kind: 'display' | 'update';
  readonly items: readonly OutputItem[];
  readonly displayId?: string;
  readonly at: number;
}

class FakeSink implements DisplayHooks {
  readonly written: Written[] = [];
  stopWhen: (sink: FakeSink) => boolean = () => false;

  display(items: readonly OutputItem[], displayId?: string): void {
    this.written.push({ kind: 'display', items, ...(displayId !== undefined ? { displayId } : {}), at: performance.now() });
  }

  updateDisplay(displayId: string, items: readonly OutputItem[]): void {
    this.written.push({ kind: 'update', items, displayId, at: performance.now() });
  }

  interrupted(): boolean {
    return this.stopWhen(this);
  }

  get updates(): Written[] {
    return this.written.filter((w) => w.kind === 'update');
  }
}

function item(written: Written, mime: string): string {
  const found = written.items.find((i) => i.mime === mime);
  assert.ok(found, `no ${mime} item among ${written.items.map((i) => i.mime).join(', ')}`);
  return found.data;
}

/** The rich item of an output, validated as the renderer validates it. */
function payloadOf(written: Written): NotebookPayload {
  const rich = written.items.find((i) => i.mime === CHART_MIME || i.mime === HEATMAP_MIME);
  assert.ok(rich, 'no RNN Lab chart item');
  const parsed = parseNotebookPayload(rich.mime, JSON.parse(rich.data));
  assert.ok(parsed.ok, parsed.ok ? '' : `the renderer would refuse it: ${parsed.reason}`);
  return parsed.payload;
}

const SMALL = { task: 'adding', sequenceLength: 10, cell: 'lstm', hidden: 8, batchSize: 8, steps: 30, learningRate: 0.01, seed: 1, validateEvery: 10 } as const;

describe('kernel display API: show.* and train()', function () {
  this.timeout(120_000);

  it('train() draws ONE live loss chart, updated in place, whose last update is the finished run', async () => {
    const sink = new FakeSink();
    const { train } = createDisplayApi(sink);
    const run = await train({ ...SMALL });
    assert.ok(run instanceof LabRun);
    assert.equal(run.steps, 30);
    assert.equal(run.stopReason, 'done');
    const displays = sink.written.filter((w) => w.kind === 'display');
    assert.equal(displays.length, 1, 'one chart, not one per update');
    const id = displays[0].displayId;
    assert.ok(id, 'the live chart has a display id');
    assert.ok(sink.updates.length >= 1);
    assert.ok(sink.updates.every((w) => w.displayId === id), 'every update replaces the same chart');
    const last = sink.updates[sink.updates.length - 1];
    const payload = payloadOf(last);
    assert.equal(payload.mime, CHART_MIME);
    assert.equal(payload.view, 'loss');
    assert.equal(payload.runs.length, 1);
    const [drawn] = payload.runs;
    assert.equal(drawn.info.status, 'done');
    assert.equal(drawn.info.config.cell, 'lstm');
    assert.equal(drawn.stepsRequested, 30);
    assert.deepEqual(drawn.steps.map((s) => s.step), Array.from({ length: 30 }, (_, i) => i + 1), 'every step of a short run');
    assert.deepEqual(drawn.steps.map((s) => s.loss), run.metrics.map((m) => m.loss), 'the losses drawn are the losses trained');
    assert.ok(drawn.steps.every((s) => s.gradientNorms === undefined && s.gates === undefined), 'a loss chart carries no per-time-step series');
    assert.equal(drawn.info.task.baselineLoss, run.task.baselineLoss);
    // The fallback text states the same facts: the final loss, the first one, the baseline.
    const text = item(last, 'text/plain');
    assert.match(text, new RegExp(`30 of 30 steps, training loss ${formatNumber(run.finalLoss)} \\(${formatNumber(run.metrics[0].loss)} at step 1\\)`));
    assert.match(text, new RegExp(`trivial predictor scores ${formatNumber(run.task.baselineLoss!)}`));
    // The first display is the run before any step: running, no steps.
    const first = payloadOf(displays[0]);
    assert.equal(first.runs[0].info.status, 'running');
    assert.equal(first.runs[0].steps.length, 0);
    assert.match(String(run), /LabRun LSTM · adding · h8 · seed 1: 30 of 30 steps, done, final training loss/);
  });

  it('train() streams updates while it trains, never two closer than the throttle (rate printed)', async () => {
    const sink = new FakeSink();
    const { train } = createDisplayApi(sink);
    const started = performance.now();
    const run = await train({ ...SMALL, sequenceLength: 20, hidden: 16, steps: 3000, validateEvery: 500 });
    const seconds = (performance.now() - started) / 1000;
    const live = sink.updates.slice(0, -1);   // the last update is the final one, sent whenever training ends
    const rate = live.length / seconds;
    console.log(`      train(): ${run.steps} steps in ${seconds.toFixed(2)} s, ${live.length} live chart updates: ${rate.toFixed(1)} updates/s (throttle: one per ${LIVE_UPDATE_INTERVAL_MS} ms at most)`);
    if (seconds > 4 * LIVE_UPDATE_INTERVAL_MS / 1000) assert.ok(live.length >= 2, `only ${live.length} updates in ${seconds.toFixed(2)} s of training`);
    for (let i = 1; i < live.length; i++) {
      const gap = live[i].at - live[i - 1].at;
      assert.ok(gap >= LIVE_UPDATE_INTERVAL_MS - 1, `updates ${i} and ${i + 1} came ${gap.toFixed(1)} ms apart: the chart would be flooded`);
    }
    // Steps only grow from one update to the next, and every update is drawable.
    let previous = 0;
    for (const update of sink.updates) {
      const steps = payloadOf(update).runs[0].steps;
      const lastStep = steps[steps.length - 1]?.step ?? 0;
      assert.ok(lastStep >= previous);
      previous = lastStep;
    }
    assert.equal(previous, 3000);
  });

  it('Interrupt stops train() at its next step and it returns the run so far; the chart says stopped', async () => {
    const sink = new FakeSink();
    sink.stopWhen = (s) => s.updates.length >= 2;
    const { train } = createDisplayApi(sink);
    const run = await train({ ...SMALL, steps: 100_000 });
    assert.equal(run.stopReason, 'interrupted');
    assert.ok(run.steps > 0 && run.steps < 100_000, `${run.steps} steps`);
    assert.equal(run.metrics.length, run.steps);
    const last = sink.updates[sink.updates.length - 1];
    const drawn = payloadOf(last).runs[0];
    assert.equal(drawn.info.status, 'stopped');
    assert.equal(drawn.steps[drawn.steps.length - 1].step, run.steps, 'the chart ends at the last step trained');
    assert.match(item(last, 'text/plain'), new RegExp(`Interrupted after ${run.steps} of 100000 steps; the run so far is returned`));
    assert.equal(run.timeGradients().length, 10, 'its recorded norms are there to use');
  });

  it('a run that blows up says diverged on the chart and in the text', async () => {
    const sink = new FakeSink();
    const { train, show } = createDisplayApi(sink);
    const run = await train({ task: 'adding', sequenceLength: 100, cell: 'rnn', nonlinearity: 'relu', optimizer: 'sgd', hidden: 8, batchSize: 8, steps: 200, learningRate: 1000, clipMode: 'none', seed: 3, validateEvery: 1000 });
    assert.equal(run.stopReason, 'diverged');
    assert.ok(run.divergence);
    const last = sink.updates[sink.updates.length - 1];
    const drawn = payloadOf(last).runs[0];
    assert.equal(drawn.info.status, 'diverged');
    assert.match(drawn.info.message ?? '', /^diverged at step \d+: .*run\.model holds the (untrained parameters|parameters after step \d+)/);
    assert.match(item(last, 'text/plain'), /Diverged at step \d+/);
    // A non-finite loss travels encoded (JSON would turn NaN into null and draw it as a gap or zero).
    assert.ok(drawn.steps.some((s) => s.loss === 'Infinity' || s.loss === 'NaN'), 'the infinite losses are in the chart');
    show.timeGradients(run);
    assert.match(item(sink.written[sink.written.length - 1], 'text/plain'), /NaN or infinite|diverged|zero/);
  });

  describe('show.*', () => {
    let sink: FakeSink;
    let api: ReturnType<typeof createDisplayApi>;
    let rnn: LabRun;
    let lstm: LabRun;

    before(async () => {
      sink = new FakeSink();
      api = createDisplayApi(sink);
      rnn = await api.train({ ...SMALL, cell: 'rnn', steps: 60 });
      lstm = await api.train({ ...SMALL, steps: 60 });
    });

    const lastWritten = (): Written => sink.written[sink.written.length - 1];

    it('show.loss compares runs on one chart, no display id (a plain output)', () => {
      api.show.loss([rnn, lstm]);
      const written = lastWritten();
      assert.equal(written.kind, 'display');
      assert.equal(written.displayId, undefined);
      const payload = payloadOf(written);
      assert.deepEqual(payload.runs.map((r) => r.info.config.cell), ['rnn', 'lstm']);
      assert.notEqual(payload.runs[0].info.id, payload.runs[1].info.id);
      const text = item(written, 'text/plain');
      assert.match(text, /RNN · adding · h8 · seed 1: 60 of 60 steps/);
      assert.match(text, /LSTM · adding · h8 · seed 1: 60 of 60 steps/);
    });

    it('show.timeGradients carries ‖∂L/∂a⟨t⟩‖ per time step of the recorded steps, the latest included, and reads them in words', () => {
      api.show.timeGradients([rnn, lstm]);
      const written = lastWritten();
      const payload = payloadOf(written);
      assert.equal(payload.view, 'timeGradients');
      for (const [i, run] of [rnn, lstm].entries()) {
        const withSeries = payload.runs[i].steps.filter((s) => s.gradientNorms);
        assert.ok(withSeries.length >= 2);
        const latest = withSeries[withSeries.length - 1];
        assert.equal(latest.step, 60);
        assert.deepEqual(latest.gradientNorms![0].hidden, run.timeGradients(), 'the latest step\'s norms, as recorded');
      }
      assert.ok(payload.runs[1].steps.some((s) => s.gradientNorms?.[0].cell), 'the LSTM\'s ‖∂L/∂c⟨t⟩‖ too');
      const text = item(written, 'text/plain');
      assert.match(text, /RNN · adding · h8 · seed 1, step 60: ‖∂L\/∂a⟨t⟩‖ is largest at t = \d+/);
      assert.match(text, /LSTM · adding · h8 · seed 1, step 60:/);
    });

    it('show.heatmap is the heatmap type, with the same series', () => {
      api.show.heatmap(lstm);
      const payload = payloadOf(lastWritten());
      assert.equal(payload.mime, HEATMAP_MIME);
      assert.equal(payload.view, 'timeGradients');
      assert.ok(payload.runs[0].steps.filter((s) => s.gradientNorms).length >= 2);
    });

    it('show.gates carries the last step\'s gates only, and names the saturation', () => {
      api.show.gates(lstm);
      const written = lastWritten();
      const steps = payloadOf(written).runs[0].steps;
      assert.deepEqual(steps.filter((s) => s.gates).map((s) => s.step), [60]);
      assert.deepEqual(steps[steps.length - 1].gates![0].gates.map((g) => g.gate), ['i', 'f', 'g', 'o']);
      assert.match(item(written, 'text/plain'), /step 60, layer 1: on average over the time steps, i \d.*% saturated, f /);
    });

    it('show.hiddenStates computes a⟨t⟩ of the trained model for each layer', () => {
      api.show.hiddenStates(lstm);
      const written = lastWritten();
      const payload = payloadOf(written);
      assert.equal(payload.mime, HEATMAP_MIME);
      const states = payload.runs[0].hiddenStates!;
      assert.equal(states.length, 1);
      assert.equal(states[0].values.length, 10, 'T rows');
      assert.equal(states[0].values[0].length, 8, 'H units');
      assert.equal(states[0].step, 60);
      assert.match(item(written, 'text/plain'), /8 units over 10 time steps, values from -?0\.\d+ to -?0\.\d+; \d+% of them beyond ±0\.95\./);
    });

    it('show.table writes Markdown (cells escaped) and aligned text', () => {
      api.show.table([{ cell: 'RNN', loss: rnn.finalLoss }, { cell: 'LSTM | gated', loss: lstm.finalLoss, note: 'a\nb' }]);
      const written = lastWritten();
      assert.equal(item(written, 'text/markdown'), [
        '| cell | loss | note |',
        '| --- | --- | --- |',
        `| RNN | ${formatNumber(rnn.finalLoss)} |   |`,
        `| LSTM \\| gated | ${formatNumber(lstm.finalLoss)} | a b |`,
      ].join('\n'));
      assert.match(item(written, 'text/plain'), /^cell {10}loss {3}note\n-{12} {2}-{5} {2}-{4}\nRNN {11}\d/);
      assert.equal(markdownTable([[1, 2], [3]]), '| 1 | 2 |\n| --- | --- |\n| 1 | 2 |\n| 3 |   |');
      assert.equal(markdownTable([{ __proto__: 1, constructor: 2 }].map((r) => Object.fromEntries(Object.entries(r)))), '| constructor |\n| --- |\n| 2 |');
      assert.equal(markdownTable([JSON.parse('{"__proto__": 1, "constructor": 2}')]), '| __proto__ | constructor |\n| --- | --- |\n| 1 | 2 |');
    });

    it('bad arguments get an error that names the problem', async () => {
      assert.throws(() => api.show.loss(42 as unknown as LabRun), /show\.loss takes a run returned by `await train\(\{\.\.\.\}\)`, or a list of them; it got a number \(42\)/);
      assert.throws(() => api.show.timeGradients(api.train({ ...SMALL, steps: 1 }) as unknown as LabRun), /it got a Promise \(write `await train\(\.\.\.\)`\)/);
      assert.throws(() => api.show.loss([]), /it got an empty list/);
      assert.throws(() => api.show.gates([rnn, lstm] as unknown as LabRun), /one run at a time/);
      assert.throws(() => api.show.table([]), /show\.table takes a non-empty list of rows/);
      assert.throws(() => api.show.table([{ a: 1 }, 3]), /row 2 is a number/);
      await assert.rejects(api.train({ ...SMALL, cell: 'transformer' as 'lstm' }), /cell/);
      assert.throws(() => lstm.timeGradients({ step: 61 }), /step 61 was not trained: this run has steps 1 to 60/);
      assert.throws(() => rnn.timeGradients({ quantity: 'cell' }), /only an LSTM has a cell state/);
      assert.throws(() => rnn.timeGradients({ layer: 1 }), /layer 1 \(forward\) does not exist: the network has 1 layer/);
    });
  });
});
