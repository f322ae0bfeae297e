// Benchmark (issue #8's budgets): `npm run bench:lessons` prints the five lesson budgets in one table, min / median /
// max beside each budget, as the machine is and (`--load`) with one core kept busy: the lesson kernel as shipped
// (dist/kernel.js through src/node/kernelProcess.ts), the .vsix, and with `--editor` the real editor.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { KernelProcess, type OutputSink } from '../../src/node/kernelProcess';
import { packageVsix, temporaryFolder } from '../../test/vscode/harness';
import { lessonTrainingCell, measureEditor, type EditorFigures } from './editorBench';
import { median } from './report';
import { startBusyCore } from './busyCore';

const ROOT = join(__dirname, '..', '..');
const KERNEL_SCRIPT = join(ROOT, 'dist', 'kernel.js');
const KERNEL_OPTIONS = { kernelScript: KERNEL_SCRIPT, cellTimeLimitMs: 300_000 };

/** The first cell of a lesson: it imports the engine, so the first Run waits for the kernel's start and this. */
const FIRST_CELL = "import { course, np } from 'rnn-lab';\n1 + 1";

/** train() as a lesson calls it (the vanishing-gradients lesson's first training cell, also run in the editor by --editor). */
const TRAIN_CELL = lessonTrainingCell();

/** A cell that prints on every Trainer step for `seconds`: a message per step for the driver to handle. */
const LOGGING_CELL = (seconds: number) => `import { Trainer } from 'rnn-lab';
const trainer = new Trainer({ task: 'adding', sequenceLength: 20, cell: 'lstm', hidden: 32, steps: 1000000, seed: 1 });
const until = Date.now() + ${seconds * 1000};
let step = 0;
while (Date.now() < until) {
  const metrics = trainer.step();
  console.log(\`step \${++step}: loss \${metrics.loss}\`);
  await new Promise((resolve) => setTimeout(resolve, 0));
}
step`;

/** One figure measured several times. */
interface Figure {
  readonly values: readonly number[];
  readonly unit: 'ms' | 's' | '/s' | '%' | 'MB';
}

/** The rows of the report, in order: label, budget, and how a value is judged against it. */
const ROWS = [
  { key: 'start', label: 'kernel start (fork → ready)', budget: 'under 1 s', within: (f: Figure) => median(f.values) < 1000 },
  { key: 'startCpu', label: '  CPU time the kernel used to get ready', budget: '', within: undefined },
  { key: 'firstCell', label: '  first Run: fork → value of a cell importing rnn-lab', budget: '', within: undefined },
  { key: 'roundTrip', label: 'trivial cell round trip (run → value)', budget: 'median under 100 ms', within: (f: Figure) => median(f.values) < 100 },
  { key: 'trainSeconds', label: 'the training cell (vanishing gradients, first train()): wall time', budget: '', within: undefined },
  { key: 'chartRate', label: 'train() chart updates per second', budget: 'at least 10', within: (f: Figure) => Math.min(...f.values) >= 10 },
  { key: 'driverLagTrain', label: 'driver event-loop lag p99 while train() runs', budget: 'under 50 ms (stand-in)', within: (f: Figure) => median(f.values) < 50 },
  { key: 'driverLagLogging', label: 'driver event-loop lag p99, a cell logging every step', budget: 'under 50 ms (stand-in)', within: (f: Figure) => median(f.values) < 50 },
  { key: 'editorTrainSeconds', label: 'editor: the same training cell, wall time', budget: '', within: undefined },
  { key: 'editorLag', label: 'editor: extension-host lag p99 while train() runs', budget: 'under 50 ms', within: (f: Figure) => median(f.values) < 50 },
  { key: 'editorLagMax', label: '  editor: extension-host lag max while train() runs', budget: '', within: undefined },
  { key: 'editorHostCpu', label: '  editor: extension-host CPU while it runs (share of a core)', budget: '', within: undefined },
  { key: 'editorCpuKernel', label: '  editor: the kernel\'s CPU meanwhile (share of a core)', budget: '', within: undefined },
  { key: 'editorCpuBrowser', label: '  editor: the browser\'s CPU meanwhile (workbench, chart renderer)', budget: '', within: undefined },
  { key: 'editorCpuServer', label: '  editor: code-server\'s other processes meanwhile', budget: '', within: undefined },
  { key: 'editorChartRate', label: '  editor: output-change events per second in the host (not redraws)', budget: '', within: undefined },
  { key: 'vsix', label: '.vsix size', budget: 'under 5 MB', within: (f: Figure) => f.values[0] < 5 },
] as const;

