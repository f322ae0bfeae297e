// The float32 WebAssembly SIMD kernels of the engine (AssemblyScript; built by scripts/buildWasm.mjs into
// src/engine/wasm/kernelsWasm.ts). They compute exactly what src/engine/cells/*.ts compute in float64 — read those
// for the equations — over one direction of one layer at a time, with every array in the shared memory described by
// a layer descriptor (src/engine/wasm/descriptor.ts). Nothing here allocates.
//
// Each phase takes (descriptor, part, parts, slot) and does part `part` of `parts` of the work, so threads can share a
// phase out part by part, in any order: the time loops split the batch rows (rows never interact inside a layer), the
// weight gradients split the gate rows; every result is computed whole by one part, so it is the same bit for bit
// however the parts are shared out. `slot` (< MAX_PARTS) is the thread running the part: its own work space.
import {
  CELL_GRU_RESET_AFTER, CELL_GRU_RESET_BEFORE, CELL_LSTM, CELL_RNN_RELU, MAX_PARTS, PACK_TERMS, WEIGHT_ROW_PAD, D_PACK,
  D_B_HH, D_B_IH, D_BATCH, D_CELL, D_CELLS, D_C_NORMS, D_D_OUTPUTS, D_DB_HH, D_DB_IH, D_DC, D_DC0, D_DC_FINAL, D_DH, D_DH0,
  D_DH_FINAL, D_DH_PROJECTION, D_DW_HH, D_DW_IH, D_DX, D_DX_PROJECTION, D_GATES, D_GATE_STATS, D_H_NORMS, D_HIDDEN, D_INPUT,
  D_REVERSE, D_ROW_SCALES, D_SCRATCH, D_STATES, D_STEPS, D_W_HH, D_W_HH_T, D_W_IH, D_W_IH_T, D_X, D_X_PROJECTION,
} from '../src/engine/wasm/descriptor';

// ---------------------------------------------------------------------------------------------------------------
// The matrix product

/** Terms (rows of B) and columns of B per pass over C: a 64 × 512 panel of B (128 KB) stays in the core's L2 cache. */
const KC: i32 = PACK_TERMS;
const NC: i32 = 512;

/**
 * C (+)= A·B with C [m, n] (row stride ldc), B [k, n] (row stride ldb) and A[i, p] at a[i·rsA + p·csA] — so A can be
 * read as stored (rsA = k, csA = 1) or as the transpose of a [k, m] array (rsA = 1, csA = m). Pointers are byte
 * offsets. Blocks of 4 rows × 8 columns of C are held in registers while p runs.
 */
export function gemm(m: i32, n: i32, k: i32, a: usize, rsA: i32, csA: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32): void {
  if (!accumulate) {
    for (let i = 0; i < m; i++) memory.fill(c + ((<usize>(i * ldc)) << 2), 0, (<usize>n) << 2);
  }
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const aBlock = a + ((<usize>(p0 * csA)) << 2);
    for (let j0 = 0; j0 < n; j0 += NC) {
      panel(m, min(NC, n - j0), kc, aBlock, rsA, csA, b + ((<usize>(p0 * ldb + j0)) << 2), ldb, c + ((<usize>j0) << 2), ldc);
    }
  }
}

/**
 * C = Aᵀ·B for A stored [k, m] (row stride lda): the weight gradients, summed over all T·B rows. Each block of KC rows
 * of A is first copied transposed into `pack` [m, KC] — read in place, A's power-of-two row stride would map the
 * rows a tile walks onto a handful of cache sets.
 */
export function gemmTransposedA(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, pack: usize): void {
  for (let i = 0; i < m; i++) memory.fill(c + ((<usize>(i * ldc)) << 2), 0, (<usize>n) << 2);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    transposeInto(m, kc, a + ((<usize>(p0 * lda)) << 2), lda, pack, kc);
    for (let j0 = 0; j0 < n; j0 += NC) {
      panel(m, min(NC, n - j0), kc, pack, kc, 1, b + ((<usize>(p0 * ldb + j0)) << 2), ldb, c + ((<usize>j0) << 2), ldc);
    }
  }
}

/**
 * out [m, kc] (row stride ldo) = the transpose of a [kc, m] (row stride lda), four by four through SIMD shuffles: the
 * packing of the weight-gradient products (ldo = kc) and, in row bands, the transposed weight copies.
 */
function transposeInto(m: i32, kc: i32, a: usize, lda: i32, pack: usize, ldo: i32): void {
  const rowBytes = (<usize>lda) << 2;
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    const r = a + (<usize>p) * rowBytes;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const o = (<usize>i) << 2;
      const r0 = v128.load(r + o);
      const r1 = v128.load(r + rowBytes + o);
      const r2 = v128.load(r + 2 * rowBytes + o);
      const r3 = v128.load(r + 3 * rowBytes + o);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const out = pack + ((<usize>(i * ldo + p)) << 2);
      const column = (<usize>ldo) << 2;
      v128.store(out, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      v128.store(out + column, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
      v128.store(out + 2 * column, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
      v128.store(out + 3 * column, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
    }
    for (; i < m; i++) {
      for (let q = 0; q < 4; q++) store<f32>(pack + ((<usize>(i * ldo + p + q)) << 2), load<f32>(r + (<usize>q) * rowBytes + ((<usize>i) << 2)));
    }
  }
  for (; p < kc; p++) {
    const row = a + (<usize>p) * rowBytes;
    for (let i = 0; i < m; i++) store<f32>(pack + ((<usize>(i * ldo + p)) << 2), load<f32>(row + ((<usize>i) << 2)));
  }
}

/** One kc × nc panel of B against all rows of A: C[:, panel] += A[:, block]·B[block, panel]. */
function panel(m: i32, n: i32, kc: i32, aBlock: usize, rsA: i32, csA: i32, bBlock: usize, ldb: i32, c: usize, ldc: i32): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const aRows = aBlock + ((<usize>(i * rsA)) << 2);
    const cRows = c + ((<usize>(i * ldc)) << 2);
    let j = 0;
    for (; j + 8 <= n; j += 8) tile4x8(kc, aRows, rsA, csA, bBlock + ((<usize>j) << 2), ldb, cRows + ((<usize>j) << 2), ldc);
    for (; j + 4 <= n; j += 4) tile4x4(kc, aRows, rsA, csA, bBlock + ((<usize>j) << 2), ldb, cRows + ((<usize>j) << 2), ldc);
    for (; j < n; j++) {
      for (let r = 0; r < 4; r++) dotColumn(kc, aRows + ((<usize>(r * rsA)) << 2), csA, bBlock + ((<usize>j) << 2), ldb, cRows + ((<usize>(r * ldc + j)) << 2));
    }
  }
  for (; i < m; i++) {
    const aRow = aBlock + ((<usize>(i * rsA)) << 2);
    const cRow = c + ((<usize>(i * ldc)) << 2);
    let j = 0;
    for (; j + 8 <= n; j += 8) tile1x8(kc, aRow, csA, bBlock + ((<usize>j) << 2), ldb, cRow + ((<usize>j) << 2));
    for (; j + 4 <= n; j += 4) tile1x4(kc, aRow, csA, bBlock + ((<usize>j) << 2), ldb, cRow + ((<usize>j) << 2));
    for (; j < n; j++) dotColumn(kc, aRow, csA, bBlock + ((<usize>j) << 2), ldb, cRow + ((<usize>j) << 2));
  }
}

