// Benchmark (issue #4): the results and how they print — medians, GFLOP/s, ratios and the text table. Pure: no I/O,
// so the unit test can pin the formatting.
import type { ImplementationId } from './protocol';
import { matrixFlopsPerStep, neededBytes, type Workload, type WorkloadId } from './workloads';

export type MeasurementStatus = 'ok' | 'cut-off' | 'failed';

/** One implementation on one workload. */
export interface Measurement {
  readonly workload: WorkloadId;
  readonly implementation: ImplementationId;
  status: MeasurementStatus;
  /** What ran (kernels, backend, BLAS), as the runner described itself. */
  detail: string;
  versions: Record<string, string>;
  /** Wall time of every timed step (ms), in the order measured. */
  times: number[];
  /** Median of each round's steps (ms): their spread shows how steady the machine was. */
  roundMedians: number[];
  /** Steps run before timing (JIT, caches); their losses feed the correctness guard. */
  warmupTimes: number[];
  warmupLosses: number[];
  /** A cut-off measurement with no finished step: the time the unfinished step had run (ms), a lower bound. */
  lowerBoundMs?: number;
  peakRssKiB?: number;
  baselineRssKiB?: number;
  notes: string[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The time that represents a measurement: the median of the timed steps; for a cut-off run without any, the
 * warm-up steps after the first; else nothing (then `lowerBoundMs` is all we know).
 */
export function representativeMs(m: Measurement): number | null {
  if (m.times.length > 0) return median(m.times);
  if (m.status === 'cut-off' && m.warmupTimes.length > 1) return median(m.warmupTimes.slice(1));
  if (m.status === 'cut-off' && m.warmupTimes.length === 1) return m.warmupTimes[0];
  return null;
}

export interface Row {
  readonly workload: WorkloadId;
  readonly implementation: ImplementationId;
  /** null when no step finished; then `atLeastMs` bounds it. */
  readonly msPerStep: number | null;
  readonly atLeastMs?: number;
  readonly stepsPerSecond: number | null;
  readonly gflops: number | null;
  /** This implementation's time divided by PyTorch's (float32, one thread) and by tfjs-wasm's: > 1 is slower. */
  readonly timeVsPytorch: number | null;
  readonly timeVsTfjsWasm: number | null;
  readonly timedSteps: number;
  readonly status: MeasurementStatus;
  readonly peakRssMiB: number | null;
  readonly baselineRssMiB: number | null;
  /** (peak − before setup) ÷ the float32 bytes a step needs (workloads.ts `neededBytes`). */
  readonly memoryVsNeeded: number | null;
}

export function buildRows(workload: Workload, measurements: readonly Measurement[]): Row[] {
  const flops = matrixFlopsPerStep(workload);
  const needed = neededBytes(workload);
  const ours = measurements.filter((m) => m.workload === workload.id);
  const referenceMs = (id: ImplementationId): number | null => {
    const m = ours.find((x) => x.implementation === id);
    return m && m.status !== 'failed' ? representativeMs(m) : null;
  };
  const pytorch = referenceMs('pytorch');
  const tfjsWasm = referenceMs('tfjs-wasm');
  return ours.map((m) => {
    const ms = m.status === 'failed' ? null : representativeMs(m);
    return {
      workload: workload.id,
      implementation: m.implementation,
      msPerStep: ms,
      ...(ms === null && m.lowerBoundMs !== undefined ? { atLeastMs: m.lowerBoundMs } : {}),
      stepsPerSecond: ms === null ? null : 1000 / ms,
      gflops: ms === null ? null : flops / (ms * 1e6),
      timeVsPytorch: ms === null || pytorch === null ? null : ms / pytorch,
      timeVsTfjsWasm: ms === null || tfjsWasm === null ? null : ms / tfjsWasm,
      timedSteps: m.times.length,
      status: m.status,
      peakRssMiB: m.peakRssKiB === undefined ? null : m.peakRssKiB / 1024,
      baselineRssMiB: m.baselineRssKiB === undefined ? null : m.baselineRssKiB / 1024,
      memoryVsNeeded: m.peakRssKiB === undefined || m.baselineRssKiB === undefined ? null : ((m.peakRssKiB - m.baselineRssKiB) * 1024) / needed,
    };
  });
}

/** Three significant figures, never exponent notation: 0.0123, 1.23, 12.3, 123, 12345. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toString();
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  if (magnitude === 0) return '0';
  return value.toPrecision(3);
}

export function formatRatio(ratio: number | null): string {
  return ratio === null ? '—' : `${formatNumber(ratio)}×`;
}

const CUT_MARK = '†';

export function formatRow(row: Row): string[] {
  const cut = row.status === 'cut-off' ? CUT_MARK : '';
  const ms = row.msPerStep !== null ? `${formatNumber(row.msPerStep)}${cut}`
    : row.atLeastMs !== undefined ? `> ${formatNumber(row.atLeastMs)}${cut}` : row.status === 'failed' ? 'failed' : '—';
  const rss = row.peakRssMiB === null ? '—'
    : `${formatNumber(row.peakRssMiB)}${row.baselineRssMiB === null ? '' : ` (${formatNumber(row.baselineRssMiB)})`}`;
  return [
    row.workload,
    row.implementation,
    ms,
    row.stepsPerSecond === null ? '—' : formatNumber(row.stepsPerSecond),
    row.gflops === null ? '—' : formatNumber(row.gflops),
    formatRatio(row.timeVsPytorch),
    formatRatio(row.timeVsTfjsWasm),
    String(row.timedSteps),
    rss,
    formatRatio(row.memoryVsNeeded),
  ];
}

export const TABLE_HEADERS = ['workload', 'implementation', 'ms/step', 'steps/s', 'GFLOP/s', 'time ÷ PyTorch', 'time ÷ tfjs-wasm', 'timed steps', 'peak RSS MiB (before setup)', 'memory ÷ needed'];

/** A Markdown table (pipes aligned, numbers right-aligned), readable as plain text too. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string {
  const widths = headers.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]].length)));
  const pad = (text: string, i: number): string => {
    const fill = ' '.repeat(widths[i] - [...text].length);
    return rightAligned[i] ? fill + text : text + fill;
  };
  const line = (cells: readonly string[]): string => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export function resultsTable(rows: readonly Row[]): string {
  return formatTable(TABLE_HEADERS, rows.map(formatRow), [false, false, true, true, true, true, true, true, true, true]);
}

export const TABLE_FOOTNOTE = `${CUT_MARK} cut off at the per-implementation time cap: fewer steps than the others (or, with "> ", no step finished in time).`;