type RowKey = (typeof ROWS)[number]['key'];
type Figures = Partial<Record<RowKey, Figure>>;

interface Options {
  readonly starts: number;
  readonly cells: number;
  readonly rounds: number;
  readonly logSeconds: number;
}

/** Drops what a cell sends. */
const DISCARD: OutputSink = { stream: () => undefined, display: () => undefined, updateDisplay: () => undefined };

/** CPU time (ms) a process has used, all its threads (Linux; undefined elsewhere or when it is gone). */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    let nanoseconds = 0;
    for (const thread of readdirSync(`/proc/${pid}/task`)) nanoseconds += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
    return nanoseconds / 1e6;
  } catch {
    return undefined;
  }
}

async function measureKernel(options: Options): Promise<Figures> {
  const start: number[] = [];
  const startCpu: number[] = [];
  const firstCell: number[] = [];
  for (let i = 0; i < options.starts; i++) {
    const started = performance.now();
    const kernel = await KernelProcess.start(KERNEL_OPTIONS);
    start.push(performance.now() - started);
    const cpu = processCpuMs(kernel.pid);
    if (cpu !== undefined) startCpu.push(cpu);
    const outcome = await kernel.run(FIRST_CELL, 'Cell 1', DISCARD);
    firstCell.push(performance.now() - started);
    kernel.dispose();
    if (outcome.status !== 'ok') throw new Error(`the first cell did not run: ${JSON.stringify(outcome)}`);
  }

  const kernel = await KernelProcess.start(KERNEL_OPTIONS);
  try {
    await kernel.run(FIRST_CELL, 'Cell 1', DISCARD);
    const roundTrip: number[] = [];
    for (let i = 0; i < options.cells; i++) {
      const started = performance.now();
      const outcome = await kernel.run('1 + 1', `Cell ${i + 2}`, DISCARD);
      roundTrip.push(performance.now() - started);
      if (outcome.status !== 'ok') throw new Error(`the trivial cell did not run: ${JSON.stringify(outcome)}`);
    }

    const chartRate: number[] = [];
    const driverLagTrain: number[] = [];
    const trainSeconds: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      // train()'s live chart: one display, then updateDisplay at most every 50 ms while it trains, and a last one for
      // the finished run. The rate counts the live updates over the time from the display to the last live update.
      const arrivals: number[] = [];
      const chartSink: OutputSink = { stream: () => undefined, display: () => void arrivals.push(performance.now()), updateDisplay: () => void arrivals.push(performance.now()) };
      const lag = monitorEventLoopDelay({ resolution: 10 });
      const started = performance.now();
      lag.enable();
      const outcome = await kernel.run(TRAIN_CELL, `Cell train ${round + 1}`, chartSink);
      trainSeconds.push((performance.now() - started) / 1000);
      lag.disable();
      if (outcome.status !== 'ok') throw new Error(`the train() cell failed: ${JSON.stringify(outcome)}`);
      const live = arrivals.slice(1, -1);
      if (live.length < 2) throw new Error(`train() sent ${live.length} live updates: too few to measure a rate (a faster machine needs more steps)`);
      chartRate.push(live.length / ((live[live.length - 1] - arrivals[0]) / 1000));
      driverLagTrain.push(lag.percentile(99) / 1e6);
    }

    const driverLagLogging: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      const outcome = await kernel.run(LOGGING_CELL(options.logSeconds), `Cell logging ${round + 1}`, DISCARD);
      lag.disable();
      if (outcome.status !== 'ok') throw new Error(`the logging cell failed: ${JSON.stringify(outcome)}`);
      driverLagLogging.push(lag.percentile(99) / 1e6);
    }
    return {
      start: { values: start, unit: 'ms' },
      ...(startCpu.length > 0 ? { startCpu: { values: startCpu, unit: 'ms' } } : {}),
      firstCell: { values: firstCell, unit: 'ms' },
      roundTrip: { values: roundTrip, unit: 'ms' },
      chartRate: { values: chartRate, unit: '/s' },
      trainSeconds: { values: trainSeconds, unit: 's' },
      driverLagTrain: { values: driverLagTrain, unit: 'ms' },
      driverLagLogging: { values: driverLagLogging, unit: 'ms' },
    };
  } finally {
    kernel.dispose();
  }
}

/** The .vsix as the vscode harness (and a release) packages it, from the current dist/. */
function measureVsix(): Figure {
  const file = packageVsix(ROOT, join(temporaryFolder('rnn-lab-bench-vsix-'), 'rnn-lab.vsix'));
  return { values: [statSync(file).size / 1e6], unit: 'MB' };
}

