// Engine tests: the course-style API (src/engine/course) reproduces the DeepLearning.AI week-1 notebooks — every
// number the course notebooks print (quoted in the tests below), full arrays against numpy (test/fixtures/numpy/course.json, made by
// scripts/makeNumpyFixtures.py), finite-difference gradient checks with negative controls, and errors for bad shapes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  argmax,
  at as indexAt,
  clip,
  charRnnBackward,
  charRnnForward,
  concatRows,
  lstmBackward,
  lstmCellBackward,
  lstmCellForward,
  item,
  lstmForward,
  optimize,
  plus,
  randnCourse,
  randnInOrder,
  rnnBackward,
  rnnCellBackward,
  rnnCellForward,
  rnnForward,
  rows,
  sample,
  scale,
  setTimeStep,
  softmax,
  timeStep,
  toList,
  updateParameters,
  type CharIndex,
  type CharRnnGradients,
  type CharRnnParameters,
  type LstmCellCache,
  type LstmCellGradients,
  type LstmParameters,
  type NestedNumbers,
  type RnnParameters,
} from '../../src/engine/course';
import { gradientCheck, type CheckedValue } from '../../src/engine/gradcheck';
import { RandomState } from '../../src/engine/random/randomState';
import { formatShape, fromNested, sameShape, type Tensor } from '../../src/engine/tensor';

const FIXTURE_TOLERANCE = 1e-10;
const GRADCHECK_TOLERANCE = 1e-7;

type Nested = unknown;
type Dict = Record<string, Nested>;
interface CourseFixture {
  rnn_cell_forward: Dict;
  rnn_forward: Dict;
  lstm_cell_forward: Dict;
  lstm_forward: Dict;
  rnn_cell_backward: Dict;
  rnn_backward: Dict;
  lstm_cell_backward: Dict;
  lstm_backward: Dict;
  lstm_backward_notebook_call: Dict;
  clip: { maxValue: number; gradients: Dict }[];
  sample: { parameters: string; seed: number; indices: number[]; stablePrefix: number }[];
  optimize: { X: number[]; Y: number[]; learningRate: number; loss: number; gradients: Dict; a_last: Nested };
  optimizeChained: {
    seed: number; scale: number; learningRate: number; parameters: Dict;
    steps: { name: string; loss: number; gradients: Dict; a_last: Nested }[];
  };
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'numpy', 'course.json'), 'utf-8')) as CourseFixture;

// ---- inputs, drawn as the notebooks draw them ------------------------------------------------------------------

/** `np.random.seed(seed)` then one `np.random.randn(*shape)` per shape, in order. */
function draw(seed: number, ...shapes: number[][]): Tensor[] {
  const rs = new RandomState(seed);
  return shapes.map((shape) => randnCourse(rs, ...shape));
}

function scaled(t: Tensor, factor: number): Tensor {
  return { shape: t.shape, data: t.data.map((v) => v * factor) };
}

/** The shapes of the LSTM's parameters in the order the notebook draws them: Wf, bf, Wi, bi, Wo, bo, Wc, bc, Wy, by. */
const LSTM_SHAPES = [[5, 8], [5, 1], [5, 8], [5, 1], [5, 8], [5, 1], [5, 8], [5, 1], [2, 5], [2, 1]];

function lstmParameters(tensors: Tensor[]): LstmParameters {
  const [Wf, bf, Wi, bi, Wo, bo, Wc, bc, Wy, by] = tensors;
  return { Wf, bf, Wi, bi, Wo, bo, Wc, bc, Wy, by };
}

/** rnn_cell_forward's inputs: xt, a_prev, Waa, Wax, Wya, ba, by. */
function rnnCellForwardInputs(): { xt: Tensor; aPrev: Tensor; parameters: RnnParameters } {
  const [xt, aPrev, Waa, Wax, Wya, ba, by] = draw(1, [3, 10], [5, 10], [5, 5], [5, 3], [2, 5], [5, 1], [2, 1]);
  return { xt, aPrev, parameters: { Wax, Waa, Wya, ba, by } };
}

/** rnn_cell_backward's inputs: xt, a_prev, then Wax before Waa, Wya, ba, by; after the forward pass, da_next. */
function rnnCellBackwardInputs(): { xt: Tensor; aPrev: Tensor; parameters: RnnParameters; daNext: Tensor } {
  const rs = new RandomState(1);
  const [xt, aPrev, Wax, Waa, Wya, ba, by] = [[3, 10], [5, 10], [5, 3], [5, 5], [2, 5], [5, 1], [2, 1]].map((s) => randnCourse(rs, ...s));
  return { xt, aPrev, parameters: { Wax, Waa, Wya, ba, by }, daNext: randnCourse(rs, 5, 10) };
}

function rnnBackwardInputs(): { x: Tensor; a0: Tensor; parameters: RnnParameters; da: Tensor } {
  const rs = new RandomState(1);
  const [x, a0, Wax, Waa, Wya, ba, by] = [[3, 10, 4], [5, 10], [5, 3], [5, 5], [2, 5], [5, 1], [2, 1]].map((s) => randnCourse(rs, ...s));
  return { x, a0, parameters: { Wax, Waa, Wya, ba, by }, da: randnCourse(rs, 5, 10, 4) };
}

function lstmCellInputs(): { xt: Tensor; aPrev: Tensor; cPrev: Tensor; parameters: LstmParameters; rs: RandomState } {
  const rs = new RandomState(1);
  const [xt, aPrev, cPrev, ...weights] = [[3, 10], [5, 10], [5, 10], ...LSTM_SHAPES].map((s) => randnCourse(rs, ...s));
  return { xt, aPrev, cPrev, parameters: lstmParameters(weights), rs };
}

function lstmInputs(): { x: Tensor; a0: Tensor; parameters: LstmParameters; rs: RandomState } {
  const rs = new RandomState(1);
  const [x, a0, ...weights] = [[3, 10, 7], [5, 10], ...LSTM_SHAPES].map((s) => randnCourse(rs, ...s));
  return { x, a0, parameters: lstmParameters(weights), rs };
}

// ---- comparisons -----------------------------------------------------------------------------------------------

/** Largest |actual − expected| / max(1, |expected|), after checking the shapes agree. */
function maxError(actual: Tensor, expectedNested: Nested, label: string): number {
  const expected = fromNested(expectedNested, label);
  assert.ok(sameShape(actual.shape, expected.shape), `${label}: shape ${formatShape(actual.shape)}, numpy ${formatShape(expected.shape)}`);
  let worst = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const error = Math.abs(actual.data[i] - expected.data[i]) / Math.max(1, Math.abs(expected.data[i]));
    if (!(error <= worst)) worst = error;
  }
  return worst;
}

/** The worst error against numpy over the whole file, reported after the run. */
const worstVsNumpy = { error: 0, where: '' };

