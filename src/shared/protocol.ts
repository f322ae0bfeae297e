// Shared layer: every message that crosses host ⇄ dashboard webview and host ⇄ training worker, as discriminated
// unions per direction; the one encoder of engine metrics for the dashboard (`encodeStep`); and the validators that
// narrow a message before any `switch` — `parseFromPanel` (the webview is untrusted) and `parseToPanel` (the host is
// trusted, but a malformed message must be ignored whole rather than half-drawn). Pure: no vscode, no DOM.
import { CELL_KINDS, CLIP_MODES, CONFIG_LIMITS } from '../engine/configLimits';
import type { StepMetrics, TrainingConfig } from '../engine/trainer';
import type { TaskMode } from '../engine/tasks/task';

/**
 * Numbers that may not be finite travel as this: JSON (the webview channel) turns NaN and ±Infinity into null,
 * which would draw a diverged loss as a gap or a zero. See `encodeNumber` / `decodeNumber`.
 */
export type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export type Direction = 'forward' | 'reverse';

/** What the dashboard needs to know about a run to label and compare it. */
export interface RunInfo {
  readonly id: string;
  /** Human label, e.g. "LSTM · adding · h32 · seed 1". */
  readonly label: string;
  readonly config: TrainingConfig;
  readonly task: {
    readonly name: string;
    readonly description: string;
    readonly sequenceLength: number;
    /** Where the loss reads the network: at every time step, or once after the last one. */
    readonly mode: TaskMode;
    readonly baselineLoss?: number;
    readonly hasVocabulary: boolean;
  };
  /** ISO time the run started. */
  readonly startedAt: string;
  readonly status: RunStatus;
  /** Set when status is 'error' or 'diverged'. */
  readonly message?: string;
}

export type RunStatus = 'running' | 'done' | 'stopped' | 'error' | 'diverged';

/** One run's downsampled history in 'init'. */
export interface RunHistoryEntry {
  readonly runId: string;
  readonly steps: readonly WireStep[];
}

/** A saved run as listed on the dashboard (all of them, newest first); its history comes with 'runLoaded' on request. */
export interface SavedRunEntry {
  readonly id: string;
  readonly label: string;
  readonly startedAt: string;
  readonly status: Exclude<RunStatus, 'running'>;
}

/** One training step as sent to the dashboard: StepMetrics with every possibly non-finite number encoded. */
export interface WireStep {
  readonly step: number;
  readonly loss: WireNumber;
  readonly validationLoss?: WireNumber;
  readonly gradientNorm: WireNumber;
  readonly clippedGradientNorm: WireNumber;
  readonly clipped: boolean;
  readonly skipped?: string;
  /** ‖∂L/∂h⟨t⟩‖ per layer/direction, present on the steps chosen for the per-time-step charts. */
  readonly gradientNorms?: { readonly layer: number; readonly direction: Direction; readonly hidden: WireNumber[]; readonly cell?: WireNumber[] }[];
  readonly gates?: { readonly layer: number; readonly direction: Direction; readonly gates: { readonly gate: string; readonly mean: WireNumber[]; readonly saturated: WireNumber[] }[] }[];
  readonly milliseconds: number;
}

/** What one input of a hidden-state heatmap is, for its caption. */
export interface InputDescription {
  /** In words, e.g. `validation sequence 1 of dinos: “aachenosaurus↵aardo”`. */
  readonly label: string;
  /** One short token per time step (a character, a word, a symbol) when the input is made of them: column labels. */
  readonly tokens?: readonly string[];
}

/** The hidden states a⟨t⟩ of one layer and direction while the model reads one input (the first validation example). */
export interface HiddenStatesOf<N> {
  readonly layer: number;
  readonly direction: Direction;
  /** Training steps the model had taken (0 = not trained yet); absent for a saved model whose summary is missing. */
  readonly step?: number;
  readonly input: InputDescription;
  /** [T][H]. */
  readonly values: readonly (readonly N[])[];
}

