// Benchmark (issue #4): `npm run bench` — our engine against PyTorch, numpy, TensorFlow.js and brain.js on workloads
// W1–W4 of issue #4 (scripts/bench/workloads.ts), each in its own child process, in interleaved rounds, quiet and then
// with one core kept busy (issue #11); prints medians, GFLOP/s, ratios at equal thread counts, the spread of the rounds
// and peak memory (`--json FILE` writes the same). Not part of `npm test`; docs/performance.md explains the options.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleRunners, ROOT, type RunnerBundles } from './bundle';
import { CHARACTER_WARMUP_STEPS, checkGuard, type Verdict } from './guard';
import { makeFixture } from './makeFixtures';
import type { FromRunner, ImplementationId, ToRunner } from './protocol';
import { PYTHON, pythonEnvironment, threadVariables } from './python';
import { RunnerProcess, TimeoutError } from './runnerProcess';
import { startBusyCore } from './busyCore';
import {
  buildRows, buildSpreadRows, buildTargetRow, median, resultsTable, spreadTable, TABLE_FOOTNOTE, targetTable,
  type Condition, type Measurement, type Row, type SpreadRow,
} from './report';
import { matrixFlopsPerStep, selectWorkloads, type Workload } from './workloads';

/** Time the busy process gets to start spinning before the loaded rounds begin. */
const BUSY_SETTLE_MS = 300;
/** Uncapped runners (ours and the references) still get this long per request before we call them hung. */
const HANG_LIMIT_MS = 30 * 60 * 1000;

interface Implementation {
  readonly id: ImplementationId;
  readonly runner: 'engine' | 'tfjs' | 'brain' | 'python';
  /** Peers are cut off at the time cap; our engine and the references (PyTorch float32, numpy) always finish. */
  readonly capped: boolean;
  /** Timed again with one core kept busy (`--load`): ours and PyTorch float32; the slow peers would take minutes. */
  readonly underLoad: boolean;
  readonly appliesTo: (w: Workload) => boolean;
}

const IMPLEMENTATIONS: readonly Implementation[] = [
  { id: 'engine', runner: 'engine', capped: false, underLoad: true, appliesTo: () => true },
  { id: 'engine-1t', runner: 'engine', capped: false, underLoad: true, appliesTo: () => true },
  { id: 'pytorch', runner: 'python', capped: false, underLoad: true, appliesTo: () => true },
  { id: 'pytorch-2t', runner: 'python', capped: false, underLoad: true, appliesTo: () => true },
  { id: 'pytorch-f64', runner: 'python', capped: true, underLoad: false, appliesTo: () => true },
  { id: 'numpy', runner: 'python', capped: false, underLoad: false, appliesTo: (w) => w.kind === 'character' },
  { id: 'tfjs-wasm', runner: 'tfjs', capped: true, underLoad: false, appliesTo: () => true },
  { id: 'tfjs-cpu', runner: 'tfjs', capped: true, underLoad: false, appliesTo: () => true },
  { id: 'brain.js', runner: 'brain', capped: true, underLoad: false, appliesTo: () => true },
];

interface Options {
  readonly quick: boolean;
  readonly workloads: Workload[];
  readonly implementations: Implementation[];
  readonly json: string | undefined;
  readonly capMs: number;
  /** Rounds for W1–W3; W4 gets fewer (its steps are long). */
  readonly rounds: number;
  readonly w4Rounds: number;
  /** Steps per round aim at this much time per implementation. */
  readonly roundTargetMs: number;
  readonly warmupMs: number;
  /** After the quiet rounds, the same rounds again with one core kept busy by another process. */
  readonly load: boolean;
  readonly verbose: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    allowNegative: true,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      impl: { type: 'string' },
      json: { type: 'string' },
      cap: { type: 'string' },
      rounds: { type: 'string' },
      load: { type: 'boolean', default: true },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log([
      'npm run bench -- [--quick] [--only W1,W2,W3,W4] [--impl engine,pytorch,...] [--json FILE] [--cap SECONDS] [--rounds N] [--no-load] [--verbose]',
      `implementations: ${IMPLEMENTATIONS.map((i) => i.id).join(', ')}`,
      'See docs/performance.md.',
    ].join('\n'));
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const positive = (text: string | undefined, name: string, fallback: number): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!(value > 0)) throw new RangeError(`--${name} must be a positive number, got '${text}'`);
    return value;
  };
  let implementations = [...IMPLEMENTATIONS];
  if (values.impl !== undefined) {
    const names = values.impl.split(',').map((s) => s.trim()).filter(Boolean);
    for (const name of names) {
      if (!IMPLEMENTATIONS.some((i) => i.id === name)) throw new RangeError(`--impl: unknown implementation '${name}': expected ${IMPLEMENTATIONS.map((i) => i.id).join(', ')}`);
    }
    implementations = IMPLEMENTATIONS.filter((i) => names.includes(i.id));
  }
  const rounds = Math.round(positive(values.rounds, 'rounds', quick ? 2 : 7));
  return {
    quick,
    workloads: selectWorkloads(values.only),
    implementations,
    json: values.json,
    capMs: positive(values.cap, 'cap', quick ? 20 : 60) * 1000,
    rounds,
    w4Rounds: values.rounds !== undefined ? rounds : quick ? 1 : 3,
    roundTargetMs: quick ? 200 : 1000,
    warmupMs: quick ? 200 : 1000,
    load: values.load ?? true,
    verbose: values.verbose ?? false,
  };
}

