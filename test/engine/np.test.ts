// Engine tests: `np`, the student's numpy-like helpers (src/engine/course/np.ts) — every operation against numpy on
// seeded inputs (test/fixtures/numpy/np.json, made by scripts/makeNumpyFixtures.py), the course's seeds, a student's
// rnnCellForward and rnnForward written with np against the course's numbers, and errors that name both shapes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { np } from '../../src/engine';
import { randnInOrder } from '../../src/engine/course';
import type { ArrayResult } from '../../src/engine/course/np';
import { fromNested, toNested, type Tensor } from '../../src/engine/tensor';

type Nested = number | Nested[];
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'numpy', 'np.json'), 'utf8'));
const course = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'numpy', 'course.json'), 'utf8'));

/** `actual` (a number or a Tensor) equals numpy's `expected` (a number or nested lists): same shape, values within `tolerance`. */
function assertMatches(actual: ArrayResult, expected: Nested, tolerance: number, what: string): void {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${what}: numpy gives a number, np gave ${JSON.stringify(actual)}`);
    assert.ok(Math.abs((actual as number) - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
    return;
  }
  assert.equal(typeof actual, 'object', `${what}: numpy gives an array, np gave ${String(actual)}`);
  const want = fromNested(expected);
  const got = actual as Tensor;
  assert.deepEqual([...got.shape], [...want.shape], `${what}: shape`);
  for (let i = 0; i < want.data.length; i++) {
    const difference = Math.abs(got.data[i] - want.data[i]);
    assert.ok(difference <= tolerance * Math.max(1, Math.abs(want.data[i])), `${what}: value ${i} is ${got.data[i]}, numpy ${want.data[i]}`);
  }
}

describe('np: numpy-like helpers for exercises', () => {
  describe('np.random, the course seeds', () => {
    it('np.random.seed(1); np.random.randn(3, 10) is numpy\'s, bit for bit, and later calls continue the stream', () => {
      np.random.seed(1);
      assert.deepEqual(toNested(np.random.randn(3, 10) as Tensor), fixture.randnSeed1.values);
      assert.deepEqual(toNested(np.random.randn(2, 3) as Tensor), fixture.randnContinues.values[0]);
      assert.deepEqual(toNested(np.random.randn(5) as Tensor), fixture.randnContinues.values[1]);
    });

    it('seeding again restarts the stream; no dimensions gives one number', () => {
      np.random.seed(1);
      const first = np.random.randn();
      np.random.seed(1);
      assert.equal(first, (np.random.randn(1) as Tensor).data[0]);
      assert.equal(typeof np.random.rand(), 'number');
      assert.throws(() => np.random.seed(-1), /seed must be an integer from 0 to 4294967295, got -1/);
    });
  });

  describe("np.random.choice, ravel and argmax: the course's sample written with np", () => {
    /** The Dinosaur Island notebook's `sample`, line for line, with np (a student's version of the exercise in lesson 06). */
    function sampleWithNp(parameters: Record<string, Tensor>, newline: number, seed: number): number[] {
      const { Waa, Wax, Wya, by, b } = parameters;
      const vocabSize = np.shape(by)[0];
      let x = np.zeros([vocabSize, 1]);
      let aPrev = np.zeros([np.shape(Waa)[1], 1]);
      const indices: number[] = [];
      let idx = -1;
      let counter = 0;
      while (idx !== newline && counter !== 50) {
        const a = np.tanh(np.add(np.dot(Wax, x), np.dot(Waa, aPrev), b));
        const y = np.softmax(np.add(np.dot(Wya, a), by));
        np.random.seed(counter + seed);
        idx = np.random.choice(vocabSize, { p: np.ravel(y) });
        indices.push(idx);
        x = np.zeros([vocabSize, 1]);
        np.assign(x, [idx, 0], 1);
        aPrev = a;
        seed += 1;
        counter += 1;
      }
      if (counter === 50) indices.push(newline);
      return indices;
    }

    it("draws numpy's indices: the notebook's sample (seed-2 weights, n_a = 100) gives numpy's names", () => {
      const [Wax, Waa, Wya, b, by] = randnInOrder(2, [100, 27], [100, 100], [27, 100], [100, 1], [27, 1]);
      const scaled = (t: Tensor, factor: number): Tensor => np.multiply(t, factor) as Tensor;
      const models: Record<string, Record<string, Tensor>> = {
        notebook: { Wax, Waa, Wya, b, by },
        'Waa × 0.03, Wya × 0.1': { Wax, Waa: scaled(Waa, 0.03), Wya: scaled(Wya, 0.1), b, by },
      };
      const cases = (course.sample as { parameters: string; seed: number; indices: number[]; stablePrefix: number }[]).filter((c) => c.parameters in models);
      assert.ok(cases.length >= 8);
      for (const { parameters, seed, indices, stablePrefix } of cases) {
        // Beyond stablePrefix the notebook's chaotic recurrence depends on the last bit of tanh (see course.test.ts).
        assert.deepEqual(sampleWithNp(models[parameters], 0, seed).slice(0, stablePrefix), indices.slice(0, stablePrefix), `${parameters}, seed ${seed}`);
      }
    });

    it('choice without p is uniform; with p, it never draws an index of probability 0', () => {
      np.random.seed(0);
      const draws = Array.from({ length: 200 }, () => np.random.choice(3));
      assert.deepEqual([...new Set(draws)].sort(), [0, 1, 2]);
      np.random.seed(0);
      const weighted = Array.from({ length: 200 }, () => np.random.choice(3, { p: [0.5, 0, 0.5] }));
      assert.ok(weighted.every((index) => index !== 1) && weighted.includes(0) && weighted.includes(2));
    });

    it('choice refuses p of another length, p that is not 1-d (naming np.ravel), and n that is not a whole number above 0', () => {
      assert.throws(() => np.random.choice(3, { p: [0.5, 0.5] }), /random\.choice: p has 2 probabilities for 3 choices/);
      assert.throws(() => np.random.choice(2, { p: [[0.5], [0.5]] }), /random\.choice: p must be 1-dimensional, got shape \(2, 1\) \(np\.ravel\(p\) flattens it/);
      assert.throws(() => np.random.choice(2, { p: [0.5, 0.6] }), /probabilities sum to 1\.1/);
      assert.throws(() => np.random.choice(0), /random\.choice: n must be a whole number above 0, got 0/);
      assert.throws(() => np.random.choice(2.5), /got 2\.5/);
    });

    it('ravel flattens in numpy\'s order and copies; argmax is the first largest of the flattened array', () => {
      const a = np.array([[1, 5], [5, 2]]);
      const flat = np.ravel(a);
      assert.deepEqual([np.shape(flat), np.toList(flat)], [[4], [1, 5, 5, 2]]);
      flat.data[0] = 9;
      assert.equal(np.item(a, 0, 0), 1);
      assert.equal(np.argmax(a), 1);
      assert.deepEqual(np.toList(np.argmax(a, 0)), [1, 0]);
    });
  });

  describe('every operation against numpy', () => {
    const { A, B, col, row, v, w, C, X3 } = fixture.inputs as Record<string, Nested[]>;
    const results = fixture.results as Record<string, Nested>;
    /** The same calls as the fixture's keys, written with np. */
    const calls: Record<string, () => ArrayResult> = {
      'add(A, B)': () => np.add(A, B), 'add(A, col)': () => np.add(A, col), 'add(col, row)': () => np.add(col, row),
      'add(A, 2.5)': () => np.add(A, 2.5), 'add(A, v)': () => np.add(A, v), 'add(A, B, col)': () => np.add(A, B, col),
      'subtract(A, col)': () => np.subtract(A, col), 'subtract(1, A)': () => np.subtract(1, A),
      'multiply(A, B)': () => np.multiply(A, B), 'multiply(A, row)': () => np.multiply(A, row),
      'divide(A, col)': () => np.divide(A, col), 'power(A, 2)': () => np.power(A, 2), 'maximum(A, 0)': () => np.maximum(A, 0),
      'dot(A, C)': () => np.dot(A, C), 'dot(C, v[:4])': () => np.dot(C, np.slice(v, ':4')), 'dot(v, C)': () => np.dot(v, C),
      'dot(v, w)': () => np.item(np.dot(v, w)), 'tanh(A)': () => np.tanh(A), 'sigmoid(A)': () => np.sigmoid(A), 'exp(A)': () => np.exp(A),
      'log(abs(A))': () => np.log(np.abs(A)), 'sqrt(abs(A))': () => np.sqrt(np.abs(A)), 'clip(A, -0.5, 0.5)': () => np.clip(A, -0.5, 0.5),
      'softmax(A)': () => np.softmax(A), 'sum(A)': () => np.sum(A), 'sum(A, 0)': () => np.sum(A, 0), 'sum(A, 1)': () => np.sum(A, 1),
      'sum(A, {axis: 1, keepdims: true})': () => np.sum(A, { axis: 1, keepdims: true }), 'sum(X3, -1)': () => np.sum(X3, -1),
      'sum(X3, 1)': () => np.sum(X3, 1), 'mean(A)': () => np.mean(A), 'mean(A, 0)': () => np.mean(A, 0), 'max(A, 1)': () => np.max(A, 1),
      'linalg.norm(A)': () => np.linalg.norm(A), 'concatenate([A, col], 1)': () => np.concatenate([A, col], 1),
      'concatenate([A, B], 0)': () => np.concatenate([A, B], 0), 'concatenate([X3, X3], 2)': () => np.concat([X3, X3], 2),
      'transpose(C)': () => np.transpose(C), "slice(X3, ':', ':', 1)": () => np.slice(X3, ':', ':', 1),
      "slice(A, '1:3')": () => np.slice(A, '1:3'), 'slice(A, [null, 2], -1)': () => np.slice(A, [null, 2], -1),
      "slice(X3, 2, '-3:')": () => np.slice(X3, 2, '-3:'), "slice(A, ':', [7, 100])": () => np.slice(A, ':', [7, 100]),
    };

    it('covers every case numpy computed', () => {
      assert.deepEqual(Object.keys(calls).sort(), Object.keys(results).sort());
    });

    for (const key of Object.keys(calls)) {
      it(key, () => assertMatches(calls[key](), results[key], 1e-13, key));
    }

    it('transpose of a 3-d array reverses its axes, or orders them as `axes` says (numpy\'s rule, element by element)', () => {
      const x = np.array(Array.from({ length: 2 }, (_, t) => Array.from({ length: 3 }, (_, b) => Array.from({ length: 4 }, (_, i) => 100 * t + 10 * b + i))));
      const reversed = np.transpose(x);
      assert.deepEqual(reversed.shape, [4, 3, 2]);
      const batchFirst = np.transpose(x, [1, 0, 2]);
      assert.deepEqual(batchFirst.shape, [3, 2, 4]);
      assert.deepEqual(np.transpose(x, [-1, 1, 0]), reversed);
      for (let t = 0; t < 2; t++) {
        for (let b = 0; b < 3; b++) {
          for (let i = 0; i < 4; i++) {
            assert.equal(np.item(np.slice(reversed, i, b, t)), 100 * t + 10 * b + i);
            assert.equal(np.item(np.slice(batchFirst, b, t, i)), 100 * t + 10 * b + i);
          }
        }
      }
      assert.deepEqual(np.transpose(np.transpose(x, [2, 0, 1]), [1, 2, 0]), x);
      assert.deepEqual(np.transpose([[1, 2, 3]], [0, 1]), np.array([[1, 2, 3]]));
    });

    it("assign is numpy's a[…] = value, broadcasting the value", () => {
      const assigned = np.zeros([3, 4, 2]);
      np.assign(assigned, [':', ':', 1], np.slice(X3, ':', ':', 0));
      np.assign(assigned, [0, '1:3'], 7);
      assertMatches(assigned, fixture.assigned, 0, 'assigned');
    });

    it('numbers in, a number out; zeros, ones, zerosLike, array, shape', () => {
      const six: number = np.add(1, 2, 3);   // typed number (tsc checks this file)
      assert.equal(six, 6);
      assert.deepEqual(np.shape(np.dot([1, 2], [3, 4])), [], 'two 1-d arrays give a 0-d array');
      const zero: number = np.tanh(0);
      const difference: number = np.subtract(5, 3);
      assert.equal(zero, 0);
      assert.equal(difference, 2);
      const tensor: Tensor = np.exp([0, 0]);   // nested lists in: a Tensor out (typed)
      assert.deepEqual(Array.from(tensor.data), [1, 1]);
      assert.deepEqual([np.tanh, np.abs, np.subtract, np.maximum].map((f) => f.name), ['tanh', 'abs', 'subtract', 'maximum'], 'a printed np function reads its name');
      assert.equal(np.sigmoid(0), 0.5);
      assert.deepEqual(np.shape(np.zeros([5, 10])), [5, 10]);
      assert.deepEqual(np.shape(np.zeros(4)), [4]);
      assert.deepEqual(Array.from(np.ones([2, 2]).data), [1, 1, 1, 1]);
      assert.deepEqual(np.shape(np.zerosLike(A)), [5, 10]);
      const original = np.array([[1, 2], [3, 4]]);
      const copy = np.array(original);
      copy.data[0] = 9;
      assert.equal(original.data[0], 1, 'np.array copies');
      assert.equal(np.slice(original, 0, 1).shape.length, 0, 'one index per axis gives a 0-d array');
    });

    it('a reduction with an axis or keepdims is typed (and is) an array, so a bias gradient is a Tensor', () => {
      const dba: Tensor = np.sum(A, { axis: 1, keepdims: true });   // typed Tensor (tsc checks this file)
      const means: Tensor = np.mean(A, 0);
      const largest: Tensor = np.max(A, { keepdims: true });
      assert.deepEqual([dba.shape, means.shape, largest.shape], [[5, 1], [10], [1, 1]]);
      assert.deepEqual(np.shape(np.sum([1, 2, 3], 0)), [], 'summing the only axis away gives a 0-d array, not a number');
      const total: number = np.sum(A);
      assert.equal(typeof total, 'number');
    });
  });

  describe("a student's RNN with np is the course's, line for line", () => {
    type Parameters = { Waa: Tensor; Wax: Tensor; Wya: Tensor; ba: Tensor; by: Tensor };
    // The course's rnn_cell_forward, as a student writes it with np (docs/course.md shows the same).
    function rnnCellForward(xt: Tensor, aPrev: Tensor, parameters: Parameters): [Tensor, Tensor] {
      const { Waa, Wax, Wya, ba, by } = parameters;
      const aNext = np.tanh(np.add(np.dot(Waa, aPrev), np.dot(Wax, xt), ba));   // typed Tensor: no cast needed (tsc checks this file)
      const ytPred = np.softmax(np.add(np.dot(Wya, aNext), by));
      return [aNext, ytPred];
    }
    function rnnForward(x: Tensor, a0: Tensor, parameters: Parameters): [Tensor, Tensor] {
      const [, m, Tx] = np.shape(x);
      const [ny, na] = np.shape(parameters.Wya);
      const a = np.zeros([na, m, Tx]);
      const yPred = np.zeros([ny, m, Tx]);
      let aNext = a0;
      for (let t = 0; t < Tx; t++) {
        const [aStep, yStep] = rnnCellForward(np.slice(x, ':', ':', t), aNext, parameters);
        np.assign(a, [':', ':', t], aStep);
        np.assign(yPred, [':', ':', t], yStep);
        aNext = aStep;
      }
      return [a, yPred];
    }

    it('rnnCellForward on np.random.seed(1) inputs gives the course\'s a_next and yt_pred', () => {
      np.random.seed(1);
      const [xt, aPrev, Waa, Wax, Wya, ba, by] = [[3, 10], [5, 10], [5, 5], [5, 3], [2, 5], [5, 1], [2, 1]].map((dims) => np.random.randn(...dims) as Tensor);
      const [aNext, ytPred] = rnnCellForward(xt, aPrev, { Waa, Wax, Wya, ba, by });
      assertMatches(aNext, course.rnn_cell_forward.a_next, 1e-14, 'a_next');
      assertMatches(ytPred, course.rnn_cell_forward.yt_pred, 1e-14, 'yt_pred');
      assert.equal(aNext.data[40].toFixed(8), '0.59584544', "the notebook's printed a_next[4][0]");
    });

    it('rnnForward over T_x = 4 gives the course\'s a and y_pred', () => {
      const [x, a0, Waa, Wax, Wya, ba, by] = randnInOrder(1, [3, 10, 4], [5, 10], [5, 5], [5, 3], [2, 5], [5, 1], [2, 1]);
      const [a, yPred] = rnnForward(x, a0, { Waa, Wax, Wya, ba, by });
      assertMatches(a, course.rnn_forward.a, 1e-14, 'a');
      assertMatches(yPred, course.rnn_forward.y_pred, 1e-14, 'y_pred');
    });
  });

  describe('errors name the function and both shapes', () => {
    const cases: [string, () => unknown, string][] = [
      ['dot', () => np.dot(np.zeros([5, 3]), np.zeros([5, 10])), 'dot: shapes (5, 3) and (5, 10) do not line up: 3 ≠ 5 (the first\'s last axis against the second\'s first)'],
      ['dot, 1-d', () => np.dot(np.zeros(3), np.zeros(4)), 'dot: shapes (3,) and (4,) do not line up: 3 ≠ 4 (the first\'s last axis against the second\'s first)'],
      ['add', () => np.add(np.zeros([5, 10]), np.zeros([3, 1])), 'add: shapes (5, 10) and (3, 1) cannot be broadcast together: 5 ≠ 3 (sizes must be equal, or one of them 1)'],
      ['multiply', () => np.multiply(np.zeros([5, 10]), np.zeros([10, 5])), 'multiply: shapes (5, 10) and (10, 5) cannot be broadcast together: 5 ≠ 10 (sizes must be equal, or one of them 1)'],
      ['concatenate', () => np.concatenate([np.zeros([5, 10]), np.zeros([3, 9])], 0), 'concatenate: shapes (5, 10) and (3, 9) cannot be joined along axis 0: axis 1 differs (10 ≠ 9); only axis 0 may'],
      ['concatenate, axes', () => np.concatenate([np.zeros([5, 10]), np.zeros([5])], 0), 'concatenate: shapes (5, 10) and (5,) cannot be joined along axis 0: they have different numbers of axes (2 and 1)'],
      ['sum axis', () => np.sum(np.zeros([5, 10]), 2), 'sum: axis 2 is out of range for shape (5, 10), which has 2 axes'],
      ['slice index', () => np.slice(np.zeros([3, 10, 4]), ':', ':', 4), 'slice: index 4 is out of range for axis 2 of size 4 (shape (3, 10, 4))'],
      ['slice too many', () => np.slice(np.zeros([3, 10]), 0, 0, 0), 'slice: 3 indices for an array of shape (3, 10), which has 2 axes'],
      ['slice step', () => np.slice(np.zeros([3, 10]), '::2'), "slice: index '::2' for axis 0 has a step; slices with a step are not supported"],
      ['assign', () => np.assign(np.zeros([5, 10, 4]), [':', ':', 0], np.zeros([10, 5])), 'assign: shapes (10, 5) and (5, 10) cannot be broadcast together: 10 ≠ 5 (sizes must be equal, or one of them 1)'],
      ['assign nested', () => np.assign([[1]] as unknown as Tensor, [0], 1), 'assign: the array to change must be an np array (a Tensor made by np.zeros, np.array, …), not nested lists'],
      ['zeros', () => np.zeros([5, -1]), 'zeros: a shape is a list of non-negative whole numbers such as [5, 10], got [5,-1]'],
      ['ragged', () => np.tanh([[1, 2], [3]]), 'tanh: a[1] should be a list of 2; the array is ragged or not an array'],
      ['not an array', () => np.tanh('x' as unknown as number), 'tanh: a is not a Tensor or a nested list of numbers, got "x"'],
      ['transpose axes', () => np.transpose(np.zeros([2, 3, 4]), [0, 0, 1]), 'transpose: axes [0,0,1] must name each axis of shape (2, 3, 4) once (0 to 2)'],
      ['transpose axes length', () => np.transpose(np.zeros([2, 3]), [0]), 'transpose: axes [0] must name each axis of shape (2, 3) once (0 to 1)'],
    ];
    for (const [name, call, message] of cases) {
      it(name, () => assert.throws(call, (error: Error) => error.message === message || assert.fail(`got: ${error.message}`)));
    }
  });
});
