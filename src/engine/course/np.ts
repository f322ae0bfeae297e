// Engine layer (course API): `np`, the student's array helpers with numpy's names and numpy's rules (broadcasting,
// axes, the legacy seeded `np.random`), so a lesson's exercise reads like the course's numpy. Every error names the
// function and both shapes as numpy writes them, `(5, 3)`. docs/course.md lists the whole module.
import { RandomState } from '../random/randomState';
import { norm as euclideanNorm, shapeTuple, sizeOf, type Tensor } from '../tensor';
import { tensorArgument, type NestedNumbers } from './arguments';
import { matmul, randnCourse, transpose as transposeMatrix } from './arrays';
import { sigmoid as sigmoidOfTensor, softmax as softmaxOfMatrix } from './rnnUtils';

/** What every `np` function accepts for an array: a Tensor, nested lists of numbers, or a number (a 0-d array). */
export type ArrayInput = Tensor | NestedNumbers | number;

/**
 * One index of `slice` / `assign`, per axis, as numpy writes it between the brackets: a number `t` (that position;
 * the axis is dropped, negative counts from the end), `':'` (the whole axis), a string `'2:5'`, `':5'`, `'-1:'`, or a
 * pair `[start, stop]` (stop excluded; `null` for an open end). Axes after the last index are taken whole.
 */
export type Index = number | string | readonly [start: number | null, stop: number | null];

// ---------------------------------------------------------------------------------------------------------------
// Making arrays

/** `np.zeros(shape)`: `zeros([5, 10])`, or `zeros(5)` for a 1-d array. */
export function zeros(shape: number | readonly number[]): Tensor {
  const dims = shapeArgument('zeros', shape);
  return { shape: dims, data: new Float64Array(sizeOf(dims)) };
}

/** `np.ones(shape)`. */
export function ones(shape: number | readonly number[]): Tensor {
  const dims = shapeArgument('ones', shape);
  return { shape: dims, data: new Float64Array(sizeOf(dims)).fill(1) };
}

/** `np.zeros_like(a)`: zeros of `a`'s shape. */
export function zerosLike(a: ArrayInput): Tensor {
  const t = arrayArgument('zerosLike', 'a', a);
  return { shape: [...t.shape], data: new Float64Array(t.data.length) };
}

/** `np.array(nested)`: nested lists of numbers as a Tensor (ragged lists are an error); a Tensor is copied. */
export function array(values: ArrayInput): Tensor {
  const t = arrayArgument('array', 'values', values);
  return { shape: [...t.shape], data: Float64Array.from(t.data) };
}

/** `a.tolist()`: nested lists of numbers (a 0-d array gives its number); `a.item(i, j, …)`: one number. */
export { item, toList } from './arrays';

/** `np.argmax(a)`: the index of the largest value of the flattened array; `np.argmax(a, axis)` along one axis. */
export { argmax } from './arrays';

/** `a.ravel()`: the values of `a` as a 1-d array, in numpy's order (the last axis fastest); a copy. */
export function ravel(a: ArrayInput): Tensor {
  const t = arrayArgument('ravel', 'a', a);
  return { shape: [t.data.length], data: Float64Array.from(t.data) };
}

/** `a.shape`, as a list: `shape(zeros([5, 10]))` is `[5, 10]`. */
export function shape(a: ArrayInput): number[] {
  return [...arrayArgument('shape', 'a', a).shape];
}

const globalRandom = new RandomState(Math.floor(Math.random() * 0x100000000));

/**
 * `np.random`: numpy's legacy global generator (MT19937), bit for bit, so `np.random.seed(1); np.random.randn(3, 10)`
 * gives the course's numbers. Calls share one stream, as in numpy: the next `randn` continues where the last stopped.
 * Reference note: like numpy's, the stream starts from an unpredictable seed; call `np.random.seed(s)` to repeat a run.
 */
