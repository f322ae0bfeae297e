// Engine layer (course API): the handful of numpy operations the course's week-1 assignments use, on feature-major
// 2-D and 3-D Tensors, and the conveniences of a notebook cell: drawing inputs as the notebooks do, indexing, argmax.
import { RandomState } from '../random/randomState';
import { formatShape, sizeOf, toNested, type Tensor } from '../tensor';
import { tensorArgument, type NestedNumbers, type TensorLike } from './arguments';

/**
 * `np.random.randn(*shape)`: standard normals filled in C (row-major) order, so
 * `np.random.seed(1); xt = np.random.randn(3, 10)` is `xt = randnCourse(new RandomState(1), 3, 10)`, and further
 * draws from the same `rs` continue numpy's stream exactly as the notebook's next `randn` call does.
 */
export function randnCourse(rs: RandomState, ...shape: number[]): Tensor {
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) throw new RangeError(`randnCourse: dimensions must be non-negative integers, got ${formatShape(shape)}`);
  }
  return { shape, data: rs.randnArray(sizeOf(shape)) };
}

/**
 * The notebooks' way of making inputs: `np.random.seed(seed)`, then one `np.random.randn(*shape)` per shape, in order.
 * `const [xt, a_prev, Waa] = randnInOrder(1, [3, 10], [5, 10], [5, 5])` is the notebook's
 * `np.random.seed(1); xt = np.random.randn(3, 10); a_prev = np.random.randn(5, 10); Waa = np.random.randn(5, 5)`,
 * bit for bit. Draws the notebook makes later in the same cell (after a forward pass, say) are simply more shapes here:
 * a forward pass draws no random numbers.
 */
export function randnInOrder(seed: number, ...shapes: readonly (readonly number[])[]): Tensor[] {
  const rs = new RandomState(seed);
  return shapes.map((shape) => {
    if (!Array.isArray(shape)) throw new TypeError(`randnInOrder: each shape must be a list of sizes such as [3, 10], got ${JSON.stringify(shape)}`);
    return randnCourse(rs, ...shape);
  });
}

/**
 * numpy's indexing `a[i][j]…` (negative indices count from the end): with fewer indices than `a` has axes, the
 * sub-array there (a copy; `at(a, 4, 1)` of an (n_a, m, T_x) array is `a[4][1]`, shape [T_x]); with one index per
 * axis, a 0-d Tensor. `item` gives the number itself.
 */
export function at(a: TensorLike, ...index: number[]): Tensor {
  const t = tensorArgument('at', 'a', a);
  if (index.length > t.shape.length) {
    throw new RangeError(`at: ${index.length} indices [${index.join(', ')}] for an array of shape ${formatShape(t.shape)}, which has ${t.shape.length} axes`);
  }
  let offset = 0;
  index.forEach((i, axis) => (offset = offset * t.shape[axis] + resolvedIndex('at', t.shape, i, axis)));
  const rest = t.shape.slice(index.length);
  const size = sizeOf(rest);
  return { shape: rest, data: t.data.slice(offset * size, (offset + 1) * size) };
}

/** numpy's `a.item(i, j, …)`: the number at one index per axis (negative indices count from the end). */
export function item(a: TensorLike, ...index: number[]): number {
  const t = tensorArgument('item', 'a', a);
  if (index.length !== t.shape.length) {
    throw new RangeError(`item: ${index.length} indices [${index.join(', ')}] for an array of shape ${formatShape(t.shape)}; give one index per axis (${t.shape.length}), or use at() for a sub-array`);
  }
  let offset = 0;
  index.forEach((i, axis) => (offset = offset * t.shape[axis] + resolvedIndex('item', t.shape, i, axis)));
  return t.data[offset];
}

/** numpy's `a.tolist()`: the Tensor as nested lists of numbers (a 0-d Tensor as its number). */
export function toList(a: TensorLike): NestedNumbers | number {
  return toNested(tensorArgument('toList', 'a', a)) as NestedNumbers | number;
}

/**
 * `np.argmax(a)`: the index of the largest value of the flattened array (the first one on ties, as numpy), or with
 * `axis`, `np.argmax(a, axis)`: the indices along that axis, an array of the other axes (for probabilities (n_y, m),
 * `argmax(p, 0)` is each example's most likely class). A NaN counts as the largest value, as in numpy.
 */
