// Values as a learner reads them: tensors exactly as numpy prints them (expected strings printed by numpy 2 with its
// default options, pasted here), with their shape first; other values in the style of Node's util.inspect.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { formatLogArguments, formatShapeTuple, formatTensor, formatValue } from '../../src/kernel/inspect';
import { RandomState } from '../../src/engine/random/randomState';
import { tensor } from '../../src/engine/tensor';

const range = (count: number, shape: number[]) => tensor(shape, Array.from({ length: count }, (_, i) => i));

describe('kernel inspect: tensors as numpy prints them', () => {
  it('prints the course\'s seed-1 randn(2, 3) as numpy does, after its shape', () => {
    const random = new RandomState(1);
    const values = tensor([2, 3], Array.from({ length: 6 }, () => random.randn()));
    assert.equal(formatTensor(values), 'shape (2, 3)\n[[ 1.62434536 -0.61175641 -0.52817175]\n [-1.07296862  0.86540763 -2.3015387 ]]');
  });

  it('wraps long rows at 75 characters as numpy does (randn(5, 10), seed 1)', () => {
    const random = new RandomState(1);
    const values = tensor([5, 10], Array.from({ length: 50 }, () => random.randn()));
    const expected = `[[ 1.62434536 -0.61175641 -0.52817175 -1.07296862  0.86540763 -2.3015387
   1.74481176 -0.7612069   0.3190391  -0.24937038]
 [ 1.46210794 -2.06014071 -0.3224172  -0.38405435  1.13376944 -1.09989127
  -0.17242821 -0.87785842  0.04221375  0.58281521]
 [-1.10061918  1.14472371  0.90159072  0.50249434  0.90085595 -0.68372786
  -0.12289023 -0.93576943 -0.26788808  0.53035547]
 [-0.69166075 -0.39675353 -0.6871727  -0.84520564 -0.67124613 -0.0126646
  -1.11731035  0.2344157   1.65980218  0.74204416]
 [-0.19183555 -0.88762896 -0.74715829  1.6924546   0.05080775 -0.63699565
   0.19091548  2.10025514  0.12015895  0.61720311]]`;
    assert.equal(formatTensor(values), `shape (5, 10)\n${expected}`);
  });

  it('trims, aligns and switches to scientific notation as numpy does', () => {
    const body = (shape: number[], values: number[]) => formatTensor(tensor(shape, values)).split('\n').slice(1).join('\n');
    assert.equal(body([3], [1, 2, 3.5]), '[1.  2.  3.5]');
    assert.equal(body([2], [1e-5, 1]), '[1.e-05 1.e+00]');
    assert.equal(body([1, 2], [1e9, -2.5]), '[[ 1.0e+09 -2.5e+00]]');
    assert.equal(body([3], [Number.NaN, 1.5, -Infinity]), '[ nan  1.5 -inf]');
    assert.equal(body([30], Array.from({ length: 30 }, (_, i) => i / 29)), `[0.         0.03448276 0.06896552 0.10344828 0.13793103 0.17241379
 0.20689655 0.24137931 0.27586207 0.31034483 0.34482759 0.37931034
 0.4137931  0.44827586 0.48275862 0.51724138 0.55172414 0.5862069
 0.62068966 0.65517241 0.68965517 0.72413793 0.75862069 0.79310345
 0.82758621 0.86206897 0.89655172 0.93103448 0.96551724 1.        ]`);
  });

  it('separates the blocks of a 3-D tensor with a blank line and summarises above 1000 elements', () => {
    assert.equal(formatTensor(range(24, [2, 3, 4])), `shape (2, 3, 4)
[[[ 0.  1.  2.  3.]
  [ 4.  5.  6.  7.]
  [ 8.  9. 10. 11.]]

 [[12. 13. 14. 15.]
  [16. 17. 18. 19.]
  [20. 21. 22. 23.]]]`);
    assert.equal(formatTensor(range(2000, [40, 50])), `shape (40, 50)
[[0.000e+00 1.000e+00 2.000e+00 ... 4.700e+01 4.800e+01 4.900e+01]
 [5.000e+01 5.100e+01 5.200e+01 ... 9.700e+01 9.800e+01 9.900e+01]
 [1.000e+02 1.010e+02 1.020e+02 ... 1.470e+02 1.480e+02 1.490e+02]
 ...
 [1.850e+03 1.851e+03 1.852e+03 ... 1.897e+03 1.898e+03 1.899e+03]
 [1.900e+03 1.901e+03 1.902e+03 ... 1.947e+03 1.948e+03 1.949e+03]
 [1.950e+03 1.951e+03 1.952e+03 ... 1.997e+03 1.998e+03 1.999e+03]]`);
  });

  it('names shapes in numpy\'s tuple notation', () => {
    assert.equal(formatShapeTuple([5, 10]), '(5, 10)');
    assert.equal(formatShapeTuple([3]), '(3,)');
    assert.equal(formatShapeTuple([]), '()');
  });
});

