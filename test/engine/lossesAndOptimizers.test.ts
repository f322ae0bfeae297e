// Losses, the linear head, optimizers and clipping against PyTorch fixtures (test/fixtures/torch, float64).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Linear } from '../../src/engine/layers/linear';
import { meanSquaredError, sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from '../../src/engine/layers/losses';
import { clipByGlobalNorm, clipByValue } from '../../src/engine/optim/clipping';
import { createOptimizer } from '../../src/engine/optim/optimizers';
import { createParameter, Parameter } from '../../src/engine/parameter';
import { RandomState } from '../../src/engine/random/randomState';
import { fromNested } from '../../src/engine/tensor';

const fixtures = join(__dirname, '..', 'fixtures', 'torch');
const read = <T>(file: string): T => JSON.parse(readFileSync(join(fixtures, file), 'utf8')) as T;

type Nested = number | Nested[];
interface LossFixtures {
  crossEntropy: { name: string; logits: Nested; targets: number[]; loss: number; gradLogits: Nested }[];
  mse: { name: string; prediction: Nested; target: Nested; loss: number; gradPrediction: Nested }[];
  bceWithLogits: { name: string; logits: Nested; targets: Nested; loss: number; gradLogits: Nested }[];
  linear: { name: string; x: Nested; weight: Nested; bias: Nested; output: Nested; gradOutput: Nested; gradX: Nested; gradWeight: Nested; gradBias: Nested }[];
}
interface OptimizerFixtures {
  params0: number[];
  grads: number[][];
  optimizers: { name: string; options: { lr: number }; steps: number[][] }[];
  clipGradNorm: { name: string; maxNorm: number; grads: Nested[]; totalNorm: number; clipped: Nested[] }[];
  clipGradValue: { name: string; clipValue: number; grads: Nested[]; clipped: Nested[] }[];
}
const flat = (nested: unknown): Float64Array => fromNested(nested).data;

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs PyTorch ${expected[i]}`);
  }
}

function parameterFrom(name: string, values: ArrayLike<number>, grad?: ArrayLike<number>): Parameter {
  const p = createParameter(name, [values.length]);
  p.value.data.set(values);
  if (grad) p.grad.data.set(grad);
  return p;
}

describe('losses match PyTorch', () => {
  const losses = read<LossFixtures>('losses.json');
  for (const c of losses.crossEntropy) {
    it(`softmax cross-entropy: ${c.name}`, () => {
      const logits = fromNested(c.logits);
      const { loss, gradient } = softmaxCrossEntropy(logits.data, Int32Array.from(c.targets), logits.shape[1]);
      assertClose([loss], [c.loss], 1e-12, 'loss');
      assertClose(gradient, flat(c.gradLogits), 1e-12, 'gradient');
    });
  }
  for (const c of losses.mse) {
    it(`MSE: ${c.name}`, () => {
      const { loss, gradient } = meanSquaredError(flat(c.prediction), flat(c.target));
      assertClose([loss], [c.loss], 1e-12, 'loss');
      assertClose(gradient, flat(c.gradPrediction), 1e-12, 'gradient');
    });
  }
  for (const c of losses.bceWithLogits) {
    it(`sigmoid BCE: ${c.name} (finite for logits of ±800)`, () => {
      const { loss, gradient } = sigmoidBinaryCrossEntropy(flat(c.logits), flat(c.targets));
      assert.ok(Number.isFinite(loss));
      assertClose([loss], [c.loss], 1e-12, 'loss');
      assertClose(gradient, flat(c.gradLogits), 1e-12, 'gradient');
    });
  }
  for (const c of losses.linear) {
    it(`linear head: ${c.name}`, () => {
      const weight = fromNested(c.weight);
      const x = fromNested(c.x);
      const rows = x.data.length / weight.shape[1];
      const linear = new Linear(weight.shape[1], weight.shape[0], new RandomState(0));
      linear.weight.value.data.set(weight.data);
      linear.bias.value.data.set(flat(c.bias));
      assertClose(linear.forward(x.data, rows), flat(c.output), 1e-12, 'output');
      assertClose(linear.backward(flat(c.gradOutput)), flat(c.gradX), 1e-12, 'dx');
      assertClose(linear.weight.grad.data, flat(c.gradWeight), 1e-12, 'dW');
      assertClose(linear.bias.grad.data, flat(c.gradBias), 1e-12, 'db');
    });
  }
  it('rejects a class target outside the vocabulary, naming it', () => {
    assert.throws(() => softmaxCrossEntropy(new Float64Array(6), Int32Array.from([0, 3]), 3), /target 1 is 3/);
  });
});

describe('optimizers and clipping match PyTorch', () => {
  const data = read<OptimizerFixtures>('optimizers.json');
  const optimizerNames: Record<string, string> = { sgd: 'sgd', sgd_momentum: 'momentum', adagrad: 'adagrad', rmsprop: 'rmsprop', adam: 'adam' };
  for (const c of data.optimizers) {
    it(`${c.name}: five steps equal torch.optim`, () => {
      const optimizer = createOptimizer(optimizerNames[c.name], c.options.lr);
      const p = parameterFrom('p', data.params0);
      data.grads.forEach((g, k) => {
        p.grad.data.set(g);
        optimizer.step([p]);
        assertClose(p.value.data, c.steps[k], 1e-13, `${c.name} step ${k + 1}`);
      });
      assert.equal(p.value.data[6], data.params0[6], 'a parameter whose gradient is always 0 must not move');
    });
  }
  for (const c of data.clipGradNorm) {
    it(`clip by global norm: ${c.name}`, () => {
      const parameters = c.grads.map((g, i) => parameterFrom(`p${i}`, flat(g), flat(g)));
      const stats = clipByGlobalNorm(parameters, c.maxNorm);
      assertClose([stats.normBefore], [c.totalNorm], 1e-13, 'norm before');
      assert.equal(stats.clipped, c.maxNorm < c.totalNorm);
      parameters.forEach((p, i) => assertClose(p.grad.data, flat(c.clipped[i]), 1e-13, `clipped ${i}`));
    });
  }
  for (const c of data.clipGradValue) {
    it(`clip by value: ${c.name}`, () => {
      const parameters = c.grads.map((g, i) => parameterFrom(`p${i}`, flat(g), flat(g)));
      const stats = clipByValue(parameters, c.clipValue);
      assert.ok(stats.clipped && stats.amount > 0);
      parameters.forEach((p, i) => assertClose(p.grad.data, flat(c.clipped[i]), 0, `clipped ${i}`));
    });
  }
  it('rejects absurd hyperparameters with a message naming them', () => {
    assert.throws(() => createOptimizer('adam', -1), /learning rate must be a positive finite number, got -1/);
    assert.throws(() => createOptimizer('adam', NaN), /learning rate/);
    assert.throws(() => createOptimizer('lion', 0.1), /unknown optimizer 'lion'/);
    assert.throws(() => clipByGlobalNorm([], 0), /clip norm must be a positive/);
    assert.throws(() => clipByValue([], Infinity), /clip value must be a positive/);
  });
});
