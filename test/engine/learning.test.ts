// Seeded learning experiments a learner can repeat: the adding problem (Hochreiter & Schmidhuber 1997) and the
// vanishing gradient (Bengio et al. 1994; Pascanu et al. 2013), tanh RNN against LSTM at T = 50.
import assert from 'node:assert/strict';
import { DIGIT_NAMES, decodeSpelling, spellDigitBatch } from '../../src/engine/tasks/spellDigitTask';
import { StepMetrics, Trainer } from '../../src/engine/trainer';

interface Outcome {
  validationMse: number;
  /** median over the last 50 steps of ‖∂L/∂a⟨1⟩‖ / ‖∂L/∂a⟨50⟩‖ */
  gradientRatio: number;
}

function trainAdding(cell: 'rnn' | 'lstm', steps: number): Outcome {
  const trainer = new Trainer({
    task: 'adding', sequenceLength: 50, cell, hidden: 32, steps, batchSize: 32,
    learningRate: 0.01, optimizer: 'adam', clipMode: 'norm', clip: 1, seed: 1, validateEvery: steps,
  });
  const ratios: number[] = [];
  let last: StepMetrics | undefined;
  while (!trainer.done) {
    last = trainer.step();
    const norms = last.gradientNorms[0].hidden;
    assert.equal(norms.length, 50, 'one gradient norm per time step');
    if (last.step > steps - 50) ratios.push(norms[0] / norms[49]);
  }
  ratios.sort((a, b) => a - b);
  return { validationMse: last!.validationLoss!, gradientRatio: ratios[Math.floor(ratios.length / 2)] };
}

describe('learning: the adding problem at T = 50', function () {
  this.timeout(300_000);
  let lstm: Outcome;
  let rnn: Outcome;
  before(() => {
    lstm = trainAdding('lstm', 800);
    rnn = trainAdding('rnn', 800);
    console.log(`    adding problem T=50, 800 steps: validation MSE lstm ${lstm.validationMse.toFixed(4)}, rnn ${rnn.validationMse.toFixed(4)} (baseline 0.167)`);
    console.log(`    ‖∂L/∂a⟨1⟩‖ / ‖∂L/∂a⟨50⟩‖: lstm ${lstm.gradientRatio.toExponential(2)}, rnn ${rnn.gradientRatio.toExponential(2)}`);
  });

  it('an LSTM solves it (validation MSE < 0.05)', () => {
    assert.ok(lstm.validationMse < 0.05, `LSTM validation MSE ${lstm.validationMse}`);
  });

  it('a tanh RNN stays near the 0.167 baseline of always predicting 1', () => {
    assert.ok(Math.abs(rnn.validationMse - 1 / 6) < 0.05, `RNN validation MSE ${rnn.validationMse}`);
  });

  it('the gradient reaching a⟨1⟩ vanishes for the tanh RNN, orders of magnitude more than for the LSTM', () => {
    assert.ok(rnn.gradientRatio < 1e-3, `RNN ratio ${rnn.gradientRatio}`);
    assert.ok(lstm.gradientRatio / rnn.gradientRatio > 1e2, `LSTM ratio ${lstm.gradientRatio} vs RNN ${rnn.gradientRatio}`);
  });
});

describe('learning: one-to-many, spell-digit (lesson 2)', function () {
  this.timeout(300_000);

  it('a tanh RNN of 16 units, 200 steps: below the baseline that ignores the digit, and every digit spelled', () => {
    const trainer = new Trainer({ task: 'spell-digit', cell: 'rnn', hidden: 16, steps: 200, batchSize: 32, learningRate: 0.01, optimizer: 'adam', clipMode: 'norm', clip: 1, seed: 1 });
    let last: StepMetrics | undefined;
    while (!trainer.done) last = trainer.step();
    const batch = spellDigitBatch([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 6);
    const logits = trainer.model.predict(batch.x).output; // [6, 10, 16]
    const written = Array.from({ length: 10 }, (_, digit) => decodeSpelling(Array.from({ length: 6 }, (_, t) => {
      const row = Array.from(logits.data.subarray((t * 10 + digit) * 16, (t * 10 + digit + 1) * 16));
      return row.indexOf(Math.max(...row));
    })));
    console.log(`    spell-digit: validation loss ${last!.validationLoss!.toFixed(4)} (baseline ${trainer.task.baselineLoss!.toFixed(4)}); writes ${written.join(' ')}`);
    assert.ok(last!.validationLoss! < 0.1 * trainer.task.baselineLoss!);
    assert.deepEqual(written, DIGIT_NAMES.map((name) => `${name}.`));
  });
});
