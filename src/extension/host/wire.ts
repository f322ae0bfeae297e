// Extension host (pure, no vscode): engine metrics → the dashboard's wire format. JSON (the webview channel) would turn
// a diverged loss into null, so every number that may not be finite goes through `encodeNumber`.
import type { StepMetrics } from '../../engine/trainer';
import { encodeNumber, type WireStep } from '../../shared/protocol';

/** One step for the dashboard; the per-time-step series only when `withSeries` (they are large: see RunHistory). */
export function toWireStep(metrics: StepMetrics, withSeries: boolean): WireStep {
  return {
    step: metrics.step,
    loss: encodeNumber(metrics.loss),
    ...(metrics.validationLoss !== undefined ? { validationLoss: encodeNumber(metrics.validationLoss) } : {}),
    gradientNorm: encodeNumber(metrics.gradientNorm),
    clippedGradientNorm: encodeNumber(metrics.clippedGradientNorm),
    clipped: metrics.clipped,
    ...(metrics.skipped !== undefined ? { skipped: metrics.skipped } : {}),
    ...(withSeries && metrics.gradientNorms.length > 0 ? {
      gradientNorms: metrics.gradientNorms.map((s) => ({
        layer: s.layer, direction: s.direction, hidden: s.hidden.map(encodeNumber), ...(s.cell ? { cell: s.cell.map(encodeNumber) } : {}),
      })),
    } : {}),
    ...(withSeries && metrics.gates.length > 0 ? {
      gates: metrics.gates.map((g) => ({
        layer: g.layer, direction: g.direction,
        gates: g.gates.map((series) => ({ gate: series.gate, mean: series.mean.map(encodeNumber), saturated: series.saturated.map(encodeNumber) })),
      })),
    } : {}),
    milliseconds: Number.isFinite(metrics.milliseconds) ? metrics.milliseconds : 0,
  };
}

/** True when the dashboard's step carries the per-time-step series. */
export function hasSeries(step: WireStep): boolean {
  return step.gradientNorms !== undefined || step.gates !== undefined;
}
