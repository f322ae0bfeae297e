// Benchmark (issue #4): the results and how they print — medians, GFLOP/s, ratios and the text table. Pure: no I/O,
// so the unit test can pin the formatting.
import type { ImplementationId } from './protocol';
import { matrixFlopsPerStep, neededBytes, type Workload, type WorkloadId } from './workloads';

export type MeasurementStatus = 'ok' | 'cut-off' | 'failed';

/** How the machine was while a measurement ran: as it is, or with one core kept busy by another process (`--load`). */
export type Condition = 'quiet' | 'one core busy';

/** One implementation on one workload. */
export interface Measurement {
  readonly workload: WorkloadId;
  readonly implementation: ImplementationId;
  readonly condition: Condition;
  status: MeasurementStatus;
  /** What ran (kernels, backend, BLAS), as the runner described itself. */
  detail: string;
  /** Threads it computed on, where its runner says (ours, PyTorch). */
  threads?: number;
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

/** The rows of the main table: the quiet measurements of one workload. */
export function buildRows(workload: Workload, measurements: readonly Measurement[]): Row[] {
  const flops = matrixFlopsPerStep(workload);
  const needed = neededBytes(workload);
  const ours = measurements.filter((m) => m.workload === workload.id && m.condition === 'quiet');
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

// ---------------------------------------------------------------- spread, equal threads, load (issue #11)

/** The spread of a measurement's per-round medians: a bimodal run shows as max ÷ min far above 1. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly maxOverMin: number;
  readonly rounds: number;
}

export function spread(roundMedians: readonly number[]): Spread | null {
  if (roundMedians.length === 0) return null;
  const min = Math.min(...roundMedians);
  const max = Math.max(...roundMedians);
  return { min, median: median(roundMedians), max, maxOverMin: max / min, rounds: roundMedians.length };
}

/** The float32 PyTorch rows, one per thread count: what "time ÷ PyTorch, same threads" divides by. */
const PYTORCH_BY_THREADS: readonly ImplementationId[] = ['pytorch', 'pytorch-2t'];

/** One row of the spread table: every measurement of a workload, quiet and with one core busy. */
export interface SpreadRow {
  readonly workload: WorkloadId;
  readonly implementation: ImplementationId;
  readonly condition: Condition;
  readonly threads: number | null;
  readonly msPerStep: number | null;
  /** This row's time over float32 PyTorch's on as many threads, in the same condition: > 1 is slower. */
  readonly timeVsPytorchSameThreads: number | null;
  readonly spread: Spread | null;
  readonly status: MeasurementStatus;
}

export function buildSpreadRows(workload: Workload, measurements: readonly Measurement[]): SpreadRow[] {
  const ours = measurements.filter((m) => m.workload === workload.id);
  const pytorchMs = (condition: Condition, threads: number): number | null => {
    const m = ours.find((x) => x.condition === condition && x.threads === threads && PYTORCH_BY_THREADS.includes(x.implementation));
    return m && m.status !== 'failed' ? representativeMs(m) : null;
  };
  const conditions: readonly Condition[] = ['quiet', 'one core busy'];
  return conditions.flatMap((condition) => ours.filter((m) => m.condition === condition).map((m) => {
    const ms = m.status === 'failed' ? null : representativeMs(m);
    const reference = m.threads === undefined ? null : pytorchMs(condition, m.threads);
    return {
      workload: workload.id,
      implementation: m.implementation,
      condition,
      threads: m.threads ?? null,
      msPerStep: ms,
      timeVsPytorchSameThreads: ms === null || reference === null ? null : ms / reference,
      spread: spread(m.roundMedians),
      status: m.status,
    };
  }));
}

export const SPREAD_HEADERS = ['workload', 'implementation', 'threads', 'machine', 'ms/step', 'time ÷ PyTorch, same threads', 'round medians min / median / max', 'max ÷ min', 'rounds'];

export function formatSpreadRow(row: SpreadRow): string[] {
  const cut = row.status === 'cut-off' ? CUT_MARK : '';
  const s = row.spread;
  return [
    row.workload,
    row.implementation,
    row.threads === null ? '—' : String(row.threads),
    row.condition,
    row.msPerStep === null ? (row.status === 'failed' ? 'failed' : '—') : `${formatNumber(row.msPerStep)}${cut}`,
    formatRatio(row.timeVsPytorchSameThreads),
    s === null ? '—' : `${formatNumber(s.min)} / ${formatNumber(s.median)} / ${formatNumber(s.max)}`,
    s === null ? '—' : formatNumber(s.maxOverMin),
    s === null ? '0' : String(s.rounds),
  ];
}

export function spreadTable(rows: readonly SpreadRow[]): string {
  return formatTable(SPREAD_HEADERS, rows.map(formatSpreadRow), [false, false, true, false, true, true, true, true, true]);
}

/** Issue #11's targets for one workload, each a ratio read from this run (null where a row is missing). */
export interface TargetRow {
  readonly workload: WorkloadId;
  /** engine (2 threads requested) with one core busy ÷ engine-1t on the quiet machine: target ≤ 1.1. */
  readonly busyVsOneThreadQuiet: number | null;
  /** max ÷ min of the engine's per-round medians, quiet machine: target ≤ 1.3. */
  readonly engineRoundMaxOverMin: number | null;
  /** engine-1t ÷ pytorch (one thread each), quiet: target ≤ 1.0. */
  readonly oneThreadVsPytorch: number | null;
  /** engine ÷ pytorch-2t (two threads each), quiet: target ≤ 1.0. */
  readonly twoThreadsVsPytorch: number | null;
}

export const TARGET_LIMITS = { busyVsOneThreadQuiet: 1.1, engineRoundMaxOverMin: 1.3, oneThreadVsPytorch: 1.0, twoThreadsVsPytorch: 1.0 } as const;

export function buildTargetRow(workload: Workload, rows: readonly SpreadRow[]): TargetRow {
  const find = (implementation: ImplementationId, condition: Condition): SpreadRow | undefined =>
    rows.find((r) => r.workload === workload.id && r.implementation === implementation && r.condition === condition);
  const ratio = (a: SpreadRow | undefined, b: SpreadRow | undefined): number | null =>
    a?.msPerStep == null || b?.msPerStep == null ? null : a.msPerStep / b.msPerStep;
  const engine = find('engine', 'quiet');
  // The equal-thread ratios hold only when 'engine' really ran on two threads (a one-core machine gives it one).
  const engineTwoThreads = engine?.threads === 2 ? engine : undefined;
  return {
    workload: workload.id,
    busyVsOneThreadQuiet: ratio(find('engine', 'one core busy'), find('engine-1t', 'quiet')),
    engineRoundMaxOverMin: engine?.spread?.maxOverMin ?? null,
    oneThreadVsPytorch: ratio(find('engine-1t', 'quiet'), find('pytorch', 'quiet')),
    twoThreadsVsPytorch: ratio(engineTwoThreads, find('pytorch-2t', 'quiet')),
  };
}

export const TARGET_HEADERS = ['workload', 'engine, one core busy ÷ engine 1 thread quiet (≤ 1.1)', 'engine round medians max ÷ min (≤ 1.3)',
  'engine 1 thread ÷ PyTorch 1 thread (≤ 1.0)', 'engine 2 threads ÷ PyTorch 2 threads (≤ 1.0)'];

export function formatTargetRow(row: TargetRow): string[] {
  const cell = (value: number | null, limit: number, asRatio: boolean): string =>
    value === null ? '—' : `${asRatio ? formatRatio(value) : formatNumber(value)} ${value <= limit ? 'met' : 'NOT met'}`;
  return [
    row.workload,
    cell(row.busyVsOneThreadQuiet, TARGET_LIMITS.busyVsOneThreadQuiet, true),
    cell(row.engineRoundMaxOverMin, TARGET_LIMITS.engineRoundMaxOverMin, false),
    cell(row.oneThreadVsPytorch, TARGET_LIMITS.oneThreadVsPytorch, true),
    cell(row.twoThreadsVsPytorch, TARGET_LIMITS.twoThreadsVsPytorch, true),
  ];
}

export function targetTable(rows: readonly TargetRow[]): string {
  return formatTable(TARGET_HEADERS, rows.map(formatTargetRow), [false, true, true, true, true]);
}

export const TABLE_FOOTNOTE = `${CUT_MARK} cut off at the per-implementation time cap: fewer steps than the others (or, with "> ", no step finished in time).`;
