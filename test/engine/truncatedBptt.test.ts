// Engine tests: truncated backpropagation through time (SequenceModel.lossAndGradients with `truncate`) — the state
// flows on across chunks while the gradient stops at their boundaries.
import * as assert from 'node:assert/strict';

import { CellKind } from '../../src/engine/cells/cell';
import { StackState } from '../../src/engine/layers/recurrentStack';
import { PassResult, SequenceModel } from '../../src/engine/model';
import { RandomState } from '../../src/engine/random/randomState';
import type { Batch, TaskMode } from '../../src/engine/tasks/task';
import { Tensor } from '../../src/engine/tensor';

const T = 12;
const B = 3;
const I = 3;
const H = 5;
const O = 4;

function makeModel(cell: CellKind, mode: TaskMode, numLayers = 2): SequenceModel {
  return new SequenceModel({
    stack: { cell, inputSize: I, hiddenSize: H, numLayers, bidirectional: false },
    outputSize: O, mode, loss: mode === 'many-to-many' ? 'softmax-cross-entropy' : 'mse',
  }, new RandomState(21));
}

function makeBatch(mode: TaskMode, seed = 8): Batch {
  const rng = new RandomState(seed);
  const x: Tensor = { shape: [T, B, I], data: rng.randnArray(T * B * I) };
  if (mode === 'many-to-many') {
    return { x, targets: { kind: 'classes', shape: [T, B], indices: Int32Array.from({ length: T * B }, () => rng.randint(0, O)) } };
  }
  return { x, targets: { kind: 'values', tensor: { shape: [B, O], data: rng.randnArray(B * O) } } };
}

/** Steps [start, end) of a time-major tensor. */
function timeSlice(x: Tensor, start: number, end: number): Tensor {
  const row = x.shape.slice(1).reduce((a, b) => a * b, 1);
  return { shape: [end - start, ...x.shape.slice(1)], data: x.data.slice(start * row, end * row) };
}

function gradients(model: SequenceModel): number[][] {
  return model.parameters().map((p) => Array.from(p.grad.data));
}

/** One pass from zeroed gradients. */
function pass(model: SequenceModel, batch: Batch, options: { truncate?: number; initial?: StackState } = {}): { result: PassResult; grads: number[][] } {
  model.zeroGrad();
  const result = model.lossAndGradients(batch, options);
  return { result, grads: gradients(model) };
}

function maxRelativeDifference(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((row, i) => row.forEach((v, j) => {
    worst = Math.max(worst, Math.abs(v - b[i][j]) / Math.max(Math.abs(v), Math.abs(b[i][j]), 1e-300));
  }));
  return worst;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(Math.abs(expected[i]), 1e-3);
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance * scale, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

const chunkStarts = (k: number): number[] => Array.from({ length: Math.ceil(T / k) }, (_, c) => c * k);

describe('truncated BPTT: the state flows across chunks', () => {
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    it(`${cell}: predicting in chunks of k, carrying the final state, equals one prediction over all T steps`, () => {
      const model = makeModel(cell, 'many-to-many');
      const x = makeBatch('many-to-many').x;
      const whole = model.predict(x);
      for (const k of [1, 4, 5, T]) {
        let state: StackState | undefined;
        const outputs: number[] = [];
        for (const start of chunkStarts(k)) {
          const { output, finalState } = model.predict(timeSlice(x, start, Math.min(T, start + k)), state);
          outputs.push(...output.data);
          state = finalState;
        }
        assert.deepEqual(outputs, Array.from(whole.output.data), `chunks of ${k}`);
        assert.deepEqual(Array.from(state!.h.data), Array.from(whole.finalState.h.data));
        if (cell === 'lstm') assert.deepEqual(Array.from(state!.c!.data), Array.from(whole.finalState.c!.data));
      }
    });
  }

  it('a truncated pass measures the same loss and ends in the same state as a full one', () => {
    const model = makeModel('lstm', 'many-to-many');
    const batch = makeBatch('many-to-many');
    const full = pass(model, batch).result;
    for (const k of [1, 5]) {
      const truncated = pass(model, batch, { truncate: k }).result;
      assert.ok(Math.abs(truncated.loss - full.loss) <= 1e-12 * full.loss, `k = ${k}: loss ${truncated.loss} vs ${full.loss}`);
      assert.deepEqual(Array.from(truncated.finalState.h.data), Array.from(full.finalState.h.data));
      assert.deepEqual(Array.from(truncated.finalState.c!.data), Array.from(full.finalState.c!.data));
    }
  });
});