export const random = {
  /** `np.random.seed(s)`, s an integer from 0 to 2³² − 1. */
  seed(seed: number): void {
    globalRandom.seed(seed);
  },
  /** `np.random.randn(d0, d1, …)`: standard normal values in numpy's order; no dimensions gives one number. */
  randn(...dims: number[]): Tensor | number {
    if (dims.length === 0) return globalRandom.randn();
    return randnCourse(globalRandom, ...shapeArgument('random.randn', dims));
  },
  /** `np.random.rand(d0, d1, …)`: uniform values in [0, 1); no dimensions gives one number. */
  rand(...dims: number[]): Tensor | number {
    if (dims.length === 0) return globalRandom.random();
    const t = zeros(shapeArgument('random.rand', dims));
    for (let i = 0; i < t.data.length; i++) t.data[i] = globalRandom.random();
    return t;
  },
  /**
   * `np.random.choice(n, p=probabilities)`: one index from 0 to n − 1, drawn with the probabilities `p` (a 1-d array
   * of n values that add up to 1; the course passes `y.ravel()`), by numpy's own method, so the course's seeds give the
   * course's draws. Without `p`, every index is equally likely.
   */
  choice(n: number, options: { readonly p?: ArrayInput } = {}): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`random.choice: n must be a whole number above 0, got ${n}`);
    if (options.p === undefined) return globalRandom.choice(n);
    const p = arrayArgument('random.choice', 'p', options.p);
    if (p.shape.length !== 1) {
      throw new RangeError(`random.choice: p must be 1-dimensional, got shape ${shapeTuple(p.shape)} (np.ravel(p) flattens it, as the course's y.ravel())`);
    }
    if (p.shape[0] !== n) throw new RangeError(`random.choice: p has ${p.shape[0]} probabilities for ${n} choices; they must be the same`);
    return globalRandom.choice(n, p.data);
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Elementwise, with numpy's broadcasting

/**
 * `a + b + …` elementwise (numpy's `np.add`, which takes two; here any number, so `np.add(np.dot(Waa, aPrev),
 * np.dot(Wax, xt), ba)` is the course's `np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba`). Shapes broadcast as numpy's:
 * aligned from the last axis, each pair of sizes equal or one of them 1 (a bias column (n, 1) against (n, m), a
 * number against anything). Numbers only give a number.
 */
export function add(a: number, b: number, ...more: number[]): number;
export function add(a: ArrayOf, b: ArrayInput, ...more: ArrayInput[]): Tensor;
export function add(a: ArrayInput, b: ArrayOf, ...more: ArrayInput[]): Tensor;
export function add(a: ArrayInput, b: ArrayInput, ...more: ArrayInput[]): ArrayResult;
export function add(a: ArrayInput, b: ArrayInput, ...more: ArrayInput[]): ArrayResult {
  return chain('add', [a, b, ...more], (x, y) => x + y);
}

/** `a − b` elementwise, broadcasting as `add`. */
export const subtract = broadcastingFunction('subtract', (x, y) => x - y);

/** `a * b * …` elementwise (the Hadamard product ⊙, not the matrix product: that is `dot`), broadcasting as `add`. */
export function multiply(a: number, b: number, ...more: number[]): number;
export function multiply(a: ArrayOf, b: ArrayInput, ...more: ArrayInput[]): Tensor;
export function multiply(a: ArrayInput, b: ArrayOf, ...more: ArrayInput[]): Tensor;
export function multiply(a: ArrayInput, b: ArrayInput, ...more: ArrayInput[]): ArrayResult;
export function multiply(a: ArrayInput, b: ArrayInput, ...more: ArrayInput[]): ArrayResult {
  return chain('multiply', [a, b, ...more], (x, y) => x * y);
}

/** `a / b` elementwise, broadcasting as `add` (x / 0 is ±Infinity or NaN, as in numpy). */
export const divide = broadcastingFunction('divide', (x, y) => x / y);

/** `a ** b` elementwise (`np.power`), broadcasting as `add`: `np.power(a, 2)` is a². */
export const power = broadcastingFunction('power', (x, y) => x ** y);

