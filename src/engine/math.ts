// Engine layer: the plain-TypeScript float64 arithmetic the cells, the time loop and the reference kernels are made
// of — matrix product, bias broadcast and its gradient, a stable sigmoid. Imports nothing.

/**
 * C ← A·B (or C ← C + A·B when `accumulate`), row-major, where A is m×k and B is k×n as *used*:
 * - `transposeA`: `a` is stored k×m and read as its transpose;
 * - `transposeB`: `b` is stored n×k and read as its transpose (the `x·Wᵀ` of every layer).
 */
export type Gemm = (
  m: number, n: number, k: number,
  a: Float64Array, transposeA: boolean,
  b: Float64Array, transposeB: boolean,
  c: Float64Array, accumulate: boolean,
) => void;

/**
 * The reference matrix product. Each case reads memory in rows and keeps a small block of sums in registers
 * (2 rows × 4 columns, or 2 rows × 4 terms), which is most of what plain JavaScript can do for speed.
 */
export const typescriptGemm: Gemm = (m, n, k, a, transposeA, b, transposeB, c, accumulate) => {
  if (!accumulate) c.fill(0, 0, m * n);
  if (transposeB) {
    if (transposeA) gemmTransposedBothNaive(m, n, k, a, b, c);
    else gemmTimesTransposed(m, n, k, a, b, c);
  } else {
    // A[i,p] lives at a[i·k + p], or at a[p·m + i] when A is stored transposed.
    if (transposeA) gemmRowUpdates(m, n, k, a, 1, m, b, c);
    else gemmRowUpdates(m, n, k, a, k, 1, b, c);
  }
};

/** C[i,j] += Σp A[i,p]·B[j,p] (x·Wᵀ): dot products of rows, two rows of A against four of B at a time. */
function gemmTimesTransposed(m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p];
        const x1 = a[a1 + p];
        const y0 = b[b0 + p];
        const y1 = b[b1 + p];
        const y2 = b[b2 + p];
        const y3 = b[b3 + p];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      const c0 = i * n + j;
      const c1 = c0 + n;
      c[c0] += s00; c[c0 + 1] += s01; c[c0 + 2] += s02; c[c0 + 3] += s03;
      c[c1] += s10; c[c1 + 1] += s11; c[c1 + 2] += s12; c[c1 + 3] += s13;
    }
    for (; j < n; j++) {
      const bRow = j * k;
      let s0 = 0;
      let s1 = 0;
      for (let p = 0; p < k; p++) {
        s0 += a[a0 + p] * b[bRow + p];
        s1 += a[a1 + p] * b[bRow + p];
      }
      c[i * n + j] += s0;
      c[(i + 1) * n + j] += s1;
    }
  }
  for (; i < m; i++) {
    const aRow = i * k;
    for (let j = 0; j < n; j++) {
      const bRow = j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bRow + p];
      c[i * n + j] += sum;
    }
  }
}

/**
 * C[i,:] += Σp A[i,p]·B[p,:] with A[i,p] = a[i·rowStride + p·termStride]: whole rows of B added into rows of C,
 * four terms p at a time, so each row of C is loaded and stored a quarter as often.
 */
function gemmRowUpdates(m: number, n: number, k: number, a: Float64Array, rowStride: number, termStride: number, b: Float64Array, c: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const cRow = i * n;
    const aRow = i * rowStride;
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const x0 = a[aRow + p * termStride];
      const x1 = a[aRow + (p + 1) * termStride];
      const x2 = a[aRow + (p + 2) * termStride];
      const x3 = a[aRow + (p + 3) * termStride];
      const r0 = p * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      for (let j = 0; j < n; j++) c[cRow + j] += x0 * b[r0 + j] + x1 * b[r1 + j] + x2 * b[r2 + j] + x3 * b[r3 + j];
    }
    for (; p < k; p++) {
      const x = a[aRow + p * termStride];
      const r = p * n;
      for (let j = 0; j < n; j++) c[cRow + j] += x * b[r + j];
    }
  }
}

/** C[i,j] += Σp A[p,i]·B[j,p] — no caller needs it fast. */
function gemmTransposedBothNaive(m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[p * m + i] * b[j * k + p];
      c[i * n + j] += sum;
    }
  }
}

/** Adds the bias row `bias` [n] to every row of `c` [m, n]. */
export function addRowBias(c: Float64Array, bias: Float64Array, m: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) c[row + j] += bias[j];
  }
}

/** Accumulates the column sums of `d` [m, n] into `biasGrad` [n] (the gradient of a broadcast bias). */
export function accumulateColumnSums(biasGrad: Float64Array, d: Float64Array, m: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) biasGrad[j] += d[row + j];
  }
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Index of the largest value (the first one on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}
