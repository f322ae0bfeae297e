// Benchmark (issue #4): the line protocol between the orchestrator (bench.ts) and each implementation's runner, a
// child process (Node or Python) that holds one workload. Every protocol line on the runner's stdout starts with
// MARKER, so whatever a library prints on stdout (tfjs greets Node users there) cannot be mistaken for a reply.
import type { Workload, WorkloadId } from './workloads';

export const MARKER = '@@bench ';

export type ImplementationId = 'engine' | 'engine-1t' | 'pytorch' | 'pytorch-2t' | 'pytorch-f64' | 'numpy' | 'tfjs-wasm' | 'tfjs-cpu' | 'brain.js';

/** Orchestrator → runner, one JSON object per line on stdin. */
export type ToRunner =
  /** `fixture` is the path of the fixture without its .json/.bin extension; `spec` the workload's definition. */
  | { readonly op: 'setup'; readonly implementation: ImplementationId; readonly workload: WorkloadId; readonly spec: Workload; readonly fixture: string }
  /** Run `count` training steps; reply with each step's wall time and its loss (computed before that step's update). */
  | { readonly op: 'steps'; readonly count: number }
  | { readonly op: 'memory' }
  | { readonly op: 'exit' };

/** Runner → orchestrator. */
export type FromRunner =
  /** `threads`: how many threads the implementation computes on, where the runner knows (ours, PyTorch). */
  | { readonly op: 'ready'; readonly detail: string; readonly versions: Readonly<Record<string, string>>; readonly threads?: number }
  /**
   * `losses` are per example (W1/W2/W4: the MSE; W3: cross-entropy per character; brain.js: its own error
   * measure), so implementations can be compared.
   */
  | { readonly op: 'steps'; readonly times: readonly number[]; readonly losses: readonly number[] }
  /** Peak resident set size of the runner process so far, and its resident size before the workload was set up (KiB). */
  | { readonly op: 'memory'; readonly peakRssKiB: number; readonly baselineRssKiB: number }
  | { readonly op: 'error'; readonly message: string };

export function encodeReply(message: FromRunner): string {
  return `${MARKER}${JSON.stringify(message)}\n`;
}

/** The reply on a line of runner output, or null for any other line (library chatter). Throws on a malformed reply. */
export function decodeReply(line: string): FromRunner | null {
  if (!line.startsWith(MARKER)) return null;
  const value: unknown = JSON.parse(line.slice(MARKER.length));
  if (typeof value !== 'object' || value === null || typeof (value as { op?: unknown }).op !== 'string') {
    throw new Error(`malformed runner reply: ${line.slice(0, 200)}`);
  }
  const op = (value as { op: string }).op;
  if (!['ready', 'steps', 'memory', 'error'].includes(op)) throw new Error(`unknown runner reply '${op}'`);
  return value as FromRunner;
}