/** `np.maximum(a, b)` elementwise (NaN wins, as in numpy), broadcasting as `add`. */
export const maximum = broadcastingFunction('maximum', (x, y) => (Number.isNaN(x) || x > y ? x : y));

/** `np.tanh(a)`. */
export const tanh = elementwiseFunction('tanh', Math.tanh);

/** `np.exp(a)`. */
export const exp = elementwiseFunction('exp', Math.exp);

/** `np.log(a)`, the natural logarithm. */
export const log = elementwiseFunction('log', Math.log);

/** `np.sqrt(a)`. */
export const sqrt = elementwiseFunction('sqrt', Math.sqrt);

/** `np.abs(a)`. */
export const abs = elementwiseFunction('abs', Math.abs);

/** `np.clip(a, low, high)`: each value clamped to [low, high]. */
export function clip(a: number, low: number, high: number): number;
export function clip(a: ArrayOf, low: number, high: number): Tensor;
export function clip(a: ArrayInput, low: number, high: number): ArrayResult;
export function clip(a: ArrayInput, low: number, high: number): ArrayResult {
  if (typeof low !== 'number' || typeof high !== 'number' || low > high) {
    throw new RangeError(`clip: low and high must be numbers with low ≤ high, got ${String(low)} and ${String(high)}`);
  }
  return elementwise('clip', a, (x) => Math.min(high, Math.max(low, x)));
}

/** The course's `sigmoid(x) = 1 / (1 + e^(−x))` elementwise (rnn_utils.py; the formula lives in rnnUtils.ts). */
export function sigmoid(a: number): number;
export function sigmoid(a: ArrayOf): Tensor;
export function sigmoid(a: ArrayInput): ArrayResult;
export function sigmoid(a: ArrayInput): ArrayResult {
  if (typeof a === 'number') return sigmoidOfTensor({ shape: [], data: Float64Array.of(a) }).data[0];
  return sigmoidOfTensor(arrayArgument('sigmoid', 'a', a));
}

/**
 * The course's `softmax(x)` over axis 0: each column of an (n, m) matrix is one example's distribution; a 1-d
 * array is one distribution. Reference note: it subtracts each column's own maximum, the course one global maximum
 * (the same probabilities to rounding; see rnnUtils.ts, where the formula lives).
 */
export function softmax(a: ArrayInput): Tensor {
  const t = arrayArgument('softmax', 'a', a);
  if (t.shape.length === 1) return { shape: [...t.shape], data: softmaxOfMatrix({ shape: [t.shape[0], 1], data: t.data }).data };
  if (t.shape.length !== 2) throw new RangeError(`softmax: takes a matrix (n, m), one distribution per column, or a 1-d array; got shape ${shapeTuple(t.shape)}`);
  return softmaxOfMatrix(t);
}

// ---------------------------------------------------------------------------------------------------------------
// Products, reductions, reshaping

/**
 * `np.dot(a, b)`: for matrices (p, q) · (q, r) → (p, r), the matrix product; a matrix and a 1-d array, (p, q) · (q,)
 * → (p,) and (q,) · (q, r) → (r,); two 1-d arrays, their inner product as a 0-d array; with a number, `multiply`.
 * Reference note: numpy gives a scalar for two 1-d arrays; here every product of arrays is an array (so its type says
 * Tensor), and `np.item(np.dot(v, w))` is the number.
 */
