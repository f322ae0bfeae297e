// Benchmark (issue #4): does memory grow with the number of training steps? Trains the same run — an LSTM of W1's
// size (hidden 128, batch 32, T = 50) on the adding task, with the Trainer as the CLI and the extension use it, both
// cores — for 100 and for 10,000 steps, each in a fresh process, and compares the memory each ends with: resident
// memory and V8's heap after a full garbage collection (what is still referenced), and the peak resident memory
// (which also counts garbage V8 had not yet collected: it lets its heap grow while a program allocates steadily).
// Run: npx tsx scripts/bench/memoryGrowth.ts [--steps 10000]
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Trainer } from '../../src/engine/trainer';
import { wasmRuntime } from '../../src/engine/wasm/wasmRuntime';
import { startKernelThreads } from '../../src/node/kernelThreads';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '10000' }, child: { type: 'string' } } });

if (values.child !== undefined) {
  const steps = Number(values.child);
  const threads = startKernelThreads();
  const trainer = new Trainer({ task: 'adding', sequenceLength: 50, cell: 'lstm', hidden: 128, batchSize: 32, steps, learningRate: 0.01, validateEvery: 100, seed: 1 });
  const started = performance.now();
  const gc = (globalThis as { gc?: () => void }).gc;
  let loss = NaN;
  let rssAt1000MiB: number | undefined;   // after a full GC, as at the end: where the long run stands early on
  while (!trainer.done) {
    loss = trainer.step().loss;
    if (trainer.completedSteps === 1000 && steps > 1000) {
      gc?.();
      rssAt1000MiB = process.memoryUsage().rss / 2 ** 20;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  gc?.();
  const memory = process.memoryUsage();
  process.stdout.write(JSON.stringify({
    steps, threads, seconds, loss, kernels: trainer.kernels.name, rssAt1000MiB,
    rssMiB: memory.rss / 2 ** 20, heapMiB: memory.heapUsed / 2 ** 20,
    peakRssMiB: process.resourceUsage().maxRSS / 1024, wasmMiB: (wasmRuntime()?.bytesInUse ?? 0) / 2 ** 20,
  }));
  process.exit(0);
}

interface Result { steps: number; threads: number; seconds: number; loss: number; kernels: string; rssAt1000MiB?: number; rssMiB: number; heapMiB: number; peakRssMiB: number; wasmMiB: number }
const run = (steps: number): Result =>
  JSON.parse(execFileSync(process.execPath, [...process.execArgv, '--expose-gc', __filename, '--child', String(steps)], { encoding: 'utf8', maxBuffer: 1 << 20 }));
const short = run(100);
const long = run(Number(values.steps));
for (const r of [short, long]) {
  console.log(`${String(r.steps).padStart(6)} steps: ends with RSS ${r.rssMiB.toFixed(1)} MiB, V8 heap ${r.heapMiB.toFixed(1)} MiB, kernels' arrays ${r.wasmMiB.toFixed(2)} MiB; peak RSS ${r.peakRssMiB.toFixed(1)} MiB; ${r.seconds.toFixed(1)} s (${r.kernels}, ${r.threads} threads), final loss ${r.loss.toFixed(4)}`);
}
const ratio = (what: keyof Result): string => ((long[what] as number) / (short[what] as number)).toFixed(3);
console.log(`after ${long.steps} steps ÷ after ${short.steps}: RSS at the end ${ratio('rssMiB')}, heap ${ratio('heapMiB')}, kernels' arrays ${ratio('wasmMiB')}, peak RSS ${ratio('peakRssMiB')} (target ≤ 1.10)`);
if (long.rssAt1000MiB !== undefined) {
  console.log(`the ${long.steps}-step run: RSS after a full GC ${long.rssAt1000MiB.toFixed(1)} MiB at step 1000, ${long.rssMiB.toFixed(1)} MiB at the end (×${(long.rssMiB / long.rssAt1000MiB).toFixed(3)})`);
}