// ---------------------------------------------------------------- child processes

// ---------------------------------------------------------------- measuring

interface Active {
  readonly implementation: Implementation;
  readonly process: RunnerProcess;
  readonly measurement: Measurement;
  /** Time this runner has been busy on the workload (setup, warm-up, rounds): what the cap limits. */
  usedMs: number;
  estimateMs: number;
  done: boolean;
}

function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}

function newMeasurement(workload: Workload, implementation: ImplementationId, condition: Condition = 'quiet'): Measurement {
  return { workload: workload.id, implementation, condition, status: 'ok', detail: '', versions: {}, times: [], roundMedians: [], warmupTimes: [], warmupLosses: [], notes: [] };
}

/** What is left of a capped runner's time (Infinity when uncapped). */
function remainingMs(active: Active, options: Options): number {
  return active.implementation.capped ? options.capMs - active.usedMs : Number.POSITIVE_INFINITY;
}

/** One request, its time charged to the runner; a capped runner is killed (TimeoutError) when it overruns the cap. */
async function timedRequest(active: Active, message: ToRunner, options: Options): Promise<FromRunner> {
  const timeout = active.implementation.capped ? remainingMs(active, options) + 2000 : HANG_LIMIT_MS;
  const started = Date.now();
  try {
    return await active.process.request(message, timeout);
  } finally {
    active.usedMs += Date.now() - started;
  }
}

async function steps(active: Active, count: number, options: Options): Promise<{ times: readonly number[]; losses: readonly number[] }> {
  const reply = await timedRequest(active, { op: 'steps', count }, options);
  if (reply.op !== 'steps') throw new Error(`expected a 'steps' reply, got '${reply.op}'`);
  return reply;
}

function markCut(active: Active, note: string, unfinishedSinceMs?: number): void {
  const m = active.measurement;
  m.status = 'cut-off';
  m.notes.push(note);
  if (m.times.length === 0 && m.warmupTimes.length === 0 && unfinishedSinceMs !== undefined) m.lowerBoundMs = Date.now() - unfinishedSinceMs;
  active.done = true;
}

