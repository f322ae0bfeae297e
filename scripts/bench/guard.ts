// Benchmark (issue #4): the correctness guard, checked on the warm-up steps before anything is timed, so nobody
// benchmarks a broken configuration. Pure: takes the measurements, returns verdicts.
import type { ImplementationId } from './protocol';
import type { Measurement } from './report';
import type { Workload } from './workloads';

export interface Verdict {
  readonly implementation: ImplementationId;
  /**
   * 'fail' stops the benchmark (our engine or a same-weights peer is wrong); 'exclude' leaves that implementation out
   * of the timing (brain.js diverging on its own task and weights); 'warn' is only printed.
   */
  readonly level: 'pass' | 'warn' | 'exclude' | 'fail';
  readonly message: string;
}

/** Same weights, same data, both float64: the first losses must agree to this relative tolerance. */
export const FLOAT64_PARITY = 1e-9;
/** When either side computes in float32 (our engine's WebAssembly kernels do). */
export const FLOAT32_PARITY = 1e-4;
/** W3: the warm-up must lower the mean loss of its last WINDOW steps below that of its first WINDOW. */
export const CHARACTER_WINDOW = 10;
export const CHARACTER_WARMUP_STEPS = 60;

const FLOAT64: readonly ImplementationId[] = ['pytorch-f64', 'numpy'];
const FLOAT32: readonly ImplementationId[] = ['engine-1t', 'pytorch', 'pytorch-2t', 'tfjs-wasm', 'tfjs-cpu'];

function relativeDifference(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(b));
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * - every implementation's warm-up losses are finite and fall (regression: the last below the first on the same
 *   batch; W3: the mean of the last CHARACTER_WINDOW steps below the mean of the first);
 * - the first loss — same weights, same batch, before any update — equals our engine's: within FLOAT64_PARITY for
 *   PyTorch float64 and numpy when our engine ran its float64 kernels, FLOAT32_PARITY otherwise (a float32 side).
 *   brain.js starts from its own weights.
 */
export function checkGuard(workload: Workload, measurements: readonly Measurement[]): Verdict[] {
  const verdicts: Verdict[] = [];
  const live = measurements.filter((m) => m.workload === workload.id && m.status !== 'failed' && m.warmupLosses.length > 0);
  const engine = live.find((m) => m.implementation === 'engine');
  for (const m of live) {
    const losses = m.warmupLosses;
    // brain.js trains its own task from its own weights, and its error measure can overflow while its weights stay
    // finite (its runner fails the step when they do not): its trend is informative only, read on the finite values.
    const ownTask = m.implementation === 'brain.js';
    const trendLevel = ownTask ? 'warn' : 'fail';
    const finite = losses.filter((loss): loss is number => typeof loss === 'number' && Number.isFinite(loss));
    if (finite.length < losses.length) {
      if (!ownTask) {
        verdicts.push({ implementation: m.implementation, level: 'fail', message: `non-finite loss during warm-up (${losses.slice(0, 3).map(String).join(', ')}, …)` });
        continue;
      }
      verdicts.push({ implementation: m.implementation, level: finite.length === 0 ? 'exclude' : 'warn',
        message: `its error was not finite on ${losses.length - finite.length} of ${losses.length} warm-up steps (weights finite)${finite.length === 0 ? ': left out' : ''}` });
      if (finite.length === 0) continue;
    }
    if (workload.kind === 'regression') {
      if (finite.length < 2) {
        verdicts.push({ implementation: m.implementation, level: 'warn', message: 'only one warm-up step: cannot tell whether it trains' });
      } else {
        const [first, last] = [finite[0], finite[finite.length - 1]];
        verdicts.push({ implementation: m.implementation, level: last < first ? 'pass' : trendLevel,
          message: `trains: loss ${first.toPrecision(6)} → ${last.toPrecision(6)} over ${losses.length} steps${last < first ? '' : ' (did not fall)'}` });
      }
    } else if (finite.length < 2 * CHARACTER_WINDOW) {
      verdicts.push({ implementation: m.implementation, level: 'warn', message: `only ${finite.length} finite warm-up losses: cannot tell whether it trains` });
    } else {
      const before = mean(finite.slice(0, CHARACTER_WINDOW));
      const after = mean(finite.slice(-CHARACTER_WINDOW));
      verdicts.push({ implementation: m.implementation, level: after < before ? 'pass' : trendLevel,
        message: `trains: mean loss of the first ${CHARACTER_WINDOW} steps ${before.toPrecision(5)} → last ${CHARACTER_WINDOW} ${after.toPrecision(5)}${after < before ? '' : ' (did not fall)'}` });
    }
    if (engine && m !== engine && (FLOAT64.includes(m.implementation) || FLOAT32.includes(m.implementation))) {
      // The engine runner names its kernels in its detail ('typescript-float64' or 'wasm-simd-float32').
      const engineFloat64 = engine.detail.includes('float64');
      const tolerance = FLOAT64.includes(m.implementation) && engineFloat64 ? FLOAT64_PARITY : FLOAT32_PARITY;
      const difference = relativeDifference(m.warmupLosses[0], engine.warmupLosses[0]);
      verdicts.push({ implementation: m.implementation, level: difference <= tolerance ? 'pass' : 'fail',
        message: `first loss ${m.warmupLosses[0].toPrecision(17)} vs engine ${engine.warmupLosses[0].toPrecision(17)}: relative difference ${difference.toExponential(2)} (tolerance ${tolerance.toExponential(0)})` });
    }
  }
  return verdicts;
}
