// Engine tests: the engine as a library user gets it — the built dist/engine.js (`npm run build` first; `npm run
// test:unit` builds it) — can run and check the float32 path that training uses, next to the float64 reference.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type * as Engine from '../../src/engine';

const engine = require(join(__dirname, '..', '..', 'dist', 'engine.js')) as typeof Engine;

/** Loss and every parameter gradient of one seeded forward + backward pass of an LSTM model with `kernels`. */
function gradients(kernels: Engine.Kernels): { loss: number; gradients: Float64Array[] } {
  const rng = new engine.RandomState(3);
  const model = new engine.SequenceModel({
    stack: { cell: 'lstm', inputSize: 4, hiddenSize: 12, numLayers: 1, bidirectional: false },
    outputSize: 1, mode: 'many-to-one', loss: 'mse',
  }, rng, kernels);
  const [T, B, I] = [9, 5, 4];
  const batch = {
    x: { shape: [T, B, I], data: rng.randnArray(T * B * I) },
    targets: { kind: 'values' as const, tensor: { shape: [B, 1], data: rng.randnArray(B) } },
  };
  model.zeroGrad();
  const { loss } = model.lossAndGradients(batch);
  return { loss, gradients: model.parameters().map((p) => Float64Array.from(p.grad.data)) };
}

describe('dist/engine.js: the kernels training uses, for a library user', () => {
  it('exports fastestKernels(): in Node the float32 WebAssembly SIMD set, the one a Trainer picks', () => {
    const fastest = engine.fastestKernels();
    assert.equal(fastest.name, 'wasm-simd-float32');
    assert.equal(fastest.precision, 'float32');
    assert.equal(engine.wasmKernels(), fastest);
    assert.equal(new engine.Trainer({ task: 'adding', steps: 1 }).kernels, fastest);
    assert.equal(engine.describeKernels(fastest, 1), 'float32 WebAssembly SIMD on 1 thread');
    assert.equal(engine.describeKernels(engine.typescriptKernels, 1), 'float64 TypeScript');
  });

  it('a model built with them computes in float32: within 1e-4 of the float64 reference, and not bit for bit equal to it', () => {
    const fast = gradients(engine.fastestKernels());
    const reference = gradients(engine.typescriptKernels);
    assert.ok(Math.abs(fast.loss - reference.loss) <= 1e-4 * Math.abs(reference.loss), `loss ${fast.loss} vs ${reference.loss}`);
    let largestDifference = 0;
    fast.gradients.forEach((values, p) => {
      const scale = Math.max(...Array.from(reference.gradients[p], Math.abs));
      values.forEach((value, i) => { largestDifference = Math.max(largestDifference, Math.abs(value - reference.gradients[p][i]) / scale); });
    });
    assert.ok(largestDifference <= 1e-4, `largest gradient difference ${largestDifference} of each parameter's largest gradient`);
    assert.ok(largestDifference > 0, 'the gradients are identical to float64: the float32 path did not run');
  });
});
