// Extension host (Node, no vscode): how long the extension host's event loop was held up while a run trained — the
// evidence that training really happens off the host thread. Node's histogram records the interval between timer
// ticks, so the lag is that interval minus the timer's resolution.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface EventLoopLag {
  /** Milliseconds of delay beyond the sampling timer, by percentile; `samples` timer ticks were measured. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
}

const RESOLUTION_MS = 10;

export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });

  constructor() {
    this.histogram.enable();
  }

  /** Stops measuring and returns the lag seen since construction. */
  finish(): EventLoopLag {
    this.histogram.disable();
    const lag = (nanoseconds: number): number => Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);
    const h = this.histogram;
    return h.count === 0
      ? { p50: 0, p99: 0, max: 0, samples: 0 }
      : { p50: lag(h.percentile(50)), p99: lag(h.percentile(99)), max: lag(h.max), samples: h.count };
  }
}

export function formatLag(lag: EventLoopLag): string {
  return `p99 ${lag.p99.toFixed(1)} ms (p50 ${lag.p50.toFixed(1)} ms, max ${lag.max.toFixed(1)} ms, ${lag.samples} samples)`;
}
