// Shared layer (pure): narrows a host → dashboard message before the dashboard's `switch`. The host is trusted, but a
// malformed message (a bug, a stale panel after an upgrade) must be ignored whole rather than half-drawn.
import type { RunInfo, RunStatus, ToPanel, WireNumber, WireStep } from './protocol';

export type ParsedToPanel = { ok: true; message: ToPanel } | { ok: false; reason: string };

const RUN_ID = /^[A-Za-z0-9_-]{1,80}$/;
const RUN_STATUSES: readonly RunStatus[] = ['running', 'done', 'stopped', 'error', 'diverged'];
const MAX_TEXT = 1_000_000;

/** Thrown inside the parser only; turned into `{ ok: false, reason }`. */
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

function text(value: unknown, what: string, maxLength = MAX_TEXT): string {
  return typeof value === 'string' && value.length <= maxLength ? value : fail(`${what} must be a string`);
}

function runId(value: unknown, what: string): string {
  return typeof value === 'string' && RUN_ID.test(value) ? value : fail(`${what} must be a run id`);
}

function finite(value: unknown, what: string): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fail(`${what} must be a finite number`);
}

function wholeNumber(value: unknown, what: string, min = 0): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min ? value : fail(`${what} must be a whole number ≥ ${min}`);
}

function isWireNumber(value: unknown): value is WireNumber {
  return (typeof value === 'number' && Number.isFinite(value)) || value === 'NaN' || value === 'Infinity' || value === '-Infinity';
}

function wireNumber(value: unknown, what: string): WireNumber {
  return isWireNumber(value) ? value : fail(`${what} must be a number or 'NaN' | 'Infinity' | '-Infinity'`);
}

function wireNumbers(value: unknown, what: string): WireNumber[] {
  if (!Array.isArray(value) || !value.every(isWireNumber)) fail(`${what} must be an array of numbers`);
  return value as WireNumber[];
}

function direction(value: unknown, what: string): 'forward' | 'reverse' {
  return value === 'forward' || value === 'reverse' ? value : fail(`${what} must be 'forward' or 'reverse'`);
}

