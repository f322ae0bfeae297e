// summarizeRun and parameterCount (src/engine/runSummary.ts): the facts lesson 10 compares cells by, on hand-made
// metrics where every answer is known, and on real seeded runs.
import * as assert from 'node:assert/strict';
import { firstStepBelow, parameterCount, summarizeRun, type SummarizableRun } from '../../src/engine/runSummary';
import { Trainer, type StepMetrics } from '../../src/engine/trainer';

/** Metrics with only what a summary reads: step, validation loss and wall time. */
function metrics(rows: [validationLoss: number | undefined, milliseconds: number][]): StepMetrics[] {
  return rows.map(([validationLoss, milliseconds], index) => ({
    step: index + 1, loss: 0, validationLoss, gradientNorm: 0, clippedGradientNorm: 0, clipped: false, gradientNorms: [], gates: [], milliseconds,
  }));
}

describe('run summary', () => {
  const trainer = new Trainer({ task: 'adding', sequenceLength: 10, cell: 'gru', hidden: 4, steps: 1, seed: 1 });

  /** A run of the adding task (baseline 1/6) with the given metrics. */
  const runWith = (rows: StepMetrics[]): SummarizableRun => ({ config: trainer.config, task: trainer.task, model: trainer.model, metrics: rows });

  it('counts gates × (H·D + H·H + 2H) in the cell plus H·O + O in the output layer, for each cell kind', () => {
    const [D, H, O] = [2, 7, 1];
    for (const [cell, gates] of [['rnn', 1], ['gru', 3], ['lstm', 4]] as const) {
      const model = new Trainer({ task: 'adding', sequenceLength: 10, cell, hidden: H, steps: 1, seed: 1 }).model;
      assert.equal(parameterCount(model), gates * (H * D + H * H + 2 * H) + H * O + O, cell);
    }
  });

  it('solved is the first validation loss below the fraction of the baseline; the final loss is the last validation', () => {
    const rows = metrics([[undefined, 5], [0.16, 3], [undefined, 1], [0.02, 2], [0.01, 4], [0.05, 9], [undefined, 7]]);
    const summary = summarizeRun(runWith(rows));
    assert.equal(summary.task, 'adding');
    assert.equal(summary.cell, 'gru');
    assert.equal(summary.stepsToSolve, 5, '0.02 is not below 0.1 × 1/6 = 0.0167; 0.01 at step 5 is');
    assert.equal(summarizeRun(runWith(rows), 0.2).stepsToSolve, 4, '0.02 is below 0.2 × 1/6 = 0.033');
    assert.equal(summary.finalValidationLoss, 0.05);
    assert.equal(summary.millisecondsPerStep, 4, 'the median of 5, 3, 1, 2, 4, 9, 7');
    assert.equal(summarizeRun(runWith(rows.slice(0, 6))).millisecondsPerStep, 3.5, 'the median of an even count is the mean of the middle two');
    assert.equal(summary.parameters, parameterCount(trainer.model));
  });

  it('a run that never gets below the threshold is not solved, and one without validation has a NaN final loss', () => {
    assert.equal(summarizeRun(runWith(metrics([[0.16, 1], [0.1, 1]]))).stepsToSolve, undefined);
    const unvalidated = summarizeRun(runWith(metrics([[undefined, 1]])));
    assert.ok(Number.isNaN(unvalidated.finalValidationLoss));
    assert.equal(unvalidated.stepsToSolve, undefined);
    assert.equal(firstStepBelow([], 1), undefined);
    const atThreshold = 0.1 * trainer.task.baselineLoss!;
    assert.equal(summarizeRun(runWith(metrics([[atThreshold, 1], [atThreshold * 0.99, 1]]))).stepsToSolve, 2, 'a loss equal to the threshold is not below it');
  });

  it('summarizes a real seeded run: the steps to solve and the final loss are its own validation losses', () => {
    const real = new Trainer({ task: 'adding', sequenceLength: 10, cell: 'gru', hidden: 8, steps: 200, validateEvery: 20, optimizer: 'adam', learningRate: 0.01, seed: 1 });
    const rows: StepMetrics[] = [];
    while (!real.done) rows.push(real.step());
    const summary = summarizeRun({ config: real.config, task: real.task, model: real.model, metrics: rows });
    const validated = rows.filter((step) => step.validationLoss !== undefined);
    assert.equal(validated.length, 10);
    assert.equal(summary.finalValidationLoss, validated[9].validationLoss);
    assert.ok(summary.stepsToSolve !== undefined, `this short adding problem is solved within 200 steps: ${validated.map((step) => step.validationLoss).join(', ')}`);
    assert.equal(summary.stepsToSolve % 20, 0);
    const solvedAt = validated.findIndex((step) => step.step === summary.stepsToSolve);
    assert.ok(validated[solvedAt].validationLoss! < real.task.baselineLoss! / 10);
    assert.ok(validated.slice(0, solvedAt).every((step) => step.validationLoss! >= real.task.baselineLoss! / 10));
    assert.ok(summary.millisecondsPerStep > 0);
  });

  it('refuses a fraction outside (0, 1] and a task without a baseline, saying why', () => {
    assert.throws(() => summarizeRun(runWith([]), 0), /solvedFraction must be a number above 0 and at most 1, got 0/);
    assert.throws(() => summarizeRun(runWith([]), Number.NaN), /got NaN/);
    const noBaseline = { ...trainer.task, name: '__proto__', baselineLoss: undefined };
    assert.throws(() => summarizeRun({ ...runWith([]), task: noBaseline }), /the task "__proto__" has no baseline loss/);
  });
});
