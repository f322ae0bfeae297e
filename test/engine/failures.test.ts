// Engine tests: what happens when things go wrong — a divergent learning rate, a NaN in the data, bad settings, sizes
// beyond the memory budget, degenerate shapes — and dropout, which must act only while training.
import * as assert from 'node:assert/strict';

import { MEMORY_BUDGET_BYTES } from '../../src/engine/budget';
import { CellKind } from '../../src/engine/cells/cell';
import { gradientCheck } from '../../src/engine/gradcheck';
import { typescriptKernels } from '../../src/engine/kernels';
import { RecurrentStack, StackConfig } from '../../src/engine/layers/recurrentStack';
import { SequenceModel } from '../../src/engine/model';
import { OptimizerName } from '../../src/engine/optim/optimizers';
import { Parameter } from '../../src/engine/parameter';
import { RandomState } from '../../src/engine/random/randomState';
import type { Batch } from '../../src/engine/tasks/task';
import { resolveTrainingConfig, Trainer, TrainingConfig } from '../../src/engine/trainer';
import { Tensor } from '../../src/engine/tensor';

/** Every parameter value, copied, for bit-for-bit comparison later. */
function snapshot(parameters: readonly Parameter[]): number[][] {
  return parameters.map((p) => Array.from(p.value.data));
}

function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