describe('kernel inspect: other values as Node prints them', () => {
  it('quotes strings, marks -0 and bigints, names functions and classes', () => {
    assert.equal(formatValue('it\'s'), '"it\'s"');
    assert.equal(formatValue('a\nb'), "'a\\nb'");
    assert.equal(formatValue(-0), '-0');
    assert.equal(formatValue(10n), '10n');
    assert.equal(formatValue(function rnnCellForward() { return 1; }), '[Function: rnnCellForward]');
    assert.equal(formatValue(class Model {}), '[class Model]');
    assert.equal(formatValue(undefined), 'undefined');
    assert.equal(formatValue(null), 'null');
  });

  it('prints objects, arrays, maps and sets on one line when short, one entry per line when long', () => {
    assert.equal(formatValue({ a: 1, 'b-c': [1, 2, 'x'] }), "{ a: 1, 'b-c': [ 1, 2, 'x' ] }");
    assert.equal(formatValue(new Map([['loss', 0.5]])), "Map(1) { 'loss' => 0.5 }");
    assert.equal(formatValue(new Set([1])), 'Set(1) { 1 }');
    assert.equal(formatValue([]), '[]');
    const long = formatValue({ firstLongName: 'aaaaaaaaaaaaaaaa', secondLongName: 'bbbbbbbbbbbbbbbb', third: 'cccccccccccccccccc' });
    assert.equal(long, "{\n  firstLongName: 'aaaaaaaaaaaaaaaa',\n  secondLongName: 'bbbbbbbbbbbbbbbb',\n  third: 'cccccccccccccccccc'\n}");
    assert.equal(formatValue(Array.from({ length: 102 }, () => 0)).endsWith('... 2 more items\n]'), true);
    assert.equal(formatValue({ a: { b: { c: { d: 1 } } } }), '{ a: { b: { c: [Object] } } }');
    assert.equal(formatValue(new Float64Array([1, 2])), 'Float64Array(2) [ 1, 2 ]');
  });

  it('matches util.inspect itself (the kernel cannot use it: it must also run in a browser) on the values lessons print', () => {
    const samples: unknown[] = [
      [0.9888161020372672, 0.016820210750325797, 0.21140898750443407, 0.36817466810650523, 0.9898838697014841, 0.8894521151515654, 0.36920223831550014, 0.9966312028640353],
      Array.from({ length: 30 }, (_, i) => i * 7),
      Array.from({ length: 150 }, (_, i) => i),
      ['a', 'bb', 'ccc', 'dddd', 'e', 'f', 'g', 'h'],
      { a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], b: { c: 'x' } },
      new Float64Array(20).map((_, i) => i / 3),
      [[1, 2], [3, 4]],
      { step: 1, loss: 0.6931471805599453, gradientNorm: 0.123456789, clipped: false, learningRate: 0.01 },
      [{ a: 1, b: 2 }, { a: 3, b: 4 }, { a: 5, b: 6 }],
      { nested: { deeper: { deepest: { hidden: true } } }, list: [] },
    ];
    for (const sample of samples) assert.equal(formatValue(sample), inspect(sample));
  });

  it('survives cycles, never calls getters, and lets an object say how it prints', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    assert.equal(formatValue(cyclic), "{ name: 'loop', self: [Circular] }");
    let called = false;
    const withGetter = Object.defineProperty({}, 'lazy', { get: () => { called = true; return 1; }, enumerable: true });
    assert.equal(formatValue(withGetter), '{ lazy: [Getter] }');
    assert.equal(called, false);
    const run = { model: { huge: new Array(1000).fill(0) }, [Symbol.for('nodejs.util.inspect.custom')]: () => 'LabRun (adding, 200 steps)' };
    assert.equal(formatValue(run), 'LabRun (adding, 200 steps)');
    assert.equal(formatValue({ run }), '{ run: LabRun (adding, 200 steps) }');
  });

  it('shows a tensor inside an object with its shape, indented', () => {
    assert.equal(formatValue({ W: range(4, [2, 2]) }), '{\n  W: shape (2, 2)\n  [[0. 1.]\n   [2. 3.]]\n}');
  });

  it('formats console.log arguments as Node does: strings raw, %s/%d/%j substituted', () => {
    assert.equal(formatLogArguments(['loss', 0.25, { step: 3 }]), 'loss 0.25 { step: 3 }');
    assert.equal(formatLogArguments(['step %d: %s', 3, 'ok', 'extra']), 'step 3: ok extra');
    assert.equal(formatLogArguments(['%j', { a: 1 }]), '{"a":1}');
    assert.equal(formatLogArguments(['100%']), '100%');
  });
});