export function dot(a: number, b: number): number;
export function dot(a: ArrayOf, b: ArrayInput): Tensor;
export function dot(a: ArrayInput, b: ArrayOf): Tensor;
export function dot(a: ArrayInput, b: ArrayInput): ArrayResult;
export function dot(a: ArrayInput, b: ArrayInput): ArrayResult {
  const left = arrayArgument('dot', 'a', a);
  const right = arrayArgument('dot', 'b', b);
  if (left.shape.length === 0 || right.shape.length === 0) return multiply(a, b);
  if (left.shape.length > 2 || right.shape.length > 2) {
    throw new RangeError(`dot: takes 1-d and 2-d arrays here, got shapes ${shapeTuple(left.shape)} and ${shapeTuple(right.shape)}`);
  }
  const inner = left.shape[left.shape.length - 1];
  const against = right.shape[0];
  if (inner !== against) {
    throw new RangeError(`dot: shapes ${shapeTuple(left.shape)} and ${shapeTuple(right.shape)} do not line up: ${inner} ≠ ${against} (the first's last axis against the second's first)`);
  }
  const asMatrix = (t: Tensor, column: boolean): Tensor => (t.shape.length === 2 ? t : { shape: column ? [t.shape[0], 1] : [1, t.shape[0]], data: t.data });
  const product = matmul(asMatrix(left, false), asMatrix(right, true));
  return { shape: [...left.shape.slice(0, -1), ...right.shape.slice(1)], data: product.data };
}

/**
 * `a.T` / `np.transpose(a)`: the axes in reverse order — a matrix's rows become its columns, and a sequence batch
 * (T_x, m, n_x) becomes (n_x, m, T_x); a 1-d array is returned as it is (a copy), as in numpy.
 * `np.transpose(a, axes)` puts axis `axes[i]` of `a` at position i: `np.transpose(x, [1, 0, 2])` turns (T, B, n) into
 * PyTorch's batch_first (B, T, n). Reference note: numpy returns a view; this is a copy.
 */
export function transpose(a: ArrayInput, axes?: readonly number[]): Tensor {
  const t = arrayArgument('transpose', 'a', a);
  const rank = t.shape.length;
  const order = axes === undefined ? Array.from({ length: rank }, (_, i) => rank - 1 - i) : checkedAxes(t.shape, axes);
  if (rank <= 1) return array(t);
  if (rank === 2 && order[0] === 1) return transposeMatrix(t);
  const shape = order.map((axis) => t.shape[axis]);
  const strides = new Array<number>(rank);
  for (let axis = rank - 1, stride = 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= t.shape[axis];
  }
  const data = new Float64Array(t.data.length);
  const index = new Array<number>(rank).fill(0); // position in the result
  for (let k = 0; k < data.length; k++) {
    let offset = 0;
    for (let i = 0; i < rank; i++) offset += index[i] * strides[order[i]];
    data[k] = t.data[offset];
    for (let i = rank - 1; i >= 0 && ++index[i] === shape[i]; i--) index[i] = 0;
  }
  return { shape, data };
}

/** `axes` of `np.transpose`: each axis of the shape exactly once (negative ones count from the end), or an Error. */
function checkedAxes(shape: readonly number[], axes: readonly number[]): number[] {
  const rank = shape.length;
  const problem = `transpose: axes ${JSON.stringify(axes)} must name each axis of shape ${shapeTuple(shape)} once (0 to ${rank - 1})`;
  if (!Array.isArray(axes) || axes.length !== rank) throw new RangeError(problem);
  const order = axes.map((axis) => (Number.isInteger(axis) && axis < 0 ? axis + rank : axis));
  if (order.some((axis) => !Number.isInteger(axis) || axis < 0 || axis >= rank) || new Set(order).size !== rank) throw new RangeError(problem);
  return order;
}

/** Reductions take `axis` as a number, or numpy's keywords: `np.sum(a, { axis: 1, keepdims: true })`. */
export type ReduceOptions = number | { readonly axis?: number; readonly keepdims?: boolean };
/** The options under which a reduction is an array, never a number: an axis given, or `keepdims: true`. */
export type ArrayReduceOptions = number | { readonly axis: number; readonly keepdims?: boolean } | { readonly axis?: number; readonly keepdims: true };

/**
 * `np.sum(a)`: the sum of every value (a number); `np.sum(a, axis)`: summed along that axis, which disappears
 * (`np.sum(a, 1)` of (5, 10) is (5,)); with `keepdims: true` it stays as size 1 (`np.sum(dz, { axis: 1, keepdims: true })`
 * is (5, 1), a bias's gradient). Negative axes count from the end.
 */
