// Shared layer (pure): numbers as a learner reads them — 0.0123, 4.5e-9, "NaN" spelled out — for captions and summaries.

export function formatNumber(value: number | undefined | null): string {
  if (value === undefined || value === null) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(1).replace('-', '−');
  return Number(value.toPrecision(3)).toString();
}

/** Tick labels of a logarithmic axis: only 1, 2 and 5 × 10ⁿ, written 0.02 or 2e-7. */
export function logTickLabel(value: number): string {
  if (!(value > 0)) return '';
  const exponent = Math.floor(Math.log10(value) + 1e-9);
  const mantissa = value / Math.pow(10, exponent);
  if ([1, 2, 5].every((m) => Math.abs(mantissa - m) > 1e-6)) return '';
  return value >= 1e-3 && value < 1e5 ? String(Number(value.toPrecision(1))) : value.toExponential(0);
}

/** Up to about `count` round tick positions between 1 and `last` (time steps), always including 1 and `last`. */
export function integerTicks(last: number, count: number): number[] {
  if (last <= 1) return [1];
  const rough = (last - 1) / Math.max(1, count - 1);
  const power = Math.pow(10, Math.floor(Math.log10(rough)));
  const stride = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks = [1];
  for (let t = Math.max(stride, 2); t < last; t += stride) if (last - t >= stride / 2) ticks.push(Math.round(t));
  ticks.push(last);
  return [...new Set(ticks)];
}