// @ts-ignore: decorator
@inline function tile4x8(kc: i32, a: usize, rsA: i32, csA: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const r1 = (<usize>rsA) << 2;
  const c1 = (<usize>ldc) << 2;
  const aStep = (<usize>csA) << 2;
  const bStep = (<usize>ldb) << 2;
  let c00 = v128.load(c), c01 = v128.load(c, 16);
  let c10 = v128.load(c + c1), c11 = v128.load(c + c1, 16);
  let c20 = v128.load(c + 2 * c1), c21 = v128.load(c + 2 * c1, 16);
  let c30 = v128.load(c + 3 * c1), c31 = v128.load(c + 3 * c1, 16);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const a0 = v128.load32_splat(a);
    const a1 = v128.load32_splat(a + r1);
    const a2 = v128.load32_splat(a + 2 * r1);
    const a3 = v128.load32_splat(a + 3 * r1);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    a += aStep;
    b += bStep;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + c1, c10); v128.store(c + c1, c11, 16);
  v128.store(c + 2 * c1, c20); v128.store(c + 2 * c1, c21, 16);
  v128.store(c + 3 * c1, c30); v128.store(c + 3 * c1, c31, 16);
}

// @ts-ignore: decorator
@inline function tile4x4(kc: i32, a: usize, rsA: i32, csA: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const r1 = (<usize>rsA) << 2;
  const c1 = (<usize>ldc) << 2;
  const aStep = (<usize>csA) << 2;
  const bStep = (<usize>ldb) << 2;
  let c0 = v128.load(c), c1v = v128.load(c + c1), c2 = v128.load(c + 2 * c1), c3 = v128.load(c + 3 * c1);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a), b0));
    c1v = f32x4.add(c1v, f32x4.mul(v128.load32_splat(a + r1), b0));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(a + 2 * r1), b0));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(a + 3 * r1), b0));
    a += aStep;
    b += bStep;
  }
  v128.store(c, c0); v128.store(c + c1, c1v); v128.store(c + 2 * c1, c2); v128.store(c + 3 * c1, c3);
}

// @ts-ignore: decorator
@inline function tile1x8(kc: i32, a: usize, csA: i32, b: usize, ldb: i32, c: usize): void {
  const aStep = (<usize>csA) << 2;
  const bStep = (<usize>ldb) << 2;
  let c0 = v128.load(c), c1 = v128.load(c, 16);
  for (let p = 0; p < kc; p++) {
    const x = v128.load32_splat(a);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b)));
    c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 16)));
    a += aStep;
    b += bStep;
  }
  v128.store(c, c0); v128.store(c, c1, 16);
}

// @ts-ignore: decorator
@inline function tile1x4(kc: i32, a: usize, csA: i32, b: usize, ldb: i32, c: usize): void {
  const aStep = (<usize>csA) << 2;
  const bStep = (<usize>ldb) << 2;
  let c0 = v128.load(c);
  for (let p = 0; p < kc; p++) {
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a), v128.load(b)));
    a += aStep;
    b += bStep;
  }
  v128.store(c, c0);
}

/** One element: c += Σp a[p·csA]·b[p·ldb]. */
// @ts-ignore: decorator
@inline function dotColumn(kc: i32, a: usize, csA: i32, b: usize, ldb: i32, c: usize): void {
  const aStep = (<usize>csA) << 2;
  const bStep = (<usize>ldb) << 2;
  let sum = load<f32>(c);
  for (let p = 0; p < kc; p++) {
    sum += load<f32>(a) * load<f32>(b);
    a += aStep;
    b += bStep;
  }
  store<f32>(c, sum);
}

/** out[j] (+)= Σ_r d[r·ld + j] for j in [j0, j1): the gradient of a bias added to every row. */
function columnSums(rows: i32, d: usize, ld: i32, j0: i32, j1: i32, out: usize): void {
  for (let j = j0; j < j1; j++) store<f32>(out + ((<usize>j) << 2), 0);
  const rowBytes = (<usize>ld) << 2;
  for (let r = 0; r < rows; r++) {
    const row = d + (<usize>r) * rowBytes;
    let j = j0;
    for (; j + 4 <= j1; j += 4) {
      const o = out + ((<usize>j) << 2);
      v128.store(o, f32x4.add(v128.load(o), v128.load(row + ((<usize>j) << 2))));
    }
    for (; j < j1; j++) {
      const o = out + ((<usize>j) << 2);
      store<f32>(o, load<f32>(o) + load<f32>(row + ((<usize>j) << 2)));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Activations, four at a time. exp is Cephes' expf (range reduction to [−ln2/2, ln2/2], degree-5 polynomial, ~1 ulp);
// NaN goes in, NaN comes out, so a diverging run is still seen as one.

// @ts-ignore: decorator
@inline function expV(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

// @ts-ignore: decorator
@inline function sigmoidV(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, expV(f32x4.neg(x))));
}

/**
 * tanh as Eigen computes it in float32: an odd [13/6] rational function of x on [−7.9053, 7.9053] (tanh is ±1 to
 * float32 beyond), no exp, one division; within 3.3e-7 of tanh everywhere (checked against Math.tanh in steps of
 * 1e-4 over [−20, 20]). NaN goes in, NaN comes out.
 */
// @ts-ignore: decorator
@inline function tanhV(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-7.90531110763549805)), f32x4.splat(7.90531110763549805));
  const x2 = f32x4.mul(x, x);
  let p = f32x4.splat(-2.76076847742355e-16);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.00018790482477e-13));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-8.60467152213735e-11));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(5.12229709037114e-08));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(1.48572235717979e-05));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(6.37261928875436e-04));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(4.89352455891786e-03));
  let q = f32x4.splat(1.19825839466702e-06);
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(1.18534705686654e-04));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(2.26843463243900e-03));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(4.89352518554385e-03));
  return f32x4.div(f32x4.mul(x, p), q);
}

