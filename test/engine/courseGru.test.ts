// The course-notation GRU step (course.gruCellForward) against the engine's GRU cell with the reset gate before the
// product, its weights mapped across (Γu = 1 − z), and its argument errors.
import * as assert from 'node:assert/strict';
import { gruCellForward, randnInOrder, transpose, type GruParameters } from '../../src/engine/course';
import { RecurrentStack } from '../../src/engine/layers/recurrentStack';
import { RandomState } from '../../src/engine/random/randomState';
import type { Tensor } from '../../src/engine/tensor';

const [nX, nA, m] = [3, 5, 4];

function courseInputs(seed: number): { xt: Tensor; aPrev: Tensor; parameters: GruParameters } {
  const [xt, aPrev, Wu, bu, Wr, br, Wc, bc] = randnInOrder(seed, [nX, m], [nA, m], [nA, nA + nX], [nA, 1], [nA, nA + nX], [nA, 1], [nA, nA + nX], [nA, 1]);
  return { xt, aPrev, parameters: { Wu, bu, Wr, br, Wc, bc } };
}

/** Columns [from, to) of a (rows, columns) array, row by row, each entry multiplied by `sign`. */
function columns(W: Tensor, from: number, to: number, sign = 1): number[] {
  const [rows, width] = W.shape;
  const values: number[] = [];
  for (let i = 0; i < rows; i++) for (let j = from; j < to; j++) values.push(sign * W.data[i * width + j]);
  return values;
}

/** The engine's GRU, reset before the product, holding the course's parameters: z = 1 − Γu, so W_z = −W_u, b_z = −b_u. */
function engineGru({ Wu, bu, Wr, br, Wc, bc }: GruParameters): RecurrentStack {
  const stack = new RecurrentStack({ cell: 'gru', gruReset: 'before', inputSize: nX, hiddenSize: nA, numLayers: 1, bidirectional: false }, new RandomState(0));
  const tensor = (shape: number[], values: number[]): Tensor => ({ shape, data: Float64Array.from(values) });
  // PyTorch's gate order in the rows: r, z, n. The concatenation is [a_prev; x]: the first n_a columns act on a_prev.
  stack.loadStateDict({
    weight_ih_l0: tensor([3 * nA, nX], [...columns(Wr, nA, nA + nX), ...columns(Wu, nA, nA + nX, -1), ...columns(Wc, nA, nA + nX)]),
    weight_hh_l0: tensor([3 * nA, nA], [...columns(Wr, 0, nA), ...columns(Wu, 0, nA, -1), ...columns(Wc, 0, nA)]),
    bias_ih_l0: tensor([3 * nA], [...br.data, ...Array.from(bu.data, (b) => -b), ...bc.data]),
    bias_hh_l0: tensor([3 * nA], new Array(3 * nA).fill(0)),
  });
  return stack;
}

function assertClose(actual: Tensor, expected: Tensor, tolerance: number): void {
  assert.deepEqual(actual.shape, expected.shape);
  actual.data.forEach((value, i) => assert.ok(Math.abs(value - expected.data[i]) < tolerance, `entry ${i}: ${value} vs ${expected.data[i]}`));
}

describe('course API: gruCellForward (the GRU in the course notation)', () => {
  for (const seed of [1, 2, 3]) {
    it(`equals the engine's reset-before GRU with z = 1 − Γu (seed ${seed})`, () => {
      const { xt, aPrev, parameters } = courseInputs(seed);
      const [aNext] = gruCellForward(xt, aPrev, parameters);
      // The engine is batch-major: x (T = 1, m, n_x), h (1, m, n_a).
      const { h } = engineGru(parameters).forward({ shape: [1, m, nX], data: transpose(xt).data }, { h: { shape: [1, m, nA], data: transpose(aPrev).data } });
      assertClose(aNext, transpose({ shape: [m, nA], data: h.data }), 1e-12);
    });
  }

  it('the reset gate acts before the product: moving it after the product (PyTorch) gives another a⟨t⟩', () => {
    const { xt, aPrev, parameters } = courseInputs(1);
    const [aNext] = gruCellForward(xt, aPrev, parameters);
    const stack = engineGru(parameters);
    const after = new RecurrentStack({ cell: 'gru', gruReset: 'after', inputSize: nX, hiddenSize: nA, numLayers: 1, bidirectional: false }, new RandomState(0));
    after.loadStateDict(stack.stateDict());
    const { h } = after.forward({ shape: [1, m, nX], data: transpose(xt).data }, { h: { shape: [1, m, nA], data: transpose(aPrev).data } });
    const largest = Math.max(...transpose({ shape: [m, nA], data: h.data }).data.map((value, i) => Math.abs(value - aNext.data[i])));
    assert.ok(largest > 1e-3, `reset after differs by only ${largest}`);
  });

  it('Γu = 1 takes the candidate and Γu = 0 keeps a⟨t−1⟩', () => {
    const { xt, aPrev, parameters } = courseInputs(1);
    const zerosWu: Tensor = { shape: [nA, nA + nX], data: new Float64Array(nA * (nA + nX)) };
    const take = gruCellForward(xt, aPrev, { ...parameters, Wu: zerosWu, bu: { shape: [nA, 1], data: new Float64Array(nA).fill(800) } });
    assertClose(take[0], take[1].cTilde, 1e-12);
    const keep = gruCellForward(xt, aPrev, { ...parameters, Wu: zerosWu, bu: { shape: [nA, 1], data: new Float64Array(nA).fill(-800) } });
    assertClose(keep[0], aPrev, 1e-12);
  });

  it('names the argument whose shape is wrong, and a missing dictionary', () => {
    const { xt, aPrev, parameters } = courseInputs(1);
    assert.throws(() => gruCellForward(xt, aPrev, { ...parameters, Wr: { shape: [nA, nA], data: new Float64Array(nA * nA) } }),
      { name: 'RangeError', message: /^gruCellForward: Wr has shape \[5, 5\], expected \(n_a, n_a \+ n_x\) = \[5, 8\]/ });
    assert.throws(() => gruCellForward(xt, { shape: [nA, m + 1], data: new Float64Array(nA * (m + 1)) }, parameters), { name: 'RangeError', message: /gruCellForward: a_prev has shape \[5, 5\]/ });
    assert.throws(() => gruCellForward(xt, aPrev, null as never), { name: 'TypeError', message: /parameters must be a dictionary of arrays \(Wu, bu, Wr, br, Wc, bc\)/ });
  });
});
