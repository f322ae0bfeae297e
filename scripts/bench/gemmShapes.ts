// Benchmark (issue #4, #11): each matrix product of an LSTM workload's training step (W1 or W4) timed alone, one
// thread, float32 — in our WebAssembly kernels (operands in the kernels' memory as the layers keep them) and, in the
// same run, as torch.mm in PyTorch — with GFLOP/s and each product's share of a step: the breakdown behind
// docs/performance.md. The time loops' products are timed for the whole batch (a step run alone) and for one part's
// rows (a step shared by two threads). The first row is the ceiling WebAssembly SIMD128 holds a core to: multiplies and
// adds on registers, no memory traffic at all. Run:
//   npx tsx scripts/bench/gemmShapes.ts [W1|W4]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PARTS_PER_THREAD, wasmRuntime } from '../../src/engine/wasm/wasmRuntime';
import { weightStride } from '../../src/engine/wasm/wasmSequenceLayer';
import { MAX_PARTS, PACK_TERMS } from '../../src/engine/wasm/descriptor';
import { PYTHON, pythonEnvironment } from './python';
import { workloadById } from './workloads';
import { formatTable } from './report';

const runtime = wasmRuntime();
if (!runtime) throw new Error('the WebAssembly kernels do not load in this Node');
const workload = workloadById(process.argv[2] ?? 'W1');
if (workload.kind !== 'regression' || workload.cell !== 'lstm') throw new RangeError(`${workload.id} is not an LSTM regression workload (W1 or W4)`);
const { steps: T, batch: B, inputSize: I, hiddenSize: H } = workload;
const G = 4 * H;
const part = Math.max(1, Math.floor(B / (PARTS_PER_THREAD * MAX_PARTS)));   // the rows of one part of a step shared by two threads
// The weight copies' rows are padded as the layers pad them.
const [ldI, ldH, ldG] = [weightStride(I), weightStride(H), weightStride(G)];
const array = (n: number): number => {
  const block = runtime.allocateFloat32(n);
  for (let i = 0; i < n; i++) block.view[i] = Math.random() - 0.5;
  return block.offset;
};
const [h, gates, weightHhT, weightHh, dGates, dh] = [array(B * H), array(B * G), array(H * ldG), array(G * ldH), array(B * G), array(B * H)];
const [x, weightIhT, weightIh, projection, dProjection, states] = [array(T * B * I), array(I * ldG), array(G * ldI), array(T * B * G), array(T * B * G), array(T * B * H)];
const [dWeightHh, dWeightIh, dx, pack] = [array(G * H), array(G * I), array(T * B * I), array(G * PACK_TERMS)];

/** A product C [m, n] = A [m, k]·B [k, n] of one training step (A stored transposed for the weight gradients). */
interface Product {
  readonly what: string;
  readonly callsPerStep: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transposedA: boolean;
  readonly call: () => void;
}

const product = (what: string, callsPerStep: number, [m, n, k]: number[], transposedA: boolean, call: () => void): Product =>
  ({ what, callsPerStep, m, n, k, transposedA, call });

/** The products of assembly/kernels.ts in one step. */
const products: Product[] = [
  product(`forward h·W_hhᵀ [${B}×${H}]·[${H}×${G}] (per time step)`, T, [B, G, H], false, () => runtime.gemm(B, G, H, h, H, 1, weightHhT, ldG, gates, G, true)),
  product(`  the same, one part's ${part} rows (× ${B / part})`, T * B / part, [part, G, H], false, () => runtime.gemm(part, G, H, h, H, 1, weightHhT, ldG, gates, G, true)),
  product(`backward dh_prev = dGates·W_hh [${B}×${G}]·[${G}×${H}] (per time step)`, T, [B, H, G], false, () => runtime.gemm(B, H, G, dGates, G, 1, weightHh, ldH, dh, H, false)),
  product(`  the same, one part's ${part} rows (× ${B / part})`, T * B / part, [part, H, G], false, () => runtime.gemm(part, H, G, dGates, G, 1, weightHh, ldH, dh, H, false)),
  product(`forward x·W_ihᵀ [${T * B}×${I}]·[${I}×${G}]`, 1, [T * B, G, I], false, () => runtime.gemm(T * B, G, I, x, I, 1, weightIhT, ldG, projection, G, false)),
  product(`backward dW_hh = dGatesᵀ·h over all ${T * B} rows`, 1, [G, H, T * B], true, () => runtime.gemmTransposedA(G, H, T * B, dProjection, G, states, H, dWeightHh, H, pack)),
  product(`backward dW_ih = dGatesᵀ·x over all ${T * B} rows`, 1, [G, I, T * B], true, () => runtime.gemmTransposedA(G, I, T * B, dProjection, G, x, I, dWeightIh, I, pack)),
  product('(dx = d·W_ih: not computed for the input layer)', 1, [T * B, I, G], false, () => runtime.gemm(T * B, I, G, dProjection, G, 1, weightIh, ldI, dx, I, false)),
];