/** Starts and sets up one runner, then warms it up; returns null when it failed or ran out of time. */
async function start(implementation: Implementation, workload: Workload, fixture: string, options: Options, bundles: RunnerBundles,
  pythonEnv: NodeJS.ProcessEnv, measurements: Measurement[]): Promise<Active | null> {
  const m = newMeasurement(workload, implementation.id);
  measurements.push(m);
  const label = `${implementation.id}/${workload.id}`;
  const env = implementation.id === 'pytorch-2t' ? { ...pythonEnv, ...threadVariables(2) } : pythonEnv;
  const proc = implementation.runner === 'python'
    ? new RunnerProcess(PYTHON, [join(ROOT, 'scripts', 'bench', 'torchRunner.py')], env, label, options.verbose)
    : new RunnerProcess(process.execPath, [bundles[implementation.runner]], process.env, label, options.verbose);
  const active: Active = { implementation, process: proc, measurement: m, usedMs: 0, estimateMs: 0, done: false };
  let stepStartedAt = Date.now();
  try {
    const ready = await timedRequest(active, { op: 'setup', implementation: implementation.id, workload: workload.id, spec: workload, fixture }, options);
    if (ready.op !== 'ready') throw new Error(`expected 'ready', got '${ready.op}'`);
    m.detail = ready.detail;
    m.versions = { ...ready.versions };
    if (ready.threads !== undefined) m.threads = ready.threads;
    // Warm-up: one step alone (its time sizes the rest), then enough for the guard and about warmupMs.
    const minimum = workload.kind === 'character' ? CHARACTER_WARMUP_STEPS : 2;
    stepStartedAt = Date.now();
    let reply = await steps(active, 1, options);
    m.warmupTimes.push(...reply.times);
    m.warmupLosses.push(...reply.losses);
    while (m.warmupTimes.length < minimum || m.warmupTimes.reduce((a, b) => a + b, 0) < options.warmupMs) {
      const estimate = median(m.warmupTimes.slice(-5));
      const wanted = Math.max(minimum - m.warmupTimes.length, Math.ceil((options.warmupMs - m.warmupTimes.reduce((a, b) => a + b, 0)) / estimate), 1);
      const count = Math.min(wanted, 1000);
      if (estimate * count > remainingMs(active, options)) {
        if (m.warmupTimes.length >= minimum) break;
        markCut(active, `time cap (${options.capMs / 1000} s) reached during warm-up after ${m.warmupTimes.length} step(s)`);
        return active;
      }
      stepStartedAt = Date.now();
      reply = await steps(active, count, options);
      m.warmupTimes.push(...reply.times);
      m.warmupLosses.push(...reply.losses);
    }
    active.estimateMs = median(m.warmupTimes.slice(-5));
    return active;
  } catch (error) {
    if (error instanceof TimeoutError) {
      const where = !m.detail ? 'during setup' : m.warmupTimes.length === 0 ? 'during warm-up: no step finished' : `during warm-up after ${m.warmupTimes.length} step(s)`;
      markCut(active, `time cap (${options.capMs / 1000} s) reached ${where}`, m.detail ? stepStartedAt : undefined);
      if (!m.detail) m.detail = '(did not finish setting up)';
      return active;
    }
    m.status = 'failed';
    m.notes.push((error as Error).message.split('\n')[0]);
    proc.kill();
    return null;
  }
}

/** Interleaved rounds: each active runner in turn runs about `roundTargetMs` of steps, the order rotating. */
async function timeRounds(actives: Active[], rounds: number, options: Options, label: string): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const order = actives.map((_, i) => actives[(i + round) % actives.length]);  // rotate who goes first
    for (const active of order) {
      if (active.done) continue;
      const m = active.measurement;
      const remaining = remainingMs(active, options);
      if (remaining < active.estimateMs) {
        markCut(active, `time cap (${options.capMs / 1000} s) reached after ${round} of ${rounds} round(s)`);
        continue;
      }
      let count = Math.max(1, Math.round(options.roundTargetMs / active.estimateMs));
      if (active.implementation.capped) count = Math.max(1, Math.min(count, Math.floor(remaining / active.estimateMs)));
      try {
        const reply = await steps(active, count, options);
        // (brain.js's error may overflow harmlessly; its runner fails the step itself when its weights diverge.)
        if (active.implementation.id !== 'brain.js' && !reply.losses.every(Number.isFinite)) throw new Error(`non-finite loss while timing: ${reply.losses.join(', ')}`);
        m.times.push(...reply.times);
        m.roundMedians.push(median(reply.times));
        active.estimateMs = median(reply.times);
      } catch (error) {
        if (error instanceof TimeoutError) markCut(active, `time cap (${options.capMs / 1000} s) reached in round ${round + 1}`);
        else {
          m.status = 'failed';
          m.notes.push((error as Error).message.split('\n')[0]);
          active.done = true;
          active.process.kill();
        }
      }
    }
    progress(`  ${label}round ${round + 1}/${rounds}: ${actives.map((a) => `${a.implementation.id} ${a.measurement.roundMedians.length > round ? a.measurement.roundMedians[round].toFixed(1) : '—'}`).join(', ')}`);
  }
}

