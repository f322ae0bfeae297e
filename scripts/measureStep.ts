// Measures ms per training step of the engine on workload W1 of issue #4 (scripts/bench/workloads.ts) — LSTM, input 32, hidden 128,
// T = 50, batch 32, many-to-one MSE, forward + full BPTT + SGD step — with each kernel set, for quick checks while
// working on the kernels. Run: npx tsx scripts/measureStep.ts [rnn|gru|lstm] [I H T B] [--threads] [--wasm-only]
// (The comparison against PyTorch, TensorFlow.js and brain.js is `npm run bench`.)
import { typescriptKernels, wasmKernels, type Kernels } from '../src/engine/kernels';
import { SequenceModel } from '../src/engine/model';
import { Sgd } from '../src/engine/optim/optimizers';
import { RandomState } from '../src/engine/random/randomState';
import type { Batch } from '../src/engine/tasks/task';
import type { CellKind } from '../src/engine/cells/cell';
import { startKernelThreads } from '../src/node/kernelThreads';

const cell = (process.argv[2] ?? 'lstm') as CellKind;
const sizes = process.argv.slice(3).filter((a) => /^\d+$/.test(a)).map(Number);
const [I, H, T, B] = sizes.length === 4 ? sizes : [32, 128, 50, 32];

function measure(kernels: Kernels, rounds: number): number {
  const rng = new RandomState(0);
  const model = new SequenceModel({ stack: { cell, inputSize: I, hiddenSize: H, numLayers: 1, bidirectional: false }, outputSize: 1, mode: 'many-to-one', loss: 'mse' }, rng, kernels);
  const batch: Batch = { x: { shape: [T, B, I], data: rng.randnArray(T * B * I) }, targets: { kind: 'values', tensor: { shape: [B, 1], data: rng.randnArray(B) } } };
  const sgd = new Sgd(0.01);
  const step = (): void => {
    model.zeroGrad();
    model.lossAndGradients(batch);
    sgd.step(model.parameters());
  };
  for (let i = 0; i < 3; i++) step();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    step();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const threads = process.argv.includes('--threads') ? startKernelThreads() : 1;
const flops = 2 * 3 * T * B * (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1) * H * (I + H);
for (const kernels of process.argv.includes('--wasm-only') ? [wasmKernels()] : [wasmKernels(), typescriptKernels]) {
  if (!kernels) continue;
  const ms = measure(kernels, kernels === typescriptKernels ? 5 : 30);
  console.log(`${cell} I=${I} H=${H} T=${T} B=${B}, ${kernels.name}${kernels === typescriptKernels ? '' : `, ${threads} thread(s)`}: median ${ms.toFixed(2)} ms/step, ${(flops / ms / 1e6).toFixed(1)} GFLOP/s`);
}
