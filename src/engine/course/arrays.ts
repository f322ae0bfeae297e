// Engine layer (course API): the handful of numpy operations the course's week-1 assignments use, on feature-major
// 2-D and 3-D Tensors, and the shape checks that name the offending argument.
import type { RandomState } from '../random/randomState';
import { formatShape, sizeOf, type Tensor } from '../tensor';

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

/** `np.copy(a)`. */
export function copy(a: Tensor): Tensor {
  return { shape: [...a.shape], data: Float64Array.from(a.data) };
}

/** `np.dot(a, b)` for matrices: a [p, q] · b [q, r] → [p, r]. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const [p, q] = a.shape;
  const [q2, r] = b.shape;
  if (a.shape.length !== 2 || b.shape.length !== 2 || q !== q2) {
    throw new RangeError(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not multiply`);
  }
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
export function transpose(a: Tensor): Tensor {
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
export function plus(first: Tensor, ...rest: Tensor[]): Tensor {
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
export function times(first: Tensor, ...rest: Tensor[]): Tensor {
  const out = Float64Array.from(first.data);
  for (const term of rest) {
    if (!sameShapeAs(term, first)) throw new RangeError(`times: shapes ${formatShape(first.shape)} and ${formatShape(term.shape)} differ`);
    for (let i = 0; i < out.length; i++) out[i] *= term.data[i];
  }
  return { shape: [...first.shape], data: out };
}

/** `f(a)` elementwise. */
export function map(a: Tensor, f: (value: number) => number): Tensor {
  return { shape: [...a.shape], data: a.data.map(f) };
}

/** `np.tanh(a)`. */
export function tanh(a: Tensor): Tensor {
  return map(a, Math.tanh);
}

/** `np.sum(a, axis=1, keepdims=True)`: the row sums of a matrix as a column [n, 1] (a broadcast bias's gradient). */
export function sumColumns(a: Tensor): Tensor {
  const [rows, cols] = a.shape;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[i] += a.data[i * cols + j];
  }
  return { shape: [rows, 1], data: out };
}

/** `target += source`, in place (gradients are accumulated). */
export function accumulate(target: Tensor, source: Tensor): void {
  if (!sameShapeAs(target, source)) throw new RangeError(`accumulate: shapes ${formatShape(target.shape)} and ${formatShape(source.shape)} differ`);
  for (let i = 0; i < target.data.length; i++) target.data[i] += source.data[i];
}

/** `np.concatenate((top, bottom), axis=0)` for matrices with the same number of columns. */
export function concatRows(top: Tensor, bottom: Tensor): Tensor {
  if (top.shape[1] !== bottom.shape[1]) throw new RangeError(`concatRows: ${formatShape(top.shape)} and ${formatShape(bottom.shape)} have different column counts`);
  const out = new Float64Array(top.data.length + bottom.data.length);
  out.set(top.data);
  out.set(bottom.data, top.data.length);
  return { shape: [top.shape[0] + bottom.shape[0], top.shape[1]], data: out };
}

/** `a[start:end, :]`, a copy. */
export function rows(a: Tensor, start: number, end: number): Tensor {
  const cols = a.shape[1];
  return { shape: [end - start, cols], data: a.data.slice(start * cols, end * cols) };
}

/** `x[:, :, t]` of a 3-D array [n, m, T]: a copy [n, m]. */
export function timeStep(x: Tensor, t: number): Tensor {
  const [n, m, steps] = x.shape;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n * m; i++) out[i] = x.data[i * steps + t];
  return { shape: [n, m], data: out };
}

/** `x[:, :, t] = value` for a 3-D array [n, m, T] and a matrix [n, m]. */
export function setTimeStep(x: Tensor, t: number, value: Tensor): void {
  const steps = x.shape[2];
  for (let i = 0; i < value.data.length; i++) x.data[i * steps + t] = value.data[i];
}

function sameShapeAs(a: Tensor, b: Tensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((dim, i) => dim === b.shape[i]);
}

/**
 * Checks one argument of a course function: `expected` holds sizes (or `null` where any size is accepted) and
 * `meaning` the course's names for them, e.g. `expectShape('rnnCellForward', 'Wax', Wax, [5, 3], '(n_a, n_x)')`.
 * The error names the function, the argument, its shape and the expected shape.
 */
export function expectShape(where: string, name: string, value: Tensor | undefined, expected: readonly (number | null)[], meaning: string): void {
  if (value === undefined || value === null || !Array.isArray(value.shape) || !(value.data instanceof Float64Array)) {
    throw new TypeError(`${where}: ${name} is missing or not a Tensor (expected shape ${meaning})`);
  }
  const fits = value.shape.length === expected.length && expected.every((dim, i) => dim === null || dim === value.shape[i]);
  if (!fits) {
    const wanted = `[${expected.map((dim) => (dim === null ? '*' : String(dim))).join(', ')}]`;
    throw new RangeError(`${where}: ${name} has shape ${formatShape(value.shape)}, expected ${meaning} = ${wanted}`);
  }
  if (value.data.length !== sizeOf(value.shape)) {
    throw new RangeError(`${where}: ${name} has shape ${formatShape(value.shape)} but ${value.data.length} values`);
  }
}
