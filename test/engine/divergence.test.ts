// A run that blows up says so: the trainer stops it as diverged and keeps its last good parameters (the runs of
// issue #7 that exited 0 as "completed"), while healthy runs on every bundled task never trip the check.
import assert from 'node:assert/strict';
import { DivergenceMonitor, DIVERGENCE_FACTOR } from '../../src/engine/divergence';
import { typescriptKernels } from '../../src/engine/kernels';
import { RandomState } from '../../src/engine/random/randomState';
import { TASK_NAMES } from '../../src/engine/tasks/registry';
import { Trainer, type TrainingConfig } from '../../src/engine/trainer';
import { acceptAllDefaults, defaultDraft } from '../../src/extension/host/newRunWizard';
import { DEFAULT_SETTINGS } from '../../src/extension/host/settingsTable';
import { translate as t } from '../extension/extensionHarness';

function values(trainer: Trainer): number[][] {
  return trainer.model.parameters().map((p) => Array.from(p.value.data));
}

/** The runs that exited 0 and said "completed" (issue #7), with the CLI's defaults for everything else. */
export const BLOWN_UP_RUNS: { what: string; config: Partial<TrainingConfig> }[] = [
  { what: 'Adam at lr 10 with clipping (ended at loss 6040 against a 0.167 baseline)', config: { task: 'adding', learningRate: 10 } },
  { what: 'a ReLU RNN with Adagrad at lr 10 (ended at loss 5.8e238)', config: { task: 'adding', cell: 'rnn', nonlinearity: 'relu', optimizer: 'adagrad', learningRate: 10 } },
  { what: 'SGD at lr 1000', config: { task: 'adding', optimizer: 'sgd', learningRate: 1000, steps: 100 } },
  { what: 'SGD at lr 1000 on dinos', config: { task: 'dinos', optimizer: 'sgd', learningRate: 1000, steps: 100 } },
];

describe('divergence: a run that blows up is stopped, marked and keeps its last good model', function () {
  this.timeout(120_000);
  for (const { what, config } of BLOWN_UP_RUNS) {
    it(what, () => {
      const trainer = new Trainer(config, typescriptKernels);
      const losses: number[] = [];
      while (!trainer.done) losses.push(trainer.step().loss);
      const steps = losses.length;
      const divergence = trainer.divergence;
      assert.ok(divergence, 'the run was not marked diverged');
      assert.ok(steps < trainer.config.steps, `it trained all ${steps} steps`);
      assert.equal(divergence.step, steps);
      assert.match(divergence.reason, /the loss stayed far above where it started|steps were skipped/);
      // The model holds the parameters after step `restoredAfterStep`: the same run, replayed that far, has them bit for bit.
      const replay = new Trainer(config, typescriptKernels);
      for (let step = 0; step < divergence.restoredAfterStep; step++) replay.step();
      assert.deepEqual(values(trainer), values(replay));
      // …the last ones whose loss was good: finite and at most twice the reference (the start, or the baseline)
      const reference = Math.max(losses[0], trainer.task.baselineLoss ?? 0);
      assert.equal(divergence.restoredLoss, losses[divergence.restoredAfterStep]);
      assert.ok(divergence.restoredLoss <= 2 * reference);
      assert.ok(losses.slice(divergence.restoredAfterStep + 1).every((loss) => !(loss <= 2 * reference)), 'no later step was good');
      // …and what it computes is sane: a fresh batch's loss is finite and not far above where the run started
      const restored = trainer.model.evaluate(trainer.task.trainBatch(new RandomState(99), 32));
      assert.ok(Number.isFinite(restored) && restored < DIVERGENCE_FACTOR * reference, `restored model's loss ${restored}`);
    });
  }
});

describe('divergence: healthy runs are never flagged', function () {
  this.timeout(600_000);
  // Every bundled task with New Training Run's defaults (Enter at every step, the LSTM). Measured with every cell and
  // with the CLI's defaults too (scripts/measureDivergenceMargins.ts): the median loss never rose above 1.15× its
  // reference, against the 10× that marks a divergence.
  for (const task of TASK_NAMES) {
    it(`${task}: New Training Run's defaults train every step, never marked diverged`, () => {
      const config = acceptAllDefaults({ ...defaultDraft(DEFAULT_SETTINGS), task }, { chooseCell: true }, t);
      const trainer = new Trainer({ ...config, task, steps: 150 });
      while (!trainer.done) trainer.step();
      assert.equal(trainer.divergence, undefined, trainer.divergence?.reason);
      assert.equal(trainer.completedSteps, 150);
    });
  }
});

describe('divergence: the rules', () => {
  it('one bad batch is not a divergence (the median of ten steps is); six in ten are', () => {
    const monitor = new DivergenceMonitor(0.167);
    assert.equal(monitor.observe(1, false), undefined);
    for (let i = 0; i < 8; i++) assert.equal(monitor.observe(0.5, false), undefined);
    assert.equal(monitor.observe(1e6, false), undefined, 'a single spike');
    assert.equal(monitor.referenceLoss, 1);
    const steady = new DivergenceMonitor();
    steady.observe(2, false);
    let reason: string | undefined;
    for (let i = 0; i < 9 && !reason; i++) reason = steady.observe(i < 3 ? 1 : 25, false);
    assert.match(reason ?? '', /^the loss stayed far above where it started: the median of the last 10 steps is 25\.0, more than 10× 2\.00 \(the loss at the start\)$/);
  });

  it('five skipped steps (a NaN or infinite loss or gradient) in the last ten are a divergence; four are not', () => {
    const monitor = new DivergenceMonitor();
    monitor.observe(1, false);
    for (let i = 0; i < 4; i++) assert.equal(monitor.observe(NaN, true), undefined);
    assert.match(monitor.observe(Infinity, true) ?? '', /^5 of the last 6 steps were skipped/);
  });

  it('the reference is the task\'s trivial baseline when that is above the first loss', () => {
    const monitor = new DivergenceMonitor(3);
    monitor.observe(0.1, false);
    assert.equal(monitor.referenceLoss, 3);
    assert.ok(monitor.isGood(5.9) && !monitor.isGood(6.1) && !monitor.isGood(NaN));
  });
});

describe('divergence: a gradient norm that overflows is a skipped step, not a clipped one', () => {
  for (const clipMode of ['norm', 'value', 'none'] as const) {
    it(`clipMode ${clipMode}: every gradient finite (1e200), their squares' sum not: skipped, not clipped, parameters kept`, () => {
      const trainer = new Trainer({ task: 'adding', sequenceLength: 10, cell: 'lstm', hidden: 6, batchSize: 4, steps: 10, clipMode, clip: 1, seed: 2 }, typescriptKernels);
      const before = values(trainer);
      const model = trainer.model;
      const original = model.lossAndGradients.bind(model);
      model.lossAndGradients = (batch, options) => {
        const pass = original(batch, options);
        model.parameters()[0].grad.data.fill(1e200);
        return pass;
      };
      const metrics = trainer.step();
      assert.ok(Number.isFinite(metrics.loss));
      assert.equal(metrics.clipped, false, 'a zeroed gradient is not "clipped"');
      assert.equal(metrics.gradientNorm, Infinity);
      assert.match(metrics.skipped ?? '', /^the gradient norm overflowed to Infinity \(every gradient is finite, the sum of their squares is not\); the update was skipped/);
      assert.deepEqual(values(trainer), before);
    });
  }
});