// ---------------------------------------------------------------------------------------------------------------
// Descriptor access and the shared shapes of a layer

// @ts-ignore: decorator
@inline function word(d: usize, field: i32): i32 {
  return load<i32>(d + ((<usize>field) << 2));
}

// @ts-ignore: decorator
@inline function at(d: usize, field: i32): usize {
  return <usize>load<i32>(d + ((<usize>field) << 2));
}

/** Float32 element `index` of the array in `field`, as a byte offset. */
// @ts-ignore: decorator
@inline function f32At(d: usize, field: i32, index: i32): usize {
  return at(d, field) + ((<usize>index) << 2);
}

/** Float64 element `index` of the array in `field`, as a byte offset. */
// @ts-ignore: decorator
@inline function f64At(d: usize, field: i32, index: i32): usize {
  return at(d, field) + ((<usize>index) << 3);
}

/** The row stride, in floats, of a float32 weight copy with n columns (descriptor.ts: WEIGHT_ROW_PAD). */
// @ts-ignore: decorator
@inline function weightStride(n: i32): i32 {
  return n + WEIGHT_ROW_PAD;
}

function gateCount(cell: i32): i32 {
  return cell == CELL_LSTM ? 4 : cell >= CELL_GRU_RESET_AFTER ? 3 : 1;
}

/** Width of a row of D_GATES: the activated gates plus one cached vector for a GRU. */
function gatesWidth(cell: i32, H: i32): i32 {
  return cell == CELL_LSTM || cell >= CELL_GRU_RESET_AFTER ? 4 * H : H;
}

/** [from, to) of `count` items for `part` of `parts`, in multiples of `unit` where possible. */
function shareStart(count: i32, part: i32, parts: i32, unit: i32): i32 {
  if (part == 0) return 0;
  if (part >= parts) return count;
  const share = (count + parts - 1) / parts;
  const rounded = (share + unit - 1) / unit * unit;
  return min(count, rounded * part);
}

/** Where the statistics of (t, gate, batch row b) go: per row, so they add up the same however rows were shared out. */
// @ts-ignore: decorator
@inline function statsAt(d: usize, B: i32, gates: i32, t: i32, gate: i32, b: i32): usize {
  return at(d, D_GATE_STATS) + ((<usize>((((t * gates) + gate) * B + b) * 2)) << 3);
}

/** The gate's activations at [values, values + H): their sum and how many are saturated, stored at `address`. */
function gateStats(address: usize, values: usize, H: i32, activation: i32): void {
  // activation: 0 sigmoid (flat below 0.05 or above 0.95), 1 tanh (|v| > 0.95), 2 relu (v = 0)
  let sum = f32x4.splat(0);
  let flat = i32x4.splat(0);
  let j = 0;
  for (; j + 4 <= H; j += 4) {
    const v = v128.load(values + ((<usize>j) << 2));
    sum = f32x4.add(sum, v);
    let mask: v128;
    if (activation == 0) mask = v128.or(f32x4.lt(v, f32x4.splat(0.05)), f32x4.gt(v, f32x4.splat(0.95)));
    else if (activation == 1) mask = f32x4.gt(f32x4.abs(v), f32x4.splat(0.95));
    else mask = f32x4.eq(v, f32x4.splat(0));
    flat = i32x4.sub(flat, mask);
  }
  let total = <f64>f32x4.extract_lane(sum, 0) + <f64>f32x4.extract_lane(sum, 1) + <f64>f32x4.extract_lane(sum, 2) + <f64>f32x4.extract_lane(sum, 3);
  let count = i32x4.extract_lane(flat, 0) + i32x4.extract_lane(flat, 1) + i32x4.extract_lane(flat, 2) + i32x4.extract_lane(flat, 3);
  for (; j < H; j++) {
    const v = load<f32>(values + ((<usize>j) << 2));
    total += <f64>v;
    if (activation == 0 ? v < 0.05 || v > 0.95 : activation == 1 ? Mathf.abs(v) > 0.95 : v == 0) count++;
  }
  store<f64>(address, total);
  store<f64>(address + 8, <f64>count);
}

/** ‖v‖ of n floats, squared and summed in float64: a float32 square is subnormal below 1.1e-19, 0 below 2.6e-23 and infinite above 1.8e19. */
function rowNorm(values: usize, n: i32): f64 {
  let low = f64x2.splat(0);
  let high = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const v = v128.load(values + ((<usize>j) << 2));
    const first = f64x2.promote_low_f32x4(v);
    const second = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    low = f64x2.add(low, f64x2.mul(first, first));
    high = f64x2.add(high, f64x2.mul(second, second));
  }
  let total = f64x2.extract_lane(low, 0) + f64x2.extract_lane(low, 1) + f64x2.extract_lane(high, 0) + f64x2.extract_lane(high, 1);
  for (; j < n; j++) {
    const v = <f64>load<f32>(values + ((<usize>j) << 2));
    total += v * v;
  }
  return Math.sqrt(total);
}

/** The largest |v| of n floats (NaN if one is NaN). */
function maxAbs(values: usize, n: i32): f32 {
  let largest = f32x4.splat(0);
  for (let j = 0; j < n; j += 4) largest = f32x4.max(largest, f32x4.abs(loadN(values + ((<usize>j) << 2), n - j)));
  return max(max(f32x4.extract_lane(largest, 0), f32x4.extract_lane(largest, 1)), max(f32x4.extract_lane(largest, 2), f32x4.extract_lane(largest, 3)));
}

/** e such that v·2^−e lies in [1, 2), for v > 0 (subnormal float32 values too: read as float64). */
// @ts-ignore: decorator
@inline function exponentOf(v: f32): i32 {
  return <i32>((reinterpret<u64>(<f64>v) >> 52) & 0x7ff) - 1023;
}