function throwsRangeError(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof RangeError, `a RangeError, got ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

/** Milliseconds `run` takes to throw a RangeError matching `message`. */
function timeToThrow(run: () => unknown, message: RegExp): number {
  const started = performance.now();
  throwsRangeError(run, message);
  return performance.now() - started;
}

describe('failures: a learning rate of 10 with gradient-norm clipping at 1', function () {
  this.timeout(60_000);
  const cases: { task: string; sequenceLength: number; cell: CellKind; nonlinearity?: 'relu'; optimizer: OptimizerName }[] = [
    { task: 'adding', sequenceLength: 20, cell: 'lstm', optimizer: 'adam' },
    { task: 'adding', sequenceLength: 50, cell: 'rnn', nonlinearity: 'relu', optimizer: 'sgd' },
    { task: 'dinos', sequenceLength: 12, cell: 'gru', optimizer: 'sgd' },
    { task: 'copy-memory', sequenceLength: 25, cell: 'rnn', optimizer: 'momentum' },
  ];
  for (const c of cases) {
    it(`${c.task}, ${c.nonlinearity === 'relu' ? 'ReLU ' : ''}${c.cell}, ${c.optimizer}: 200 steps, every loss and every parameter finite, no step skipped`, () => {
      const trainer = new Trainer({
        ...c, hidden: 8, batchSize: 8, steps: 200, learningRate: 10, clipMode: 'norm', clip: 1, seed: 3, validateEvery: 200,
      });
      let clipped = 0;
      let largest = 0;
      while (!trainer.done) {
        const m = trainer.step();
        if (!trainer.divergence) largest = Math.max(largest, ...trainer.model.parameters().map((p) => Math.max(...Array.from(p.value.data, Math.abs))));
        assert.ok(Number.isFinite(m.loss), `step ${m.step}: loss ${m.loss}`);
        assert.equal(m.skipped, undefined, `step ${m.step} was skipped: ${m.skipped}`);
        assert.ok(m.clippedGradientNorm <= 1, `step ${m.step}: clipped norm ${m.clippedGradientNorm}`);
        for (const p of trainer.model.parameters()) assert.ok(allFinite(p.value.data), `step ${m.step}: ${p.name} is not finite`);
        if (m.clipped) clipped++;
        if (m.step === 200) assert.ok(Number.isFinite(m.validationLoss), `validation loss ${m.validationLoss}`);
      }
      // the run really was violent: clipping engaged, and weights went far beyond their initial scale 1/√8 ≈ 0.35
      // (or the loss blew up anyway and the run was stopped as diverged, the last good parameters kept)
      assert.ok(clipped > 0, 'clipping never engaged');
      assert.ok(largest > 3 || trainer.divergence !== undefined, `largest |parameter| ${largest}`);
      if (trainer.divergence) for (const p of trainer.model.parameters()) assert.ok(allFinite(p.value.data));
    });
  }

  it('where float32 overflows (a ReLU RNN at lr 10) the run goes on in float64 from that step, and says so', () => {
    const trainer = new Trainer({
      task: 'adding', sequenceLength: 50, cell: 'rnn', nonlinearity: 'relu', optimizer: 'sgd', hidden: 8, batchSize: 8, steps: 40,
      learningRate: 10, clipMode: 'norm', clip: 1, seed: 3, validateEvery: 40,
    });
    assert.equal(trainer.kernels.precision, 'float32', 'training starts with the fastest kernels');
    while (!trainer.done) assert.ok(Number.isFinite(trainer.step().loss));
    assert.equal(trainer.kernels.name, 'typescript-float64');
    assert.match(trainer.precisionNote ?? '', /^step \d+ overflowed float32; the run continues in float64$/);
  });

  it('without clipping the ReLU RNN blows up: it is stopped as diverged, every parameter finite, no step taken after', () => {
    const trainer = new Trainer({
      task: 'adding', sequenceLength: 50, cell: 'rnn', nonlinearity: 'relu', optimizer: 'sgd', hidden: 8, batchSize: 8, steps: 200,
      learningRate: 10, clipMode: 'none', seed: 3, validateEvery: 200,
    });
    const skipped: string[] = [];
    while (!trainer.done) {
      const m = trainer.step();
      if (m.skipped) skipped.push(m.skipped);
      for (const p of trainer.model.parameters()) assert.ok(allFinite(p.value.data), `step ${m.step}: ${p.name} is not finite`);
    }
    assert.ok(trainer.divergence, 'the run was not stopped as diverged: it no longer shows what clipping prevents');
    assert.equal(trainer.completedSteps, trainer.divergence.step);
    assert.ok(trainer.completedSteps < 200);
    for (const message of skipped) assert.match(message, /^the loss is (Infinity|NaN); the update was skipped and the parameters kept$/);
  });
});

describe('failures: the non-finite guard', () => {
  const config: Partial<TrainingConfig> = {
    task: 'adding', sequenceLength: 10, cell: 'lstm', hidden: 6, batchSize: 4, steps: 10, optimizer: 'adam',
    learningRate: 0.01, seed: 2, validateEvery: 1000,
  };

  /** Makes every batch the trainer draws from now on carry a NaN in its input. */
  function poisonInputs(trainer: Trainer): () => void {
    const original = trainer.task.trainBatch;
    trainer.task.trainBatch = (rng, size): Batch => {
      const batch = original.call(trainer.task, rng, size);
      batch.x.data[5] = NaN;
      return batch;
    };
    return () => { trainer.task.trainBatch = original; };
  }

  it('a batch with a NaN input: the step is skipped, says why, and leaves every parameter bit for bit as it was', () => {
    const trainer = new Trainer(config);
    trainer.step();                                          // so the optimizer has state to protect too
    const before = snapshot(trainer.model.parameters());
    const heal = poisonInputs(trainer);
    const metrics = trainer.step();
    heal();
    assert.ok(Number.isNaN(metrics.loss), 'the NaN loss is reported as it is');
    assert.match(metrics.skipped ?? '', /the loss is NaN; the update was skipped and the parameters kept/);
    assert.equal(metrics.step, 2, 'a skipped step still counts as a step');
    assert.deepEqual(snapshot(trainer.model.parameters()), before);
    const next = trainer.step();
    assert.equal(next.skipped, undefined, 'training carries on once the data is clean');
    assert.notDeepEqual(snapshot(trainer.model.parameters()), before);
  });

  it('a skipped step leaves no trace: the optimizer continues as if the bad batch had never been drawn', () => {
    // float64 for both: a float32 run would recompute the poisoned step in float64 and go on in float64 (tested above).
    const skipping = new Trainer(config, typescriptKernels);
    const clean = new Trainer(config, typescriptKernels);
    // skipping: batch 1, batch 2 (poisoned, skipped), batch 3. clean: batch 1, then batch 3 (batch 2 drawn and dropped).
    skipping.step();
    const heal = poisonInputs(skipping);
    assert.ok(skipping.step().skipped);
    heal();
    skipping.step();
    clean.step();
    const original = clean.task.trainBatch;
    clean.task.trainBatch = (rng, size): Batch => {
      original.call(clean.task, rng, size);
      return original.call(clean.task, rng, size);
    };
    clean.step();
    assert.deepEqual(snapshot(skipping.model.parameters()), snapshot(clean.model.parameters()));
  });

  it('a non-finite gradient with a finite loss is skipped too', () => {
    const trainer = new Trainer(config);
    const before = snapshot(trainer.model.parameters());
    const model = trainer.model;
    const original = model.lossAndGradients.bind(model);
    model.lossAndGradients = (batch, options) => {
      const pass = original(batch, options);
      model.parameters()[1].grad.data[2] = Infinity;
      return pass;
    };
    const metrics = trainer.step();
    assert.ok(Number.isFinite(metrics.loss));
    assert.match(metrics.skipped ?? '', /a gradient is not finite/);
    assert.deepEqual(snapshot(trainer.model.parameters()), before);
  });
});

describe('failures: training settings are checked, and each error names the field', () => {
  const cases: { what: string; config: Partial<TrainingConfig>; message: RegExp }[] = [
    { what: 'hidden 0', config: { hidden: 0 }, message: /^hidden must be a whole number from 1 to 4096, got 0$/ },
    { what: 'hidden 10⁹', config: { hidden: 1e9 }, message: /^hidden must be .*got 1000000000$/ },
    { what: 'hidden 2.5', config: { hidden: 2.5 }, message: /^hidden must be .*got 2\.5$/ },
    { what: 'steps −1', config: { steps: -1 }, message: /^steps must be a whole number from 1 .*got -1$/ },
    { what: 'learning rate NaN', config: { learningRate: NaN }, message: /^learningRate must be a number above 0 and at most 1000, got NaN$/ },
    { what: 'learning rate 0', config: { learningRate: 0 }, message: /^learningRate .*got 0$/ },
    { what: 'learning rate −1', config: { learningRate: -1 }, message: /^learningRate .*got -1$/ },
    { what: 'learning rate Infinity', config: { learningRate: Infinity }, message: /^learningRate .*got Infinity$/ },
    { what: 'clip 0 with norm clipping', config: { clipMode: 'norm', clip: 0 }, message: /^clip must be a positive number, got 0 \(or set clipMode to 'none'\)$/ },
    { what: 'clip NaN with value clipping', config: { clipMode: 'value', clip: NaN }, message: /^clip must be a positive number, got NaN \(or set clipMode to 'none'\)$/ },
    { what: "unknown cell 'transformer'", config: { cell: 'transformer' as CellKind }, message: /^cell must be one of rnn, gru, lstm; got 'transformer'$/ },
    { what: "unknown optimizer 'adamw'", config: { optimizer: 'adamw' as OptimizerName }, message: /^optimizer must be one of sgd, momentum, adagrad, rmsprop, adam; got 'adamw'$/ },
    { what: "unknown task 'mnist'", config: { task: 'mnist' }, message: /^task must be one of dinos, .*adding.*; got 'mnist'$/ },
    { what: 'a sequence length the task does not allow', config: { task: 'adding', sequenceLength: 1 }, message: /^sequenceLength for task "adding" must be a whole number from 2 to 10000 \(.*\), got 1$/ },
    { what: 'truncated BPTT with a bidirectional network', config: { truncate: 5, bidirectional: true }, message: /^truncate .*bidirectional/ },
    { what: 'dropout 1', config: { dropout: 1 }, message: /^dropout must be a number at least 0 and below 1, got 1$/ },
    { what: 'batch size 0', config: { batchSize: 0 }, message: /^batchSize must be a whole number from 1 .*got 0$/ },
    { what: 'bidirectional "yes"', config: { bidirectional: 'yes' as unknown as boolean }, message: /^bidirectional must be true or false, got 'yes'$/ },
  ];
  for (const { what, config, message } of cases) {
    it(what, () => {
      throwsRangeError(() => resolveTrainingConfig(config), message);
      throwsRangeError(() => new Trainer(config), message);           // the constructor checks the same way
    });
  }

  it('the defaults, and clip 0 with clipping off, are accepted', () => {
    assert.doesNotThrow(() => resolveTrainingConfig({}));
    assert.equal(resolveTrainingConfig({ clipMode: 'none', clip: 0 }).clip, 0);
  });
});

describe('failures: the memory budget stops absurd sizes before they allocate', () => {
  const limit = /limit of 4\.0 GB/;
  before(() => assert.equal(MEMORY_BUDGET_BYTES, 4 * 1024 ** 3, 'the messages below assume the 4 GB budget'));

  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    it(`a ${cell.toUpperCase()} of 16 layers of hidden size 4096 (within the limits) is a RangeError naming the sizes and the budget, at once`, () => {
      const ms = timeToThrow(
        () => new RecurrentStack({ cell, inputSize: 27, hiddenSize: 4096, numLayers: 16, bidirectional: false }, new RandomState(0)),
        new RegExp(`a 16-layer ${cell.toUpperCase()} with hidden size 4096 .*needs about \\d+\\.\\d GB .*over RNN Lab's ${limit.source}`),
      );
      assert.ok(ms < 100, `took ${ms.toFixed(0)} ms, so it allocated first`);
    });
  }

  it('a stack wider than the training limit (hidden 60000) is refused by the same limit the trainer uses', () => {
    throwsRangeError(() => new RecurrentStack({ cell: 'lstm', inputSize: 27, hiddenSize: 60_000, numLayers: 1, bidirectional: false }, new RandomState(0)),
      /^hiddenSize must be a whole number from 1 to 4096, got 60000$/);
  });

  it('a configuration within the training limits but too deep for memory fails in new Trainer, at once', () => {
    const ms = timeToThrow(() => new Trainer({ task: 'dinos', cell: 'lstm', hidden: 4096, layers: 16 }), /16-layer LSTM with hidden size 4096 .*limit of 4\.0 GB/);
    assert.ok(ms < 100, `took ${ms.toFixed(0)} ms`);
  });

  it('a forward pass of 10⁶ steps is a RangeError naming the sequence length, before any activation is allocated', () => {
    const stack = new RecurrentStack({ cell: 'lstm', inputSize: 1, hiddenSize: 64, numLayers: 1, bidirectional: false }, new RandomState(0));
    const x: Tensor = { shape: [1_000_000, 1, 1], data: new Float64Array(1_000_000) };
    const ms = timeToThrow(() => stack.forward(x), /a sequence of 1000000 steps with batch 1 through hidden size 64 .*limit of 4\.0 GB: shorten the sequence \(or use truncated BPTT\)/);
    assert.ok(ms < 100, `took ${ms.toFixed(0)} ms, so it ran first`);
  });

  it('the same long sequence through a model (predict, lossAndGradients) is refused the same way', () => {
    const model = new SequenceModel({ stack: { cell: 'gru', inputSize: 1, hiddenSize: 64, numLayers: 2, bidirectional: false }, outputSize: 1, mode: 'many-to-one', loss: 'mse' }, new RandomState(0));
    const x: Tensor = { shape: [1_000_000, 1, 1], data: new Float64Array(1_000_000) };
    assert.ok(timeToThrow(() => model.predict(x), /a sequence of 1000000 steps/) < 100);
    const batch: Batch = { x, targets: { kind: 'values', tensor: { shape: [1, 1], data: new Float64Array(1) } } };
    assert.ok(timeToThrow(() => model.lossAndGradients(batch), /a sequence of 1000000 steps/) < 100);
  });
});