/** Host → dashboard. The host owns the truth; on 'ready' it replays everything with 'init'. */
export type ToPanel =
  | {
    readonly type: 'init';
    /** Live runs, then the most recent saved ones, each with a downsampled history. */
    readonly runs: readonly RunInfo[];
    /**
     * The downsampled history of each run that has one. A list, not an object keyed by run id: `__proto__` and
     * `toString` are valid run ids, and an object would look them up on its prototype.
     */
    readonly history: readonly RunHistoryEntry[];
    /** Every saved run, newest first (those in `runs` too): the dashboard can ask for any of them with 'loadRun'. */
    readonly saved: readonly SavedRunEntry[];
  }
  | { readonly type: 'runStarted'; readonly run: RunInfo }
  | { readonly type: 'metrics'; readonly runId: string; readonly steps: readonly WireStep[] }
  | { readonly type: 'runEnded'; readonly runId: string; readonly status: Exclude<RunStatus, 'running'>; readonly message?: string }
  /** The answer to 'loadRun': the run and its downsampled history, or why it cannot be read. */
  | { readonly type: 'runLoaded'; readonly run: RunInfo; readonly history: readonly WireStep[] }
  | { readonly type: 'runLoaded'; readonly runId: string; readonly error: string }
  /** Sent while a run trains (the layer last asked for) and as the answer to 'hiddenStates'. */
  | ({ readonly type: 'hiddenStates'; readonly runId: string } & HiddenStatesOf<WireNumber>)
  | { readonly type: 'hiddenStates'; readonly runId: string; readonly layer: number; readonly direction: Direction; readonly error: string }
  /** A sampled text; when sampling failed, `text` is '' and `error` says why. */
  | { readonly type: 'sample'; readonly runId: string; readonly text: string; readonly temperature: number; readonly seed: number; readonly error?: string };

/** Dashboard → host. Untrusted: validated by `parseFromPanel`; no message names a file path or a command. */
export type FromPanel =
  | { readonly type: 'ready' }
  | { readonly type: 'stop'; readonly runId: string }
  | { readonly type: 'sample'; readonly runId: string; readonly temperature: number; readonly seed: number }
  | { readonly type: 'hiddenStates'; readonly runId: string; readonly layer: number; readonly direction: Direction }
  | { readonly type: 'loadRun'; readonly runId: string }
  | { readonly type: 'exportCsv'; readonly runId: string }
  | { readonly type: 'exportPng'; readonly chart: string; readonly dataUrl: string };

/** Host → training worker. */
export type ToWorker =
  /**
   * `hiddenStatesEveryMs`: how often to report the hidden states of the first validation input (Infinity: never).
   * `kernelThreads`: how many threads the WebAssembly kernels may use (1 when several runs share the cores).
   */
  | { readonly type: 'start'; readonly runId: string; readonly config: TrainingConfig; readonly startedAt: string; readonly reportEveryMs: number; readonly hiddenStatesEveryMs?: number; readonly kernelThreads: number }
  | { readonly type: 'stop' }
  /** `runDirectory`: the saved run folder to read model.json from (the worker for saved runs); absent: the worker's own run. */
  | { readonly type: 'sample'; readonly requestId: number; readonly temperature: number; readonly seed: number; readonly maxLength: number; readonly runDirectory?: string }
  /** Computes them now (answered with the same requestId); a training worker also reports this layer from then on. */
  | { readonly type: 'hiddenStates'; readonly requestId: number; readonly layer: number; readonly direction: Direction; readonly runDirectory?: string };

/**
 * Training worker → host. Values cross by structured clone, which keeps NaN, so they are not encoded here. The worker
 * writes model.json itself, so 'ended' carries no model.
 */
export type FromWorker =
  | { readonly type: 'metrics'; readonly runId: string; readonly steps: readonly StepMetrics[] }
  /** The run's task is built (before any step): what only the built task knows, e.g. a text's unigram baseline. */
  | { readonly type: 'taskBuilt'; readonly runId: string; readonly baselineLoss?: number }
  | { readonly type: 'ended'; readonly runId: string; readonly status: Exclude<RunStatus, 'running'>; readonly message?: string }
  | { readonly type: 'sample'; readonly requestId: number; readonly text: string }
  /** Without requestId: the periodic report of a training run. */
  | ({ readonly type: 'hiddenStates'; readonly requestId?: number } & HiddenStatesOf<number>)
  /** With requestId: that request failed. Without: something else went wrong in the worker. */
  | { readonly type: 'error'; readonly message: string; readonly requestId?: number }
  /** A line for the RNN Lab output channel (what the run computes in, a switch to float64). */
  | { readonly type: 'log'; readonly message: string };

