// Shared layer (pure): the plain-language reading of ‖∂L/∂a⟨t⟩‖ per time step — under the dashboard's chart and in a
// lesson chart's text — in one place. No DOM, so plain Node tests read it too.
import { formatNumber } from './format';

/** One sentence a learner can act on: how much of the gradient is left at the first time step. */
export function describeReach(name: string, step: number, values: Float64Array, symbol: string): string {
  const T = values.length;
  let nonFinite = 0;
  let max = 0;
  let maxAt = 0;
  for (let t = 0; t < T; t++) {
    if (!Number.isFinite(values[t])) nonFinite++;
    else if (values[t] > max) {
      max = values[t];
      maxAt = t;
    }
  }
  if (nonFinite > 0) return `${name}, step ${step}: ${symbol} is NaN or infinite at ${nonFinite} of ${T} time steps — the run has diverged.`;
  if (max === 0) return `${name}, step ${step}: ${symbol} is zero at every time step.`;
  const first = values[0];
  const head = `${name}, step ${step}: ${symbol} is largest at t = ${maxAt + 1} (${formatNumber(max)}) and ${formatNumber(first)} at t = 1`;
  if (first <= 0) return `${head} (zero, or below 4.9e-324, the smallest number float64 holds): nothing measurable of the gradient reaches the start of the sequence.`;
  const ratio = max / first;
  if (ratio < 10) return `${head}: the gradient still reaches the start of the sequence.`;
  const decades = Math.log10(ratio);
  if (decades < 3) return `${head}: it fades ${formatNumber(ratio)}× on its way back.`;
  return `${head}: ${decades.toFixed(0)} powers of ten smaller — the gradient vanishes before it reaches the first inputs, so they can hardly be learned.`;
}
