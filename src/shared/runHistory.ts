// Shared layer (pure): the bounded memory of one run's metrics that the dashboard replays on 'ready' (and a lesson's chart draws)
// (the panel keeps no state when hidden: retainContextWhenHidden is off). Scalars (loss, gradient norm, …) of every
// step are kept until there are too many, then thinned; the large per-time-step series only on a few steps.
import type { StepMetrics } from '../engine/trainer';
import { downsampleIndices, StepReservoir } from './downsample';
import { encodeStep, type WireStep } from './protocol';

export interface HistoryLimits {
  /** Scalar steps held before every other one is dropped. */
  readonly maxScalars: number;
  /** Steps replayed with their per-time-step series. */
  readonly maxSeries: number;
  /** Steps in one replay (min/max bucketing on the loss, so spikes and a divergence survive). */
  readonly maxReplayed: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxScalars: 20_000, maxSeries: 40, maxReplayed: 2_000 };

export class RunHistory {
  private scalars: WireStep[] = [];
  /** Steps whose validation loss was measured, thinned on their own so the validation curve keeps its shape. */
  private readonly validations: StepReservoir<WireStep>;
  /** Steps with their per-time-step series, kept as engine metrics and encoded only when replayed. */
  private readonly series: StepReservoir<StepMetrics>;
  private stride = 1;
  private count = 0;
  private latest: WireStep | undefined;
  /** The first step whose loss was not finite: thinning must never hide that the run diverged. */
  private firstDivergence: WireStep | undefined;

  constructor(private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {
    this.series = new StepReservoir<StepMetrics>(limits.maxSeries);
    this.validations = new StepReservoir<WireStep>(Math.max(2, Math.floor(limits.maxReplayed / 2)));
  }

  /** Steps added so far. */
  get size(): number {
    return this.count;
  }

  get lastStep(): WireStep | undefined {
    return this.latest;
  }

  /** Adds one step; returns its scalar form (what goes live to the dashboard). */
  add(metrics: StepMetrics): WireStep {
    this.count++;
    const scalar = encodeStep(metrics, { series: false });
    this.latest = scalar;
    if (!this.firstDivergence && !Number.isFinite(metrics.loss)) this.firstDivergence = scalar;
    if (metrics.validationLoss !== undefined) this.validations.offer(scalar);
    if ((metrics.step - 1) % this.stride === 0) this.scalars.push(scalar);
    if (this.scalars.length > this.limits.maxScalars) this.thin();
    if (metrics.gradientNorms.length > 0 || metrics.gates.length > 0) this.series.offer(metrics);
    return scalar;
  }

  /** What the dashboard's 'init' carries for this run: at most about maxReplayed + maxSeries steps, by step. */
  replay(): WireStep[] {
    const losses = this.scalars.map((s) => (typeof s.loss === 'number' ? s.loss : NaN));
    const byStep = new Map<number, WireStep>();
    for (const index of downsampleIndices(losses, Math.max(3, this.limits.maxReplayed))) byStep.set(this.scalars[index].step, this.scalars[index]);
    for (const step of this.validations.items()) if (!byStep.has(step.step)) byStep.set(step.step, step);
    for (const step of [this.latest, this.firstDivergence]) if (step && !byStep.has(step.step)) byStep.set(step.step, step);
    for (const metrics of this.series.items()) byStep.set(metrics.step, encodeStep(metrics));   // the same step, with its series
    return [...byStep.values()].sort((a, b) => a.step - b.step);
  }

  private thin(): void {
    this.stride *= 2;
    // Steps are numbered 1, 2, …: keep step 1 + k·stride (the latest and the validation steps are held apart).
    this.scalars = this.scalars.filter((s) => (s.step - 1) % this.stride === 0);
  }
}