export function encodeNumber(value: number): WireNumber {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

export function decodeNumber(value: WireNumber): number {
  return typeof value === 'number' ? value : value === 'NaN' ? NaN : value === 'Infinity' ? Infinity : -Infinity;
}

/**
 * StepMetrics → the dashboard's WireStep, every possibly non-finite number encoded. The per-time-step series
 * (‖∂L/∂a⟨t⟩‖, gates) are large, so `series: false` leaves them out (the host sends them on a few steps only);
 * empty series are left out either way.
 */
export function encodeStep(m: StepMetrics, options: { readonly series?: boolean } = {}): WireStep {
  const series = options.series ?? true;
  return {
    step: m.step,
    loss: encodeNumber(m.loss),
    ...(m.validationLoss !== undefined ? { validationLoss: encodeNumber(m.validationLoss) } : {}),
    gradientNorm: encodeNumber(m.gradientNorm),
    clippedGradientNorm: encodeNumber(m.clippedGradientNorm),
    clipped: m.clipped,
    ...(m.skipped !== undefined ? { skipped: m.skipped } : {}),
    ...(series && m.gradientNorms.length > 0 ? {
      gradientNorms: m.gradientNorms.map((s) => ({
        layer: s.layer, direction: s.direction, hidden: s.hidden.map(encodeNumber), ...(s.cell ? { cell: s.cell.map(encodeNumber) } : {}),
      })),
    } : {}),
    ...(series && m.gates.length > 0 ? {
      gates: m.gates.map((g) => ({
        layer: g.layer, direction: g.direction,
        gates: g.gates.map((gate) => ({ gate: gate.gate, mean: gate.mean.map(encodeNumber), saturated: gate.saturated.map(encodeNumber) })),
      })),
    } : {}),
    milliseconds: Number.isFinite(m.milliseconds) ? m.milliseconds : 0,
  };
}

/** The worker's hidden states (plain numbers, NaN kept by structured clone) → the dashboard's message. */
export function encodeHiddenStates(runId: string, states: HiddenStatesOf<number>): Extract<ToPanel, { type: 'hiddenStates'; values: unknown }> {
  return {
    type: 'hiddenStates', runId, layer: states.layer, direction: states.direction, ...(states.step !== undefined ? { step: states.step } : {}),
    input: { label: states.input.label, ...(states.input.tokens ? { tokens: [...states.input.tokens] } : {}) },
    values: states.values.map((row) => row.map(encodeNumber)),
  };
}

/** Run ids are run folder names: letters, digits, '-' and '_' only, so one can never be a path. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

/** Layers a network may have (the engine's limit); a layer index is below it. */
export const MAX_LAYERS = CONFIG_LIMITS.layers.max;

/** Bounds of a hidden-state message: the engine's longest sequence and widest layer, and a total that stays drawable. */
export const HIDDEN_STATES_LIMITS = {
  maxSteps: CONFIG_LIMITS.sequenceLength.max, maxUnits: CONFIG_LIMITS.hidden.max, maxValues: 2_000_000, maxTokenLength: 32,
} as const;

const MAX_DATA_URL_LENGTH = 20 * 1024 * 1024;

/** A message's type for a refusal: short, and without serializing whatever a hostile sender put there. */
function describeType(type: unknown): string {
  return typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : `(a ${Array.isArray(type) ? 'list' : typeof type})`;
}

export type Parsed<M> = { ok: true; message: M } | { ok: false; reason: string };

/**
 * Narrows a message from the webview, or explains why it is refused. Anything unexpected — an unknown type, an
 * extra-long string, a run id with path characters, a temperature that is not a positive number, a layer that is not
 * a small whole number — is refused. The result is a fresh object: fields the type does not name are dropped.
 */
export function parseFromPanel(message: unknown): Parsed<FromPanel> {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return { ok: false, reason: 'not an object' };
  const m = message as Record<string, unknown>;
  const runId = (): string | null => (typeof m.runId === 'string' && RUN_ID_PATTERN.test(m.runId) ? m.runId : null);
  switch (m.type) {
    case 'ready':
      return { ok: true, message: { type: 'ready' } };
    case 'stop':
    case 'exportCsv':
    case 'loadRun': {
      const id = runId();
      return id ? { ok: true, message: { type: m.type, runId: id } } : { ok: false, reason: `${m.type}: runId must be a run id` };
    }
    case 'sample': {
      const id = runId();
      if (!id) return { ok: false, reason: 'sample: runId must be a run id' };
      if (typeof m.temperature !== 'number' || !(m.temperature > 0 && m.temperature <= 10)) return { ok: false, reason: 'sample: temperature must be a number above 0 and at most 10' };
      if (typeof m.seed !== 'number' || !Number.isInteger(m.seed) || m.seed < 0 || m.seed > 0xffffffff) return { ok: false, reason: 'sample: seed must be a whole number from 0 to 4294967295' };
      return { ok: true, message: { type: 'sample', runId: id, temperature: m.temperature, seed: m.seed } };
    }
    case 'hiddenStates': {
      const id = runId();
      if (!id) return { ok: false, reason: 'hiddenStates: runId must be a run id' };
      if (typeof m.layer !== 'number' || !Number.isInteger(m.layer) || m.layer < 0 || m.layer >= MAX_LAYERS) {
        return { ok: false, reason: `hiddenStates: layer must be a whole number from 0 to ${MAX_LAYERS - 1}` };
      }
      const direction = m.direction === undefined ? 'forward' : m.direction;
      if (direction !== 'forward' && direction !== 'reverse') return { ok: false, reason: "hiddenStates: direction must be 'forward' or 'reverse'" };
      return { ok: true, message: { type: 'hiddenStates', runId: id, layer: m.layer, direction } };
    }
    case 'exportPng': {
      if (typeof m.chart !== 'string' || !/^[a-zA-Z0-9-]{1,40}$/.test(m.chart)) return { ok: false, reason: 'exportPng: chart must be a short chart name' };
      if (typeof m.dataUrl !== 'string' || m.dataUrl.length > MAX_DATA_URL_LENGTH || !m.dataUrl.startsWith('data:image/png;base64,')) {
        return { ok: false, reason: 'exportPng: dataUrl must be a PNG data URL' };
      }
      return { ok: true, message: { type: 'exportPng', chart: m.chart, dataUrl: m.dataUrl } };
    }
    default:
      return { ok: false, reason: `unknown message type ${describeType(m.type)}` };
  }
}

// ── parseToPanel: the dashboard's check of host messages ───────────────────────────────────────────────────────────

const RUN_STATUSES: readonly RunStatus[] = ['running', 'done', 'stopped', 'error', 'diverged'];
const MAX_TEXT = 1_000_000;

/** Thrown inside parseToPanel only; turned into `{ ok: false, reason }`. */
class Malformed extends Error {}

function fail(reason: string): never {
  throw new Malformed(reason);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, what: string): Record<string, unknown> {
  return isRecord(value) ? value : fail(`${what} must be an object`);
}

function array(value: unknown, what: string, maxLength = Number.MAX_SAFE_INTEGER): unknown[] {
  if (!Array.isArray(value)) fail(`${what} must be an array`);
  if (value.length > maxLength) fail(`${what} must hold at most ${maxLength} items`);
  return value;
}

function text(value: unknown, what: string, maxLength = MAX_TEXT): string {
  return typeof value === 'string' && value.length <= maxLength ? value : fail(`${what} must be a string`);
}

function runId(value: unknown, what: string): string {
  return typeof value === 'string' && RUN_ID_PATTERN.test(value) ? value : fail(`${what} must be a run id`);
}

function finite(value: unknown, what: string): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fail(`${what} must be a finite number`);
}

