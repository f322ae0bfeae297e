// Finite-difference checks of every cell, variant, wrapper, truncation and loss, plus a negative control.
import assert from 'node:assert/strict';
import { GruCell } from '../../src/engine/cells/gruCell';
import { CheckedValue, gradientCheck } from '../../src/engine/gradcheck';
import { StackConfig, StackState } from '../../src/engine/layers/recurrentStack';
import { SequenceModel } from '../../src/engine/model';
import { RandomState } from '../../src/engine/random/randomState';
import type { Batch, LossName, TaskMode } from '../../src/engine/tasks/task';
import { Tensor } from '../../src/engine/tensor';

const TOLERANCE = 1e-7;
const worstErrors: Record<string, number> = {};

function randomBatch(rng: RandomState, T: number, B: number, I: number, O: number, mode: TaskMode, loss: LossName): Batch {
  const x: Tensor = { shape: [T, B, I], data: rng.randnArray(T * B * I) };
  const rows = mode === 'many-to-many' ? T * B : B;
  if (loss === 'softmax-cross-entropy') {
    const indices = Int32Array.from({ length: rows }, () => rng.randint(0, O));
    return { x, targets: { kind: 'classes', shape: mode === 'many-to-many' ? [T, B] : [B], indices } };
  }
  const values = loss === 'mse' ? rng.randnArray(rows * O) : Float64Array.from({ length: rows * O }, () => rng.randint(0, 2));
  return { x, targets: { kind: 'values', tensor: { shape: mode === 'many-to-many' ? [T, B, O] : [B, O], data: values } } };
}

interface Case {
  name: string;
  stack: Partial<StackConfig>;
  mode?: TaskMode;
  loss?: LossName;
  truncate?: number;
  T?: number;
  B?: number;
  hidden?: number;
}

function check(c: Case): number {
  const rng = new RandomState(7);
  const T = c.T ?? 5;
  const B = c.B ?? 3;
  const H = c.hidden ?? 4;
  const I = 4;
  const O = 3;
  const mode = c.mode ?? 'many-to-many';
  const loss = c.loss ?? 'softmax-cross-entropy';
  const model = new SequenceModel({
    stack: { cell: 'lstm', inputSize: I, hiddenSize: H, numLayers: 1, bidirectional: false, ...c.stack },
    outputSize: O, mode, loss,
  }, rng);
  // Scale weights up so gates leave their linear region and every nonlinearity is exercised.
  for (const p of model.parameters()) p.value.data.forEach((v, i, a) => (a[i] = v * 2.5));
  const batch = randomBatch(rng, T, B, I, O, mode, loss);
  const D = c.stack.bidirectional ? 2 : 1;
  const L = c.stack.numLayers ?? 1;
  const stateShape = [L * D, B, H];
  const initial = {
    h: { shape: stateShape, data: rng.randnArray(L * D * B * H).map((v) => 0.5 * v) },
    ...(model.config.stack.cell === 'lstm' ? { c: { shape: stateShape, data: rng.randnArray(L * D * B * H) } } : {}),
  };
  model.zeroGrad();
  model.lossAndGradients(batch, { truncate: c.truncate, initial });
  // For truncated BPTT the finite difference must see the same objective: each chunk starts from the state the
  // unperturbed forward carried into it, held constant.
  const chunkStates: StackState[] = [];
  if (c.truncate) {
    let state: StackState = initial;
    for (let start = 0; start < T; start += c.truncate) {
      chunkStates.push(state);
      const end = Math.min(T, start + c.truncate);
      const { finalState } = model.predict({ shape: [end - start, B, I], data: batch.x.data.slice(start * B * I, end * B * I) }, state);
      state = { h: finalState.h, ...(finalState.c ? { c: finalState.c } : {}) };
    }
  }
  const lossOnly = (): number => {
    if (!c.truncate) {
      const { output } = model.predict(batch.x, initial);
      return model.lossOf(output.data, batch.targets).loss;
    }
    let total = 0;
    chunkStates.forEach((state, k) => {
      const start = k * c.truncate!;
      const end = Math.min(T, start + c.truncate!);
      const { output } = model.predict({ shape: [end - start, B, I], data: batch.x.data.slice(start * B * I, end * B * I) }, state);
      const targets = batch.targets.kind === 'classes'
        ? { kind: 'classes' as const, shape: [end - start, B], indices: batch.targets.indices.slice(start * B, end * B) }
        : batch.targets;
      total += ((end - start) / T) * model.lossOf(output.data, targets).loss;
    });
    return total;
  };
  const values: CheckedValue[] = model.parameters();
  const result = gradientCheck(lossOnly, values);
  worstErrors[c.name] = result.maxError;
  return result.maxError;
}