export function argmax(a: TensorLike): number;
export function argmax(a: TensorLike, axis: number): Tensor;
export function argmax(a: TensorLike, axis?: number): number | Tensor {
  const t = tensorArgument('argmax', 'a', a);
  if (t.data.length === 0) throw new RangeError(`argmax: the array of shape ${formatShape(t.shape)} is empty`);
  if (axis === undefined) return argmaxOf(t.data, 0, t.data.length, 1);
  const resolved = axis < 0 ? axis + t.shape.length : axis;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved >= t.shape.length) {
    throw new RangeError(`argmax: axis ${axis} is out of range for an array of shape ${formatShape(t.shape)}`);
  }
  const outer = sizeOf(t.shape.slice(0, resolved));
  const length = t.shape[resolved];
  const inner = sizeOf(t.shape.slice(resolved + 1));
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) out[o * inner + i] = argmaxOf(t.data, o * length * inner + i, length, inner);
  }
  return { shape: [...t.shape.slice(0, resolved), ...t.shape.slice(resolved + 1)], data: out };
}

/** `factor * a`: every entry multiplied by a number (the notebooks' `0.01 * np.random.randn(…)`). */
export function scale(a: TensorLike, factor: number): Tensor {
  if (typeof factor !== 'number') throw new TypeError(`scale: factor must be a number, got ${JSON.stringify(factor)}`);
  return map(tensorArgument('scale', 'a', a), (value) => value * factor);
}

/** `np.copy(a)`. */
export function copy(array: TensorLike): Tensor {
  const a = tensorArgument('copy', 'a', array);
  return { shape: [...a.shape], data: Float64Array.from(a.data) };
}

/** `np.dot(a, b)` for matrices: a [p, q] · b [q, r] → [p, r]. */
export function matmul(left: TensorLike, right: TensorLike): Tensor {
  const a = tensorArgument('matmul', 'a', left);
  const b = tensorArgument('matmul', 'b', right);
  const [p, q] = a.shape;
  const [q2, r] = b.shape;
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw new RangeError(`matmul: needs two matrices, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (q !== q2) throw new RangeError(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not multiply (${q} columns against ${q2} rows)`);
  const out = new Float64Array(p * r);
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < q; k++) {
      const aik = a.data[i * q + k];
      for (let j = 0; j < r; j++) out[i * r + j] += aik * b.data[k * r + j];
    }
  }
  return { shape: [p, r], data: out };
}

/** `a.T` for a matrix. */
export function transpose(array: TensorLike): Tensor {
  const a = tensorArgument('transpose', 'a', array, [null, null], '(rows, columns)');
  const [rows, cols] = a.shape;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = a.data[i * cols + j];
  }
  return { shape: [cols, rows], data: out };
}

/**
 * `a + b + …` elementwise, with numpy's broadcasting of a column: every term has the first term's shape [n, m],
 * or is a bias column [n, 1] added to every column.
 */
export function plus(firstTerm: TensorLike, ...restTerms: TensorLike[]): Tensor {
  const first = tensorArgument('plus', 'the first term', firstTerm);
  const rest = restTerms.map((term, i) => tensorArgument('plus', `term ${i + 2}`, term));
  const out = Float64Array.from(first.data);
  const [rows, cols] = first.shape;
  for (const term of rest) {
    if (sameShapeAs(term, first)) {
      for (let i = 0; i < out.length; i++) out[i] += term.data[i];
    } else if (first.shape.length === 2 && term.shape.length === 2 && term.shape[0] === rows && term.shape[1] === 1) {
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) out[i * cols + j] += term.data[i];
      }
    } else {
      throw new RangeError(`plus: cannot broadcast ${formatShape(term.shape)} to ${formatShape(first.shape)}`);
    }
  }
  return { shape: [...first.shape], data: out };
}

/** `a * b * …` elementwise (Hadamard product ⊙); all the same shape. */
export function times(firstFactor: TensorLike, ...restFactors: TensorLike[]): Tensor {
  const first = tensorArgument('times', 'the first factor', firstFactor);
  const rest = restFactors.map((factor, i) => tensorArgument('times', `factor ${i + 2}`, factor));
  const out = Float64Array.from(first.data);
  for (const term of rest) {
    if (!sameShapeAs(term, first)) throw new RangeError(`times: shapes ${formatShape(first.shape)} and ${formatShape(term.shape)} differ`);
    for (let i = 0; i < out.length; i++) out[i] *= term.data[i];
  }
  return { shape: [...first.shape], data: out };
}

/** `f(a)` elementwise. */
export function map(array: TensorLike, f: (value: number) => number): Tensor {
  const a = tensorArgument('map', 'a', array);
  return { shape: [...a.shape], data: a.data.map(f) };
}