function wholeNumber(value: unknown, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fail(`${what} must be a whole number from ${min} to ${max}`);
}

export function isWireNumber(value: unknown): value is WireNumber {
  return (typeof value === 'number' && Number.isFinite(value)) || value === 'NaN' || value === 'Infinity' || value === '-Infinity';
}

function wireNumber(value: unknown, what: string): WireNumber {
  return isWireNumber(value) ? value : fail(`${what} must be a number or 'NaN' | 'Infinity' | '-Infinity'`);
}

function wireNumbers(value: unknown, what: string): WireNumber[] {
  if (!Array.isArray(value) || !value.every(isWireNumber)) fail(`${what} must be an array of numbers`);
  return value as WireNumber[];
}

function direction(value: unknown, what: string): Direction {
  return value === 'forward' || value === 'reverse' ? value : fail(`${what} must be 'forward' or 'reverse'`);
}

function status(value: unknown, what: string): RunStatus {
  return RUN_STATUSES.includes(value as RunStatus) ? value as RunStatus : fail(`${what} must be one of ${RUN_STATUSES.join(', ')}`);
}

function finishedStatus(value: unknown, what: string): Exclude<RunStatus, 'running'> {
  return value !== 'running' && RUN_STATUSES.includes(value as RunStatus) ? value as Exclude<RunStatus, 'running'> : fail(`${what} must be done, stopped, error or diverged`);
}