async function measureWorkload(workload: Workload, options: Options, bundles: RunnerBundles, pythonEnv: NodeJS.ProcessEnv,
  workDir: string, measurements: Measurement[], verdicts: Verdict[]): Promise<boolean> {
  const fixture = join(workDir, workload.id);
  makeFixture(workload, fixture);
  progress(`\n${workload.title} — ${(matrixFlopsPerStep(workload) / 1e9).toPrecision(4)} GFLOP per step; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const actives: Active[] = [];
  for (const implementation of options.implementations.filter((i) => i.appliesTo(workload))) {
    progress(`  setting up ${implementation.id}…`);
    const active = await start(implementation, workload, fixture, options, bundles, pythonEnv, measurements);
    if (!active) {
      progress(`  ${implementation.id}: left out — ${measurements[measurements.length - 1].notes.join('; ')}`);
      continue;
    }
    actives.push(active);
    const w = active.measurement.warmupTimes;
    progress(`  ${implementation.id}: ${active.measurement.detail}; warm-up ${w.length} step(s), last ${w.length ? w[w.length - 1].toFixed(1) : '—'} ms${active.done ? ' (cut off)' : ''}`);
  }
  const workloadVerdicts = checkGuard(workload, measurements);
  verdicts.push(...workloadVerdicts);
  for (const v of workloadVerdicts) progress(`  guard ${v.level.toUpperCase()} ${v.implementation}: ${v.message}`);
  if (workloadVerdicts.some((v) => v.level === 'fail')) {
    for (const a of actives) a.process.kill();
    return false;
  }
  for (const v of workloadVerdicts.filter((x) => x.level === 'exclude')) {
    const active = actives.find((a) => a.implementation.id === v.implementation)!;
    active.measurement.status = 'failed';
    active.measurement.notes.push(v.message);
    active.done = true;
    active.process.kill();
  }

  const rounds = workload.id === 'W4' ? options.w4Rounds : options.rounds;
  await timeRounds(actives, rounds, options, '');
  if (options.load) {
    // The same runners, warm, timed again while another process keeps one core busy; their quiet rows stay as they are.
    const loaded = actives.filter((a) => a.implementation.underLoad && !a.done).map((a) => {
      const m = newMeasurement(workload, a.implementation.id, 'one core busy');
      m.detail = a.measurement.detail;
      m.versions = a.measurement.versions;
      if (a.measurement.threads !== undefined) m.threads = a.measurement.threads;
      measurements.push(m);
      return { ...a, measurement: m };
    });
    if (loaded.length > 0) {
      const busy = startBusyCore();
      try {
        await new Promise((resolve) => setTimeout(resolve, BUSY_SETTLE_MS));
        progress(`  one core kept busy (process ${busy.pid}):`);
        await timeRounds(loaded, rounds, options, 'busy ');
      } finally {
        await busy.stop();
      }
    }
  }

  for (const active of actives) {
    const m = active.measurement;
    try {
      const reply = await active.process.request({ op: 'memory' }, 10_000);
      if (reply.op === 'memory') {
        m.peakRssKiB = reply.peakRssKiB;
        m.baselineRssKiB = reply.baselineRssKiB;
      }
      await active.process.close();
    } catch {
      const peak = active.process.peakRssKiBBeforeKill;
      if (peak !== undefined) m.peakRssKiB = peak;
    }
  }
  return true;
}

// ---------------------------------------------------------------- the machine and the report

interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly kernel: string;
  readonly memoryGiB: number;
  readonly avx512: boolean;
  readonly loadBefore: number[];
  loadAfter: number[];
  readonly startedAt: string;
}

function machineInfo(): MachineInfo {
  let avx512 = false;
  try {
    avx512 = /\bavx512f\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    // not Linux
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, kernel: release(),
    memoryGiB: Math.round(totalmem() / 1024 ** 3), avx512, loadBefore: loadavg(), loadAfter: [], startedAt: new Date().toISOString(),
  };
}

function machineLine(machine: MachineInfo): string {
  return `${machine.cpu}, ${machine.cores} cores${machine.avx512 ? ' (AVX-512)' : ''}, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}; ` +
    `load average before ${machine.loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${machine.loadAfter.map((l) => l.toFixed(2)).join(' ')}`;
}

function report(machine: MachineInfo, options: Options, rows: Row[], spreadRows: SpreadRow[], workloads: readonly Workload[],
  measurements: Measurement[], notes: string[], command: string): string {
  const lines = [
    `RNN Lab benchmark — ${command}`,
    `machine: ${machineLine(machine)}`,
    `mode: ${options.quick ? 'quick' : 'full'}, ${options.rounds} rounds (W4: ${options.w4Rounds}), ~${options.roundTargetMs} ms per implementation per round, time cap ${options.capMs / 1000} s per peer per workload` +
      `${options.load ? '; then the same rounds with one core kept busy by another process' : '; no rounds with a core kept busy (--no-load)'}`,
    '',
    resultsTable(rows),
    '',
    TABLE_FOOTNOTE,
    'ms/step and steps/s: median over all timed steps; GFLOP/s: matrix FLOPs of forward + backward (scripts/bench/workloads.ts) ÷ that time;',
    'time ÷ X: this row\'s median time over X\'s on the same workload (> 1 is slower); PyTorch = float32, one thread.',
    'peak RSS: the runner process\'s maximum resident set size (its size before the workload was set up in parentheses).',
    'memory ÷ needed: (peak RSS − size before setup) ÷ the float32 bytes a step cannot do without (parameters, gradients, what BPTT keeps).',
    '',
    'Equal threads, load and spread (issue #11): every measurement, on the quiet machine and with one core kept busy by another process.',
    '',
    spreadTable(spreadRows),
    '',
    'time ÷ PyTorch, same threads: this row\'s ms/step over PyTorch float32\'s on as many threads (pytorch: 1, pytorch-2t: 2), same machine state.',
    'round medians: the median of each round\'s steps; their min / median / max and max ÷ min show a bimodal run (a slow mode) as such.',
    '',
    'Issue #11\'s targets, read from this run (engine: the threads training takes; engine-1t: one thread):',
    '',
    targetTable(workloads.map((w) => buildTargetRow(w, spreadRows))),
    '',
    'implementations:',
  ];
  const seen = new Set<string>();
  for (const m of measurements) {
    const key = `${m.implementation}: ${m.detail}`;
    if (m.detail && !seen.has(key)) {
      seen.add(key);
      const versions = Object.entries(m.versions).map(([k, v]) => `${k} ${v}`).join(', ');
      lines.push(`  ${m.implementation} (${m.workload}): ${m.detail}${versions ? ` [${versions}]` : ''}`);
    }
  }
  const measurementNotes = measurements.filter((m) => m.notes.length > 0).map((m) => `  ${m.workload} ${m.implementation}: ${m.notes.join('; ')}`);
  if (notes.length + measurementNotes.length > 0) lines.push('', 'notes:', ...notes.map((n) => `  ${n}`), ...measurementNotes);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const machine = machineInfo();
  const notes: string[] = [];
  progress(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${(freemem() / 1024 ** 3).toFixed(1)} GiB free; load average ${machine.loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  if (options.implementations.some((i) => i.id === 'brain.js')) {
    try {
      require.resolve('brain.js');
    } catch {
      notes.push('brain.js is not installed (npm install): left out');
      options.implementations.splice(options.implementations.findIndex((i) => i.id === 'brain.js'), 1);
    }
  }
  const bundles = await bundleRunners();
  const pythonEnv = options.implementations.some((i) => i.runner === 'python') ? pythonEnvironment(notes) : process.env;
  if (!existsSync(PYTHON) && options.implementations.some((i) => i.runner === 'python')) {
    notes.push(`${PYTHON} not found: PyTorch and numpy left out`);
    options.implementations.splice(0, options.implementations.length, ...options.implementations.filter((i) => i.runner !== 'python'));
  }
  const workDir = mkdtempSync(join(tmpdir(), 'rnn-lab-bench-'));
  const measurements: Measurement[] = [];
  const verdicts: Verdict[] = [];
  const timed: Workload[] = [];
  let guardPassed = true;
  try {
    for (const workload of options.workloads) {
      if (!(await measureWorkload(workload, options, bundles, pythonEnv, workDir, measurements, verdicts))) {
        guardPassed = false;
        break;
      }
      timed.push(workload);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  machine.loadAfter = loadavg();
  if (!guardPassed) {
    const failures = verdicts.filter((v) => v.level === 'fail');
    console.error(`\nCorrectness guard failed — nothing was timed for that workload:\n${failures.map((v) => `  ${v.implementation}: ${v.message}`).join('\n')}`);
    process.exitCode = 1;
  }
  const rows = timed.flatMap((w) => buildRows(w, measurements));
  const spreadRows = timed.flatMap((w) => buildSpreadRows(w, measurements));
  const text = report(machine, options, rows, spreadRows, timed, measurements, notes, command);
  console.log(`\n${text}`);
  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify({
      command, machine, options: { quick: options.quick, rounds: options.rounds, w4Rounds: options.w4Rounds, capSeconds: options.capMs / 1000, roundTargetMs: options.roundTargetMs, load: options.load },
      workloads: options.workloads.map((w) => ({ ...w, matrixFlopsPerStep: matrixFlopsPerStep(w) })),
      rows, spreadRows, targets: timed.map((w) => buildTargetRow(w, spreadRows)), measurements, guard: verdicts, notes,
    }, null, 1)}\n`);
    progress(`wrote ${options.json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
