// Kernel layer: the display API of a lesson cell — `show.loss(run)`, `show.timeGradients(run)`, `show.heatmap(run)`,
// `show.gates(run)`, `show.hiddenStates(run)`, `show.table(rows)` — and `await train({...})`, which trains with the
// engine's Trainer inside the kernel and streams ONE live chart while it does. Pure: it writes outputs through the
// hooks the runtime gives it (the current request's display / updateDisplay / interrupted), so it runs in a Web
// Worker as well as in the child process.
import type { SequenceModel } from '../engine/model';
import type { Task } from '../engine/tasks/task';
import { Trainer, type Divergence, type StepMetrics, type TrainingConfig } from '../engine/trainer';
import { formatNumber } from '../shared/format';
import { hiddenStatesFor } from '../shared/hiddenStates';
import {
  CHART_MIME, HEATMAP_MIME, NOTEBOOK_OUTPUT_VERSION, MAX_RUNS_PER_OUTPUT,
  type ChartView, type HeatmapView, type NotebookRun,
} from '../shared/notebookOutput';
import { encodeNumber, type Direction, type HiddenStatesOf, type RunStatus, type WireNumber, type WireStep } from '../shared/protocol';
import { describeReach } from '../shared/reachReading';
import { RunHistory } from '../shared/runHistory';
import { makeRunInfo } from '../shared/runInfo';
import type { OutputItem } from './protocol';
import type { DisplayHooks } from './runtime';

/**
 * The live chart of `train()` is redrawn at most once per this many milliseconds. An update (about 100 KiB of JSON for
 * 1500 steps) takes ~6 ms to build, then crosses to the editor and a step may overshoot the moment, so 50 ms gives
 * 12–18 updates a second: above the issue's 10 on a loaded machine, and never a flood (one per step would be hundreds).
 */
export const LIVE_UPDATE_INTERVAL_MS = 50;

/** How a run ended; 'interrupted': the learner pressed Interrupt, and the run holds the steps trained so far. */
export type StopReason = 'done' | 'interrupted' | 'diverged';

/** Limits of the history a chart carries (the dashboard's replay, smaller: a cell output is narrower than a panel). */
const CHART_HISTORY = { maxScalars: 20_000, maxSeries: 40, maxReplayed: 1_000 } as const;

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A training run as `train()` returns it: its configuration, every step's metrics, the trained model, how it ended. */
export class LabRun {
  /** Every step's metrics, in order: loss, gradient norms, ‖∂L/∂a⟨t⟩‖ per time step (`gradientNorms`), gates. */
  readonly metrics: StepMetrics[] = [];
  stopReason: StopReason | undefined;
  /** Set when the run diverged: at which step, why, and which parameters `model` holds (the last good ones). */
  divergence: Divergence | undefined;
  /** Set when a step threw: the chart says so rather than 'training' for ever. */
  failure: string | undefined;
  readonly startedAt = new Date().toISOString();
  /** @internal the bounded history charts draw (the dashboard's). */
  readonly history = new RunHistory(CHART_HISTORY);

  constructor(readonly id: string, private readonly trainer: Trainer) {}

  get config(): TrainingConfig {
    return this.trainer.config;
  }

  get model(): SequenceModel {
    return this.trainer.model;
  }

  get task(): Task {
    return this.trainer.task;
  }

  /** Steps trained. */
  get steps(): number {
    return this.metrics.length;
  }

  /** The training loss of the last step (NaN before any). */
  get finalLoss(): number {
    return this.metrics[this.metrics.length - 1]?.loss ?? NaN;
  }