/** 2^e as a float64 (0 below 2^−1074). */
function powerOfTwo(e: i32): f64 {
  if (e >= -1022) return reinterpret<f64>((<u64>(e + 1023)) << 52);
  if (e >= -1074) return reinterpret<f64>((<u64>1) << (<u64>(e + 1074)));
  return 0;
}

/** v·2^−k, for a float64 v and any k ≥ 0 (2^−k alone leaves float64's range above k = 1074). */
// @ts-ignore: decorator
@inline function withoutScale(v: f64, k: i32): f64 {
  const first = min(k, 1000);
  return v * powerOfTwo(-first) * powerOfTwo(first - k);
}

/** Multiplies n floats by a power of two (through float64, so rounded once). */
function scaleRow(values: usize, n: i32, factor: f64): void {
  for (let j = 0; j < n; j++) {
    const p = values + ((<usize>j) << 2);
    store<f32>(p, <f32>(<f64>load<f32>(p) * factor));
  }
}

/** Loads four floats, or fewer at the end of a row (the rest zero), so the activations have one vector path. */
// @ts-ignore: decorator
@inline function loadN(address: usize, count: i32): v128 {
  if (count >= 4) return v128.load(address);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(address));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(address, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(address, 8));
  return v;
}

// @ts-ignore: decorator
@inline function storeN(address: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(address, v);
    return;
  }
  store<f32>(address, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(address, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(address, f32x4.extract_lane(v, 2), 8);
}

// ---------------------------------------------------------------------------------------------------------------
// Forward

/** Phase 1: x·W_ihᵀ + b_ih for all T·B rows at once; the part does its share of the rows. */
export function forwardProjection(d: usize, part: i32, parts: i32, slot: i32): void {
  const cell = word(d, D_CELL);
  const rows = word(d, D_STEPS) * word(d, D_BATCH);
  const I = word(d, D_INPUT);
  const G = gateCount(cell) * word(d, D_HIDDEN);
  const r0 = shareStart(rows, part, parts, 4);
  const r1 = shareStart(rows, part + 1, parts, 4);
  if (r1 <= r0) return;
  const out = f32At(d, D_X_PROJECTION, r0 * G);
  gemm(r1 - r0, G, I, f32At(d, D_X, r0 * I), I, 1, at(d, D_W_IH_T), weightStride(G), out, G, 0);
  const bias = at(d, D_B_IH);
  for (let r = 0; r < r1 - r0; r++) {
    const row = out + ((<usize>(r * G)) << 2);
    let j = 0;
    for (; j + 4 <= G; j += 4) v128.store(row + ((<usize>j) << 2), f32x4.add(v128.load(row + ((<usize>j) << 2)), v128.load(bias + ((<usize>j) << 2))));
    for (; j < G; j++) store<f32>(row + ((<usize>j) << 2), load<f32>(row + ((<usize>j) << 2)) + load<f32>(bias + ((<usize>j) << 2)));
  }
}

/** Phase 2: the time loop over the part's batch rows. */
export function forwardSteps(d: usize, part: i32, parts: i32, slot: i32): void {
  const cell = word(d, D_CELL);
  const T = word(d, D_STEPS);
  const B = word(d, D_BATCH);
  const H = word(d, D_HIDDEN);
  const reverse = word(d, D_REVERSE);
  const gates = gateCount(cell);
  const G = gates * H;
  const W = gatesWidth(cell, H);
  const b0 = shareStart(B, part, parts, 1);
  const b1 = shareStart(B, part + 1, parts, 1);
  if (b1 <= b0) return;
  const rows = b1 - b0;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const previous = reverse ? t + 1 : t;
    const next = reverse ? t : t + 1;
    const hPrev = f32At(d, D_STATES, (previous * B + b0) * H);
    const h = f32At(d, D_STATES, (next * B + b0) * H);
    const x = f32At(d, D_X_PROJECTION, (t * B + b0) * G);
    if (cell == CELL_LSTM) {
      const g = f32At(d, D_GATES, (t * B + b0) * W);
      if (g != x) memory.copy(g, x, (<usize>(rows * G)) << 2);   // the layer may project straight into the gates
      gemm(rows, G, H, hPrev, H, 1, at(d, D_W_HH_T), weightStride(G), g, G, 1);
      lstmGates(d, B, b0, t, rows, H, g, f32At(d, D_CELLS, (previous * B + b0) * H), f32At(d, D_CELLS, (next * B + b0) * H), h);
    } else if (cell >= CELL_GRU_RESET_AFTER) {
      gruStep(d, B, b0, cell, t, rows, H, x, hPrev, f32At(d, D_GATES, (t * B + b0) * W), f32At(d, D_SCRATCH, b0 * 4 * H), h);
    } else {
      if (h != x) memory.copy(h, x, (<usize>(rows * H)) << 2);   // or into the states
      gemm(rows, H, H, hPrev, H, 1, at(d, D_W_HH_T), weightStride(H), h, H, 1);
      rnnActivation(d, B, b0, cell, t, rows, H, h);
    }
  }
}

function rnnActivation(d: usize, B: i32, b0: i32, cell: i32, t: i32, rows: i32, H: i32, h: usize): void {
  const bias = at(d, D_B_HH);
  const relu = cell == CELL_RNN_RELU;
  for (let r = 0; r < rows; r++) {
    const row = h + ((<usize>(r * H)) << 2);
    for (let j = 0; j < H; j += 4) {
      const n = H - j;
      const o = (<usize>j) << 2;
      const pre = f32x4.add(loadN(row + o, n), loadN(bias + o, n));
      storeN(row + o, relu ? f32x4.max(pre, f32x4.splat(0)) : tanhV(pre), n);
    }
    gateStats(statsAt(d, B, 1, t, 0, b0 + r), row, H, relu ? 2 : 1);
  }
}