const cases: Case[] = [
  { name: 'rnn tanh', stack: { cell: 'rnn' } },
  { name: 'rnn relu', stack: { cell: 'rnn', nonlinearity: 'relu' } },
  { name: 'gru reset after (PyTorch)', stack: { cell: 'gru', gruReset: 'after' } },
  { name: 'gru reset before (Cho 2014)', stack: { cell: 'gru', gruReset: 'before' } },
  { name: 'lstm', stack: { cell: 'lstm' } },
  { name: 'lstm with forget bias', stack: { cell: 'lstm', forgetBias: 1 } },
  { name: 'stacked 3-layer gru', stack: { cell: 'gru', numLayers: 3 } },
  { name: 'bidirectional lstm, concat', stack: { cell: 'lstm', bidirectional: true } },
  { name: 'bidirectional rnn, sum', stack: { cell: 'rnn', bidirectional: true, merge: 'sum' } },
  { name: 'bidirectional gru, ave', stack: { cell: 'gru', bidirectional: true, merge: 'ave' } },
  { name: 'bidirectional lstm, mul', stack: { cell: 'lstm', bidirectional: true, merge: 'mul' } },
  { name: '2-layer bidirectional gru (before), many-to-one', stack: { cell: 'gru', gruReset: 'before', numLayers: 2, bidirectional: true }, mode: 'many-to-one' },
  { name: 'truncated BPTT k=2, lstm', stack: { cell: 'lstm' }, truncate: 2, T: 7 },
  { name: 'truncated BPTT k=3, 2-layer rnn', stack: { cell: 'rnn', numLayers: 2 }, truncate: 3, T: 7 },
  { name: 'many-to-one MSE', stack: { cell: 'lstm' }, mode: 'many-to-one', loss: 'mse' },
  { name: 'many-to-many MSE', stack: { cell: 'gru' }, loss: 'mse' },
  { name: 'many-to-one sigmoid BCE', stack: { cell: 'rnn' }, mode: 'many-to-one', loss: 'sigmoid-bce' },
  { name: 'T = 1, batch 1, hidden 1 (lstm)', stack: { cell: 'lstm' }, T: 1, B: 1, hidden: 1 },
  { name: 'T = 1, batch 1, hidden 1 (gru before)', stack: { cell: 'gru', gruReset: 'before' }, T: 1, B: 1, hidden: 1 },
];

describe('gradient check (float64, central differences)', () => {
  for (const c of cases) {
    it(`${c.name}: relative error ≤ ${TOLERANCE}`, () => {
      const error = check(c);
      assert.ok(error <= TOLERANCE, `worst relative error ${error}`);
    });
  }

  it('fails a deliberately wrong backward (negative control)', () => {
    // A GRU whose backward forgets the direct path h_prev → h (dh_prev = dh ⊙ z): a classic slip.
    const original = GruCell.prototype.backwardStep;
    GruCell.prototype.backwardStep = function (this: GruCell, ...args: Parameters<GruCell['backwardStep']>) {
      original.apply(this, args);
      const [, , , dNext, , dPrevious] = args;
      const gates = (this as unknown as { gateCache: { at(t: number): Float64Array } }).gateCache.at(args[0]);
      const H = this.hiddenSize;
      for (let k = 0; k < dPrevious.h.length; k++) {
        const b = Math.floor(k / H);
        dPrevious.h[k] -= dNext.h[k] * gates[b * 3 * H + H + (k % H)];
      }
    };
    try {
      const error = check({ name: 'negative control', stack: { cell: 'gru' } });
      assert.ok(error > 1e-3, `the checker should catch the bug, but the worst error was only ${error}`);
    } finally {
      GruCell.prototype.backwardStep = original;
    }
  });

  after(() => {
    const real = Object.entries(worstErrors).filter(([name]) => name !== 'negative control');
    const worst = real.reduce((a, b) => (b[1] > a[1] ? b : a));
    console.log(`    worst gradcheck relative error: ${worst[1].toExponential(2)} (${worst[0]}); negative control: ${worstErrors['negative control']?.toExponential(2)}`);
  });
});