function runInfo(value: unknown, what: string): RunInfo {
  const r = record(value, what);
  const config = record(r.config, `${what}.config`);
  // The fields the dashboard reads; the rest of the configuration is shown as text only.
  if (!(CELL_KINDS as readonly unknown[]).includes(config.cell)) fail(`${what}.config.cell must be one of ${CELL_KINDS.join(', ')}`);
  if (!(CLIP_MODES as readonly unknown[]).includes(config.clipMode)) fail(`${what}.config.clipMode must be one of ${CLIP_MODES.join(', ')}`);
  finite(config.clip, `${what}.config.clip`);
  if (config.cell === 'lstm') finite(config.forgetBias, `${what}.config.forgetBias`);
  wholeNumber(config.steps, `${what}.config.steps`, 1);
  wholeNumber(config.layers, `${what}.config.layers`, 1, MAX_LAYERS);
  wholeNumber(config.hidden, `${what}.config.hidden`, 1, CONFIG_LIMITS.hidden.max);
  if (typeof config.bidirectional !== 'boolean') fail(`${what}.config.bidirectional must be true or false`);
  text(config.task, `${what}.config.task`, 200);
  const task = record(r.task, `${what}.task`);
  text(task.name, `${what}.task.name`, 200);
  text(task.description, `${what}.task.description`, 10_000);
  wholeNumber(task.sequenceLength, `${what}.task.sequenceLength`, 1);
  if (task.mode !== 'many-to-many' && task.mode !== 'many-to-one') fail(`${what}.task.mode must be many-to-many or many-to-one`);
  if (task.baselineLoss !== undefined) finite(task.baselineLoss, `${what}.task.baselineLoss`);
  if (typeof task.hasVocabulary !== 'boolean') fail(`${what}.task.hasVocabulary must be true or false`);
  status(r.status, `${what}.status`);
  runId(r.id, `${what}.id`);
  text(r.label, `${what}.label`, 500);
  text(r.startedAt, `${what}.startedAt`, 100);
  if (r.message !== undefined) text(r.message, `${what}.message`, 10_000);
  return r as unknown as RunInfo;
}

function savedRunEntry(value: unknown, what: string): SavedRunEntry {
  const r = record(value, what);
  runId(r.id, `${what}.id`);
  text(r.label, `${what}.label`, 500);
  text(r.startedAt, `${what}.startedAt`, 100);
  finishedStatus(r.status, `${what}.status`);
  return r as unknown as SavedRunEntry;
}

function wireStep(value: unknown, what: string): WireStep {
  const s = record(value, what);
  wholeNumber(s.step, `${what}.step`, 1);
  wireNumber(s.loss, `${what}.loss`);
  if (s.validationLoss !== undefined) wireNumber(s.validationLoss, `${what}.validationLoss`);
  wireNumber(s.gradientNorm, `${what}.gradientNorm`);
  wireNumber(s.clippedGradientNorm, `${what}.clippedGradientNorm`);
  if (typeof s.clipped !== 'boolean') fail(`${what}.clipped must be true or false`);
  if (s.skipped !== undefined) text(s.skipped, `${what}.skipped`, 10_000);
  if (typeof s.milliseconds !== 'number') fail(`${what}.milliseconds must be a number`);
  if (s.gradientNorms !== undefined) {
    array(s.gradientNorms, `${what}.gradientNorms`).forEach((series: unknown, i) => {
      const g = record(series, `${what}.gradientNorms[${i}]`);
      wholeNumber(g.layer, `${what}.gradientNorms[${i}].layer`, 0, MAX_LAYERS - 1);
      direction(g.direction, `${what}.gradientNorms[${i}].direction`);
      wireNumbers(g.hidden, `${what}.gradientNorms[${i}].hidden`);
      if (g.cell !== undefined) wireNumbers(g.cell, `${what}.gradientNorms[${i}].cell`);
    });
  }
  if (s.gates !== undefined) {
    array(s.gates, `${what}.gates`).forEach((series: unknown, i) => {
      const g = record(series, `${what}.gates[${i}]`);
      wholeNumber(g.layer, `${what}.gates[${i}].layer`, 0, MAX_LAYERS - 1);
      direction(g.direction, `${what}.gates[${i}].direction`);
      array(g.gates, `${what}.gates[${i}].gates`).forEach((gate: unknown, j) => {
        const one = record(gate, `${what}.gates[${i}].gates[${j}]`);
        text(one.gate, `${what}.gates[${i}].gates[${j}].gate`, 20);
        wireNumbers(one.mean, `${what}.gates[${i}].gates[${j}].mean`);
        wireNumbers(one.saturated, `${what}.gates[${i}].gates[${j}].saturated`);
      });
    });
  }
  return s as unknown as WireStep;
}

