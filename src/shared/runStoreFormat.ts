// Shared layer (pure): the format of a training run folder — config.json, metrics.jsonl, model.json, summary.json —
// as the CLI, the extension host and the training worker write and read it. Encoding keeps a diverged loss (NaN,
// ±Infinity) through JSON; parsing checks every field and names the first bad one. No I/O here: src/node/runFolder.ts
// writes the files, src/cli/runFiles.ts and src/extension/host/runStore.ts read them.
import type { Divergence } from '../engine/divergence';
import type { GateSeriesMetrics, GradientNormSeries, StepMetrics } from '../engine/trainer';
import { LEGACY_FORGET_BIAS, resolveTrainingConfig, type TrainingConfig } from '../engine/trainingConfig';
import { decodeNumber, encodeNumber, isWireNumber } from './protocol';

export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  model: 'model.json',
  /** The model's weights as float64 little-endian, beside model.json (which gives each parameter's offset). */
  weights: 'weights.bin',
  summary: 'summary.json',
} as const;

/** How a run ended: all its steps, stopped by the user, a step that threw, or stopped because it blew up. */
export type StopReason = 'completed' | 'interrupted' | 'error' | 'diverged';
const STOP_REASONS: readonly StopReason[] = ['completed', 'interrupted', 'error', 'diverged'];

/** What `rnn-lab train` and the extension record about a run as a whole (summary.json). */
export interface RunSummary {
  readonly stepsRequested: number;
  readonly stepsCompleted: number;
  /** True when the run ended before `stepsRequested` (Ctrl-C, Stop, an error, or divergence). */
  readonly stoppedEarly: boolean;
  readonly stopReason: StopReason;
  readonly error?: string;
  /** Set when stopReason is 'diverged': why, and which parameters the saved model holds (the last good ones). */
  readonly divergence?: Divergence;
  /** Training loss of the last step (NaN or ±Infinity when it diverged). */
  readonly finalLoss: number;
  /** The most recent validation loss, if any step measured one. */
  readonly finalValidationLoss?: number;
  readonly bestValidationLoss?: number;
  /** The loss of the task's trivial predictor, when it has one. */
  readonly baselineLoss?: number;
  /** Steps whose update was skipped because the loss or a gradient was not finite. */
  readonly skippedSteps: number;
  readonly millisecondsPerStep: number;
  readonly stepsPerSecond: number;
  readonly wallSeconds: number;
  /** ISO 8601 times. */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** RNN Lab version that trained the run. */
  readonly version: string;
  /**
   * What the layers computed in — "float32 WebAssembly SIMD on 2 threads", with the step where a run went on in
   * float64 if it did. Absent in runs saved before it was recorded.
   */
  readonly computedIn?: string;
}

/**
 * JSON with non-finite numbers kept: JSON.stringify would write NaN and ±Infinity as null, losing the fact that
 * training diverged, so they are written as the strings "NaN", "Infinity", "-Infinity" — the protocol's WireNumber,
 * the same encoding the dashboard receives. Readers turn them back with `readNumber`, only where a number is
 * expected, so a string field can never be mistaken for one.
 */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? encodeNumber(v) : v), indent);
}

/** A number written by `toJson`; anything else is an Error naming the field. */
export function readNumber(value: unknown, field: string): number {
  if (isWireNumber(value)) return decodeNumber(value);
  throw new Error(`${field}: expected a number, got ${describe(value)}`);
}

