// Extension host (pure, no vscode): a run's per-step metrics as CSV (RFC 4180), one row per training step, for a
// spreadsheet or pandas. A diverged value is written as NaN / Infinity / -Infinity, which both read as numbers.
import type { StepMetrics } from '../../engine/trainer';

export const CSV_COLUMNS = [
  'step', 'loss', 'validation_loss', 'gradient_norm', 'clipped_gradient_norm', 'clipped', 'skipped', 'milliseconds',
] as const;

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(m: StepMetrics): string {
  const cells = [
    number(m.step), number(m.loss), m.validationLoss === undefined ? '' : number(m.validationLoss), number(m.gradientNorm),
    number(m.clippedGradientNorm), m.clipped ? 'true' : 'false', text(m.skipped ?? ''), number(m.milliseconds),
  ];
  return `${cells.join(',')}\r\n`;
}

function number(value: number): string {
  return Number.isNaN(value) ? 'NaN' : String(value);   // String(Infinity) is already "Infinity"
}

/** Quotes a field that holds a comma, quote or line break; a leading = + - @ is defused so a spreadsheet shows text. */
function text(value: string): string {
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}
