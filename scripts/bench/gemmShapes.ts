// Benchmark (issue #4, #11): each matrix product of an LSTM workload's training step (W1 or W4) timed alone in the
// WebAssembly kernels (one thread, float32, operands in the kernels' memory as the layers keep them), with its GFLOP/s
// and its share of a step — the breakdown behind docs/performance.md. The time loops' products are timed for the whole
// batch (a step run alone) and for one part's rows (a step shared: 8 parts). Run:
//   npx tsx scripts/bench/gemmShapes.ts [W1|W4]
import { wasmRuntime } from '../../src/engine/wasm/wasmRuntime';
import { PACK_TERMS } from '../../src/engine/wasm/descriptor';
import { workloadById } from './workloads';
import { formatTable } from './report';

const SHARED_PARTS = 8;

const runtime = wasmRuntime();
if (!runtime) throw new Error('the WebAssembly kernels do not load in this Node');
const workload = workloadById(process.argv[2] ?? 'W1');
if (workload.kind !== 'regression' || workload.cell !== 'lstm') throw new RangeError(`${workload.id} is not an LSTM regression workload (W1 or W4)`);
const { steps: T, batch: B, inputSize: I, hiddenSize: H } = workload;
const G = 4 * H;
const part = Math.max(1, Math.floor(B / SHARED_PARTS));
const array = (n: number): number => {
  const block = runtime.allocateFloat32(n);
  for (let i = 0; i < n; i++) block.view[i] = Math.random() - 0.5;
  return block.offset;
};
const [h, gates, weightHhT, weightHh, dGates, dh] = [array(B * H), array(B * G), array(H * G), array(G * H), array(B * G), array(B * H)];
const [x, weightIhT, weightIh, projection, dProjection, states] = [array(T * B * I), array(I * G), array(G * I), array(T * B * G), array(T * B * G), array(T * B * H)];
const [dWeightHh, dWeightIh, dx, pack] = [array(G * H), array(G * I), array(T * B * I), array(G * PACK_TERMS)];

/** [what, calls per training step, FLOPs per call, the call] — the products of assembly/kernels.ts in one step. */
const products: Array<[string, number, number, () => void]> = [
  [`forward h·W_hhᵀ [${B}×${H}]·[${H}×${G}] (per time step)`, T, 2 * B * G * H, () => runtime.gemm(B, G, H, h, H, 1, weightHhT, G, gates, G, true)],
  [`  the same, one part's ${part} rows (× ${B / part})`, T * B / part, 2 * part * G * H, () => runtime.gemm(part, G, H, h, H, 1, weightHhT, G, gates, G, true)],
  [`backward dh_prev = dGates·W_hh [${B}×${G}]·[${G}×${H}] (per time step)`, T, 2 * B * G * H, () => runtime.gemm(B, H, G, dGates, G, 1, weightHh, H, dh, H, false)],
  [`  the same, one part's ${part} rows (× ${B / part})`, T * B / part, 2 * part * G * H, () => runtime.gemm(part, H, G, dGates, G, 1, weightHh, H, dh, H, false)],
  [`forward x·W_ihᵀ [${T * B}×${I}]·[${I}×${G}]`, 1, 2 * T * B * I * G, () => runtime.gemm(T * B, G, I, x, I, 1, weightIhT, G, projection, G, false)],
  [`backward dW_hh = dGatesᵀ·h over all ${T * B} rows`, 1, 2 * T * B * G * H, () => runtime.gemmTransposedA(G, H, T * B, dProjection, G, states, H, dWeightHh, H, pack)],
  [`backward dW_ih = dGatesᵀ·x over all ${T * B} rows`, 1, 2 * T * B * I * G, () => runtime.gemmTransposedA(G, I, T * B, dProjection, G, x, I, dWeightIh, I, pack)],
  ['(dx = d·W_ih: not computed for the input layer)', 1, 2 * T * B * I * G, () => runtime.gemm(T * B, I, G, dProjection, G, 1, weightIh, I, dx, I, false)],
];

const rows = products.map(([what, calls, flops, call]) => {
  const warmup = Math.max(2, Math.round(2e9 / flops));
  for (let i = 0; i < warmup; i++) call();
  const repeats = Math.max(3, Math.round(4e9 / flops));
  const start = performance.now();
  for (let i = 0; i < repeats; i++) call();
  const ms = (performance.now() - start) / repeats;
  return [what, String(calls), (flops / ms / 1e6).toFixed(1), (ms * calls).toFixed(1)];
});
console.log(`${workload.title}: its products in the WebAssembly kernels (one thread, float32):\n`);
console.log(formatTable(['product', 'calls / step', 'GFLOP/s', 'ms / step'], rows, [false, true, true, true]));
