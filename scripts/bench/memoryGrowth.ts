// Benchmark (issue #4): does memory grow with the number of training steps? Trains the same run — an LSTM of W1's
// size (hidden 128, batch 32, T = 50) on the adding task, with the Trainer as the CLI and the extension use it, both
// cores — for 100 and for 10,000 steps, each in a fresh process, and compares their peak resident memory.
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
  let loss = NaN;
  while (!trainer.done) loss = trainer.step().loss;
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({
    steps, threads, seconds, loss, kernels: trainer.kernels.name,
    peakRssMiB: process.resourceUsage().maxRSS / 1024, wasmMiB: (wasmRuntime()?.bytesInUse ?? 0) / 2 ** 20,
  }));
  process.exit(0);
}

const run = (steps: number): { steps: number; threads: number; seconds: number; loss: number; kernels: string; peakRssMiB: number; wasmMiB: number } =>
  JSON.parse(execFileSync(process.execPath, [...process.execArgv, __filename, '--child', String(steps)], { encoding: 'utf8', maxBuffer: 1 << 20 }));
const short = run(100);
const long = run(Number(values.steps));
for (const r of [short, long]) {
  console.log(`${String(r.steps).padStart(6)} steps: peak RSS ${r.peakRssMiB.toFixed(1)} MiB, kernels' arrays ${r.wasmMiB.toFixed(2)} MiB, ${r.seconds.toFixed(1)} s (${r.kernels}, ${r.threads} threads), final loss ${r.loss.toFixed(4)}`);
}
console.log(`peak RSS after ${long.steps} steps ÷ after ${short.steps}: ${(long.peakRssMiB / short.peakRssMiB).toFixed(3)} (target ≤ 1.10)`);