export function sum(a: ArrayInput): number;
export function sum(a: ArrayInput, options: ArrayReduceOptions): Tensor;
export function sum(a: ArrayInput, options: ReduceOptions): ArrayResult;
export function sum(a: ArrayInput, options?: ReduceOptions): ArrayResult {
  return reduce('sum', a, options, (values) => values.reduce((total, x) => total + x, 0));
}

/** `np.mean(a)` / `np.mean(a, axis)`, as `sum`. */
export function mean(a: ArrayInput): number;
export function mean(a: ArrayInput, options: ArrayReduceOptions): Tensor;
export function mean(a: ArrayInput, options: ReduceOptions): ArrayResult;
export function mean(a: ArrayInput, options?: ReduceOptions): ArrayResult {
  return reduce('mean', a, options, (values) => values.reduce((total, x) => total + x, 0) / values.length);
}

/** `np.max(a)` / `np.max(a, axis)`, as `sum` (a NaN makes the maximum NaN, as in numpy). */
export function max(a: ArrayInput): number;
export function max(a: ArrayInput, options: ArrayReduceOptions): Tensor;
export function max(a: ArrayInput, options: ReduceOptions): ArrayResult;
export function max(a: ArrayInput, options?: ReduceOptions): ArrayResult {
  return reduce('max', a, options, (values) => values.reduce((best, x) => (Number.isNaN(best) || best >= x ? best : x), -Infinity));
}

/** `np.linalg.norm(a)`: the Euclidean (Frobenius) norm of every value, √(Σ aᵢ²), computed without overflow. */
export const linalg = {
  norm(a: ArrayInput): number {
    return euclideanNorm(arrayArgument('linalg.norm', 'a', a).data);
  },
};

/**
 * `np.concatenate([a, b, …], axis)` (axis 0 by default): arrays of one rank, the same size on every other axis,
 * joined along `axis` — `np.concatenate([aPrev, xt], 0)` stacks (n_a, m) on (n_x, m) into (n_a + n_x, m).
 */
export function concatenate(arrays: readonly ArrayInput[], axis = 0): Tensor {
  if (!Array.isArray(arrays) || arrays.length === 0) throw new TypeError('concatenate: give a list of arrays, e.g. concatenate([aPrev, xt], 0)');
  const parts = arrays.map((part, i) => arrayArgument('concatenate', `array ${i + 1}`, part));
  const first = parts[0];
  const along = axisArgument('concatenate', axis, first.shape);
  for (const part of parts.slice(1)) {
    const differing = part.shape.length !== first.shape.length ? -1 : part.shape.findIndex((size, i) => i !== along && size !== first.shape[i]);
    if (differing !== -1 || part.shape.length !== first.shape.length) {
      const why = differing === -1
        ? `they have different numbers of axes (${first.shape.length} and ${part.shape.length})`
        : `axis ${differing} differs (${first.shape[differing]} ≠ ${part.shape[differing]}); only axis ${along} may`;
      throw new RangeError(`concatenate: shapes ${shapeTuple(first.shape)} and ${shapeTuple(part.shape)} cannot be joined along axis ${along}: ${why}`);
    }
  }
  const outerCount = sizeOf(first.shape.slice(0, along));
  const innerSize = sizeOf(first.shape.slice(along + 1));
  const resultShape = [...first.shape];
  resultShape[along] = parts.reduce((total, part) => total + part.shape[along], 0);
  const data = new Float64Array(sizeOf(resultShape));
  let offset = 0;
  for (let outer = 0; outer < outerCount; outer++) {
    for (const part of parts) {
      const block = part.shape[along] * innerSize;
      data.set(part.data.subarray(outer * block, (outer + 1) * block), offset);
      offset += block;
    }
  }
  return { shape: resultShape, data };
}