/** i f g o from their pre-activations in `g` (written back activated); c = f⊙c_prev + i⊙g; h = o⊙tanh(c). */
function lstmGates(d: usize, B: i32, b0: i32, t: i32, rows: i32, H: i32, g: usize, cPrev: usize, c: usize, h: usize): void {
  const bias = at(d, D_B_HH);
  const G = 4 * H;
  const hBytes = (<usize>H) << 2;
  for (let r = 0; r < rows; r++) {
    const row = g + ((<usize>(r * G)) << 2);
    const k = (<usize>(r * H)) << 2;
    for (let j = 0; j < H; j += 4) {
      const n = H - j;
      const o = (<usize>j) << 2;
      const i = sigmoidV(f32x4.add(loadN(row + o, n), loadN(bias + o, n)));
      const f = sigmoidV(f32x4.add(loadN(row + hBytes + o, n), loadN(bias + hBytes + o, n)));
      const gg = tanhV(f32x4.add(loadN(row + 2 * hBytes + o, n), loadN(bias + 2 * hBytes + o, n)));
      const out = sigmoidV(f32x4.add(loadN(row + 3 * hBytes + o, n), loadN(bias + 3 * hBytes + o, n)));
      storeN(row + o, i, n);
      storeN(row + hBytes + o, f, n);
      storeN(row + 2 * hBytes + o, gg, n);
      storeN(row + 3 * hBytes + o, out, n);
      const cv = f32x4.add(f32x4.mul(f, loadN(cPrev + k + o, n)), f32x4.mul(i, gg));
      const tc = tanhV(cv);
      storeN(c + k + o, cv, n);
      storeN(h + k + o, f32x4.mul(out, tc), n);
    }
    gateStats(statsAt(d, B, 4, t, 0, b0 + r), row, H, 0);
    gateStats(statsAt(d, B, 4, t, 1, b0 + r), row + hBytes, H, 0);
    gateStats(statsAt(d, B, 4, t, 2, b0 + r), row + 2 * hBytes, H, 1);
    gateStats(statsAt(d, B, 4, t, 3, b0 + r), row + 3 * hBytes, H, 0);
  }
}

/**
 * One GRU step over `rows` rows. Gate rows hold r, z, n and a fourth vector: h_prev·W_hnᵀ + b_hn (reset after) or
 * r ⊙ h_prev (reset before), which backward needs.
 */
