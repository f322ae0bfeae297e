// Benchmark (issue #4): each matrix product of a W1 training step timed alone through a Kernels' gemm, with its
// GFLOP/s and its share of a step — the breakdown behind docs/performance.md. Run: npx tsx scripts/bench/gemmShapes.ts
import { typescriptKernels } from '../../src/engine/kernels';
import { RandomState } from '../../src/engine/random/randomState';
import { formatTable } from './report';

const { gemm, name } = typescriptKernels;
const [T, B, I, H] = [50, 32, 32, 128];
const G = 4 * H;
const rng = new RandomState(0);
const values = (n: number): Float64Array => rng.randnArray(n);
const [h, dGates, weightHh, x, weightIh, dProjection] = [values(B * H), values(B * G), values(G * H), values(T * B * I), values(G * I), values(T * B * G)];
const [gates, dWeightHh, dh, projection, dWeightIh, dx] = [new Float64Array(B * G), new Float64Array(G * H), new Float64Array(B * H), new Float64Array(T * B * G), new Float64Array(G * I), new Float64Array(T * B * I)];

/** [what, calls per training step, FLOPs per call, the call] — the products of SequenceLayer and the LSTM step kernel. */
const products: Array<[string, number, number, () => void]> = [
  ['forward h·W_hhᵀ [32×128]·[128×512]', T, 2 * B * G * H, () => gemm(B, G, H, h, false, weightHh, true, gates, true)],
  ['backward dW_hh += dGatesᵀ·h', T, 2 * B * G * H, () => gemm(G, H, B, dGates, true, h, false, dWeightHh, true)],
  ['backward dh_prev = dGates·W_hh', T, 2 * B * G * H, () => gemm(B, H, G, dGates, false, weightHh, false, dh, false)],
  ['forward x·W_ihᵀ [1600×32]·[32×512]', 1, 2 * T * B * I * G, () => gemm(T * B, G, I, x, false, weightIh, true, projection, false)],
  ['backward dW_ih += dᵀ·x', 1, 2 * T * B * I * G, () => gemm(G, I, T * B, dProjection, true, x, false, dWeightIh, true)],
  ['backward dx = d·W_ih', 1, 2 * T * B * I * G, () => gemm(T * B, I, G, dProjection, false, weightIh, false, dx, false)],
];

const rows = products.map(([what, calls, flops, call]) => {
  for (let i = 0; i < 20; i++) call();
  const repeats = Math.max(5, Math.round(200 / calls));
  const start = performance.now();
  for (let i = 0; i < repeats; i++) call();
  const ms = (performance.now() - start) / repeats;
  return [what, String(calls), (flops / ms / 1e6).toFixed(2), (ms * calls).toFixed(1)];
});
console.log(`W1 products through kernels '${name}':\n`);
console.log(formatTable(['product', 'calls / step', 'GFLOP/s', 'ms / step'], rows, [false, true, true, true]));