/** `concatenate` by a shorter name. */
export const concat = concatenate;

/**
 * numpy's `a[i, j:k, :]`, a copy: one `Index` per axis, as written between the brackets — `slice(x, ':', ':', t)` is
 * `x[:, :, t]` (shape (n_x, m)), `slice(dconcat, [0, nA])` is `dconcat[0:n_a]`, `slice(a, '1:')` is `a[1:]`.
 * Reference note: numpy gives a view that shares memory with `a`; this is a copy, so change an array with `assign`.
 */
export function slice(a: ArrayInput, ...index: Index[]): Tensor {
  const t = arrayArgument('slice', 'a', a);
  const selection = selectionOf('slice', t.shape, index);
  const data = new Float64Array(sizeOf(selection.shape));
  let k = 0;
  forEachSelected(t.shape, selection.positions, (offset) => (data[k++] = t.data[offset]));
  return { shape: selection.shape, data };
}

/**
 * numpy's `a[i, j:k, …] = value`, in place: `assign(a, [':', ':', t], aNext)` is the course's `a[:, :, t] = a_next`.
 * `value` broadcasts to the selected part's shape (a number fills it). `a` must be a Tensor, since it is changed.
 */
export function assign(a: Tensor, index: readonly Index[], value: ArrayInput): void {
  if (!isTensor(a)) throw new TypeError('assign: the array to change must be an np array (a Tensor made by np.zeros, np.array, …), not nested lists');
  if (!Array.isArray(index)) throw new TypeError(`assign: the index must be a list such as [':', ':', t], got ${JSON.stringify(index)}`);
  const selection = selectionOf('assign', a.shape, index);
  const source = arrayArgument('assign', 'value', value);
  const broadcast = broadcastTo('assign', source, selection.shape);
  let k = 0;
  forEachSelected(a.shape, selection.positions, (offset) => (a.data[offset] = broadcast.data[k++]));
}

// ---------------------------------------------------------------------------------------------------------------
// Internals

/** A number when every input was a number, else an array. */
export type ArrayResult = Tensor | number;

/** An array argument that is certainly an array (so the result's type is Tensor). */
export type ArrayOf = Tensor | NestedNumbers;

function isTensor(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && Array.isArray((value as Tensor).shape) && (value as Tensor).data instanceof Float64Array;
}

/** A number is a 0-d array; nested lists are read (ragged ones are an error naming where); a Tensor is checked. */
function arrayArgument(where: string, name: string, value: ArrayInput): Tensor {
  if (typeof value === 'number') return { shape: [], data: Float64Array.of(value) };
  return tensorArgument(where, name, value);
}

function shapeArgument(where: string, shapeValue: number | readonly number[]): number[] {
  const dims = typeof shapeValue === 'number' ? [shapeValue] : shapeValue;
  if (!Array.isArray(dims) || !dims.every((dim) => Number.isInteger(dim) && dim >= 0)) {
    throw new TypeError(`${where}: a shape is a list of non-negative whole numbers such as [5, 10], got ${JSON.stringify(shapeValue)}`);
  }
  return [...dims];
}

function axisArgument(where: string, axis: number, of: readonly number[]): number {
  const resolved = axis < 0 ? axis + of.length : axis;
  if (!Number.isInteger(axis) || resolved < 0 || resolved >= of.length) {
    throw new RangeError(`${where}: axis ${axis} is out of range for shape ${shapeTuple(of)}, which has ${of.length} axes`);
  }
  return resolved;
}

/** A numpy function of one array, value by value: a number gives a number, an array (nested lists too) a Tensor. */
export interface ElementwiseFunction {
  (a: number): number;
  (a: ArrayOf): Tensor;
  (a: ArrayInput): ArrayResult;
}

/** A numpy function of two arrays, value by value with broadcasting as `add`: two numbers give a number. */
export interface BroadcastingFunction {
  (a: number, b: number): number;
  (a: ArrayOf, b: ArrayInput): Tensor;
  (a: ArrayInput, b: ArrayOf): Tensor;
  (a: ArrayInput, b: ArrayInput): ArrayResult;
}