function gruStep(d: usize, B: i32, b0: i32, cell: i32, t: i32, rows: i32, H: i32, x: usize, hPrev: usize, g: usize, scratch: usize, h: usize): void {
  const bias = at(d, D_B_HH);
  const G = 3 * H;
  const W = 4 * H;
  const hBytes = (<usize>H) << 2;
  const after = cell == CELL_GRU_RESET_AFTER;
  const recurrentRows = after ? G : 2 * H;
  // scratch rows [rows, 4H]: h_prev·W_hhᵀ for r, z (and n when after); (r⊙h_prev)·W_hnᵀ in the fourth block (before)
  gemm(rows, recurrentRows, H, hPrev, H, 1, at(d, D_W_HH_T), weightStride(G), scratch, W, 0);
  for (let r = 0; r < rows; r++) {
    const xRow = x + ((<usize>(r * G)) << 2);
    const sRow = scratch + ((<usize>(r * W)) << 2);
    const gRow = g + ((<usize>(r * W)) << 2);
    const hRow = hPrev + ((<usize>(r * H)) << 2);
    for (let j = 0; j < H; j += 4) {
      const n = H - j;
      const o = (<usize>j) << 2;
      const rv = sigmoidV(f32x4.add(f32x4.add(loadN(xRow + o, n), loadN(sRow + o, n)), loadN(bias + o, n)));
      const zv = sigmoidV(f32x4.add(f32x4.add(loadN(xRow + hBytes + o, n), loadN(sRow + hBytes + o, n)), loadN(bias + hBytes + o, n)));
      storeN(gRow + o, rv, n);
      storeN(gRow + hBytes + o, zv, n);
      if (after) storeN(gRow + 3 * hBytes + o, f32x4.add(loadN(sRow + 2 * hBytes + o, n), loadN(bias + 2 * hBytes + o, n)), n);   // h_prev·W_hnᵀ + b_hn
      else storeN(gRow + 3 * hBytes + o, f32x4.mul(rv, loadN(hRow + o, n)), n);                                                    // r ⊙ h_prev
    }
  }
  if (!after) {
    // (r ⊙ h_prev)·W_hnᵀ: the product needs r, so it comes second.
    gemm(rows, H, H, g + 3 * hBytes, W, 1, at(d, D_W_HH_T) + 2 * hBytes, weightStride(G), scratch + 3 * hBytes, W, 0);
  }
  for (let r = 0; r < rows; r++) {
    const xRow = x + ((<usize>(r * G)) << 2);
    const sRow = scratch + ((<usize>(r * W)) << 2);
    const gRow = g + ((<usize>(r * W)) << 2);
    const hRow = hPrev + ((<usize>(r * H)) << 2);
    const outRow = h + ((<usize>(r * H)) << 2);
    for (let j = 0; j < H; j += 4) {
      const n = H - j;
      const o = (<usize>j) << 2;
      const recurrent = after
        ? f32x4.mul(loadN(gRow + o, n), loadN(gRow + 3 * hBytes + o, n))                     // r ⊙ (h_prev·W_hnᵀ + b_hn)
        : f32x4.add(loadN(sRow + 3 * hBytes + o, n), loadN(bias + 2 * hBytes + o, n));     // (r ⊙ h_prev)·W_hnᵀ + b_hn
      const nv = tanhV(f32x4.add(loadN(xRow + 2 * hBytes + o, n), recurrent));
      storeN(gRow + 2 * hBytes + o, nv, n);
      const zv = loadN(gRow + hBytes + o, n);
      const hp = loadN(hRow + o, n);
      storeN(outRow + o, f32x4.add(nv, f32x4.mul(zv, f32x4.sub(hp, nv))), n);            // h = (1 − z) ⊙ n + z ⊙ h_prev
    }
    gateStats(statsAt(d, B, 3, t, 0, b0 + r), gRow, H, 0);
    gateStats(statsAt(d, B, 3, t, 1, b0 + r), gRow + hBytes, H, 0);
    gateStats(statsAt(d, B, 3, t, 2, b0 + r), gRow + 2 * hBytes, H, 1);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Backward

/**
 * Phase 1: backpropagation through time over the part's batch rows; writes the pre-activation gradients of every step.
 *
 * ∂L/∂h⟨t⟩ of a tanh RNN shrinks geometrically going back in time and would leave float32's range (below 1.4e-45)
 * after a few hundred steps, so the chart of ‖∂L/∂h⟨t⟩‖ would read 0 where it is not. The backward is linear in the
 * gradients it carries (dh, and dc for the LSTM), so each batch row carries them multiplied by 2^k, its own exponent
 * k ≥ 0 in D_ROW_SCALES: raised when the row's largest value falls below 2^−32, lowered again (never below 0) when it
 * grows past 2^32 or the loss adds to it. Multiplying by a power of two is exact, so wherever float32 would not have
 * underflowed the results are bit for bit those of an unscaled backward; each step's gate gradients are scaled back by
 * 2^−k before the weight gradients sum them (what float32 cannot hold of them is below 1e-38 and vanishes there, as it
 * should), and the norms are recorded in float64 as ‖row‖·2^−k.
 */
export function backwardSteps(d: usize, part: i32, parts: i32, slot: i32): void {
  const cell = word(d, D_CELL);
  const T = word(d, D_STEPS);
  const B = word(d, D_BATCH);
  const H = word(d, D_HIDDEN);
  const reverse = word(d, D_REVERSE);
  const G = gateCount(cell) * H;
  const W = gatesWidth(cell, H);
  const lstm = cell == CELL_LSTM;
  const b0 = shareStart(B, part, parts, 1);
  const b1 = shareStart(B, part + 1, parts, 1);
  if (b1 <= b0) return;
  const rows = b1 - b0;
  const span = (<usize>(rows * H)) << 2;
  const half = (<usize>(B * H)) << 2;
  const hBytes = (<usize>H) << 2;
  let dh = f32At(d, D_DH, b0 * H);
  let dhPrev = dh + half;
  let dc = lstm ? f32At(d, D_DC, b0 * H) : 0;
  let dcPrev = lstm ? dc + half : 0;
  const scales = f32At(d, D_ROW_SCALES, b0);   // i32 per row: the exponent k of the row's scale 2^k
  memory.fill(scales, 0, (<usize>rows) << 2);
  if (at(d, D_DH_FINAL)) memory.copy(dh, f32At(d, D_DH_FINAL, b0 * H), span);
  else memory.fill(dh, 0, span);
  if (lstm) {
    if (at(d, D_DC_FINAL)) memory.copy(dc, f32At(d, D_DC_FINAL, b0 * H), span);
    else memory.fill(dc, 0, span);
  }
  const dOutputs = at(d, D_D_OUTPUTS);
  const separateDhProjection = at(d, D_DH_PROJECTION) != at(d, D_DX_PROJECTION);
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const previous = reverse ? t + 1 : t;
    const next = reverse ? t : t + 1;
    if (dOutputs) {
      const from = dOutputs + ((<usize>((t * B + b0) * H)) << 2);
      for (let r = 0; r < rows; r++) {
        const k = (<usize>(r * H)) << 2;
        addLossGradient(dh + k, lstm ? dc + k : 0, from + k, H, scales + ((<usize>r) << 2));   // dh⟨t⟩ = from the loss + from step t+1
      }
    }
    for (let r = 0; r < rows; r++) {
      const scale = load<i32>(scales + ((<usize>r) << 2));
      store<f64>(f64At(d, D_H_NORMS, t * B + b0 + r), withoutScale(rowNorm(dh + ((<usize>(r * H)) << 2), H), scale));
    }
    const dx = f32At(d, D_DX_PROJECTION, (t * B + b0) * G);
    const hPrev = f32At(d, D_STATES, (previous * B + b0) * H);
    if (lstm) {
      lstmBackward(rows, H, f32At(d, D_GATES, (t * B + b0) * W), f32At(d, D_CELLS, (previous * B + b0) * H),
        f32At(d, D_CELLS, (next * B + b0) * H), dh, dc, dx, dcPrev);
      for (let r = 0; r < rows; r++) {
        const scale = load<i32>(scales + ((<usize>r) << 2));
        store<f64>(f64At(d, D_C_NORMS, t * B + b0 + r), withoutScale(rowNorm(dc + ((<usize>(r * H)) << 2), H), scale));
      }
      gemm(rows, H, G, dx, G, 1, at(d, D_W_HH), weightStride(H), dhPrev, H, 0);                         // dh_prev = dGates·W_hh
    } else if (cell >= CELL_GRU_RESET_AFTER) {
      gruBackward(d, cell, rows, H, f32At(d, D_GATES, (t * B + b0) * W), hPrev, dh, dx,
        f32At(d, D_DH_PROJECTION, (t * B + b0) * G), f32At(d, D_SCRATCH, b0 * 4 * H), dhPrev);
    } else {
      const h = f32At(d, D_STATES, (next * B + b0) * H);
      const relu = cell == CELL_RNN_RELU;
      for (let k = 0; k < rows * H; k += 4) {
        const n = rows * H - k;
        const o = (<usize>k) << 2;
        const hv = loadN(h + o, n);
        const local = relu
          ? v128.and(loadN(dh + o, n), f32x4.gt(hv, f32x4.splat(0)))                        // relu′
          : f32x4.mul(loadN(dh + o, n), f32x4.sub(f32x4.splat(1), f32x4.mul(hv, hv)));     // tanh′ = 1 − h²
        storeN(dx + o, local, n);
      }
      gemm(rows, H, H, dx, H, 1, at(d, D_W_HH), weightStride(H), dhPrev, H, 0);                         // dh_prev = d·W_hh
    }
    // The step's gate gradients back to their true size; the carried gradients to a size float32 holds.
    for (let r = 0; r < rows; r++) {
      const scaleAt = scales + ((<usize>r) << 2);
      const scale = load<i32>(scaleAt);
      if (scale != 0) {
        scaleRow(dx + ((<usize>(r * G)) << 2), G, powerOfTwo(-scale));
        if (separateDhProjection) scaleRow(f32At(d, D_DH_PROJECTION, (t * B + b0 + r) * G), G, powerOfTwo(-scale));
      }
      const k = (<usize>r) * hBytes;
      rescale(dhPrev + k, lstm ? dcPrev + k : 0, H, scaleAt);
    }
    const swapH = dh; dh = dhPrev; dhPrev = swapH;
    if (lstm) {
      const swapC = dc; dc = dcPrev; dcPrev = swapC;
    }
  }
  memory.copy(f32At(d, D_DH0, b0 * H), dh, span);
  if (lstm) memory.copy(f32At(d, D_DC0, b0 * H), dc, span);
  for (let r = 0; r < rows; r++) {
    const scale = load<i32>(scales + ((<usize>r) << 2));
    if (scale == 0) continue;
    scaleRow(f32At(d, D_DH0, (b0 + r) * H), H, powerOfTwo(-scale));
    if (lstm) scaleRow(f32At(d, D_DC0, (b0 + r) * H), H, powerOfTwo(-scale));
  }
}

/**
 * dh += ∂L/∂output⟨t⟩ for one row carried at scale 2^k: the row moves to the largest scale k′ ≤ k at which the loss's
 * share still fits (largest value below 2), so what is far below the loss's share may underflow, as it would unscaled.
 */
function addLossGradient(dh: usize, dc: usize, from: usize, H: i32, scaleAt: usize): void {
  const k = load<i32>(scaleAt);
  if (k == 0) {
    for (let j = 0; j < H; j += 4) {
      const o = (<usize>j) << 2;
      storeN(dh + o, f32x4.add(loadN(dh + o, H - j), loadN(from + o, H - j)), H - j);
    }
    return;
  }
  const largest = maxAbs(from, H);
  if (largest == 0) return;
  const fits = max(0, -exponentOf(largest));
  const kNew = min(k, fits);
  if (kNew < k) {
    scaleRow(dh, H, powerOfTwo(kNew - k));
    if (dc) scaleRow(dc, H, powerOfTwo(kNew - k));
  }
  const up = powerOfTwo(kNew);
  for (let j = 0; j < H; j++) {
    const o = (<usize>j) << 2;
    store<f32>(dh + o, load<f32>(dh + o) + <f32>(<f64>load<f32>(from + o) * up));
  }
  store<i32>(scaleAt, kNew);
}

/** Keeps one row's carried gradients (dh, and dc unless 0) where float32 is exact: largest value in [2^−32, 2^32] when scaled. */
function rescale(dh: usize, dc: usize, H: i32, scaleAt: usize): void {
  const k = load<i32>(scaleAt);
  let largest = maxAbs(dh, H);
  if (dc) largest = max(largest, maxAbs(dc, H));
  if (!(largest > 0)) return;   // all zero (nothing to scale), or NaN
  const e = exponentOf(largest);
  const shift = e < -32 ? -e : k > 0 && e > 32 ? max(-k, -e) : 0;
  if (shift == 0) return;
  scaleRow(dh, H, powerOfTwo(shift));
  if (dc) scaleRow(dc, H, powerOfTwo(shift));
  store<i32>(scaleAt, k + shift);
}

/**
 * The LSTM's gate gradients (see lstmCell.ts): dc becomes the total ∂L/∂c⟨t⟩, dcPrev = dc ⊙ f. tanh(c⟨t⟩) is computed
 * again from c rather than kept from the forward pass: T·B·H floats less memory for a few percent more arithmetic.
 */
function lstmBackward(rows: i32, H: i32, g: usize, cPrev: usize, c: usize, dh: usize, dc: usize, dGates: usize, dcPrev: usize): void {
  const hBytes = (<usize>H) << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < rows; r++) {
    const row = g + ((<usize>(r * 4 * H)) << 2);
    const dRow = dGates + ((<usize>(r * 4 * H)) << 2);
    const k = (<usize>(r * H)) << 2;
    for (let j = 0; j < H; j += 4) {
      const n = H - j;
      const o = (<usize>j) << 2;
      const i = loadN(row + o, n);
      const f = loadN(row + hBytes + o, n);
      const gg = loadN(row + 2 * hBytes + o, n);
      const out = loadN(row + 3 * hBytes + o, n);
      const tc = tanhV(loadN(c + k + o, n));
      const dhv = loadN(dh + k + o, n);
      const dcv = f32x4.add(loadN(dc + k + o, n), f32x4.mul(f32x4.mul(dhv, out), f32x4.sub(one, f32x4.mul(tc, tc))));
      storeN(dc + k + o, dcv, n);
      storeN(dRow + o, f32x4.mul(f32x4.mul(dcv, gg), f32x4.mul(i, f32x4.sub(one, i))), n);
      storeN(dRow + hBytes + o, f32x4.mul(f32x4.mul(dcv, loadN(cPrev + k + o, n)), f32x4.mul(f, f32x4.sub(one, f))), n);
      storeN(dRow + 2 * hBytes + o, f32x4.mul(f32x4.mul(dcv, i), f32x4.sub(one, f32x4.mul(gg, gg))), n);
      storeN(dRow + 3 * hBytes + o, f32x4.mul(f32x4.mul(dhv, tc), f32x4.mul(out, f32x4.sub(one, out))), n);
      storeN(dcPrev + k + o, f32x4.mul(dcv, f), n);
    }
  }
}

