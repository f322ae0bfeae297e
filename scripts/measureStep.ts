// Measures ms per training step of the engine on workload W1 of REFERENCE.md §4: LSTM, input 32, hidden 128,
// T = 50, batch 32, many-to-one MSE, forward + full BPTT + SGD step. Run: npx tsx scripts/measureStep.ts
// (The full comparison against PyTorch and TensorFlow.js is `npm run bench`, issue #4.)
import { SequenceModel } from '../src/engine/model';
import { Sgd } from '../src/engine/optim/optimizers';
import { RandomState } from '../src/engine/random/randomState';
import type { Batch } from '../src/engine/tasks/task';

const [T, B, I, H] = [50, 32, 32, 128];
const rng = new RandomState(0);
const model = new SequenceModel({ stack: { cell: 'lstm', inputSize: I, hiddenSize: H, numLayers: 1, bidirectional: false }, outputSize: 1, mode: 'many-to-one', loss: 'mse' }, rng);
const batch: Batch = { x: { shape: [T, B, I], data: rng.randnArray(T * B * I) }, targets: { kind: 'values', tensor: { shape: [B, 1], data: rng.randnArray(B) } } };
const sgd = new Sgd(0.01);
const step = (): void => {
  model.zeroGrad();
  model.lossAndGradients(batch);
  sgd.step(model.parameters());
};
for (let i = 0; i < 3; i++) step();
const times: number[] = [];
for (let i = 0; i < 15; i++) {
  const start = performance.now();
  step();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(`W1 LSTM I=${I} H=${H} T=${T} B=${B}: median ${times[Math.floor(times.length / 2)].toFixed(1)} ms/step (min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)}), float64 TypeScript kernels`);
