// Benchmark (issue #8's budgets): `npm run bench:lessons` — the lesson kernel as shipped (dist/kernel.js through
// src/node/kernelProcess.ts): kernel start (fork → ready), a trivial cell's round trip, and the driver's event-loop lag
// while a cell trains (the driver runs in the extension host, so its lag is the editor's). Prints figures; asserts none.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { KernelProcess, type OutputSink } from '../../src/node/kernelProcess';
import { median } from './report';

const ROOT = join(__dirname, '..', '..');
const KERNEL_SCRIPT = join(ROOT, 'dist', 'kernel.js');

/**
 * The cell trained while the lag is measured: the engine's Trainer on the adding problem (LSTM, T = 20, hidden 32),
 * a console.log per step, so the driver receives a message per step while it measures.
 */
const TRAINING_CELL = (seconds: number) => `import { Trainer } from 'rnn-lab';
const trainer = new Trainer({ task: 'adding', sequenceLength: 20, cell: 'lstm', hidden: 32, steps: 1000000, seed: 1 });
const until = Date.now() + ${seconds * 1000};
let step = 0;
while (Date.now() < until) {
  const metrics = trainer.step();
  console.log(\`step \${++step}: loss \${metrics.loss}\`);
  await new Promise((resolve) => setTimeout(resolve, 0));
}
step`;

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function formatMs(milliseconds: number): string {
  return `${milliseconds.toFixed(milliseconds < 10 ? 2 : 0)} ms`;
}

/** Counts what a cell sends, and drops it. */
function countingSink(): OutputSink & { counts: { streams: number; displays: number; updates: number } } {
  const counts = { streams: 0, displays: 0, updates: 0 };
  return {
    counts,
    stream: () => void counts.streams++,
    display: () => void counts.displays++,
    updateDisplay: () => void counts.updates++,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { starts: { type: 'string', default: '10' }, cells: { type: 'string', default: '100' }, 'train-seconds': { type: 'string', default: '8' } } });
  const starts = Number(values.starts);
  const cells = Number(values.cells);
  const trainSeconds = Number(values['train-seconds']);
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const options = { kernelScript: KERNEL_SCRIPT, cellTimeLimitMs: 300_000 };

  const startTimes: number[] = [];
  for (let i = 0; i < starts; i++) {
    const started = performance.now();
    const kernel = await KernelProcess.start(options);
    startTimes.push(performance.now() - started);
    kernel.dispose();
  }
  console.log(`kernel start (fork → ready): median ${formatMs(median(startTimes))} over ${starts} (min ${formatMs(Math.min(...startTimes))}, max ${formatMs(Math.max(...startTimes))}); budget: under 1 s`);

  const kernel = await KernelProcess.start(options);
  try {
    const sink = countingSink();
    await kernel.run("import { course } from 'rnn-lab';", 'Cell 1', sink);
    const roundTrips: number[] = [];
    for (let i = 0; i < cells; i++) {
      const started = performance.now();
      const outcome = await kernel.run('1 + 1', `Cell ${i + 2}`, sink);
      roundTrips.push(performance.now() - started);
      if (outcome.status !== 'ok') throw new Error(`the trivial cell did not run: ${JSON.stringify(outcome)}`);
    }
    console.log(`trivial cell round trip (run → value): median ${formatMs(median(roundTrips))}, p95 ${formatMs(percentile(roundTrips, 0.95))} over ${cells}; budget: median under 100 ms`);

    const lag = monitorEventLoopDelay({ resolution: 10 });
    const training = countingSink();
    lag.enable();
    const outcome = await kernel.run(TRAINING_CELL(trainSeconds), 'Cell training', training);
    lag.disable();
    if (outcome.status !== 'ok') throw new Error(`the training cell failed: ${JSON.stringify(outcome)}`);
    const steps = outcome.value?.[0]?.data ?? '?';
    console.log(`driver event-loop lag while a cell trains for ${trainSeconds} s (${steps} Trainer steps, ${training.counts.streams} output messages): p99 ${formatMs(lag.percentile(99) / 1e6)}, max ${formatMs(lag.max / 1e6)}; budget: p99 under 50 ms`);
  } finally {
    kernel.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
