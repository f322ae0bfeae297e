// CLI layer: how `rnn-lab train` shows progress — a bar redrawn in place on a terminal, plain lines in a log or
// pipe, JSON lines for tools. The formatting functions are pure so tests can check them without a terminal.
import type { StepMetrics } from '../engine/trainer';
import { toJson } from '../shared/runStoreFormat';

export interface ProgressState {
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  /** The most recent validation loss, if any. */
  readonly validationLoss?: number;
  readonly stepsPerSecond: number;
  /** Seconds left at the current speed (NaN before the speed is known). */
  readonly etaSeconds: number;
}

/** `0:42`, `12:03`, `1:02:03`; `--:--` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A loss for people: 4 significant digits, and NaN / Infinity spelled out (a diverged network is news, not a crash). */
export function formatLoss(value: number | undefined): string {
  if (value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  return value.toPrecision(4);
}

function formatRate(stepsPerSecond: number): string {
  if (!Number.isFinite(stepsPerSecond)) return '—';
  return stepsPerSecond >= 100 ? stepsPerSecond.toFixed(0) : stepsPerSecond.toPrecision(3);
}

/** The fields after the step count, shared by the bar and the plain line. */
function details(state: ProgressState): string {
  return `loss ${formatLoss(state.loss)}  val ${formatLoss(state.validationLoss)}  ${formatRate(state.stepsPerSecond)} steps/s  ETA ${formatDuration(state.etaSeconds)}`;
}

/** The same fields, shorter, for a narrow terminal. */
function compactDetails(state: ProgressState): string {
  return `loss ${formatLoss(state.loss)} val ${formatLoss(state.validationLoss)} ${formatRate(state.stepsPerSecond)}/s ETA ${formatDuration(state.etaSeconds)}`;
}

/** One plain line, for logs and pipes: `step  50/500  loss 2.314  val 2.401  38.2 steps/s  ETA 0:11`. */
export function formatProgressLine(state: ProgressState): string {
  const width = String(state.steps).length;
  return `step ${String(state.step).padStart(width)}/${state.steps}  ${details(state)}`;
}

/**
 * The terminal bar, shorter than `columns` so it never wraps (a wrapped line breaks the in-place redraw). On a
 * narrow terminal the bar shrinks first, then the labels, then the speed and ETA.
 */
export function formatProgressBar(state: ProgressState, columns: number): string {
  const limit = columns - 1;
  const count = `${String(state.step).padStart(String(state.steps).length)}/${state.steps}`;
  const fraction = state.steps > 0 ? Math.min(1, state.step / state.steps) : 0;
  const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  for (const tail of [details(state), compactDetails(state)]) {
    const room = limit - `${count} [] ${percent}  ${tail}`.length;
    if (room >= 10) {
      const width = Math.min(30, room);
      const filled = Math.round(fraction * width);
      return `${count} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${percent}  ${tail}`;
    }
  }
  const lines = [`${count} ${percent}  ${compactDetails(state)}`, `${count} ${percent} loss ${formatLoss(state.loss)}`, count];
  return (lines.find((line) => line.length <= limit) ?? count).slice(0, Math.max(0, limit));
}

export type ProgressStyle = 'bar' | 'lines' | 'json';

interface Output {
  write(text: string): unknown;
  readonly columns?: number;
}

/**
 * Reports training steps in one of three styles. `bar` redraws at most ten times a second; `lines` and `json`
 * report every `every` steps and the last step.
 */
export class ProgressReporter {
  private readonly started = performance.now();
  private lastDraw = -Infinity;
  private lastValidation: number | undefined;
  /** The bar as last drawn; null when no bar is on screen. */
  private bar: string | null = null;

  constructor(private readonly style: ProgressStyle, private readonly out: Output, private readonly steps: number, private readonly every: number) {}

  update(metrics: StepMetrics): void {
    if (metrics.validationLoss !== undefined) this.lastValidation = metrics.validationLoss;
    const last = metrics.step === this.steps;
    const now = performance.now();
    if (this.style === 'bar') {
      if (!last && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.bar = formatProgressBar(this.state(metrics, now), this.out.columns ?? 80);
      this.out.write(`\r\x1b[2K${this.bar}`);
      return;
    }
    if (!last && metrics.step % this.every !== 0) return;
    const state = this.state(metrics, now);
    if (this.style === 'lines') {
      this.out.write(`${formatProgressLine(state)}${metrics.skipped ? `  (update skipped: ${metrics.skipped})` : ''}\n`);
    } else {
      this.out.write(`${toJson({
        type: 'step', step: state.step, steps: state.steps, loss: metrics.loss,
        ...(metrics.validationLoss !== undefined ? { validationLoss: metrics.validationLoss } : {}),
        gradientNorm: metrics.gradientNorm, clippedGradientNorm: metrics.clippedGradientNorm, clipped: metrics.clipped,
        ...(metrics.skipped ? { skipped: metrics.skipped } : {}),
        stepsPerSecond: state.stepsPerSecond, etaSeconds: state.etaSeconds,
      })}\n`);
    }
  }

  /** Ends the bar's line so what follows starts on a fresh one (redrawn first: the terminal may have echoed ^C over it). */
  finish(): void {
    if (this.bar !== null) this.out.write(`\r\x1b[2K${this.bar}\n`);
    this.bar = null;
  }

  private state(metrics: StepMetrics, now: number): ProgressState {
    const seconds = (now - this.started) / 1000;
    const stepsPerSecond = seconds > 0 ? metrics.step / seconds : NaN;
    return {
      step: metrics.step,
      steps: this.steps,
      loss: metrics.loss,
      ...(this.lastValidation !== undefined ? { validationLoss: this.lastValidation } : {}),
      stepsPerSecond,
      etaSeconds: (this.steps - metrics.step) / stepsPerSecond,
    };
  }
}