describe('truncated BPTT: the gradient stops at chunk boundaries', () => {
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    for (const mode of ['many-to-many', 'many-to-one'] as const) {
      it(`${cell}, ${mode}: truncate ≥ T is exactly full BPTT; truncate < T is not`, () => {
        const model = makeModel(cell, mode);
        const batch = makeBatch(mode);
        const full = pass(model, batch);
        for (const k of [T, T + 7]) {
          const same = pass(model, batch, { truncate: k });
          assert.deepEqual(same.grads, full.grads, `truncate ${k}`);
          assert.equal(same.result.loss, full.result.loss);
        }
        for (const k of [1, 4, 5]) {
          const truncated = pass(model, batch, { truncate: k });
          assert.ok(maxRelativeDifference(truncated.grads, full.grads) > 1e-3, `truncate ${k} gave the full-BPTT gradients`);
        }
      });
    }
  }

  it('many-to-many: the truncated gradient is the sum of each chunk\'s own gradient, its start state taken as a constant', () => {
    const model = makeModel('gru', 'many-to-many');
    const batch = makeBatch('many-to-many');
    const k = 5;
    const truncated = pass(model, batch, { truncate: k }).grads;
    // Each chunk on its own (full BPTT inside it) from the state the whole forward reached at its start,
    // weighted by its share of the T steps of the mean loss.
    const expected = truncated.map((row) => row.map(() => 0));
    let state: StackState | undefined;
    for (const start of chunkStarts(k)) {
      const end = Math.min(T, start + k);
      const indices = batch.targets.kind === 'classes' ? batch.targets.indices.slice(start * B, end * B) : new Int32Array(0);
      const chunk: Batch = { x: timeSlice(batch.x, start, end), targets: { kind: 'classes', shape: [end - start, B], indices } };
      const { result, grads } = pass(model, chunk, { initial: state });
      grads.forEach((row, i) => row.forEach((v, j) => { expected[i][j] += v * (end - start) / T; }));
      state = result.finalState;
    }
    assert.ok(maxRelativeDifference(truncated, expected) < 1e-10, `max relative difference ${maxRelativeDifference(truncated, expected)}`);
  });

  it('many-to-many: ‖∂L/∂h⟨t⟩‖ over the last chunk is as in full BPTT; before it, later losses no longer reach', () => {
    const model = makeModel('lstm', 'many-to-many', 1);
    const batch = makeBatch('many-to-many');
    const k = 5;
    const full = pass(model, batch).result.gradientNorms[0].hidden;
    const truncated = pass(model, batch, { truncate: k }).result.gradientNorms[0].hidden;
    const lastStart = chunkStarts(k).at(-1)!;
    assertClose(truncated.subarray(lastStart), full.subarray(lastStart), 1e-12, 'last chunk');
    for (const boundary of chunkStarts(k).slice(1).map((s) => s - 1)) {
      const relative = Math.abs(truncated[boundary] - full[boundary]) / full[boundary];
      assert.ok(relative > 1e-3, `step ${boundary}, the end of a chunk: ${truncated[boundary]} vs full ${full[boundary]}`);
    }
  });

  it('many-to-one: only the last chunk gets any gradient, and there it is as in full BPTT', () => {
    const model = makeModel('lstm', 'many-to-one', 1);
    const batch = makeBatch('many-to-one');
    const k = 5;
    const full = pass(model, batch).result.gradientNorms[0];
    const truncated = pass(model, batch, { truncate: k }).result.gradientNorms[0];
    const lastStart = chunkStarts(k).at(-1)!;
    assert.deepEqual(Array.from(truncated.hidden.subarray(0, lastStart)), new Array(lastStart).fill(0));
    assert.deepEqual(Array.from(truncated.cell!.subarray(0, lastStart)), new Array(lastStart).fill(0));
    assert.ok(full.hidden.subarray(0, lastStart).every((v) => v > 0), 'full BPTT reaches every step');
    assertClose(truncated.hidden.subarray(lastStart), full.hidden.subarray(lastStart), 1e-12, 'last chunk');
  });
});

describe('truncated BPTT: what the dashboard charts and what is refused', () => {
  for (const mode of ['many-to-many', 'many-to-one'] as const) {
    it(`${mode}: one gradient norm per time step for every layer, truncated or not`, () => {
      const model = makeModel('lstm', mode, 2);
      const batch = makeBatch(mode);
      for (const truncate of [undefined, 1, 5, T]) {
        const { gradientNorms } = pass(model, batch, { truncate }).result;
        assert.deepEqual(gradientNorms.map((s) => [s.layer, s.direction]), [[0, 'forward'], [1, 'forward']]);
        for (const s of gradientNorms) {
          assert.equal(s.hidden.length, T, `truncate ${truncate}: hidden`);
          assert.equal(s.cell!.length, T, `truncate ${truncate}: cell`);
          assert.ok(s.hidden.every(Number.isFinite));
        }
      }
    });
  }

  it('a bidirectional network: truncate ≥ T is full BPTT, truncate < T an error that says why', () => {
    const model = new SequenceModel({
      stack: { cell: 'gru', inputSize: I, hiddenSize: H, numLayers: 1, bidirectional: true }, outputSize: O, mode: 'many-to-many', loss: 'softmax-cross-entropy',
    }, new RandomState(2));
    const batch = makeBatch('many-to-many');
    assert.deepEqual(pass(model, batch, { truncate: T }).grads, pass(model, batch).grads);
    assert.throws(() => model.lossAndGradients(batch, { truncate: 4 }), /truncated BPTT needs the future, which a bidirectional network reads/);
  });

  it('truncate must be a whole number of steps ≥ 1', () => {
    const model = makeModel('rnn', 'many-to-many');
    for (const truncate of [0, -2, 2.5, NaN]) {
      assert.throws(() => model.lossAndGradients(makeBatch('many-to-many'), { truncate }), /truncate must be a whole number of steps ≥ 1/);
    }
  });
});