/**
 * The GRU's gradients (see gruCell.ts). dX gets ∂L/∂(x-side pre-activations) r, z, n; for reset-after, dHProjection
 * gets the recurrent side's (the n part scaled by r). dh_prev = dh ⊙ z + the recurrent products' share.
 */
function gruBackward(d: usize, cell: i32, rows: i32, H: i32, g: usize, hPrev: usize, dh: usize, dX: usize, dHProjection: usize, scratch: usize, dhPrev: usize): void {
  const hBytes = (<usize>H) << 2;
  const G = 3 * H;
  const W = 4 * H;
  const one = f32x4.splat(1);
  const after = cell == CELL_GRU_RESET_AFTER;
  // z and n first (r's gradient needs the recurrent product's, when before)
  for (let r = 0; r < rows; r++) {
    const gRow = g + ((<usize>(r * W)) << 2);
    const dRow = dX + ((<usize>(r * G)) << 2);
    const k = (<usize>(r * H)) << 2;
    for (let j = 0; j < H; j += 4) {
      const n = H - j;
      const o = (<usize>j) << 2;
      const zv = loadN(gRow + hBytes + o, n);
      const nv = loadN(gRow + 2 * hBytes + o, n);
      const dhv = loadN(dh + k + o, n);
      const dnPre = f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, zv)), f32x4.sub(one, f32x4.mul(nv, nv)));       // dn ⊙ tanh′
      const dzPre = f32x4.mul(f32x4.mul(dhv, f32x4.sub(loadN(hPrev + k + o, n), nv)), f32x4.mul(zv, f32x4.sub(one, zv)));
      storeN(dRow + hBytes + o, dzPre, n);
      storeN(dRow + 2 * hBytes + o, dnPre, n);
      storeN(dhPrev + k + o, f32x4.mul(dhv, zv), n);                                                          // dh ⊙ z
    }
  }
  if (after) {
    for (let r = 0; r < rows; r++) {
      const gRow = g + ((<usize>(r * W)) << 2);
      const dRow = dX + ((<usize>(r * G)) << 2);
      const pRow = dHProjection + ((<usize>(r * G)) << 2);
      for (let j = 0; j < H; j += 4) {
        const n = H - j;
        const o = (<usize>j) << 2;
        const rv = loadN(gRow + o, n);
        const dnPre = loadN(dRow + 2 * hBytes + o, n);
        const drPre = f32x4.mul(f32x4.mul(dnPre, loadN(gRow + 3 * hBytes + o, n)), f32x4.mul(rv, f32x4.sub(one, rv)));
        storeN(dRow + o, drPre, n);
        storeN(pRow + o, drPre, n);
        storeN(pRow + hBytes + o, loadN(dRow + hBytes + o, n), n);
        storeN(pRow + 2 * hBytes + o, f32x4.mul(dnPre, rv), n);                                                 // dn ⊙ r
      }
    }
    gemm(rows, H, G, dHProjection, G, 1, at(d, D_W_HH), weightStride(H), dhPrev, H, 1);                                 // += d·W_hh
    return;
  }
  // before: ∂L/∂(r ⊙ h_prev) = dn_pre·W_hn into the scratch, then r's gradient and r's share of dh_prev
  const dRh = scratch;
  gemm(rows, H, H, dX + 2 * hBytes, G, 1, at(d, D_W_HH) + ((<usize>(2 * H * weightStride(H))) << 2), weightStride(H), dRh, W, 0);
  for (let r = 0; r < rows; r++) {
    const gRow = g + ((<usize>(r * W)) << 2);
    const dRow = dX + ((<usize>(r * G)) << 2);
    const sRow = dRh + ((<usize>(r * W)) << 2);
    const k = (<usize>(r * H)) << 2;
    for (let j = 0; j < H; j += 4) {
      const n = H - j;
      const o = (<usize>j) << 2;
      const rv = loadN(gRow + o, n);
      const drh = loadN(sRow + o, n);
      storeN(dRow + o, f32x4.mul(f32x4.mul(drh, loadN(hPrev + k + o, n)), f32x4.mul(rv, f32x4.sub(one, rv))), n);
      storeN(dhPrev + k + o, f32x4.add(loadN(dhPrev + k + o, n), f32x4.mul(drh, rv)), n);
    }
  }
  gemm(rows, H, 2 * H, dX, G, 1, at(d, D_W_HH), weightStride(H), dhPrev, H, 1);                                          // += d[r z]·W_h[rz]
}