function wireSteps(value: unknown, what: string): WireStep[] {
  return array(value, what).map((step, i) => wireStep(step, `${what}[${i}]`));
}

/** [T][H] of WireNumbers within HIDDEN_STATES_LIMITS, every row as long as the first; `tokens`, if any, one per step. */
function hiddenStatesBody(m: Record<string, unknown>): void {
  const { maxSteps, maxUnits, maxValues, maxTokenLength } = HIDDEN_STATES_LIMITS;
  if (m.step !== undefined) wholeNumber(m.step, 'hiddenStates.step');
  const input = record(m.input, 'hiddenStates.input');
  text(input.label, 'hiddenStates.input.label', 2000);
  const values = array(m.values, 'hiddenStates.values', maxSteps);
  const width = Array.isArray(values[0]) ? values[0].length : 0;
  if (values.length === 0 || width === 0 || width > maxUnits || values.length * width > maxValues) {
    fail(`hiddenStates.values must be a non-empty [T][H] array with T ≤ ${maxSteps}, H ≤ ${maxUnits} and at most ${maxValues} values`);
  }
  // JSON would have turned a NaN into null: the host encodes it ('NaN'), so a null here is a malformed message.
  const row = (r: unknown): boolean => Array.isArray(r) && r.length === width && r.every(isWireNumber);
  if (!values.every(row)) fail('hiddenStates.values must be rows of equal length holding numbers or \'NaN\' | \'Infinity\' | \'-Infinity\'');
  if (input.tokens !== undefined) {
    const tokens = array(input.tokens, 'hiddenStates.input.tokens', maxSteps);
    if (tokens.length !== values.length || !tokens.every((t) => typeof t === 'string' && t.length <= maxTokenLength)) {
      fail(`hiddenStates.input.tokens must be one short string (≤ ${maxTokenLength} characters) per time step`);
    }
  }
}

/** Narrows a message from the host; anything that does not match `ToPanel` exactly enough to draw is refused. */
export function parseToPanel(message: unknown): Parsed<ToPanel> {
  try {
    const m = record(message, 'message');
    switch (m.type) {
      case 'init': {
        array(m.runs, 'init.runs').forEach((run, i) => runInfo(run, `init.runs[${i}]`));
        const historyOf = new Set<string>();
        array(m.history, 'init.history').forEach((entry, i) => {
          const h = record(entry, `init.history[${i}]`);
          const id = runId(h.runId, `init.history[${i}].runId`);
          if (historyOf.has(id)) fail(`init.history[${i}]: run ${id} has a history already`);
          historyOf.add(id);
          wireSteps(h.steps, `init.history[${i}].steps`);
        });
        array(m.saved, 'init.saved').forEach((entry, i) => savedRunEntry(entry, `init.saved[${i}]`));
        break;
      }
      case 'runStarted':
        runInfo(m.run, 'runStarted.run');
        break;
      case 'metrics':
        runId(m.runId, 'metrics.runId');
        wireSteps(m.steps, 'metrics.steps');
        break;
      case 'runEnded':
        runId(m.runId, 'runEnded.runId');
        finishedStatus(m.status, 'runEnded.status');
        if (m.message !== undefined) text(m.message, 'runEnded.message', 10_000);
        break;
      case 'runLoaded':
        if (m.error !== undefined) {
          runId(m.runId, 'runLoaded.runId');
          text(m.error, 'runLoaded.error', 10_000);
        } else {
          runInfo(m.run, 'runLoaded.run');
          wireSteps(m.history, 'runLoaded.history');
        }
        break;
      case 'hiddenStates':
        runId(m.runId, 'hiddenStates.runId');
        wholeNumber(m.layer, 'hiddenStates.layer', 0, MAX_LAYERS - 1);
        direction(m.direction, 'hiddenStates.direction');
        if (m.error !== undefined) text(m.error, 'hiddenStates.error', 10_000);
        else hiddenStatesBody(m);
        break;
      case 'sample':
        runId(m.runId, 'sample.runId');
        text(m.text, 'sample.text');
        finite(m.temperature, 'sample.temperature');
        finite(m.seed, 'sample.seed');
        if (m.error !== undefined) text(m.error, 'sample.error', 10_000);
        break;
      default:
        return { ok: false, reason: `unknown message type ${describeType(m.type)}` };
    }
    return { ok: true, message: m as unknown as ToPanel };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, reason: error.message };
    throw error;
  }
}