/** `np.<name>`, applying `f` to every value; named, so a cell that prints it reads `[Function: tanh]`. */
function elementwiseFunction(name: string, f: (x: number) => number): ElementwiseFunction {
  return Object.defineProperty((a: ArrayInput) => elementwise(name, a, f), 'name', { value: name }) as ElementwiseFunction;
}

/** `np.<name>`, applying `f` to every pair of values of the broadcast operands. */
function broadcastingFunction(name: string, f: (x: number, y: number) => number): BroadcastingFunction {
  return Object.defineProperty((a: ArrayInput, b: ArrayInput) => chain(name, [a, b], f), 'name', { value: name }) as BroadcastingFunction;
}

function elementwise(where: string, a: ArrayInput, f: (x: number) => number): ArrayResult {
  if (typeof a === 'number') return f(a);
  const t = arrayArgument(where, 'a', a);
  return { shape: [...t.shape], data: t.data.map(f) };
}

function chain(where: string, operands: readonly ArrayInput[], f: (x: number, y: number) => number): ArrayResult {
  if (operands.every((operand) => typeof operand === 'number')) return (operands as number[]).reduce((x, y) => f(x, y));
  const arrays = operands.map((operand, i) => arrayArgument(where, operands.length === 2 ? ['a', 'b'][i] : `operand ${i + 1}`, operand));
  return arrays.slice(1).reduce((left, right) => broadcastPair(where, left, right, f), arrays[0]);
}

/** The shape numpy broadcasts two shapes to: aligned from the last axis, each pair of sizes equal or one of them 1. */
function broadcastShape(where: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RangeError(`${where}: shapes ${shapeTuple(a)} and ${shapeTuple(b)} cannot be broadcast together: ${x} ≠ ${y} (sizes must be equal, or one of them 1)`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The strides for reading `t` as if it had `target`'s shape (0 along broadcast axes). */
function broadcastStrides(t: Tensor, target: readonly number[]): number[] {
  const strides = new Array<number>(target.length).fill(0);
  let stride = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    const axis = target.length - t.shape.length + i;
    strides[axis] = t.shape[i] === 1 ? 0 : stride;
    stride *= t.shape[i];
  }
  return strides;
}

function broadcastPair(where: string, a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const resultShape = broadcastShape(where, a.shape, b.shape);
  const data = new Float64Array(sizeOf(resultShape));
  const aStrides = broadcastStrides(a, resultShape);
  const bStrides = broadcastStrides(b, resultShape);
  forEachPosition(resultShape, (k, position) => {
    let aOffset = 0;
    let bOffset = 0;
    for (let axis = 0; axis < position.length; axis++) {
      aOffset += position[axis] * aStrides[axis];
      bOffset += position[axis] * bStrides[axis];
    }
    data[k] = f(a.data[aOffset], b.data[bOffset]);
  });
  return { shape: resultShape, data };
}

function broadcastTo(where: string, t: Tensor, target: readonly number[]): Tensor {
  const resultShape = broadcastShape(where, t.shape, target);
  if (resultShape.length !== target.length || resultShape.some((size, i) => size !== target[i])) {
    throw new RangeError(`${where}: a value of shape ${shapeTuple(t.shape)} does not fit the selected part, of shape ${shapeTuple(target)}`);
  }
  return broadcastPair(where, t, { shape: [...target], data: new Float64Array(sizeOf(target)) }, (x) => x);
}

/** Calls `visit(k, position)` for every position of `dims` in row-major order (k counts from 0). */
function forEachPosition(dims: readonly number[], visit: (k: number, position: readonly number[]) => void): void {
  const total = sizeOf(dims);
  const position = new Array<number>(dims.length).fill(0);
  for (let k = 0; k < total; k++) {
    visit(k, position);
    for (let axis = dims.length - 1; axis >= 0; axis--) {
      if (++position[axis] < dims[axis]) break;
      position[axis] = 0;
    }
  }
}

function reduce(where: string, a: ArrayInput, options: ReduceOptions | undefined, combine: (values: number[]) => number): ArrayResult {
  const t = arrayArgument(where, 'a', a);
  const { axis, keepdims = false } = typeof options === 'number' || options === undefined ? { axis: options } : options;
  if (axis === undefined) {
    const total = combine(Array.from(t.data));
    return keepdims ? { shape: t.shape.map(() => 1), data: Float64Array.of(total) } : total;
  }
  const along = axisArgument(where, axis, t.shape);
  const outer = sizeOf(t.shape.slice(0, along));
  const length = t.shape[along];
  const inner = sizeOf(t.shape.slice(along + 1));
  const data = new Float64Array(outer * inner);
  const values = new Array<number>(length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let k = 0; k < length; k++) values[k] = t.data[(o * length + k) * inner + i];
      data[o * inner + i] = combine(values);
    }
  }
  const resultShape = keepdims ? t.shape.map((size, i) => (i === along ? 1 : size)) : t.shape.filter((_, i) => i !== along);
  return { shape: resultShape, data };
}