/** Milliseconds per call: the best of 3 timings, each over about 2 GFLOP of calls after a warm-up. */
function timed(call: () => void, flops: number): number {
  const repeats = Math.max(3, Math.round(2e9 / flops));
  for (let i = 0; i < repeats; i++) call();
  return Math.min(...[0, 1, 2].map(() => {
    const start = performance.now();
    for (let i = 0; i < repeats; i++) call();
    return (performance.now() - start) / repeats;
  }));
}

/**
 * The most f32x4 arithmetic one core does in WebAssembly SIMD128: 7 chains of multiplies and 7 of adds, all on
 * registers (a multiply or an add takes 3 cycles, so 7 chains of each keep a core's multiply and add pipes busy; more
 * would not fit V8's 16 vector registers). Compiled with AssemblyScript at run time.
 */
async function simd128Ceiling(): Promise<number> {
  const CHAINS = 7;
  const ITERATIONS = 2e7;
  const multiplies = Array.from({ length: CHAINS }, (_, i) => `m${i}`);
  const adds = Array.from({ length: CHAINS }, (_, i) => `a${i}`);
  const source = `export function peak(n: i32): f32 {
    const x = f32x4.splat(0.999999), y = f32x4.splat(1e-7);
    ${[...multiplies, ...adds].map((v, i) => `let ${v} = f32x4.splat(${i + 1});`).join(' ')}
    for (let i = 0; i < n; i++) { ${multiplies.map((v) => `${v} = f32x4.mul(${v}, x);`).join(' ')} ${adds.map((v) => `${v} = f32x4.add(${v}, y);`).join(' ')} }
    return f32x4.extract_lane(${[...multiplies, ...adds].reduce((sum, v) => `f32x4.add(${sum}, ${v})`)}, 0);
  }`;
  const asc = await import('assemblyscript/asc' as string) as {
    compileString(source: string, options: object): Promise<{ binary: Uint8Array | null; stderr: { toString(): string } }>;
  };
  const { binary, stderr } = await asc.compileString(source, { optimizeLevel: 3, runtime: 'stub', enable: ['simd'] });
  if (!binary) throw new Error(`AssemblyScript could not compile the ceiling's loop:\n${stderr.toString()}`);
  const peak = new WebAssembly.Instance(new WebAssembly.Module(binary)).exports.peak as (n: number) => number;
  const flops = ITERATIONS * 2 * CHAINS * 4;
  return flops / timed(() => peak(ITERATIONS), flops) / 1e6;
}

/** GFLOP/s of torch.mm on each product's shapes, one thread, float32 (the best of 3 timings); null without PyTorch. */
function torchRates(notes: string[]): number[] | null {
  if (!existsSync(PYTHON)) {
    notes.push(`${PYTHON} not found: PyTorch left out`);
    return null;
  }
  const script = `
import json, sys, time, torch
torch.set_num_threads(1)
rates = []
for m, n, k, transposed in json.loads(sys.argv[1]):
    a = torch.randn(k, m).t() if transposed else torch.randn(m, k)
    b = torch.randn(k, n)
    repeats = max(3, round(2e9 / (2 * m * n * k)))
    for _ in range(repeats): torch.mm(a, b)
    best = float('inf')
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeats): torch.mm(a, b)
        best = min(best, (time.perf_counter() - start) / repeats)
    rates.append(2 * m * n * k / best / 1e9)
print(json.dumps(rates))
`;
  const shapes = products.map((p) => [p.m, p.n, p.k, p.transposedA]);
  const result = spawnSync(PYTHON, ['-c', script, JSON.stringify(shapes)], { env: pythonEnvironment(notes), encoding: 'utf8' });
  if (result.status !== 0) {
    notes.push(`PyTorch left out: ${result.stderr.trim().split('\n').pop()}`);
    return null;
  }
  return JSON.parse(result.stdout) as number[];
}

async function main(): Promise<void> {
  const notes: string[] = [];
  const ceiling = await simd128Ceiling();
  const ours = products.map((p) => {
    const flops = 2 * p.m * p.n * p.k;
    return { p, ms: timed(p.call, flops), flops };
  });
  const torch = torchRates(notes);
  const rows = ours.map(({ p, ms, flops }, i) => {
    const rate = flops / ms / 1e6;
    return [p.what, String(p.callsPerStep), rate.toFixed(1), `${Math.round(100 * rate / ceiling)}%`, (ms * p.callsPerStep).toFixed(1),
      torch ? torch[i].toFixed(1) : '—', torch ? `${(torch[i] / rate).toFixed(2)}×` : '—'];
  });
  console.log(`${workload.title}: its products alone, one thread, float32:\n`);
  console.log(formatTable(['product', 'calls / step', 'ours GFLOP/s', 'of ceiling', 'ours ms / step', 'torch.mm GFLOP/s', 'torch ÷ ours'], [
    ['ceiling: SIMD128 multiplies and adds on registers, no memory', '', ceiling.toFixed(1), '100%', '', '', ''],
    ...rows,
  ], [false, true, true, true, true, true, true]));
  for (const note of notes) console.log(note);
}

void main();
