// Benchmark (issue #4): runner for our engine — src/engine as it is (SequenceModel with the default kernels), bundled
// by the orchestrator with esbuild so the timed process runs plain JavaScript (no tsx) and its peak RSS is the engine's.
import { SequenceModel } from '../../src/engine/model';
import { fastestKernels } from '../../src/engine/kernels';
import { startKernelThreads } from '../../src/node/kernelThreads';
import { Adagrad, Sgd } from '../../src/engine/optim/optimizers';
import { clipByValue } from '../../src/engine/optim/clipping';
import { RandomState } from '../../src/engine/random/randomState';
import type { StackState } from '../../src/engine/layers/recurrentStack';
import type { Batch } from '../../src/engine/tasks/task';
import type { Fixture } from './fixtureFile';
import type { ImplementationId } from './protocol';
import { serve, type Session } from './runner';
import type { CharacterWorkload, RegressionWorkload } from './workloads';

/** What training uses: the WebAssembly SIMD float32 kernels where they load, else float64 TypeScript. */
const KERNELS = fastestKernels();

/**
 * 'engine' takes the threads training takes (`startKernelThreads()`: one per core, two at most); 'engine-1t' stays on
 * one thread, as `scripts/measureStep.ts` without `--threads` does, for the comparison with PyTorch core for core.
 */
function startThreads(implementation: ImplementationId): { readonly threads: number; readonly detail: string } {
  const threads = implementation === 'engine-1t' ? startKernelThreads(1) : startKernelThreads();
  return { threads, detail: `kernels '${KERNELS.name}', ${threads} thread${threads === 1 ? '' : 's'}` };
}

function loadParameters(model: SequenceModel, fixture: Fixture): void {
  for (const p of model.parameters()) p.value.data.set(fixture.get(p.name));
}

function regressionSession(w: RegressionWorkload, fixture: Fixture, threads: ReturnType<typeof startThreads>): Session {
  const model = new SequenceModel({
    stack: { cell: w.cell, inputSize: w.inputSize, hiddenSize: w.hiddenSize, numLayers: 1, bidirectional: false },
    outputSize: w.outputSize, mode: 'many-to-one', loss: 'mse',
  }, new RandomState(0), KERNELS);
  loadParameters(model, fixture);
  const batch: Batch = {
    x: { shape: [w.steps, w.batch, w.inputSize], data: fixture.get('x') },
    targets: { kind: 'values', tensor: { shape: [w.batch, w.outputSize], data: fixture.get('y') } },
  };
  const parameters = model.parameters();
  const sgd = new Sgd(w.learningRate);
  return {
    detail: `SequenceModel, ${threads.detail}`,
    versions: {},
    threads: threads.threads,
    step() {
      model.zeroGrad();
      const { loss } = model.lossAndGradients(batch);
      sgd.step(parameters);
      return loss;
    },
  };
}

/**
 * min-char-rnn's step: one-hot inputs, softmax cross-entropy at every step, clip ±5, Adagrad(0.1, ε = 1e-8), the
 * hidden state carried over; back to the start of the text (and h = 0) when the next sequence would run past its end.
 * Reference note: SequenceModel's loss is the mean over the T steps and min-char-rnn's the sum, so the gradients are
 * scaled by T before clipping; the update is then min-char-rnn's exactly (up to Adagrad's ε placement).
 */
function characterSession(w: CharacterWorkload, fixture: Fixture, threads: ReturnType<typeof startThreads>): Session {
  const V = w.vocabulary;
  const T = w.steps;
  const model = new SequenceModel({
    stack: { cell: 'rnn', nonlinearity: 'tanh', inputSize: V, hiddenSize: w.hiddenSize, numLayers: 1, bidirectional: false },
    outputSize: V, mode: 'many-to-many', loss: 'softmax-cross-entropy',
  }, new RandomState(0), KERNELS);
  loadParameters(model, fixture);
  const text = Int32Array.from(fixture.get('text'));
  const parameters = model.parameters();
  const adagrad = new Adagrad(w.learningRate, 1e-8);
  const x = new Float64Array(T * V);       // [T, 1, V] one-hot
  const targets = new Int32Array(T);       // [T, 1]
  const batch: Batch = { x: { shape: [T, 1, V], data: x }, targets: { kind: 'classes', shape: [T, 1], indices: targets } };
  let position = 0;
  let state: StackState | undefined;
  return {
    detail: `SequenceModel (tanh RNN, many-to-many), ${threads.detail}`,
    versions: {},
    threads: threads.threads,
    step() {
      if (position + T + 1 >= text.length) {
        position = 0;
        state = undefined;
      }
      x.fill(0);
      for (let t = 0; t < T; t++) {
        x[t * V + text[position + t]] = 1;
        targets[t] = text[position + t + 1];
      }
      model.zeroGrad();
      const result = model.lossAndGradients(batch, { initial: state });
      state = result.finalState;
      for (const p of parameters) {
        const g = p.grad.data;
        for (let i = 0; i < g.length; i++) g[i] *= T;
      }
      clipByValue(parameters, w.clip);
      adagrad.step(parameters);
      position += T;
      return result.loss;
    },
  };
}

serve((implementation, workload, fixture) => {
  const threads = startThreads(implementation);
  return workload.kind === 'regression' ? regressionSession(workload, fixture, threads) : characterSession(workload, fixture, threads);
});