  /**
   * ‖∂L/∂a⟨t⟩‖ for t = 1…T at one step (default the last), for a layer (default 0) and direction: `values[0]` is
   * t = 1. `quantity: 'cell'` gives ‖∂L/∂c⟨t⟩‖ of an LSTM.
   */
  timeGradients(options: { step?: number; layer?: number; direction?: Direction; quantity?: 'hidden' | 'cell' } = {}): number[] {
    const step = options.step ?? this.steps;
    const metrics = this.metrics[step - 1];
    if (!metrics) throw new RangeError(`step ${step} was not trained: this run has steps 1 to ${this.steps}`);
    const layer = options.layer ?? 0;
    const direction = options.direction ?? 'forward';
    const series = metrics.gradientNorms.find((s) => s.layer === layer && s.direction === direction);
    if (!series) throw new RangeError(`layer ${layer} (${direction}) does not exist: the network has ${this.config.layers} layer${this.config.layers === 1 ? '' : 's'}${this.config.bidirectional ? ', both directions' : ', forward only'}`);
    if (options.quantity === 'cell') {
      if (!series.cell) throw new RangeError(`only an LSTM has a cell state c⟨t⟩; this run's cell is ${this.config.cell.toUpperCase()}`);
      return [...series.cell];
    }
    return [...series.hidden];
  }

  /**
   * a⟨t⟩ of a layer (default 0) and direction while the trained model reads the task's first validation input, as
   * `show.hiddenStates` draws them: `values[t][unit]`, `values[0]` being t = 1; `input.tokens` labels the time steps.
   */
  hiddenStates(options: { layer?: number; direction?: Direction } = {}): HiddenStatesOf<number> {
    return hiddenStatesFor(this.model, this.task, options.layer ?? 0, options.direction ?? 'forward', this.steps);
  }

  /** @internal adds a trained step. */
  record(metrics: StepMetrics): void {
    this.metrics.push(metrics);
    this.history.add(metrics);
  }

  /** The run's status in the dashboard's words, and the sentence that explains it. */
  status(): { status: RunStatus; message?: string } {
    if (this.failure !== undefined) return { status: 'error', message: this.failure };
    if (this.stopReason === undefined) return { status: 'running' };
    if (this.stopReason === 'diverged' && this.divergence) {
      const d = this.divergence;
      const kept = d.restoredAfterStep === 0 ? 'run.model holds the untrained parameters (no step before it was good)'
        : `run.model holds the parameters after step ${d.restoredAfterStep}, the last good ones (training loss ${formatNumber(d.restoredLoss)})`;
      return { status: 'diverged', message: `diverged at step ${d.step}: ${d.reason}; ${kept}` };
    }
    if (this.stopReason === 'interrupted') return { status: 'stopped', message: `interrupted after ${this.steps} of ${this.config.steps} steps; the run so far is returned` };
    return { status: 'done' };
  }