/**
 * Phase 2, after every part's phase 1: the weight and bias gradients as single products over all T·B rows (the part
 * takes a share of the gate rows), and ∂L/∂x when asked for (a share of the rows).
 */
export function backwardWeights(d: usize, part: i32, parts: i32, slot: i32): void {
  const cell = word(d, D_CELL);
  const T = word(d, D_STEPS);
  const B = word(d, D_BATCH);
  const I = word(d, D_INPUT);
  const H = word(d, D_HIDDEN);
  const reverse = word(d, D_REVERSE);
  const G = gateCount(cell) * H;
  const rows = T * B;
  const g0 = shareStart(G, part, parts, 8);
  const g1 = shareStart(G, part + 1, parts, 8);
  const dXp = at(d, D_DX_PROJECTION);
  const dHp = at(d, D_DH_PROJECTION);
  // The previous states by time position: [0, T) forward, [1, T] reverse.
  const hPrevious = f32At(d, D_STATES, reverse ? B * H : 0);
  const pack = at(d, D_PACK) + ((<usize>(slot * G * KC)) << 2);   // the thread's own work space
  if (g1 > g0) {
    gemmTransposedA(g1 - g0, I, rows, dXp + ((<usize>g0) << 2), G, at(d, D_X), I, f32At(d, D_DW_IH, g0 * I), I, pack);   // dW_ih = dᵀ·x
    columnSums(rows, dXp, G, g0, g1, at(d, D_DB_IH));                                                              // db_ih = Σ d
    if (cell == CELL_GRU_RESET_BEFORE) {
      // r and z rows from h_prev; n rows from r ⊙ h_prev (the gates' fourth block)
      const split = min(g1, 2 * H);
      if (split > g0) gemmTransposedA(split - g0, H, rows, dXp + ((<usize>g0) << 2), G, hPrevious, H, f32At(d, D_DW_HH, g0 * H), H, pack);
      const n0 = max(g0, 2 * H);
      if (g1 > n0) gemmTransposedA(g1 - n0, H, rows, dXp + ((<usize>n0) << 2), G, f32At(d, D_GATES, 3 * H), 4 * H, f32At(d, D_DW_HH, n0 * H), H, pack);
    } else {
      gemmTransposedA(g1 - g0, H, rows, dHp + ((<usize>g0) << 2), G, hPrevious, H, f32At(d, D_DW_HH, g0 * H), H, pack);   // dW_hh = dᵀ·h_prev
    }
    columnSums(rows, dHp, G, g0, g1, at(d, D_DB_HH));
  }
  if (at(d, D_DX)) {
    const r0 = shareStart(rows, part, parts, 4);
    const r1 = shareStart(rows, part + 1, parts, 4);
    if (r1 > r0) gemm(r1 - r0, I, G, dXp + ((<usize>(r0 * G)) << 2), G, 1, at(d, D_W_IH), weightStride(I), f32At(d, D_DX, r0 * I), I, 0);  // dx = d·W_ih
  }
}

/**
 * dst [cols, rows] (row stride ldd) = srcᵀ for src [rows, cols] (row stride lds): the transposed weight copies the
 * products read row by row. Bands of KC source rows keep the destination lines being filled in the cache.
 */
export function transpose(rows: i32, cols: i32, src: usize, lds: i32, dst: usize, ldd: i32): void {
  for (let r0 = 0; r0 < rows; r0 += KC) {
    transposeInto(cols, min(KC, rows - r0), src + ((<usize>(r0 * lds)) << 2), lds, dst + ((<usize>r0) << 2), ldd);
  }
}

/** Keeps MAX_PARTS in the module's interface, so TypeScript can check it was built with the same layout. */
export function maxParts(): i32 {
  return MAX_PARTS;
}