function editorFigures(figures: EditorFigures): Figures {
  return {
    editorTrainSeconds: { values: figures.rounds.map((round) => round.seconds), unit: 's' },
    editorLag: { values: figures.rounds.map((round) => round.lagP99Ms), unit: 'ms' },
    editorLagMax: { values: figures.rounds.map((round) => round.lagMaxMs), unit: 'ms' },
    editorHostCpu: { values: figures.rounds.map((round) => 100 * round.hostCpuShare), unit: '%' },
    editorCpuKernel: { values: figures.rounds.map((round) => 100 * round.cpuShares.kernel), unit: '%' },
    editorCpuBrowser: { values: figures.rounds.map((round) => 100 * round.cpuShares.browser), unit: '%' },
    editorCpuServer: { values: figures.rounds.map((round) => 100 * round.cpuShares['code-server']), unit: '%' },
    editorChartRate: { values: figures.rounds.map((round) => round.outputsPerSecond), unit: '/s' },
  };
}

async function measureMode(options: Options, withLoad: boolean, editor: { readonly profile?: string } | undefined): Promise<Figures> {
  const load = withLoad ? startBusyCore() : undefined;
  try {
    const figures = await measureKernel(options);
    return editor ? { ...figures, ...editorFigures(await measureEditor({ rounds: options.rounds, ...editor })) } : figures;
  } finally {
    await load?.stop();
  }
}

function formatValue(value: number, unit: Figure['unit']): string {
  if (unit === 'MB') return `${value.toFixed(2)} MB`;
  if (unit === '/s') return `${value.toFixed(1)}/s`;
  if (unit === '%') return `${value.toFixed(0)} %`;
  if (unit === 's') return `${value.toFixed(1)} s`;
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

function formatFigure(figure: Figure | undefined): string {
  if (!figure) return '—';
  if (figure.values.length === 1) return formatValue(figure.values[0], figure.unit);
  const numbers = [Math.min(...figure.values), median(figure.values), Math.max(...figure.values)];
  return `${numbers.map((value) => formatValue(value, figure.unit).replace(/ ?(ms|s|\/s|%)$/, '')).join(' / ')} ${figure.unit === '/s' ? '/s' : figure.unit} (${figure.values.length})`;
}

function report(quiet: Figures, loaded: Figures | undefined, vsix: Figure): string {
  const columns = ['', 'no load added: min / median / max (n)', ...(loaded ? ['one core kept busy: min / median / max (n)'] : []), 'budget'];
  const lines = ROWS.filter((row) => row.key === 'vsix' || quiet[row.key]).map((row) => {
    const figures = row.key === 'vsix' ? [vsix] : [quiet[row.key], ...(loaded ? [loaded[row.key]] : [])];
    const verdicts = figures.map((figure) => (figure && row.within ? (row.within(figure) ? ' ✓' : ' ✗ OVER') : ''));
    const cells = figures.map((figure, index) => formatFigure(figure) + verdicts[index]);
    if (row.key === 'vsix' && loaded) cells.push('');
    return [row.label, ...cells, row.budget];
  });
  const widths = columns.map((_, index) => Math.max(columns[index].length, ...lines.map((line) => line[index].length)));
  const format = (cells: readonly string[]) => cells.map((cell, index) => cell.padEnd(widths[index])).join('   ').trimEnd();
  return [format(columns), ...lines.map(format)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      starts: { type: 'string', default: '10' },
      cells: { type: 'string', default: '100' },
      rounds: { type: 'string', default: '3' },
      'log-seconds': { type: 'string', default: '4' },
      load: { type: 'boolean', default: false },
      editor: { type: 'boolean', default: false },
      'editor-profile': { type: 'string' },
    },
  });
  const options: Options = { starts: Number(values.starts), cells: Number(values.cells), rounds: Number(values.rounds), logSeconds: Number(values['log-seconds']) };
  for (const [name, value] of Object.entries(options)) if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const loadBefore = loadavg()[0];
  const vsix = measureVsix();
  // --editor-profile FILE: a CPU profile of the extension host during the first training round (no added load).
  const profile = values['editor-profile'];
  const editor = values.editor || profile ? { profile } : undefined;
  const quiet = await measureMode(options, false, editor);
  const loaded = values.load ? await measureMode(options, true, editor && { profile: undefined }) : undefined;
  console.log(`\nRNN Lab lesson budgets — Node ${process.version}, ${cpus().length} cores, load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`);
  console.log(report(quiet, loaded, vsix));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