describe('failures: degenerate shapes', () => {
  const model = (): SequenceModel => new SequenceModel({ stack: { cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 1, bidirectional: false }, outputSize: 2, mode: 'many-to-many', loss: 'softmax-cross-entropy' }, new RandomState(0));

  it('an empty sequence (T = 0) is a clear error, from predict and from lossAndGradients', () => {
    const x: Tensor = { shape: [0, 2, 3], data: new Float64Array(0) };
    assert.throws(() => model().predict(x), /input has shape \[0, 2, 3\]: a sequence needs at least one step and one example/);
    const batch: Batch = { x, targets: { kind: 'classes', shape: [0, 2], indices: new Int32Array(0) } };
    assert.throws(() => model().lossAndGradients(batch), /input has shape \[0, 2, 3\]: a sequence needs at least one step/);
  });

  it('an empty batch (B = 0) is a clear error', () => {
    assert.throws(() => model().predict({ shape: [4, 0, 3], data: new Float64Array(0) }), /at least one step and one example/);
  });

  it('input of the wrong width names both shapes', () => {
    assert.throws(() => model().predict({ shape: [4, 1, 2], data: new Float64Array(8) }), /input has shape \[4, 1, 2\]; expected \(T, B, 3\)/);
  });

  const cells: { name: string; stack: Partial<StackConfig> & { cell: CellKind } }[] = [
    { name: 'tanh RNN', stack: { cell: 'rnn' } },
    { name: 'ReLU RNN', stack: { cell: 'rnn', nonlinearity: 'relu' } },
    { name: 'GRU (reset after)', stack: { cell: 'gru' } },
    { name: 'GRU (reset before)', stack: { cell: 'gru', gruReset: 'before' } },
    { name: 'LSTM', stack: { cell: 'lstm' } },
    { name: '2-layer bidirectional LSTM', stack: { cell: 'lstm', numLayers: 2, bidirectional: true } },
  ];
  for (const { name, stack } of cells) {
    it(`${name} with T = 1, batch 1, hidden 1: forward and backward are finite and the gradient is right`, () => {
      const m = new SequenceModel({
        stack: { inputSize: 1, hiddenSize: 1, numLayers: 1, bidirectional: false, ...stack },
        outputSize: 2, mode: 'many-to-many', loss: 'softmax-cross-entropy',
      }, new RandomState(4));
      const batch: Batch = { x: { shape: [1, 1, 1], data: Float64Array.of(0.7) }, targets: { kind: 'classes', shape: [1, 1], indices: Int32Array.of(1) } };
      const { output } = m.predict(batch.x);
      assert.deepEqual(output.shape, [1, 1, 2]);
      assert.ok(allFinite(output.data));
      m.zeroGrad();
      const pass = m.lossAndGradients(batch);
      assert.ok(Number.isFinite(pass.loss) && pass.loss > 0);
      for (const p of m.parameters()) assert.ok(allFinite(p.grad.data), `${p.name} gradient`);
      assert.ok(pass.gradientNorms.every((s) => s.hidden.length === 1 && allFinite(s.hidden)));
      const check = gradientCheck(() => m.evaluate(batch), m.parameters());
      assert.ok(check.maxError < 1e-7, `gradcheck ${check.maxError} at ${check.worst?.name}[${check.worst?.index}]`);
    });
  }
});

