// Shared layer: every message that crosses host ⇄ dashboard webview and host ⇄ training worker, as discriminated
// unions per direction, plus the validators that narrow untrusted input before any `switch`. Pure: no vscode, no DOM.
import type { StepMetrics, TrainingConfig } from '../engine/trainer';

/**
 * Numbers that may not be finite travel as this: JSON (the webview channel) turns NaN and ±Infinity into null,
 * which would draw a diverged loss as a gap or a zero. See `encodeNumber` / `decodeNumber`.
 */
export type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** What the dashboard needs to know about a run to label and compare it. */
export interface RunInfo {
  readonly id: string;
  /** Human label, e.g. "LSTM · adding · h32 · seed 1". */
  readonly label: string;
  readonly config: TrainingConfig;
  readonly task: { readonly name: string; readonly description: string; readonly sequenceLength: number; readonly baselineLoss?: number; readonly hasVocabulary: boolean };
  /** ISO time the run started. */
  readonly startedAt: string;
  readonly status: RunStatus;
  /** Set when status is 'error' or 'diverged'. */
  readonly message?: string;
}

export type RunStatus = 'running' | 'done' | 'stopped' | 'error' | 'diverged';

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
  readonly gradientNorms?: { readonly layer: number; readonly direction: 'forward' | 'reverse'; readonly hidden: WireNumber[]; readonly cell?: WireNumber[] }[];
  readonly gates?: { readonly layer: number; readonly direction: 'forward' | 'reverse'; readonly gates: { readonly gate: string; readonly mean: WireNumber[]; readonly saturated: WireNumber[] }[] }[];
  readonly milliseconds: number;
}

/** Host → dashboard. The host owns the truth; on 'ready' it replays everything with 'init'. */
export type ToPanel =
  | { readonly type: 'init'; readonly runs: readonly RunInfo[]; readonly history: Readonly<Record<string, readonly WireStep[]>> }
  | { readonly type: 'runStarted'; readonly run: RunInfo }
  | { readonly type: 'metrics'; readonly runId: string; readonly steps: readonly WireStep[] }
  | { readonly type: 'runEnded'; readonly runId: string; readonly status: Exclude<RunStatus, 'running'>; readonly message?: string }
  | { readonly type: 'hiddenStates'; readonly runId: string; readonly layer: number; readonly values: readonly (readonly number[])[] /* [T][H] for one input */ }
  | { readonly type: 'sample'; readonly runId: string; readonly text: string; readonly temperature: number; readonly seed: number };

/** Dashboard → host. Untrusted: validated by `parseFromPanel`; no message names a file path or a command. */
export type FromPanel =
  | { readonly type: 'ready' }
  | { readonly type: 'stop'; readonly runId: string }
  | { readonly type: 'sample'; readonly runId: string; readonly temperature: number; readonly seed: number }
  | { readonly type: 'exportCsv'; readonly runId: string }
  | { readonly type: 'exportPng'; readonly chart: string; readonly dataUrl: string };

/** Host → training worker. */
export type ToWorker =
  | { readonly type: 'start'; readonly runId: string; readonly config: TrainingConfig; readonly reportEveryMs: number }
  | { readonly type: 'stop' }
  | { readonly type: 'sample'; readonly requestId: number; readonly temperature: number; readonly seed: number; readonly maxLength: number };

/** Training worker → host. StepMetrics cross by structured clone, which keeps NaN, so they are not encoded here. */
export type FromWorker =
  | { readonly type: 'metrics'; readonly runId: string; readonly steps: readonly StepMetrics[] }
  | { readonly type: 'ended'; readonly runId: string; readonly status: Exclude<RunStatus, 'running'>; readonly message?: string; readonly model?: unknown }
  | { readonly type: 'sample'; readonly requestId: number; readonly text: string }
  | { readonly type: 'error'; readonly message: string };

export function encodeNumber(value: number): WireNumber {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

export function decodeNumber(value: WireNumber): number {
  return typeof value === 'number' ? value : value === 'NaN' ? NaN : value === 'Infinity' ? Infinity : -Infinity;
}

const RUN_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_DATA_URL_LENGTH = 20 * 1024 * 1024;

/**
 * Narrows a message from the webview, or explains why it is refused. Anything unexpected — an unknown type, an
 * extra-long string, a run id with path characters, a temperature that is not a positive number — is refused.
 */
export function parseFromPanel(message: unknown): { ok: true; message: FromPanel } | { ok: false; reason: string } {
  if (typeof message !== 'object' || message === null) return { ok: false, reason: 'not an object' };
  const m = message as Record<string, unknown>;
  const runId = (): string | null => (typeof m.runId === 'string' && RUN_ID.test(m.runId) ? m.runId : null);
  switch (m.type) {
    case 'ready':
      return { ok: true, message: { type: 'ready' } };
    case 'stop':
    case 'exportCsv': {
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
    case 'exportPng': {
      if (typeof m.chart !== 'string' || !/^[a-zA-Z0-9-]{1,40}$/.test(m.chart)) return { ok: false, reason: 'exportPng: chart must be a short chart name' };
      if (typeof m.dataUrl !== 'string' || m.dataUrl.length > MAX_DATA_URL_LENGTH || !m.dataUrl.startsWith('data:image/png;base64,')) {
        return { ok: false, reason: 'exportPng: dataUrl must be a PNG data URL' };
      }
      return { ok: true, message: { type: 'exportPng', chart: m.chart, dataUrl: m.dataUrl } };
    }
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(m.type)?.slice(0, 40)}` };
  }
}