/** The positions `index` selects along each axis, and the shape of the result (axes given by a number dropped). */
function selectionOf(where: string, dims: readonly number[], index: readonly Index[]): { positions: number[][]; shape: number[] } {
  if (index.length > dims.length) {
    throw new RangeError(`${where}: ${index.length} indices for an array of shape ${shapeTuple(dims)}, which has ${dims.length} axes`);
  }
  const positions: number[][] = [];
  const resultShape: number[] = [];
  dims.forEach((size, axis) => {
    const entry = index[axis] ?? ':';
    if (typeof entry === 'number') {
      const resolved = entry < 0 ? entry + size : entry;
      if (!Number.isInteger(entry) || resolved < 0 || resolved >= size) {
        throw new RangeError(`${where}: index ${entry} is out of range for axis ${axis} of size ${size} (shape ${shapeTuple(dims)})`);
      }
      positions.push([resolved]);
      return;
    }
    const [start, stop] = rangeOf(where, entry, axis);
    const clamp = (bound: number | null, open: number): number => (bound === null ? open : Math.min(size, Math.max(0, bound < 0 ? bound + size : bound)));
    const from = clamp(start, 0);
    const to = Math.max(from, clamp(stop, size));
    positions.push(Array.from({ length: to - from }, (_, i) => from + i));
    resultShape.push(to - from);
  });
  return { positions, shape: resultShape };
}

function rangeOf(where: string, entry: Index, axis: number): [number | null, number | null] {
  const bad = (): Error => new TypeError(`${where}: index ${JSON.stringify(entry)} for axis ${axis} is not a position (2), a range ('2:5', ':5', ':') or a pair [start, stop]`);
  if (typeof entry === 'string') {
    const match = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*$/.exec(entry);
    if (!match) {
      if (/^[^:]*:[^:]*:/.test(entry)) throw new TypeError(`${where}: index '${entry}' for axis ${axis} has a step; slices with a step are not supported`);
      throw bad();
    }
    return [match[1] === undefined ? null : Number(match[1]), match[2] === undefined ? null : Number(match[2])];
  }
  if (Array.isArray(entry) && entry.length === 2 && entry.every((bound) => bound === null || Number.isInteger(bound))) {
    return [entry[0], entry[1]];
  }
  throw bad();
}

/** Calls `visit(offset)` with the flat offset of every selected position, in row-major order. */
function forEachSelected(dims: readonly number[], positions: readonly number[][], visit: (offset: number) => void): void {
  if (positions.some((list) => list.length === 0)) return;
  forEachPosition(positions.map((list) => list.length), (_, choice) => {
    let offset = 0;
    for (let axis = 0; axis < dims.length; axis++) offset = offset * dims[axis] + positions[axis][choice[axis]];
    visit(offset);
  });
}