describe('dropout: only while training, between layers, as PyTorch', () => {
  const config: StackConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 16, numLayers: 2, bidirectional: false, dropout: 0.5 };
  const input = (T: number, B: number): Tensor => ({ shape: [T, B, 3], data: new RandomState(11).randnArray(T * B * 3) });

  it('while training, two forward passes of the same input differ', () => {
    const stack = new RecurrentStack(config, new RandomState(1));
    stack.training = true;
    const x = input(5, 3);
    const a = Array.from(stack.forward(x).output.data);
    const b = Array.from(stack.forward(x).output.data);
    assert.notDeepEqual(a, b);
  });

  it('while training, about half the units between the layers are zeroed and the rest scaled by 1 / (1 − p) = 2', () => {
    const rng = new RandomState(1);
    const stack = new RecurrentStack(config, rng);
    stack.training = true;
    const x = input(1, 1);
    const { output } = stack.forward(x);
    const below = stack.hiddenStates(0).data;               // layer 0's output before dropout, [1, 1, 16]
    // Which units reached layer 1: with T = B = 1, column j of ∂L/∂W_ih of layer 1 is dGates · (input to layer 1)_j,
    // exactly 0 when unit j was dropped.
    stack.backward({ shape: output.shape, data: new Float64Array(output.data.length).fill(1) });
    const gradWeightIh1 = stack.parameters().find((p) => p.name === 'weight_ih_l1')!.grad.data;   // [64, 16]
    const kept = Array.from({ length: 16 }, (_, j) => Array.from({ length: 64 }, (_, g) => gradWeightIh1[g * 16 + j]).some((v) => v !== 0));
    const dropped = kept.filter((k) => !k).length;
    assert.ok(dropped >= 4 && dropped <= 12, `${dropped} of 16 units dropped at p = 0.5`);
    // Layer 1 alone, fed mask ⊙ layer-0 output with mask ∈ {0, 2}, reproduces the stack's output exactly.
    const top = new RecurrentStack({ ...config, inputSize: 16, numLayers: 1, dropout: 0 }, new RandomState(0));
    const weights = Object.fromEntries(Object.entries(stack.stateDict()).filter(([k]) => k.endsWith('_l1')).map(([k, v]) => [k.replace('_l1', '_l0'), v]));
    top.loadStateDict(weights);
    const masked = Float64Array.from(below, (h, j) => (kept[j] ? 2 * h : 0));
    assert.deepEqual(Array.from(top.forward({ shape: [1, 1, 16], data: masked }).output.data), Array.from(output.data));
  });

  it("the last layer's output is never dropped (PyTorch applies dropout between layers only)", () => {
    const one = new RecurrentStack({ ...config, numLayers: 1 }, new RandomState(1));
    const x = input(5, 3);
    const evaluation = Array.from(one.forward(x).output.data);
    one.training = true;
    assert.deepEqual(Array.from(one.forward(x).output.data), evaluation);
  });

  it('in evaluation, outputs are deterministic and equal to the same network without dropout', () => {
    const withDropout = new RecurrentStack(config, new RandomState(1));
    const without = new RecurrentStack({ ...config, dropout: 0 }, new RandomState(1));
    const x = input(5, 3);
    withDropout.training = true;
    withDropout.forward(x);
    withDropout.training = false;
    const a = Array.from(withDropout.forward(x).output.data);
    assert.deepEqual(Array.from(withDropout.forward(x).output.data), a);
    assert.deepEqual(a, Array.from(without.forward(x).output.data));
  });

  it("a trainer's validation loss is deterministic with dropout (training is switched off to validate)", () => {
    const trainer = new Trainer({ task: 'adding', sequenceLength: 10, cell: 'gru', layers: 2, dropout: 0.5, hidden: 6, batchSize: 4, steps: 3, seed: 1, validateEvery: 1000 });
    trainer.step();
    assert.equal(trainer.validationLoss(), trainer.validationLoss());
  });

  it('the gradient through a dropout forward matches a finite difference when the mask is held fixed (re-seeding)', () => {
    const small: StackConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: false, dropout: 0.5 };
    const rng = new RandomState(5);
    const stack = new RecurrentStack(small, rng);          // the stack draws its masks from this rng
    stack.training = true;
    const x: Tensor = { shape: [4, 2, 2], data: new RandomState(6).randnArray(16) };
    const weights = new RandomState(7).randnArray(4 * 2 * 3);  // L = Σ output ⊙ weights
    const objective = (maskSeed: () => number) => (): number => {
      rng.seed(maskSeed());
      const out = stack.forward(x).output.data;
      let sum = 0;
      for (let i = 0; i < out.length; i++) sum += out[i] * weights[i];
      return sum;
    };
    const loss = objective(() => 1234);
    assert.equal(loss(), loss(), 're-seeding reproduces the mask');
    rng.seed(1234);
    const { output } = stack.forward(x);
    stack.zeroGrad();
    stack.backward({ shape: output.shape, data: weights });
    const fixed = gradientCheck(loss, stack.parameters());
    assert.ok(fixed.maxError < 1e-7, `gradcheck ${fixed.maxError} at ${fixed.worst?.name}[${fixed.worst?.index}]`);
    // negative control: the same gradients checked against a loss whose mask changes on every call are far off
    let draws = 0;
    const moving = gradientCheck(objective(() => 1234 + ++draws), stack.parameters());
    assert.ok(moving.maxError > 1e-2, `a changing mask should break the check, max error ${moving.maxError}`);
  });
});