  /** One line for a printed run (a cell's last value): the engine's objects inside would print thousands of numbers. */
  toString(): string {
    const { status, message } = this.status();
    return `LabRun ${labelOf(this)}: ${this.steps} of ${this.config.steps} steps, ${message ?? status}, final training loss ${formatNumber(this.finalLoss)}`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}

function labelOf(run: LabRun): string {
  return makeRunInfo(run.id, run.config, run.startedAt, 'running').label;
}

/** The run as a chart's payload: the dashboard's description and downsampled history. */
function notebookRun(run: LabRun, series: 'none' | 'all' | 'latest', hiddenStates?: readonly HiddenStatesOf<WireNumber>[]): NotebookRun {
  const { status, message } = run.status();
  const info = makeRunInfo(run.id, run.config, run.startedAt, status, message, run.task.baselineLoss);
  let steps: WireStep[] = run.history.replay();
  if (series !== 'all') {
    const last = steps[steps.length - 1]?.step;
    steps = steps.map((step) => {
      if (series === 'latest' && step.step === last) return step;
      const { gradientNorms: _norms, gates: _gates, ...scalars } = step;
      return scalars;
    });
    if (series === 'latest' && last !== undefined && run.metrics[last - 1] && !steps[steps.length - 1].gates) {
      // The history keeps series on a few steps only; the gate chart wants the very last one.
      const latest = run.metrics[last - 1];
      steps[steps.length - 1] = { ...steps[steps.length - 1], gates: latest.gates.map((g) => ({ layer: g.layer, direction: g.direction, gates: g.gates.map((gate) => ({ gate: gate.gate, mean: gate.mean.map(encodeNumber), saturated: gate.saturated.map(encodeNumber) })) })) };
    }
  }
  return { info, steps, stepsRequested: run.config.steps, ...(hiddenStates ? { hiddenStates } : {}) };
}

/** What a chart states in words: the text/plain fallback, and what a screen reader or a headless run reads. */
function runSentence(run: LabRun): string {
  const label = labelOf(run);
  const { status, message } = run.status();
  if (run.steps === 0) return `${label}: no step trained yet.`;
  const validation = [...run.metrics].reverse().find((m) => m.validationLoss !== undefined)?.validationLoss;
  const progress = status === 'running' ? `training, step ${run.steps} of ${run.config.steps}` : `${run.steps} of ${run.config.steps} steps`;
  const baseline = run.task.baselineLoss;
  return `${label}: ${progress}, training loss ${formatNumber(run.finalLoss)} (${formatNumber(run.metrics[0].loss)} at step 1)`
    + (validation !== undefined ? `, validation loss ${formatNumber(validation)}` : '')
    + (baseline !== undefined ? `; a trivial predictor scores ${formatNumber(baseline)}` : '')
    + (message ? `. ${message[0].toUpperCase()}${message.slice(1)}.` : '.');
}

function reachSentence(run: LabRun, symbol = '‖∂L/∂a⟨t⟩‖'): string {
  const last = [...run.metrics].reverse().find((m) => m.gradientNorms.length > 0);
  const series = last?.gradientNorms.find((s) => s.layer === 0 && s.direction === 'forward');
  if (!last || !series) return `${labelOf(run)}: no gradient per time step recorded yet.`;
  return describeReach(labelOf(run), last.step, Float64Array.from(series.hidden), symbol);
}

function gateSentence(run: LabRun): string {
  const last = run.metrics[run.metrics.length - 1];
  const series = last?.gates.find((g) => g.layer === 0 && g.direction === 'forward');
  if (!last || !series) return `${labelOf(run)}: no gate statistics yet.`;
  const mean = (values: readonly number[]): number => values.filter(Number.isFinite).reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return `${labelOf(run)}, step ${last.step}, layer 1: on average over the time steps, ${series.gates.map((g) => `${g.gate} ${formatNumber(100 * mean(g.saturated))}% saturated`).join(', ')} (σ below 0.05 or above 0.95, |tanh| above 0.95).`;
}

function hiddenStatesSentence(run: LabRun, states: HiddenStatesOf<number>): string {
  let low = Infinity;
  let high = -Infinity;
  let saturated = 0;
  let count = 0;
  for (const row of states.values) {
    for (const v of row) {
      count++;
      if (!Number.isFinite(v)) continue;
      low = Math.min(low, v);
      high = Math.max(high, v);
      if (Math.abs(v) > 0.95) saturated++;
    }
  }
  const T = states.values.length;
  const H = states.values[0]?.length ?? 0;
  return `${labelOf(run)}, layer ${states.layer + 1} (${states.direction}), input ${states.input.label}: ${H} units over ${T} time steps, values from ${formatNumber(low)} to ${formatNumber(high)}; ${formatNumber((100 * saturated) / Math.max(1, count))}% of them beyond ±0.95.`;
}

function chartItems(mime: typeof CHART_MIME | typeof HEATMAP_MIME, view: ChartView | HeatmapView, runs: readonly NotebookRun[], text: string): OutputItem[] {
  return [
    { mime, data: JSON.stringify({ version: NOTEBOOK_OUTPUT_VERSION, view, runs }) },
    { mime: 'text/plain', data: text },
  ];
}

/** `show`'s argument: one run from `train()`, or a list of them to compare. */
function runsOf(value: unknown, what: string): LabRun[] {
  const list = Array.isArray(value) ? value : [value];
  const problem = list.length === 0 ? 'an empty list'
    : list.length > MAX_RUNS_PER_OUTPUT ? `${list.length} runs (at most ${MAX_RUNS_PER_OUTPUT} fit on one chart)`
      : list.findIndex((run) => !(run instanceof LabRun)) >= 0 ? describeValue(list.find((run) => !(run instanceof LabRun)))
        : '';
  if (problem) throw new TypeError(`${what} takes a run returned by \`await train({...})\`, or a list of them; it got ${problem}`);
  return list as LabRun[];
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return value instanceof Promise ? 'a Promise (write `await train(...)`)' : `an object (${Array.isArray(value) ? 'a list' : Object.keys(value).slice(0, 4).join(', ') || 'no fields'})`;
  return `a ${typeof value} (${String(value).slice(0, 40)})`;
}

/** The text of a table cell: numbers as the charts write them, other values as text, on one line. */
function cellText(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return String(value);
    }
  }
  return String(value).replace(/\r?\n/g, ' ');
}