/** `np.tanh(a)`. */
export function tanh(a: TensorLike): Tensor {
  return map(a, Math.tanh);
}

/** `np.sum(a, axis=1, keepdims=True)`: the row sums of a matrix as a column [n, 1] (a broadcast bias's gradient). */
export function sumColumns(array: TensorLike): Tensor {
  const a = tensorArgument('sumColumns', 'a', array, [null, null], '(rows, columns)');
  const [rows, cols] = a.shape;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[i] += a.data[i * cols + j];
  }
  return { shape: [rows, 1], data: out };
}

/** `target += source`, in place (gradients are accumulated); the target must be a Tensor, as it is changed. */
export function accumulate(target: Tensor, sourceArray: TensorLike): void {
  const source = tensorArgument('accumulate', 'source', sourceArray);
  if (!sameShapeAs(target, source)) throw new RangeError(`accumulate: shapes ${formatShape(target.shape)} and ${formatShape(source.shape)} differ`);
  for (let i = 0; i < target.data.length; i++) target.data[i] += source.data[i];
}

/** `np.concatenate((top, bottom), axis=0)` for matrices with the same number of columns. */
export function concatRows(topArray: TensorLike, bottomArray: TensorLike): Tensor {
  const top = tensorArgument('concatRows', 'top', topArray, [null, null], '(rows, columns)');
  const bottom = tensorArgument('concatRows', 'bottom', bottomArray, [null, null], '(rows, columns)');
  if (top.shape[1] !== bottom.shape[1]) throw new RangeError(`concatRows: ${formatShape(top.shape)} and ${formatShape(bottom.shape)} have different column counts`);
  const out = new Float64Array(top.data.length + bottom.data.length);
  out.set(top.data);
  out.set(bottom.data, top.data.length);
  return { shape: [top.shape[0] + bottom.shape[0], top.shape[1]], data: out };
}

/** `a[start:end, :]`, a copy (0 ≤ start ≤ end ≤ the number of rows). */
export function rows(array: TensorLike, start: number, end: number): Tensor {
  const a = tensorArgument('rows', 'a', array, [null, null], '(rows, columns)');
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > a.shape[0]) {
    throw new RangeError(`rows: [${start}:${end}] is not a range of rows of an array of shape ${formatShape(a.shape)}`);
  }
  const cols = a.shape[1];
  return { shape: [end - start, cols], data: a.data.slice(start * cols, end * cols) };
}

/** `x[:, :, t]` of a 3-D array [n, m, T]: a copy [n, m] (negative t counts from the end). */
export function timeStep(array: TensorLike, t: number): Tensor {
  const x = tensorArgument('timeStep', 'x', array, [null, null, null], '(n, m, T)');
  const [n, m, steps] = x.shape;
  const step = resolvedIndex('timeStep', x.shape, t, 2);
  const out = new Float64Array(n * m);
  for (let i = 0; i < n * m; i++) out[i] = x.data[i * steps + step];
  return { shape: [n, m], data: out };
}

/** `x[:, :, t] = value` for a 3-D array [n, m, T] (a Tensor, as it is changed) and a matrix [n, m]. */
export function setTimeStep(x: Tensor, t: number, valueArray: TensorLike): void {
  const [n, m, steps] = x.shape;
  const value = tensorArgument('setTimeStep', 'value', valueArray, [n, m], '(n, m) of x (n, m, T)');
  const step = resolvedIndex('setTimeStep', x.shape, t, 2);
  for (let i = 0; i < value.data.length; i++) x.data[i * steps + step] = value.data[i];
}

function sameShapeAs(a: Tensor, b: Tensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((dim, i) => dim === b.shape[i]);
}

/** The index of the largest of `length` values of `data` from `start`, `stride` apart; NaN wins, then the first maximum. */
function argmaxOf(data: Float64Array, start: number, length: number, stride: number): number {
  let best = 0;
  for (let k = 0; k < length; k++) {
    const value = data[start + k * stride];
    if (Number.isNaN(value)) return k;
    if (value > data[start + best * stride]) best = k;
  }
  return best;
}

/** Index `i` along `axis`, negative counting from the end; out of range is an error naming the shape. */
function resolvedIndex(where: string, shape: readonly number[], i: number, axis: number): number {
  const size = shape[axis];
  const resolved = i < 0 ? i + size : i;
  if (!Number.isInteger(i) || resolved < 0 || resolved >= size) {
    throw new RangeError(`${where}: index ${i} is out of range for axis ${axis} of size ${size} (shape ${formatShape(shape)})`);
  }
  return resolved;
}