/** Parses the text of a JSON run file; a syntax error becomes an Error that names the file. */
export function parseJsonText(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * config.json: a training configuration, checked by the engine's own rules. A run saved before `forgetBias` was
 * written trained its LSTM with the bias the trainer then always set (LEGACY_FORGET_BIAS), so that is what it reads.
 */
export function parseConfig(json: unknown): TrainingConfig {
  const fields = record(json, 'config');
  if (typeof fields.task !== 'string') throw new Error(`config.task: expected a task name, got ${describe(fields.task)}`);
  try {
    return resolveTrainingConfig({ forgetBias: LEGACY_FORGET_BIAS, ...fields } as Partial<TrainingConfig>);
  } catch (error) {
    throw new Error(`config: ${(error as Error).message}`);
  }
}

/** metrics.jsonl: one StepMetrics per line; an Error names the file, line and field of the first bad entry. */
export function parseMetricsLines(text: string, source = 'metrics'): StepMetrics[] {
  const metrics: StepMetrics[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${source}:${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: not valid JSON (${(error as Error).message})`);
    }
    try {
      metrics.push(parseStepMetrics(json));
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
  });
  return metrics;
}

export function parseStepMetrics(json: unknown): StepMetrics {
  const m = record(json, 'step');
  const step = readNumber(m.step, 'step');
  if (!Number.isInteger(step) || step < 1) throw new Error(`step: expected a whole number ≥ 1, got ${describe(m.step)}`);
  if (typeof m.clipped !== 'boolean') throw new Error(`clipped: expected true or false, got ${describe(m.clipped)}`);
  if (m.skipped !== undefined && typeof m.skipped !== 'string') throw new Error(`skipped: expected text, got ${describe(m.skipped)}`);
  return {
    step,
    loss: readNumber(m.loss, 'loss'),
    ...(m.validationLoss !== undefined ? { validationLoss: readNumber(m.validationLoss, 'validationLoss') } : {}),
    gradientNorm: readNumber(m.gradientNorm, 'gradientNorm'),
    clippedGradientNorm: readNumber(m.clippedGradientNorm, 'clippedGradientNorm'),
    clipped: m.clipped,
    ...(m.skipped !== undefined ? { skipped: m.skipped } : {}),
    gradientNorms: list(m.gradientNorms, 'gradientNorms').map((entry, i) => parseGradientSeries(entry, `gradientNorms[${i}]`)),
    gates: list(m.gates, 'gates').map((entry, i) => parseGateSeries(entry, `gates[${i}]`)),
    milliseconds: readNumber(m.milliseconds, 'milliseconds'),
  };
}

function parseGradientSeries(json: unknown, field: string): GradientNormSeries {
  const s = record(json, field);
  return {
    layer: layerIndex(s.layer, `${field}.layer`),
    direction: direction(s.direction, `${field}.direction`),
    hidden: numbers(s.hidden, `${field}.hidden`),
    ...(s.cell !== undefined ? { cell: numbers(s.cell, `${field}.cell`) } : {}),
  };
}

function parseGateSeries(json: unknown, field: string): GateSeriesMetrics {
  const s = record(json, field);
  return {
    layer: layerIndex(s.layer, `${field}.layer`),
    direction: direction(s.direction, `${field}.direction`),
    gates: list(s.gates, `${field}.gates`).map((entry, i) => {
      const where = `${field}.gates[${i}]`;
      const g = record(entry, where);
      if (typeof g.gate !== 'string') throw new Error(`${where}.gate: expected a gate name, got ${describe(g.gate)}`);
      return { gate: g.gate, mean: numbers(g.mean, `${where}.mean`), saturated: numbers(g.saturated, `${where}.saturated`) };
    }),
  };
}

/** summary.json, as `rnn-lab train` writes it. */
export function parseSummary(json: unknown, source = 'summary'): RunSummary {
  const s = record(json, source);
  const text = (key: string): string => {
    if (typeof s[key] !== 'string') throw new Error(`${source}.${key}: expected text, got ${describe(s[key])}`);
    return s[key] as string;
  };
  const optionalNumber = (key: string): number | undefined => (s[key] === undefined ? undefined : readNumber(s[key], `${source}.${key}`));
  const stopReason = STOP_REASONS.find((reason) => reason === s.stopReason);
  if (stopReason === undefined) throw new Error(`${source}.stopReason: expected one of ${STOP_REASONS.join(', ')}, got ${describe(s.stopReason)}`);
  let divergence: Divergence | undefined;
  if (s.divergence !== undefined) {
    const d = record(s.divergence, `${source}.divergence`);
    if (typeof d.reason !== 'string') throw new Error(`${source}.divergence.reason: expected text, got ${describe(d.reason)}`);
    divergence = {
      step: readNumber(d.step, `${source}.divergence.step`), reason: d.reason,
      restoredAfterStep: readNumber(d.restoredAfterStep, `${source}.divergence.restoredAfterStep`),
      restoredLoss: readNumber(d.restoredLoss, `${source}.divergence.restoredLoss`),
    };
  }
  if (typeof s.stoppedEarly !== 'boolean') throw new Error(`${source}.stoppedEarly: expected true or false, got ${describe(s.stoppedEarly)}`);
  return {
    stepsRequested: readNumber(s.stepsRequested, `${source}.stepsRequested`),
    stepsCompleted: readNumber(s.stepsCompleted, `${source}.stepsCompleted`),
    stoppedEarly: s.stoppedEarly,
    stopReason,
    ...(s.error !== undefined ? { error: text('error') } : {}),
    ...(divergence ? { divergence } : {}),
    finalLoss: readNumber(s.finalLoss, `${source}.finalLoss`),
    finalValidationLoss: optionalNumber('finalValidationLoss'),
    bestValidationLoss: optionalNumber('bestValidationLoss'),
    baselineLoss: optionalNumber('baselineLoss'),
    skippedSteps: readNumber(s.skippedSteps, `${source}.skippedSteps`),
    millisecondsPerStep: readNumber(s.millisecondsPerStep, `${source}.millisecondsPerStep`),
    stepsPerSecond: readNumber(s.stepsPerSecond, `${source}.stepsPerSecond`),
    wallSeconds: readNumber(s.wallSeconds, `${source}.wallSeconds`),
    startedAt: text('startedAt'),
    finishedAt: text('finishedAt'),
    version: text('version'),
    ...(s.computedIn !== undefined ? { computedIn: text('computedIn') } : {}),
  };
}

/**
 * What summary.json needs, kept step by step while training runs so the metrics need not stay in memory. The CLI and
 * the extension's training worker both fill one, so their summary.json files are the same format.
 */
export class RunTally {
  private last: StepMetrics | undefined;
  /** The most recent validation loss and the best so far. */
  private validation: number | undefined;
  private best = Infinity;
  private skipped = 0;
  private stepMilliseconds = 0;
  private completed = 0;

  add(metrics: StepMetrics): void {
    this.last = metrics;
    this.completed = metrics.step;
    this.stepMilliseconds += metrics.milliseconds;
    if (metrics.skipped) this.skipped++;
    if (metrics.validationLoss !== undefined) {
      this.validation = metrics.validationLoss;
      if (metrics.validationLoss < this.best) this.best = metrics.validationLoss;
    }
  }

  get lastStep(): StepMetrics | undefined {
    return this.last;
  }

  get skippedSteps(): number {
    return this.skipped;
  }

  /**
   * The summary of a run that ended: `failure` when a step threw, `divergence` when the trainer stopped it as diverged;
   * otherwise fewer steps than requested means it was interrupted (Ctrl-C, Stop).
   */
  summary(run: {
    readonly config: TrainingConfig;
    readonly baselineLoss?: number;
    readonly failure?: Error;
    readonly divergence?: Divergence;
    readonly wallSeconds: number;
    readonly startedAt: Date;
    readonly finishedAt: Date;
    readonly version: string;
    readonly computedIn?: string;
  }): RunSummary {
    const completed = this.completed;
    const { config, failure, divergence, wallSeconds } = run;
    return {
      stepsRequested: config.steps,
      stepsCompleted: completed,
      stoppedEarly: completed < config.steps,
      stopReason: failure ? 'error' : divergence ? 'diverged' : completed < config.steps ? 'interrupted' : 'completed',
      ...(failure ? { error: failure.message } : {}),
      ...(divergence && !failure ? { divergence } : {}),
      finalLoss: this.last?.loss ?? NaN,
      ...(this.validation !== undefined ? { finalValidationLoss: this.validation, bestValidationLoss: this.best } : {}),
      ...(run.baselineLoss !== undefined ? { baselineLoss: run.baselineLoss } : {}),
      skippedSteps: this.skipped,
      millisecondsPerStep: completed > 0 ? this.stepMilliseconds / completed : NaN,
      stepsPerSecond: completed > 0 ? completed / wallSeconds : NaN,
      wallSeconds,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt.toISOString(),
      version: run.version,
      ...(run.computedIn !== undefined ? { computedIn: run.computedIn } : {}),
    };
  }
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${field}: expected an object, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${field}: expected a list, got ${describe(value)}`);
  return value;
}

function numbers(value: unknown, field: string): number[] {
  return list(value, field).map((v, i) => readNumber(v, `${field}[${i}]`));
}

function layerIndex(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${field}: expected a layer index, got ${describe(value)}`);
  return value;
}

function direction(value: unknown, field: string): 'forward' | 'reverse' {
  if (value !== 'forward' && value !== 'reverse') throw new Error(`${field}: expected 'forward' or 'reverse', got ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