/** Rows (objects, or lists of values) → the header and the text of each cell. */
function tableOf(rows: unknown): { header: string[]; cells: string[][] } {
  if (!Array.isArray(rows) || rows.length === 0) throw new TypeError(`show.table takes a non-empty list of rows (objects such as { cell: 'LSTM', loss: 0.01 }, or lists); it got ${Array.isArray(rows) ? 'an empty list' : describeValue(rows)}`);
  if (rows.every(Array.isArray)) {
    const width = Math.max(...rows.map((row) => row.length));
    return { header: Array.from({ length: width }, (_, i) => String(i + 1)), cells: rows.map((row) => Array.from({ length: width }, (_, i) => cellText(row[i]))) };
  }
  const bad = rows.findIndex((row) => typeof row !== 'object' || row === null || Array.isArray(row));
  if (bad >= 0) throw new TypeError(`show.table: row ${bad + 1} is ${describeValue(rows[bad])}; every row must be an object (or every row a list)`);
  const header: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (seen.has(key)) continue;
      seen.add(key);
      header.push(key);
    }
  }
  return { header, cells: rows.map((row) => header.map((key) => (Object.prototype.hasOwnProperty.call(row, key) ? cellText((row as Record<string, unknown>)[key]) : ''))) };
}

/** A Markdown table: `|` and `\` escaped, so a cell's text can never change the table's shape. */
export function markdownTable(rows: unknown): string {
  const { header, cells } = tableOf(rows);
  const escape = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|') || ' ';
  const line = (values: readonly string[]): string => `| ${values.map(escape).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- ').join('|')}|`, ...cells.map(line)].join('\n');
}

