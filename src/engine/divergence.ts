// Engine layer: when a training run has blown up — its loss stays far above where it started, or its steps keep
// failing (a NaN or infinite loss or gradient) — so the trainer stops it, marks it diverged and keeps the last good
// parameters, instead of training on and reporting "completed".

/** Why a run was stopped as diverged, and which parameters the model holds now. */
export interface Divergence {
  /** The step at which the divergence was detected: the last step the run took. */
  readonly step: number;
  readonly reason: string;
  /**
   * The model's parameters are those after this step (0: as initialised) — the last ones whose loss was good (finite
   * and at most twice the loss at the start), restored when the run was stopped.
   */
  readonly restoredAfterStep: number;
  /** The training loss those parameters gave, on the batch of the step after `restoredAfterStep`. */
  readonly restoredLoss: number;
}

/** One sentence for people: when, why, and which model was kept. */
export function describeDivergence(d: Divergence): string {
  const kept = d.restoredAfterStep === 0
    ? 'the saved model is the untrained one (no step before it was good)'
    : `the saved model is the one after step ${d.restoredAfterStep} (its training loss ${Number(d.restoredLoss.toPrecision(4))}), the last good one`;
  return `diverged at step ${d.step}: ${d.reason}; ${kept}`;
}

/** Steps the rules look back over. */
export const DIVERGENCE_WINDOW = 10;
/** Diverged when the median loss of the last `DIVERGENCE_WINDOW` steps is above this many times the reference. */
export const DIVERGENCE_FACTOR = 10;
/** Diverged when at least this many of the last `DIVERGENCE_WINDOW` steps were skipped (non-finite loss or gradient). */
export const DIVERGENCE_SKIPPED_STEPS = 5;
/** A step is "good" (its parameters worth keeping) when its loss is finite and at most this many times the reference. */
export const GOOD_STEP_FACTOR = 2;

/**
 * Watches a run's losses, one step at a time.
 * - The reference is the larger of the first finite loss (the untrained network's) and the task's trivial baseline
 *   (e.g. 0.167 for the adding problem), so a run that learns, then wobbles, is never compared with its best.
 * - Diverged: the median of the last 10 losses is above 10× the reference (the median, so one bad batch is not
 *   enough), or at least 5 of the last 10 steps were skipped. Measured on every bundled task with the CLI's and the
 *   wizard's defaults and every cell, healthy runs stay below 1.15× (scripts/measureDivergenceMargins.ts); the runs of
 *   issue #7 that blew up went above 10³× within ten steps.
 */
export class DivergenceMonitor {
  private reference = NaN;
  private readonly recent: { loss: number; skipped: boolean }[] = [];

  constructor(private readonly baselineLoss?: number) {}

  /** The loss a step's loss is compared with (NaN until the first finite loss). */
  get referenceLoss(): number {
    return this.reference;
  }

  /** Whether a step with this loss is one whose parameters are worth keeping: finite and near the reference or below. */
  isGood(loss: number): boolean {
    const reference = Number.isNaN(this.reference) ? this.startingReference(loss) : this.reference;
    return Number.isFinite(loss) && loss <= GOOD_STEP_FACTOR * reference;
  }

  /** Records a step; returns why the run has diverged, or undefined while it has not. */
  observe(loss: number, skipped: boolean): string | undefined {
    if (Number.isNaN(this.reference) && Number.isFinite(loss)) this.reference = this.startingReference(loss);
    this.recent.push({ loss, skipped });
    if (this.recent.length > DIVERGENCE_WINDOW) this.recent.shift();
    const skippedSteps = this.recent.filter((step) => step.skipped).length;
    if (skippedSteps >= DIVERGENCE_SKIPPED_STEPS) {
      return `${skippedSteps} of the last ${this.recent.length} steps were skipped (a NaN or infinite loss or gradient)`;
    }
    if (this.recent.length < DIVERGENCE_WINDOW || Number.isNaN(this.reference)) return undefined;
    const median = medianOf(this.recent.map((step) => (Number.isFinite(step.loss) ? step.loss : Infinity)));
    if (median > DIVERGENCE_FACTOR * this.reference) {
      return `the loss stayed far above where it started: the median of the last ${DIVERGENCE_WINDOW} steps is ${median.toPrecision(3)}, ` +
        `more than ${DIVERGENCE_FACTOR}× ${this.reference.toPrecision(3)} (${this.baselineLoss !== undefined && this.reference === this.baselineLoss ? "the task's trivial baseline" : 'the loss at the start'})`;
    }
    return undefined;
  }

  private startingReference(loss: number): number {
    return Math.max(loss, this.baselineLoss !== undefined && Number.isFinite(this.baselineLoss) ? this.baselineLoss : 0);
  }
}

/** The median (the mean of the two middle values for an even count). */
export function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
