// Engine layer: the plain-TypeScript float64 arithmetic the reference kernels are made of — matrix product,
// bias broadcast and its gradient, a stable sigmoid. Used by kernels.ts and the cells' reference step kernels.

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

/** The reference matrix product: four loop orders, each reading memory in rows. */
export const typescriptGemm: Gemm = (m, n, k, a, transposeA, b, transposeB, c, accumulate) => {
  if (!accumulate) c.fill(0, 0, m * n);
  if (!transposeA && transposeB) {
    // C[i,j] += Σp A[i,p]·B[j,p]: both rows contiguous, a dot product per entry.
    for (let i = 0; i < m; i++) {
      const aRow = i * k;
      for (let j = 0; j < n; j++) {
        const bRow = j * k;
        let sum = 0;
        for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bRow + p];
        c[i * n + j] += sum;
      }
    }
  } else if (!transposeA && !transposeB) {
    // C[i,:] += A[i,p]·B[p,:]
    for (let i = 0; i < m; i++) {
      const cRow = i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[i * k + p];
        if (aip === 0) continue;
        const bRow = p * n;
        for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
      }
    }
  } else if (transposeA && !transposeB) {
    // C[i,:] += A[p,i]·B[p,:] (the weight gradient dW = dGatesᵀ·x)
    for (let p = 0; p < k; p++) {
      const aRow = p * m;
      const bRow = p * n;
      for (let i = 0; i < m; i++) {
        const api = a[aRow + i];
        if (api === 0) continue;
        const cRow = i * n;
        for (let j = 0; j < n; j++) c[cRow + j] += api * b[bRow + j];
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += a[p * m + i] * b[j * k + p];
        c[i * n + j] += sum;
      }
    }
  }
};

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