/** The same table as aligned plain text. */
function plainTable(rows: unknown): string {
  const { header, cells } = tableOf(rows);
  const widths = header.map((h, i) => Math.max([...h].length, ...cells.map((row) => [...row[i]].length)));
  const line = (values: readonly string[]): string => values.map((v, i) => v + ' '.repeat(widths[i] - [...v].length)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** Lets the runtime's event loop run (interrupt messages, outgoing displays) between training steps. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export interface DisplayApi {
  readonly show: {
    /** Training (solid) and validation (dotted) loss per step, with the task's trivial baseline. */
    loss(runs: LabRun | readonly LabRun[]): void;
    /** ‖∂L/∂a⟨t⟩‖ per time step on a log scale: the first and latest step of each run (or several steps of one). */
    timeGradients(runs: LabRun | readonly LabRun[]): void;
    /** ‖∂L/∂a⟨t⟩‖ over the recorded training steps (down) × time steps (across), one heatmap per run. */
    heatmap(runs: LabRun | readonly LabRun[]): void;
    /** Gate saturation over the time steps of the last step. */
    gates(run: LabRun): void;
    /** The hidden states a⟨t⟩ of every unit while the trained model reads the task's first validation input. */
    hiddenStates(run: LabRun): void;
    /** A table, as Markdown (and aligned plain text): rows of objects (columns from their keys) or lists. */
    table(rows: readonly unknown[]): void;
  };
  /** Trains with the engine's Trainer, streaming a live loss chart into the cell; resolves with the run. */
  train(config?: Partial<TrainingConfig>): Promise<LabRun>;
}

/** The display API for one kernel: `hooks` write into the output of whichever request is running. */
export function createDisplayApi(hooks: DisplayHooks): DisplayApi {
  let runs = 0;
  const session = Math.random().toString(36).slice(2, 8);

  const lossItems = (list: readonly LabRun[]): OutputItem[] =>
    chartItems(CHART_MIME, 'loss', list.map((run) => notebookRun(run, 'none')), `Loss. ${list.map(runSentence).join(' ')}`);

  const show: DisplayApi['show'] = {
    loss(value) {
      hooks.display(lossItems(runsOf(value, 'show.loss')));
    },
    timeGradients(value) {
      const list = runsOf(value, 'show.timeGradients');
      hooks.display(chartItems(CHART_MIME, 'timeGradients', list.map((run) => notebookRun(run, 'all')), `‖∂L/∂a⟨t⟩‖ per time step (log scale). ${list.map((run) => reachSentence(run)).join(' ')}`));
    },
    heatmap(value) {
      const list = runsOf(value, 'show.heatmap');
      hooks.display(chartItems(HEATMAP_MIME, 'timeGradients', list.map((run) => notebookRun(run, 'all')),
        `Heatmap of ‖∂L/∂a⟨t⟩‖ over training steps (down) and time steps t (across). ${list.map((run) => reachSentence(run)).join(' ')}`));
    },
    gates(value) {
      const [run] = runsOf(value, 'show.gates');
      if (Array.isArray(value) && value.length > 1) throw new TypeError('show.gates draws one run at a time: call it once per run');
      hooks.display(chartItems(CHART_MIME, 'gates', [notebookRun(run, 'latest')], `Gate saturation. ${gateSentence(run)}`));
    },
    hiddenStates(value) {
      const [run] = runsOf(value, 'show.hiddenStates');
      if (Array.isArray(value) && value.length > 1) throw new TypeError('show.hiddenStates draws one run at a time: call it once per run');
      const { layers, bidirectional } = run.config;
      const directions: Direction[] = bidirectional ? ['forward', 'reverse'] : ['forward'];
      const all = Array.from({ length: layers }, (_, layer) => directions.map((direction) => run.hiddenStates({ layer, direction }))).flat();
      const encoded = all.map((states) => ({ ...states, values: states.values.map((row) => row.map(encodeNumber)) }));
      hooks.display(chartItems(HEATMAP_MIME, 'hiddenStates', [notebookRun(run, 'none', encoded)], `Hidden states a⟨t⟩. ${hiddenStatesSentence(run, all[0])}`));
    },
    table(rows) {
      hooks.display([{ mime: 'text/markdown', data: markdownTable(rows) }, { mime: 'text/plain', data: plainTable(rows) }]);
    },
  };

  async function train(config: Partial<TrainingConfig> = {}): Promise<LabRun> {
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new TypeError(`train takes a configuration object such as { task: 'adding', cell: 'lstm', steps: 300 }; it got ${describeValue(config)}`);
    const trainer = new Trainer(config);   // a ConfigError names the field and its allowed values
    const run = new LabRun(`run-${session}-${++runs}`, trainer);
    const displayId = `rnn-lab-train-${run.id}`;
    hooks.display(lossItems([run]), displayId);
    let lastUpdate = performance.now();
    try {
      while (!trainer.done) {
        if (hooks.interrupted()) {
          run.stopReason = 'interrupted';
          break;
        }
        run.record(trainer.step());
        if (performance.now() - lastUpdate >= LIVE_UPDATE_INTERVAL_MS) {
          hooks.updateDisplay(displayId, lossItems([run]));
          lastUpdate = performance.now();
          await yieldToEventLoop();
        }
      }
    } catch (error) {
      run.failure = `step ${run.steps + 1} failed: ${error instanceof Error ? error.message : String(error)}`;
      hooks.updateDisplay(displayId, lossItems([run]));
      throw error;
    }
    if (run.stopReason === undefined) {
      run.divergence = trainer.divergence;
      run.stopReason = trainer.divergence ? 'diverged' : 'done';
    }
    hooks.updateDisplay(displayId, lossItems([run]));
    return run;
  }

  return { show, train };
}
