// Engine layer: the one array type of the engine — a shape over a flat row-major Float64Array — and its helpers.

/**
 * A dense row-major array of float64. Parameters, losses, optimizers, gradient checks and the reference kernels
 * compute in float64 (PyTorch parity to ~1e-12); training's recurrent layers and output head compute in float32
 * WebAssembly where it loads (`kernels.ts`), reading and writing these float64 arrays.
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

export function zeros(shape: readonly number[]): Tensor {
  return { shape: [...shape], data: new Float64Array(sizeOf(shape)) };
}

export function tensor(shape: readonly number[], values: ArrayLike<number>): Tensor {
  const size = sizeOf(shape);
  if (values.length !== size) throw new RangeError(`shape [${shape.join(', ')}] needs ${size} values, got ${values.length}`);
  return { shape: [...shape], data: Float64Array.from(values) };
}

/** Nested arrays (as JSON or numpy's `tolist()` gives them) to a tensor; ragged input is an error. */
export function fromNested(nested: unknown, what = 'array'): Tensor {
  const shape: number[] = [];
  let probe: unknown = nested;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const data = new Float64Array(sizeOf(shape));
  let offset = 0;
  const walk = (value: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof value !== 'number') throw new TypeError(`${what}${path} is ${JSON.stringify(value)}, not a number`);
      data[offset++] = value;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      throw new TypeError(`${what}${path} should be a list of ${shape[depth]}; the array is ragged or not an array`);
    }
    value.forEach((item, i) => walk(item, depth + 1, `${path}[${i}]`));
  };
  walk(nested, 0, '');
  return { shape, data };
}

/** A tensor to nested arrays (the inverse of `fromNested`). */
export function toNested(t: Tensor): unknown {
  if (t.shape.length === 0) return t.data[0];
  let offset = 0;
  const build = (depth: number): unknown => {
    const length = t.shape[depth];
    if (depth === t.shape.length - 1) {
      const row = Array.from(t.data.subarray(offset, offset + length));
      offset += length;
      return row;
    }
    return Array.from({ length }, () => build(depth + 1));
  };
  return build(0);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A shape as numpy prints a shape tuple: `(5, 10)`, `(3,)`, `()` — for the numpy-like `np` module and lesson checks. */
export function shapeTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Swaps the first two axes: [A, B, ...rest] → [B, A, ...rest] (time-major ⇄ batch-first). */
export function swapLeadingAxes(t: Tensor): Tensor {
  const [a, b, ...rest] = t.shape;
  const inner = sizeOf(rest);
  const out = new Float64Array(t.data.length);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      out.set(t.data.subarray((i * b + j) * inner, (i * b + j + 1) * inner), (j * a + i) * inner);
    }
  }
  return { shape: [b, a, ...rest], data: out };
}

/**
 * Euclidean norm of a flat range, scaled by its largest |value| as `Math.hypot` is: squared directly, values below
 * 1.5e-154 would read 0 (a vanishing ‖∂L/∂h⟨t⟩‖ far back in time) and above 1.3e154 Infinity.
 */
export function norm(data: Float64Array, start = 0, end = data.length): number {
  let largest = 0;
  for (let i = start; i < end; i++) largest = Math.max(largest, Math.abs(data[i]));
  const scale = largest > 0 && largest < Infinity ? largest : 1;   // NaN and Infinity pass through the sum
  let sum = 0;
  for (let i = start; i < end; i++) sum += (data[i] / scale) ** 2;
  return scale * Math.sqrt(sum);
}