function runInfo(value: unknown, what: string): RunInfo {
  const r = record(value, what);
  const config = record(r.config, `${what}.config`);
  // The fields the dashboard reads; the rest of the configuration is shown as text only.
  if (config.cell !== 'rnn' && config.cell !== 'gru' && config.cell !== 'lstm') fail(`${what}.config.cell must be rnn, gru or lstm`);
  if (config.clipMode !== 'norm' && config.clipMode !== 'value' && config.clipMode !== 'none') fail(`${what}.config.clipMode must be norm, value or none`);
  finite(config.clip, `${what}.config.clip`);
  wholeNumber(config.steps, `${what}.config.steps`, 1);
  wholeNumber(config.layers, `${what}.config.layers`, 1);
  wholeNumber(config.hidden, `${what}.config.hidden`, 1);
  if (typeof config.bidirectional !== 'boolean') fail(`${what}.config.bidirectional must be true or false`);
  text(config.task, `${what}.config.task`, 200);
  const task = record(r.task, `${what}.task`);
  text(task.name, `${what}.task.name`, 200);
  text(task.description, `${what}.task.description`, 10_000);
  wholeNumber(task.sequenceLength, `${what}.task.sequenceLength`, 1);
  if (task.baselineLoss !== undefined) finite(task.baselineLoss, `${what}.task.baselineLoss`);
  if (typeof task.hasVocabulary !== 'boolean') fail(`${what}.task.hasVocabulary must be true or false`);
  if (!RUN_STATUSES.includes(r.status as RunStatus)) fail(`${what}.status must be one of ${RUN_STATUSES.join(', ')}`);
  runId(r.id, `${what}.id`);
  text(r.label, `${what}.label`, 500);
  text(r.startedAt, `${what}.startedAt`, 100);
  if (r.message !== undefined) text(r.message, `${what}.message`, 10_000);
  return r as unknown as RunInfo;
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
    if (!Array.isArray(s.gradientNorms)) fail(`${what}.gradientNorms must be an array`);
    s.gradientNorms.forEach((series: unknown, i) => {
      const g = record(series, `${what}.gradientNorms[${i}]`);
      wholeNumber(g.layer, `${what}.gradientNorms[${i}].layer`);
      direction(g.direction, `${what}.gradientNorms[${i}].direction`);
      wireNumbers(g.hidden, `${what}.gradientNorms[${i}].hidden`);
      if (g.cell !== undefined) wireNumbers(g.cell, `${what}.gradientNorms[${i}].cell`);
    });
  }
  if (s.gates !== undefined) {
    if (!Array.isArray(s.gates)) fail(`${what}.gates must be an array`);
    s.gates.forEach((series: unknown, i) => {
      const g = record(series, `${what}.gates[${i}]`);
      wholeNumber(g.layer, `${what}.gates[${i}].layer`);
      direction(g.direction, `${what}.gates[${i}].direction`);
      if (!Array.isArray(g.gates)) fail(`${what}.gates[${i}].gates must be an array`);
      g.gates.forEach((gate: unknown, j) => {
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
  if (!Array.isArray(value)) fail(`${what} must be an array`);
  return value.map((step, i) => wireStep(step, `${what}[${i}]`));
}

/** Narrows a message from the host; anything that does not match `ToPanel` exactly enough to draw is refused. */
export function parseToPanel(message: unknown): ParsedToPanel {
  try {
    const m = record(message, 'message');
    switch (m.type) {
      case 'init': {
        if (!Array.isArray(m.runs)) fail('init.runs must be an array');
        m.runs.forEach((run, i) => runInfo(run, `init.runs[${i}]`));
        const history = record(m.history, 'init.history');
        for (const [id, steps] of Object.entries(history)) wireSteps(steps, `init.history[${JSON.stringify(runId(id, 'init.history key'))}]`);
        return { ok: true, message: m as unknown as ToPanel };
      }
      case 'runStarted':
        runInfo(m.run, 'runStarted.run');
        return { ok: true, message: m as unknown as ToPanel };
      case 'metrics':
        runId(m.runId, 'metrics.runId');
        wireSteps(m.steps, 'metrics.steps');
        return { ok: true, message: m as unknown as ToPanel };
      case 'runEnded':
        runId(m.runId, 'runEnded.runId');
        if (m.status === 'running' || !RUN_STATUSES.includes(m.status as RunStatus)) fail('runEnded.status must be done, stopped, error or diverged');
        if (m.message !== undefined) text(m.message, 'runEnded.message', 10_000);
        return { ok: true, message: m as unknown as ToPanel };
      case 'hiddenStates': {
        runId(m.runId, 'hiddenStates.runId');
        wholeNumber(m.layer, 'hiddenStates.layer');
        if (!Array.isArray(m.values) || m.values.length === 0) fail('hiddenStates.values must be a non-empty [T][H] array');
        const width = Array.isArray(m.values[0]) ? m.values[0].length : -1;
        // JSON turns a NaN into null: accept null as "not a number" rather than refusing a diverged run's states.
        const row = (r: unknown): boolean => Array.isArray(r) && r.length === width && r.every((v) => v === null || typeof v === 'number');
        if (width <= 0 || !m.values.every(row)) fail('hiddenStates.values must be rows of equal length holding numbers');
        return { ok: true, message: m as unknown as ToPanel };
      }
      case 'sample':
        runId(m.runId, 'sample.runId');
        text(m.text, 'sample.text');
        finite(m.temperature, 'sample.temperature');
        finite(m.seed, 'sample.seed');
        return { ok: true, message: m as unknown as ToPanel };
      default:
        return { ok: false, reason: `unknown message type ${JSON.stringify(m.type)?.slice(0, 40)}` };
    }
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, reason: error.message };
    throw error;
  }
}