function assertMatches(actual: Record<string, Tensor>, expected: Dict, where: string): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${where}: keys`);
  for (const key of Object.keys(expected)) {
    const error = maxError(actual[key], expected[key], `${where}.${key}`);
    assert.ok(error <= FIXTURE_TOLERANCE, `${where}.${key}: max error ${error.toExponential(2)} vs numpy`);
    if (error > worstVsNumpy.error) Object.assign(worstVsNumpy, { error, where: `${where}.${key}` });
  }
}

/** entry [i][j]… of a feature-major tensor. */
function at(t: Tensor, ...index: number[]): number {
  let offset = 0;
  index.forEach((i, axis) => (offset = offset * t.shape[axis] + i));
  for (let axis = index.length; axis < t.shape.length; axis++) offset *= t.shape[axis];
  return t.data[offset];
}

/** The last axis at a fixed leading index: `t[i][j]` of a 3-D tensor or `t[i]` of a matrix, as numpy prints it. */
function row(t: Tensor, ...index: number[]): number[] {
  const length = t.shape[t.shape.length - 1];
  return Array.from({ length }, (_, k) => at(t, ...index, k));
}

/**
 * A value the notebook printed. Arrays are printed to 8 decimals (numpy's default), scalars to 12 significant digits
 * (Python 2's `str`), trailing zeros dropped; so the bound is half a unit in the last printed place.
 */
function assertPrinted(actual: number[], printed: number[], kind: 'array' | 'scalar', label: string): void {
  assert.equal(actual.length, printed.length, `${label}: length`);
  printed.forEach((p, i) => {
    const halfUnit = kind === 'array' ? 0.5e-8 : 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(p))) - 11);
    const error = Math.abs(actual[i] - p);
    assert.ok(error <= halfUnit * (1 + 1e-9), `${label}[${i}] = ${actual[i]}, the notebook printed ${p} (off by ${error.toExponential(2)})`);
  });
}

// ---- gradient checks -------------------------------------------------------------------------------------------

function checked(name: string, value: Tensor, grad: Tensor): CheckedValue {
  assert.ok(sameShape(value.shape, grad.shape), `${name}: gradient shape ${formatShape(grad.shape)} vs value ${formatShape(value.shape)}`);
  return { name, value, grad };
}

function withOneEntryOff(t: Tensor, index: number, delta: number): Tensor {
  const data = Float64Array.from(t.data);
  data[index] += delta;
  return { shape: t.shape, data };
}

/** Σ da_next ⊙ a_next + Σ dc_next ⊙ c_next: the scalar whose gradient lstmCellBackward(da_next, dc_next) returns. */
function lstmCellLoss(xt: Tensor, aPrev: Tensor, cPrev: Tensor, parameters: LstmParameters, daNext: Tensor, dcNext: Tensor): number {
  const [aNext, cNext] = lstmCellForward(xt, aPrev, cPrev, parameters);
  return dotProduct(daNext, aNext) + dotProduct(dcNext, cNext);
}

function dotProduct(a: Tensor, b: Tensor): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += a.data[i] * b.data[i];
  return sum;
}

function lstmCellCheckedValues(inputs: ReturnType<typeof lstmCellInputs>, g: LstmCellGradients): CheckedValue[] {
  const { xt, aPrev, cPrev, parameters: p } = inputs;
  return [
    checked('xt', xt, g.dxt), checked('a_prev', aPrev, g.da_prev), checked('c_prev', cPrev, g.dc_prev),
    checked('Wf', p.Wf, g.dWf), checked('bf', p.bf, g.dbf), checked('Wi', p.Wi, g.dWi), checked('bi', p.bi, g.dbi),
    checked('Wc', p.Wc, g.dWc), checked('bc', p.bc, g.dbc), checked('Wo', p.Wo, g.dWo), checked('bo', p.bo, g.dbo),
  ];
}

// ================================================================================================================

describe('course API: the numbers the course notebooks print (inputs from np.random.seed(1) + randn)', () => {
  it('randnCourse fills in numpy C order: seed 1, randn(2, 2) = [[1.6243453637, −0.6117564137], [−0.5281717523, −1.0729686222]]', () => {
    const [t] = draw(1, [2, 2]);
    assert.deepEqual(t.shape, [2, 2]);
    assertPrinted(Array.from(t.data), [1.6243453637, -0.6117564137, -0.5281717523, -1.0729686222], 'array', 'randn(2, 2)');
  });

  it('rnn_cell_forward: a_next[4] and yt_pred[1]', () => {
    const { xt, aPrev, parameters } = rnnCellForwardInputs();
    const [aNext, ytPred] = rnnCellForward(xt, aPrev, parameters);
    assert.deepEqual([aNext.shape, ytPred.shape], [[5, 10], [2, 10]]);
    assertPrinted(row(aNext, 4), [0.59584544, 0.18141802, 0.61311866, 0.99808218, 0.85016201, 0.99980978, -0.18887155, 0.99815551,
      0.6531151, 0.82872037], 'array', 'a_next[4]');
    assertPrinted(row(ytPred, 1), [0.9888161, 0.01682021, 0.21140899, 0.36817467, 0.98988387, 0.88945212, 0.36920224, 0.9966312,
      0.9982559, 0.17746526], 'array', 'yt_pred[1]');
  });

  it('rnn_forward: a[4][1] and y_pred[1][3]', () => {
    const [x, a0, Waa, Wax, Wya, ba, by] = draw(1, [3, 10, 4], [5, 10], [5, 5], [5, 3], [2, 5], [5, 1], [2, 1]);
    const [a, yPred, [caches]] = rnnForward(x, a0, { Wax, Waa, Wya, ba, by });
    assert.deepEqual([a.shape, yPred.shape, caches.length], [[5, 10, 4], [2, 10, 4], 4]);
    assertPrinted(row(a, 4, 1), [-0.99999375, 0.77911235, -0.99861469, -0.99833267], 'array', 'a[4][1]');
    assertPrinted(row(yPred, 1, 3), [0.79560373, 0.86224861, 0.11118257, 0.81515947], 'array', 'y_pred[1][3]');
  });

  it('lstm_cell_forward: a_next[4] and c_next[2]', () => {
    const { xt, aPrev, cPrev, parameters } = lstmCellInputs();
    const [aNext, cNext, ytPred, cache] = lstmCellForward(xt, aPrev, cPrev, parameters);
    assert.deepEqual([aNext.shape, cNext.shape, ytPred.shape, cache.length], [[5, 10], [5, 10], [2, 10], 10]);
    assertPrinted(row(aNext, 4), [-0.66408471, 0.0036921, 0.02088357, 0.22834167, -0.85575339, 0.00138482, 0.76566531, 0.34631421,
      -0.00215674, 0.43827275], 'array', 'a_next[4]');
    assertPrinted(row(cNext, 2), [0.63267805, 1.00570849, 0.35504474, 0.20690913, -1.64566718, 0.11832942, 0.76449811, -0.0981561,
      -0.74348425, -0.26810932], 'array', 'c_next[2]');
  });

  it('lstm_forward: a[4][3][6], y[1][4][3], c[1][2][1]', () => {
    const { x, a0, parameters } = lstmInputs();
    const [a, y, c] = lstmForward(x, a0, parameters);
    assert.deepEqual([a.shape, y.shape, c.shape], [[5, 10, 7], [2, 10, 7], [5, 10, 7]]);
    assertPrinted([at(a, 4, 3, 6)], [0.172117767533], 'scalar', 'a[4][3][6]');
    assertPrinted([at(y, 1, 4, 3)], [0.95087346185], 'scalar', 'y[1][4][3]');
    assertPrinted([at(c, 1, 2, 1)], [-0.855544916718], 'scalar', 'c[1][2][1]');
  });

  it('rnn_cell_backward: dxt[1][2], da_prev[2][3], dWax[3][1], dWaa[1][2], dba[4]', () => {
    const { xt, aPrev, parameters, daNext } = rnnCellBackwardInputs();
    const [, , cache] = rnnCellForward(xt, aPrev, parameters);
    const g = rnnCellBackward(daNext, cache);
    assert.deepEqual([g.dxt.shape, g.da_prev.shape, g.dWax.shape, g.dWaa.shape, g.dba.shape], [[3, 10], [5, 10], [5, 3], [5, 5], [5, 1]]);
    assertPrinted([at(g.dxt, 1, 2)], [-1.3872130506], 'scalar', 'dxt[1][2]');
    assertPrinted([at(g.da_prev, 2, 3)], [-0.152399493774], 'scalar', 'da_prev[2][3]');
    assertPrinted([at(g.dWax, 3, 1)], [0.410772824935], 'scalar', 'dWax[3][1]');
    assertPrinted([at(g.dWaa, 1, 2)], [1.15034506685], 'scalar', 'dWaa[1][2]');
    assertPrinted(row(g.dba, 4), [0.20023491], 'array', 'dba[4]');
  });
});

describe('course API: whole arrays against numpy (course.json), to 1e-10', () => {
  after(() => console.log(`      course vs numpy: worst relative error ${worstVsNumpy.error.toExponential(2)} (${worstVsNumpy.where})`));

  it('rnn_cell_forward and rnn_forward', () => {
    const { xt, aPrev, parameters } = rnnCellForwardInputs();
    const [aNext, ytPred] = rnnCellForward(xt, aPrev, parameters);
    assertMatches({ a_next: aNext, yt_pred: ytPred }, fixture.rnn_cell_forward, 'rnn_cell_forward');
    const [x, a0, Waa, Wax, Wya, ba, by] = draw(1, [3, 10, 4], [5, 10], [5, 5], [5, 3], [2, 5], [5, 1], [2, 1]);
    const [a, yPred] = rnnForward(x, a0, { Wax, Waa, Wya, ba, by });
    assertMatches({ a, y_pred: yPred }, fixture.rnn_forward, 'rnn_forward');
  });

  it('lstm_cell_forward and lstm_forward', () => {
    const { xt, aPrev, cPrev, parameters } = lstmCellInputs();
    const [aNext, cNext, yt] = lstmCellForward(xt, aPrev, cPrev, parameters);
    assertMatches({ a_next: aNext, c_next: cNext, yt }, fixture.lstm_cell_forward, 'lstm_cell_forward');
    const { x, a0, parameters: p } = lstmInputs();
    const [a, y, c] = lstmForward(x, a0, p);
    assertMatches({ a, y, c }, fixture.lstm_forward, 'lstm_forward');
  });

  it('rnn_cell_backward and rnn_backward (da ~ randn(5, 10, 4) after the forward pass)', () => {
    const { xt, aPrev, parameters, daNext } = rnnCellBackwardInputs();
    assertMatches({ ...rnnCellBackward(daNext, rnnCellForward(xt, aPrev, parameters)[2]) }, fixture.rnn_cell_backward, 'rnn_cell_backward');
    const { x, a0, parameters: p, da } = rnnBackwardInputs();
    assertMatches({ ...rnnBackward(da, rnnForward(x, a0, p)[2]) }, fixture.rnn_backward, 'rnn_backward');
  });

  it('lstm_cell_backward (da_next, dc_next ~ randn(5, 10)) and lstm_backward (da ~ randn(5, 10, 7))', () => {
    const cell = lstmCellInputs();
    const [, , , cache] = lstmCellForward(cell.xt, cell.aPrev, cell.cPrev, cell.parameters);
    const daNext = randnCourse(cell.rs, 5, 10);
    const dcNext = randnCourse(cell.rs, 5, 10);
    assertMatches({ ...lstmCellBackward(daNext, dcNext, cache) }, fixture.lstm_cell_backward, 'lstm_cell_backward');
    const sequence = lstmInputs();
    const [, , , caches] = lstmForward(sequence.x, sequence.a0, sequence.parameters);
    const da = randnCourse(sequence.rs, 5, 10, 7);
    assertMatches({ ...lstmBackward(da, caches) }, fixture.lstm_backward, 'lstm_backward');
  });

  it('clip: the notebook example (seed 3, × 10) at maxValue 10 and 5, leaving its input unchanged', () => {
    const [dWax, dWaa, dWya, db, dby] = draw(3, [5, 3], [5, 5], [2, 5], [5, 1], [2, 1]).map((t) => scaled(t, 10));
    const gradients: CharRnnGradients = { dWax, dWaa, dWya, db, dby };
    const before = Float64Array.from(dWaa.data);
    for (const { maxValue, gradients: expected } of fixture.clip) {
      const clipped = clip(gradients, maxValue);
      assertMatches({ ...clipped }, expected, `clip(${maxValue})`);
      const all = [clipped.dWaa, clipped.dWax, clipped.dWya, clipped.db, clipped.dby];
      assert.ok(all.every((t) => t.data.every((v) => Math.abs(v) <= maxValue)));
    }
    assert.deepEqual(dWaa.data, before);
    // The notebook's printed checks: dWaa[1][2] = 10.0, dWax[3][1] = -10.0, dWya[1][2] = 0.29713815361, db[4] = [10.], dby[1] = [8.45833407]
    const clipped = clip(gradients, 10);
    assert.equal(at(clipped.dWaa, 1, 2), 10);
    assert.equal(at(clipped.dWax, 3, 1), -10);
    assertPrinted([at(clipped.dWya, 1, 2)], [0.29713815361], 'scalar', 'dWya[1][2]');
    assert.deepEqual(row(clipped.db, 4), [10]);
    assertPrinted(row(clipped.dby, 1), [8.45833407], 'array', 'dby[1]');
  });

  it('sample: the notebook example (seed 2, n_a = 100, vocabulary 27) and a short-memory model, several seeds, the 50-character cap', () => {
    const [Wax, Waa, Wya, b, by] = draw(2, [100, 27], [100, 100], [27, 100], [100, 1], [27, 1]);
    const notebook: CharRnnParameters = { Wax, Waa, Wya, b, by };
    const shortMemory: CharRnnParameters = { ...notebook, Waa: scaled(Waa, 0.03), Wya: scaled(Wya, 0.1) };
    const models: Record<string, CharRnnParameters> = {
      'notebook': notebook,
      'Waa × 0.03, Wya × 0.1': shortMemory,
      'Waa × 0.03, Wya × 0.1, by[0] − 50': { ...shortMemory, by: { shape: by.shape, data: by.data.map((v, i) => (i === 0 ? v - 50 : v)) } },
    };
    const charToIx = Object.fromEntries(Array.from('\nabcdefghijklmnopqrstuvwxyz', (ch, i) => [ch, i]));
    for (const { parameters, seed, indices, stablePrefix } of fixture.sample) {
      const drawn = sample(models[parameters], charToIx, seed);
      // With the notebook's weights the recurrence is chaotic: a last-bit difference in tanh (V8's vs glibc's) grows
      // ~2.5× per character, so only the first `stablePrefix` indices are determined by the model (see the README).
      assert.deepEqual(drawn.slice(0, stablePrefix), indices.slice(0, stablePrefix), `${parameters}, seed ${seed}`);
      if (stablePrefix === indices.length) assert.equal(drawn.length, indices.length, `${parameters}, seed ${seed}: length`);
      if (parameters.includes('by[0]')) assert.deepEqual([drawn.length, drawn[50]], [51, 0], 'capped at 50 characters, then a newline');
    }
    assert.ok(fixture.sample.filter((c) => c.stablePrefix === c.indices.length).length >= 8, 'most cases compare every index');
  });

  it('optimize: the notebook example (seed 1, n_a = 100): loss, clipped gradients, a_last, parameters updated in place', () => {
    const [aPrev, Wax, Waa, Wya, b, by] = draw(1, [100, 1], [100, 27], [100, 100], [27, 100], [100, 1], [27, 1]);
    const parameters: CharRnnParameters = { Wax, Waa, Wya, b, by };
    const before = Object.fromEntries(Object.entries(parameters).map(([k, t]) => [k, Float64Array.from(t.data)]));
    const expected = fixture.optimize;
    const [loss, gradients, aLast] = optimize(expected.X, expected.Y, aPrev, parameters, expected.learningRate);
    assert.ok(Math.abs(loss - expected.loss) <= FIXTURE_TOLERANCE * expected.loss, `loss ${loss} vs numpy ${expected.loss}`);
    assertMatches({ ...gradients }, expected.gradients, 'optimize gradients');
    assert.ok(maxError(aLast, expected.a_last, 'a_last') <= FIXTURE_TOLERANCE);
    // The notebook's printed checks.
    assertPrinted([loss], [126.503975722], 'scalar', 'loss');
    assertPrinted([at(gradients.dWaa, 1, 2)], [0.194709315347], 'scalar', 'dWaa[1][2]');
    assert.equal(gradients.dWax.data.indexOf(Math.max(...gradients.dWax.data)), 93, 'np.argmax(dWax)');
    assertPrinted([at(gradients.dWya, 1, 2)], [-0.007773876032], 'scalar', 'dWya[1][2]');
    assertPrinted(row(gradients.db, 4), [-0.06809825], 'array', 'db[4]');
    assertPrinted(row(gradients.dby, 1), [0.01538192], 'array', 'dby[1]');
    assertPrinted(row(aLast, 4), [-1], 'array', 'a_last[4]');
    // θ −= 0.01 · dθ, in place.
    const names: [keyof CharRnnParameters, keyof CharRnnGradients][] = [['Wax', 'dWax'], ['Waa', 'dWaa'], ['Wya', 'dWya'], ['b', 'db'], ['by', 'dby']];
    for (const [name, gradName] of names) {
      const stepped = before[name].map((v, i) => v - expected.learningRate * gradients[gradName].data[i]);
      assert.deepEqual(parameters[name].data, stepped, `${name} was not updated in place`);
    }
  });

  it('optimize: three chained steps on names starting with None, as model() runs them', () => {
    const { seed, scale, learningRate, steps, parameters: finalParameters } = fixture.optimizeChained;
    const [Wax, Waa, Wya] = draw(seed, [20, 27], [20, 20], [27, 20]).map((t) => scaled(t, scale));
    const parameters: CharRnnParameters = { Wax, Waa, Wya, b: { shape: [20, 1], data: new Float64Array(20) }, by: { shape: [27, 1], data: new Float64Array(27) } };
    let aPrev: Tensor = { shape: [20, 1], data: new Float64Array(20) };
    for (const step of steps) {
      const X: CharIndex[] = [null, ...Array.from(step.name, (ch) => ch.charCodeAt(0) - 96)];
      const Y = [...X.slice(1) as number[], 0];
      const [loss, gradients, aLast] = optimize(X, Y, aPrev, parameters, learningRate);
      assert.ok(Math.abs(loss - step.loss) <= FIXTURE_TOLERANCE * step.loss, `${step.name}: loss ${loss} vs numpy ${step.loss}`);
      assertMatches({ ...gradients }, step.gradients, `${step.name} gradients`);
      assert.ok(maxError(aLast, step.a_last, 'a_last') <= FIXTURE_TOLERANCE);
      aPrev = aLast;
    }
    assertMatches({ ...parameters }, finalParameters, 'parameters after three steps');
  });
});

describe('course API: finite-difference gradient checks (float64) with negative controls', () => {
  it('rnnCellBackward: dxt, da_prev, dWax, dWaa, dba', () => {
    const { xt, aPrev, parameters, daNext } = rnnCellBackwardInputs();
    const g = rnnCellBackward(daNext, rnnCellForward(xt, aPrev, parameters)[2]);
    const loss = (): number => dotProduct(daNext, rnnCellForward(xt, aPrev, parameters)[0]);
    const values = [checked('xt', xt, g.dxt), checked('a_prev', aPrev, g.da_prev), checked('Wax', parameters.Wax, g.dWax),
      checked('Waa', parameters.Waa, g.dWaa), checked('ba', parameters.ba, g.dba)];
    const result = gradientCheck(loss, values);
    assert.ok(result.maxError < GRADCHECK_TOLERANCE, `worst ${JSON.stringify(result.worst)}`);
    // Negative control: one entry of dWaa off by 1e-3 must fail.
    const wrong = gradientCheck(loss, values.map((v) => (v.name === 'Waa' ? checked('Waa', parameters.Waa, withOneEntryOff(g.dWaa, 7, 1e-3)) : v)));
    assert.ok(wrong.maxError > 1e-4 && wrong.worst?.name === 'Waa', `the checker missed a wrong dWaa: ${JSON.stringify(wrong.worst)}`);
  });

  it('lstmCellBackward: every input and parameter gradient', () => {
    const inputs = lstmCellInputs();
    const { xt, aPrev, cPrev, parameters, rs } = inputs;
    const [, , , cache] = lstmCellForward(xt, aPrev, cPrev, parameters);
    const daNext = randnCourse(rs, 5, 10);
    const dcNext = randnCourse(rs, 5, 10);
    const g = lstmCellBackward(daNext, dcNext, cache);
    const loss = (): number => lstmCellLoss(xt, aPrev, cPrev, parameters, daNext, dcNext);
    const result = gradientCheck(loss, lstmCellCheckedValues(inputs, g));
    assert.ok(result.maxError < GRADCHECK_TOLERANCE, `worst ${JSON.stringify(result.worst)}`);
    const wrong = gradientCheck(loss, lstmCellCheckedValues(inputs, { ...g, dbo: withOneEntryOff(g.dbo, 2, 1e-3) }));
    assert.ok(wrong.maxError > 1e-4 && wrong.worst?.name === 'bo', `the checker missed a wrong dbo: ${JSON.stringify(wrong.worst)}`);
  });

  it('lstmCellBackward: a backward that forgets the da_next path into c⟨t⟩ fails the check (negative control)', () => {
    const inputs = lstmCellInputs();
    const { xt, aPrev, cPrev, parameters, rs } = inputs;
    const [, , , cache] = lstmCellForward(xt, aPrev, cPrev, parameters);
    const daNext = randnCourse(rs, 5, 10);
    const dcNext = randnCourse(rs, 5, 10);
    const full = lstmCellBackward(daNext, dcNext, cache);
    // dΓo alone, plus everything else computed as if only dc_next reached c⟨t⟩.
    const zero = { shape: daNext.shape, data: new Float64Array(daNext.data.length) };
    const outputGateOnly = lstmCellBackward(daNext, zero, cache);
    const cellOnly = lstmCellBackward(zero, dcNext, cache);
    const truncated: LstmCellGradients = { ...cellOnly, dWo: outputGateOnly.dWo, dbo: outputGateOnly.dbo };
    const loss = (): number => lstmCellLoss(xt, aPrev, cPrev, parameters, daNext, dcNext);
    const result = gradientCheck(loss, lstmCellCheckedValues(inputs, truncated));
    assert.ok(result.maxError > 1e-2, `the checker accepted a truncated backward: ${result.maxError}`);
    assert.ok(gradientCheck(loss, lstmCellCheckedValues(inputs, full)).maxError < GRADCHECK_TOLERANCE);
  });

  it('rnnBackward and lstmBackward: BPTT over every step', () => {
    const { x, a0, parameters, da } = rnnBackwardInputs();
    const g = rnnBackward(da, rnnForward(x, a0, parameters)[2]);
    const rnnResult = gradientCheck(() => dotProduct(da, rnnForward(x, a0, parameters)[0]), [
      checked('x', x, g.dx), checked('a0', a0, g.da0), checked('Wax', parameters.Wax, g.dWax),
      checked('Waa', parameters.Waa, g.dWaa), checked('ba', parameters.ba, g.dba),
    ]);
    assert.ok(rnnResult.maxError < GRADCHECK_TOLERANCE, `rnn: worst ${JSON.stringify(rnnResult.worst)}`);

    const lstm = lstmInputs();
    const [, , , caches] = lstmForward(lstm.x, lstm.a0, lstm.parameters);
    const daLstm = randnCourse(lstm.rs, 5, 10, 7);
    const gl = lstmBackward(daLstm, caches);
    const p = lstm.parameters;
    const lstmResult = gradientCheck(() => dotProduct(daLstm, lstmForward(lstm.x, lstm.a0, p)[0]), [
      checked('x', lstm.x, gl.dx), checked('a0', lstm.a0, gl.da0),
      checked('Wf', p.Wf, gl.dWf), checked('bf', p.bf, gl.dbf), checked('Wi', p.Wi, gl.dWi), checked('bi', p.bi, gl.dbi),
      checked('Wc', p.Wc, gl.dWc), checked('bc', p.bc, gl.dbc), checked('Wo', p.Wo, gl.dWo), checked('bo', p.bo, gl.dbo),
    ]);
    assert.ok(lstmResult.maxError < GRADCHECK_TOLERANCE, `lstm: worst ${JSON.stringify(lstmResult.worst)}`);
  });

  it("the character model's rnn_backward is the gradient of rnn_forward's cross-entropy loss", () => {
    const [a0, Wax, Waa, Wya, b, by] = draw(11, [6, 1], [6, 27], [6, 6], [27, 6], [6, 1], [27, 1]);
    const parameters: CharRnnParameters = { Wax, Waa, Wya, b, by };
    const X: CharIndex[] = [null, 4, 7, 1];
    const Y = [4, 7, 1, 0];
    const [, cache] = charRnnForward(X, Y, a0, parameters);
    const [g] = charRnnBackward(X, Y, parameters, cache);
    const result = gradientCheck(() => charRnnForward(X, Y, a0, parameters)[0], [
      checked('Wax', Wax, g.dWax), checked('Waa', Waa, g.dWaa), checked('Wya', Wya, g.dWya), checked('b', b, g.db), checked('by', by, g.dby),
    ]);
    assert.ok(result.maxError < GRADCHECK_TOLERANCE, `worst ${JSON.stringify(result.worst)}`);
  });
});

describe('course API: small cases computed by hand', () => {
  it('softmax normalises each column, and a column far below another does not underflow (the course’s global max would give NaN)', () => {
    const z: Tensor = { shape: [2, 2], data: Float64Array.from([0, -1000, Math.log(3), -1000 + Math.log(3)]) };
    const p = softmax(z);
    [0.25, 0.25, 0.75, 0.75].forEach((expected, i) => assert.ok(Math.abs(p.data[i] - expected) < 1e-12, `p[${i}] = ${p.data[i]}`));
  });

  it('rnn_cell_forward with zero weights: a_next = tanh(ba), yt_pred uniform', () => {
    const zeros = (...shape: number[]): Tensor => ({ shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)) });
    const ba: Tensor = { shape: [2, 1], data: Float64Array.from([0.5, -1]) };
    const [aNext, ytPred] = rnnCellForward(zeros(3, 4), zeros(2, 4), { Wax: zeros(2, 3), Waa: zeros(2, 2), Wya: zeros(5, 2), ba, by: zeros(5, 1) });
    assert.deepEqual(row(aNext, 0), [Math.tanh(0.5), Math.tanh(0.5), Math.tanh(0.5), Math.tanh(0.5)]);
    assert.deepEqual(row(aNext, 1), Array(4).fill(Math.tanh(-1)));
    assert.ok(ytPred.data.every((v) => Math.abs(v - 0.2) < 1e-16));
  });
});

describe("course API: lstm_backward as the notebook's own check calls it (da of 4 steps, 7 cached)", () => {
  /** The check cell: seed 1, x (3,10,7), a0, the eight gate parameters (Wy, by left from an earlier cell), forward, da (5,10,4). */
  function notebookCall(): { x: Tensor; a0: Tensor; parameters: LstmParameters; da: Tensor } {
    const [x, a0, Wf, bf, Wi, bi, Wo, bo, Wc, bc, da] = randnInOrder(1, [3, 10, 7], [5, 10], ...LSTM_SHAPES.slice(0, 8), [5, 10, 4]);
    const { parameters: earlier } = lstmInputs();
    return { x, a0, parameters: { Wf, bf, Wi, bi, Wo, bo, Wc, bc, Wy: earlier.Wy, by: earlier.by }, da };
  }

  it('is accepted: T_x = 4 is read from da, and every gradient matches numpy running the notebook\'s code', () => {
    const { x, a0, parameters, da } = notebookCall();
    const gradients = lstmBackward(da, lstmForward(x, a0, parameters)[3]);
    assert.deepEqual(gradients.dx.shape, [3, 10, 4]);
    assertMatches({ ...gradients }, fixture.lstm_backward_notebook_call, 'lstm_backward (notebook call)');
  });

  it('is the exact gradient of Σ da ⊙ a over the first 4 steps (finite differences)', () => {
    const { x, a0, parameters: p, da } = notebookCall();
    const g = lstmBackward(da, lstmForward(x, a0, p)[3]);
    const firstFourSteps = (): number => {
      const [a] = lstmForward(x, a0, p);
      let sum = 0;
      for (let i = 0; i < 5 * 10; i++) for (let t = 0; t < 4; t++) sum += da.data[i * 4 + t] * a.data[i * 7 + t];
      return sum;
    };
    const result = gradientCheck(firstFourSteps, [
      checked('a0', a0, g.da0), checked('Wf', p.Wf, g.dWf), checked('bf', p.bf, g.dbf), checked('Wi', p.Wi, g.dWi),
      checked('bi', p.bi, g.dbi), checked('Wc', p.Wc, g.dWc), checked('bc', p.bc, g.dbc), checked('Wo', p.Wo, g.dWo), checked('bo', p.bo, g.dbo),
    ]);
    assert.ok(result.maxError < GRADCHECK_TOLERANCE, `worst ${JSON.stringify(result.worst)}`);
  });

  it("the notebook's printed output for this cell is BPTT with no gradient flowing between steps (docs/course.md says so)", () => {
    const { x, a0, parameters, da } = notebookCall();
    const [cellCaches] = lstmForward(x, a0, parameters)[3];
    const zero: Tensor = { shape: [5, 10], data: new Float64Array(50) };
    // Each step on its own: da⟨t⟩ only, nothing from step t + 1.
    const steps = [3, 2, 1, 0].map((t) => lstmCellBackward(timeStep(da, t), zero, cellCaches[t]));
    const summed = (key: keyof LstmCellGradients): Tensor => steps.slice(1).reduce((sum, g) => plus(sum, g[key]), steps[0][key]);
    assertPrinted([0, 1, 2, 3].map((t) => item(steps[3 - t].dxt, 1, 2)), [-0.00173313, 0.08287442, -0.30545663, -0.43281115], 'array', 'dx[1][2]');
    assertPrinted([item(steps[3].da_prev, 2, 3)], [-0.095911501954], 'scalar', 'da0[2][3]');
    assertPrinted([item(summed('dWf'), 3, 1)], [-0.0698198561274], 'scalar', 'dWf[3][1]');
    assertPrinted([item(summed('dWi'), 1, 2)], [0.102371820249], 'scalar', 'dWi[1][2]');
    assertPrinted([item(summed('dWc'), 3, 1)], [-0.0624983794927], 'scalar', 'dWc[3][1]');
    assertPrinted([item(summed('dWo'), 1, 2)], [0.0484389131444], 'scalar', 'dWo[1][2]');
    assertPrinted([item(summed('dbf'), 4, 0)], [-0.0565788], 'array', 'dbf[4]');
    // lstmBackward carries da_prev and dc_prev back, as the notebook's code does, so it differs from those numbers.
    const exact = lstmBackward(da, lstmForward(x, a0, parameters)[3]);
    assert.ok(Math.abs(item(exact.dx, 1, 2, 0) - -0.00173313) > 1e-3, 'lstmBackward dropped the gradient between steps');
    assert.equal(item(exact.dx, 1, 2, 3), item(steps[0].dxt, 1, 2), 'at the last step nothing flows in yet, so both agree');
  });
});

describe('course API: numpy-like conveniences for a notebook cell', () => {
  it("reproduces rnn_cell_forward's published a_next[4] in a few lines: randnInOrder, then at()", () => {
    const [xt, a_prev, Waa, Wax, Wya, ba, by] = randnInOrder(1, [3, 10], [5, 10], [5, 5], [5, 3], [2, 5], [5, 1], [2, 1]);
    const [a_next] = rnnCellForward(xt, a_prev, { Waa, Wax, Wya, ba, by });
    assertPrinted(Array.from(indexAt(a_next, 4).data), [0.59584544, 0.18141802, 0.61311866, 0.99808218, 0.85016201, 0.99980978,
      -0.18887155, 0.99815551, 0.6531151, 0.82872037], 'array', 'a_next[4]');
  });

  it('randnInOrder continues one stream, as consecutive randn calls after one seed do', () => {
    const rs = new RandomState(3);
    const expected = [randnCourse(rs, 2, 3), randnCourse(rs, 1), randnCourse(rs, 4, 1)];
    assert.deepEqual(randnInOrder(3, [2, 3], [1], [4, 1]), expected);
    assert.throws(() => randnInOrder(3, 2 as never), { name: 'TypeError', message: /each shape must be a list of sizes such as \[3, 10\], got 2/ });
  });

  it('at: a[i][j] as numpy indexes (sub-arrays, negative indices); item: one number; errors name the shape', () => {
    const a: Tensor = { shape: [2, 3, 4], data: Float64Array.from({ length: 24 }, (_, i) => i) };
    assert.deepEqual(indexAt(a, 1, 2), { shape: [4], data: Float64Array.from([20, 21, 22, 23]) });
    assert.deepEqual(indexAt(a, -1), { shape: [3, 4], data: Float64Array.from({ length: 12 }, (_, i) => 12 + i) });
    assert.deepEqual(indexAt(a, 0, 1, 2), { shape: [], data: Float64Array.from([6]) });
    assert.equal(item(a, 1, 0, 3), 15);
    assert.equal(item(a, -1, -1, -1), 23);
    assert.equal(item([[1, 2], [3, 4]], 1, 0), 3, 'nested lists index too');
    assert.throws(() => indexAt(a, 0, 3), { name: 'RangeError', message: 'at: index 3 is out of range for axis 1 of size 3 (shape [2, 3, 4])' });
    assert.throws(() => item(a, 1, 2), { name: 'RangeError', message: /item: 2 indices \[1, 2\] for an array of shape \[2, 3, 4\]; give one index per axis \(3\)/ });
    assert.throws(() => indexAt(a, 0, 0, 0, 0), { name: 'RangeError', message: /at: 4 indices .* shape \[2, 3, 4\], which has 3 axes/ });
    assert.throws(() => item(a, 0.5, 0, 0), { name: 'RangeError', message: /index 0.5 is out of range for axis 0/ });
  });

  it("toList is numpy's tolist (so toList(a)[4][1] reads as the notebook's a[4][1])", () => {
    const a: Tensor = { shape: [2, 1, 3], data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
    assert.deepEqual(toList(a), [[[1, 2, 3]], [[4, 5, 6]]]);
    assert.equal(toList({ shape: [], data: Float64Array.from([7]) }), 7);
  });

  it('argmax: flat index (first of ties, NaN wins, as numpy) and along an axis', () => {
    assert.equal(argmax([[1, 9, 3], [9, 2, 0]]), 1);
    assert.equal(argmax([1, NaN, 5]), 1);
    const p: Tensor = { shape: [3, 2], data: Float64Array.from([0.2, 0.7, 0.5, 0.1, 0.3, 0.2]) };
    assert.deepEqual(argmax(p, 0), { shape: [2], data: Float64Array.from([1, 0]) }, 'the most likely class of each example (column)');
    assert.deepEqual(argmax(p, -1), { shape: [3], data: Float64Array.from([1, 0, 0]) });
    assert.throws(() => argmax(p, 2), { name: 'RangeError', message: 'argmax: axis 2 is out of range for an array of shape [3, 2]' });
    assert.throws(() => argmax([]), { name: 'RangeError', message: /argmax: the array of shape \[0\] is empty/ });
  });

  it('scale multiplies every entry (the notebooks\' 0.01 * np.random.randn)', () => {
    assert.deepEqual(scale([[1, -2], [0.5, 4]], 0.5), { shape: [2, 2], data: Float64Array.from([0.5, -1, 0.25, 2]) });
    assert.throws(() => scale([1], '2' as never), { name: 'TypeError', message: /scale: factor must be a number/ });
  });

  it('the slicing helpers take nested lists too and refuse what numpy would refuse, naming the shape', () => {
    const x = [[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]];   // (3, 2, 2)
    assert.deepEqual(timeStep(x, -1), { shape: [3, 2], data: Float64Array.from([2, 4, 6, 8, 10, 12]) });
    assert.throws(() => timeStep(x, 2), { name: 'RangeError', message: 'timeStep: index 2 is out of range for axis 2 of size 2 (shape [3, 2, 2])' });
    const target: Tensor = { shape: [3, 2, 2], data: new Float64Array(12) };
    setTimeStep(target, 1, [[1, 1], [1, 1], [1, 1]]);
    assert.deepEqual(Array.from(target.data), [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    assert.throws(() => setTimeStep(target, 0, [[1, 1]]), { name: 'RangeError', message: 'setTimeStep: value has shape [1, 2], expected (n, m) of x (n, m, T) = [3, 2]' });
    assert.deepEqual(rows([[1, 2], [3, 4], [5, 6]], 1, 3), { shape: [2, 2], data: Float64Array.from([3, 4, 5, 6]) });
    assert.throws(() => rows([[1, 2]], 0, 2), { name: 'RangeError', message: 'rows: [0:2] is not a range of rows of an array of shape [1, 2]' });
    assert.deepEqual(concatRows([[1, 2]], [[3, 4]]), { shape: [2, 2], data: Float64Array.from([1, 2, 3, 4]) });
    assert.throws(() => concatRows([[1, 2]], [[3]]), { name: 'RangeError', message: 'concatRows: [1, 2] and [1, 1] have different column counts' });
  });

  it('nested lists are accepted wherever a Tensor is: the same numbers as Tensors give', () => {
    const { xt, aPrev, parameters } = rnnCellForwardInputs();
    const nestedParameters = Object.fromEntries(Object.entries(parameters).map(([k, t]) => [k, toList(t)])) as Record<keyof RnnParameters, NestedNumbers>;
    const [aNext, ytPred] = rnnCellForward(toList(xt) as NestedNumbers, toList(aPrev) as NestedNumbers, nestedParameters);
    const [aNextTensor, ytPredTensor] = rnnCellForward(xt, aPrev, parameters);
    assert.deepEqual([aNext, ytPred], [aNextTensor, ytPredTensor]);
    const lstm = lstmInputs();
    const [a] = lstmForward(toList(lstm.x) as NestedNumbers, toList(lstm.a0) as NestedNumbers, lstm.parameters);
    assert.deepEqual(a, lstmForward(lstm.x, lstm.a0, lstm.parameters)[0]);
  });

  it('a nested list of the wrong shape or a ragged one: the error names the argument and both shapes', () => {
    const { xt, aPrev, parameters } = rnnCellForwardInputs();
    assert.throws(() => rnnCellForward(xt, aPrev, { ...parameters, Wax: [[1, 2, 3, 4]] }),
      { name: 'RangeError', message: 'rnnCellForward: Wax has shape [1, 4], expected (n_a, n_x) = [5, 3]' });
    assert.throws(() => rnnCellForward([[1, 2], [3]], aPrev, parameters),
      { name: 'TypeError', message: /rnnCellForward: xt\[1\] should be a list of 2; the array is ragged or not an array \(expected shape \(n_x, m\)\)/ });
    assert.throws(() => rnnCellForward('xt' as never, aPrev, parameters),
      { name: 'TypeError', message: 'rnnCellForward: xt is not a Tensor or a nested list of numbers (expected shape (n_x, m)), got "xt"' });
    assert.throws(() => plus([[1, 2]], [[1], [2]]), { name: 'RangeError', message: 'plus: cannot broadcast [2, 1] to [1, 2]' });
  });

  it('updateParameters and optimize change the parameters in place, as the course does, so they refuse nested lists', () => {
    const [Wax, Waa, Wya, b, by] = draw(1, [4, 27], [4, 4], [27, 4], [4, 1], [27, 1]);
    const nested = { Wax: toList(Wax), Waa, Wya, b, by } as unknown as CharRnnParameters;
    const gradients = { dWax: Wax, dWaa: Waa, dWya: Wya, db: b, dby: by };
    assert.throws(() => updateParameters(nested, gradients, 0.1),
      { name: 'TypeError', message: /updateParameters: parameters.Wax is a nested list, but updateParameters updates the parameters in place/ });
    assert.throws(() => optimize([1], [2], [[0], [0], [0], [0]], nested),
      { name: 'TypeError', message: /optimize: parameters.Wax is a nested list/ });
  });
});

describe("course API: the two notebooks' rnn_forward and rnn_backward have distinct names, and each points to the other", () => {
  const charInputs = (): { X: CharIndex[]; Y: number[]; a0: Tensor; parameters: CharRnnParameters } => {
    const [a0, Wax, Waa, Wya, b, by] = draw(11, [6, 1], [6, 27], [6, 6], [27, 6], [6, 1], [27, 1]);
    return { X: [null, 4, 7, 1], Y: [4, 7, 1, 0], a0, parameters: { Wax, Waa, Wya, b, by } };
  };

  it("Dinosaur Island's call on rnnForward / rnnBackward names charRnnForward / charRnnBackward", () => {
    const { X, Y, a0, parameters } = charInputs();
    const call = rnnForward as unknown as (...args: unknown[]) => unknown;
    assert.throws(() => call(X, Y, a0, parameters), {
      name: 'TypeError',
      message: "rnnForward: x is a flat list [null,4,7,1], but rnnForward is the Step by Step notebook's function, which takes x of shape (n_x, m, T_x). " +
        "For the Dinosaur Island notebook's character model, call charRnnForward(X, Y, a0, parameters).",
    });
    const [, cache] = charRnnForward(X, Y, a0, parameters);
    const backward = rnnBackward as unknown as (...args: unknown[]) => unknown;
    assert.throws(() => backward(X, Y, parameters, cache), { name: 'TypeError', message: /rnnBackward: da is a flat list .* call charRnnBackward\(X, Y, parameters, cache\)\.$/ });
  });

  it("Step by Step's call on charRnnForward / charRnnBackward names rnnForward / rnnBackward", () => {
    const { x, a0, parameters, da } = rnnBackwardInputs();
    const call = charRnnForward as unknown as (...args: unknown[]) => unknown;
    assert.throws(() => call(x, a0, parameters), {
      name: 'TypeError',
      message: /^charRnnForward: X must be a list of character indices \(the Dinosaur Island notebook's character model\), got an object with keys shape, data\. For the Step by Step notebook's function of the same name, call rnnForward\(x, a0, parameters\)\.$/,
    });
    assert.throws(() => call(toList(x), a0, parameters), { name: 'TypeError', message: /got nested lists\. .* call rnnForward\(x, a0, parameters\)/ });
    const [, , caches] = rnnForward(x, a0, parameters);
    const backward = charRnnBackward as unknown as (...args: unknown[]) => unknown;
    assert.throws(() => backward(da, caches), { name: 'TypeError', message: /call rnnBackward\(da, caches\)\.$/ });
  });
});

describe('course API: mismatched shapes name the argument and both shapes', () => {
  it('rnnCellForward: Wax for the wrong n_x; a_prev for the wrong batch; a missing parameter', () => {
    const { xt, aPrev, parameters } = rnnCellForwardInputs();
    const [badWax] = draw(0, [5, 4]);
    assert.throws(() => rnnCellForward(xt, aPrev, { ...parameters, Wax: badWax }),
      { name: 'RangeError', message: 'rnnCellForward: Wax has shape [5, 4], expected (n_a, n_x) = [5, 3]' });
    const [badAPrev] = draw(0, [5, 9]);
    assert.throws(() => rnnCellForward(xt, badAPrev, parameters),
      { name: 'RangeError', message: 'rnnCellForward: a_prev has shape [5, 9], expected (n_a, m) = [*, 10]' });
    const { by: _dropped, ...withoutBy } = parameters;
    assert.throws(() => rnnCellForward(xt, aPrev, withoutBy as RnnParameters), { name: 'TypeError', message: /rnnCellForward: by is missing/ });
  });

  it('rnnForward: a 2-D x; rnnBackward: da for more steps than were cached, or for another batch', () => {
    const { xt, aPrev, parameters } = rnnCellForwardInputs();
    assert.throws(() => rnnForward(xt, aPrev, parameters), { name: 'RangeError', message: 'rnnForward: x has shape [3, 10], expected (n_x, m, T_x) = [*, *, *]' });
    const { x, a0, parameters: p } = rnnBackwardInputs();
    const [, , caches] = rnnForward(x, a0, p);
    const [da5, daBatch] = draw(0, [5, 10, 5], [5, 9, 4]);
    assert.throws(() => rnnBackward(da5, caches), { name: 'RangeError', message: 'rnnBackward: da has shape [5, 10, 5], 5 time steps, but the forward pass cached only 4' });
    assert.throws(() => rnnBackward(daBatch, caches), { name: 'RangeError', message: 'rnnBackward: da has shape [5, 9, 4], expected (n_a, m, T_x) = [5, 10, *]' });
  });

  it('rnnCellBackward: da_next not the shape of a_next', () => {
    const { xt, aPrev, parameters } = rnnCellForwardInputs();
    const [, , cache] = rnnCellForward(xt, aPrev, parameters);
    const [bad] = draw(0, [10, 5]);
    assert.throws(() => rnnCellBackward(bad, cache), { name: 'RangeError', message: /rnnCellBackward: da_next has shape \[10, 5\], expected .* = \[5, 10\]/ });
  });

  it('lstmCellForward: Wf not (n_a, n_a + n_x); c_prev not the shape of a_prev', () => {
    const { xt, aPrev, cPrev, parameters } = lstmCellInputs();
    const [badWf, badCPrev] = draw(0, [5, 7], [4, 10]);
    assert.throws(() => lstmCellForward(xt, aPrev, cPrev, { ...parameters, Wf: badWf }),
      { name: 'RangeError', message: 'lstmCellForward: Wf has shape [5, 7], expected (n_a, n_a + n_x) = [5, 8]' });
    assert.throws(() => lstmCellForward(xt, aPrev, badCPrev, parameters), { name: 'RangeError', message: /lstmCellForward: c_prev has shape \[4, 10\]/ });
  });

  it('lstmBackward: da for more steps than were cached', () => {
    const { x, a0, parameters } = lstmInputs();
    const [, , , caches] = lstmForward(x, a0, parameters);
    const [da8] = draw(0, [5, 10, 8]);
    assert.throws(() => lstmBackward(da8, caches), { name: 'RangeError', message: 'lstmBackward: da has shape [5, 10, 8], 8 time steps, but the forward pass cached only 7' });
  });

  it('lstmCellBackward: dc_next not the shape of c_next', () => {
    const { xt, aPrev, cPrev, parameters } = lstmCellInputs();
    const cache: LstmCellCache = lstmCellForward(xt, aPrev, cPrev, parameters)[3];
    const [daNext, bad] = draw(0, [5, 10], [5, 3]);
    assert.throws(() => lstmCellBackward(daNext, bad, cache), { name: 'RangeError', message: /lstmCellBackward: dc_next has shape \[5, 3\]/ });
  });

  it('optimize, sample and clip: bad indices, a vocabulary without a newline, a negative maxValue', () => {
    const [aPrev, Wax, Waa, Wya, b, by] = draw(1, [4, 1], [4, 27], [4, 4], [27, 4], [4, 1], [27, 1]);
    const parameters: CharRnnParameters = { Wax, Waa, Wya, b, by };
    assert.throws(() => optimize([1, 2, 3], [2, 3, 27], aPrev, parameters), { name: 'RangeError', message: /charRnnForward: Y\[2\] = 27 is not a character index below 27/ });
    assert.throws(() => optimize([1, 2], [2, 3, 4], aPrev, parameters), { name: 'RangeError', message: /X and Y must be non-empty lists of the same length, got lengths 2 and 3/ });
    const [bigAPrev] = draw(0, [5, 1]);
    assert.throws(() => optimize([1], [2], bigAPrev, parameters), { name: 'RangeError', message: 'charRnnForward: a0 has shape [5, 1], expected (n_a, 1) = [4, 1]' });
    assert.throws(() => sample(parameters, { a: 1 }, 0), { name: 'RangeError', message: /char_to_ix\['\\n'\] must be an index/ });
    assert.throws(() => clip({ dWax: Wax, dWaa: Waa, dWya: Wya, db: b, dby: by }, -1), { name: 'RangeError', message: /maxValue must be a non-negative number, got -1/ });
  });
});
