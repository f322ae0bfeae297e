// Kernel layer: the messages between a lesson kernel (a child process now, a browser Web Worker later) and whoever
// drives it (the editor's notebook controller, the headless lesson runner, the grader), and how an interrupt proceeds.
// Plain data only: everything here crosses a process boundary with structured clone.
import type { StudentOutcome } from '../lessons/checks/student';
import type { CheckResult, CheckSource } from '../lessons/lesson';

/**
 * How an interrupt proceeds, one contract for both sides. The driver (src/node/kernelProcess.ts) sends 'interrupt',
 * adds SIGINT when no answer came within `signalAfterMs` (a cell stuck in synchronous code reads no message), and
 * restarts the kernel when the cell has not stopped after `waitMs`. The kernel (runtime.ts) gives an interrupted cell
 * `graceMs` to end by itself (a `train()` returning its run so far) before it abandons it — well inside `waitMs`.
 */
export const INTERRUPT_TIMING = { signalAfterMs: 100, graceMs: 250, waitMs: 1000 } as const;

/** One rich output: a MIME type and its data (text, or JSON text for the `application/…+json` types). */
export interface OutputItem {
  readonly mime: string;
  readonly data: string;
}

/** What the driver asks of the kernel. `id` ties every answer to its request. */
export type ToKernel =
  /** Run a notebook cell in the kernel's persistent namespace. `label` names the cell in stack traces ("Cell 3"). */
  | { readonly type: 'run'; readonly id: number; readonly code: string; readonly label: string }
  /**
   * Run checks (each in its own scope) against the functions the namespace defines now; each check's Math.random
   * starts from `seed` (runChecks' CheckScope).
   */
  | { readonly type: 'check'; readonly id: number; readonly checks: readonly CheckSource[]; readonly seed: number }
  /**
   * Call the learner's function `name` with `args` (the grader: its checks run in its own process and reach the
   * learner's work only through these two requests); answered with 'student'.
   */
  | { readonly type: 'call'; readonly id: number; readonly name: string; readonly args: readonly unknown[] }
  /** Read the value the learner's cells gave `name` (a question's answer); answered with 'student'. */
  | { readonly type: 'read'; readonly id: number; readonly name: string }
  /** Stop the running request: its promise is abandoned, training loops stop at the next step. */
  | { readonly type: 'interrupt' };

export interface KernelError {
  readonly name: string;
  readonly message: string;
  /** Only the frames of the learner's cells (and `rnn-lab`), with each cell's own line numbers. */
  readonly stack: string;
}

/** What the kernel tells the driver. */
export type FromKernel =
  | { readonly type: 'ready' }
  | { readonly type: 'stream'; readonly id: number; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  /** A rich output; with `displayId`, later `updateDisplay` messages replace it in place (live charts). */
  | { readonly type: 'display'; readonly id: number; readonly displayId?: string; readonly items: readonly OutputItem[] }
  | { readonly type: 'updateDisplay'; readonly id: number; readonly displayId: string; readonly items: readonly OutputItem[] }
  /** The request finished: the last expression's value (if any) or the error. */
  | { readonly type: 'done'; readonly id: number; readonly ok: true; readonly value?: readonly OutputItem[] }
  | { readonly type: 'done'; readonly id: number; readonly ok: false; readonly error: KernelError; readonly interrupted?: boolean }
  | { readonly type: 'checkResults'; readonly id: number; readonly results: readonly CheckResult[] }
  /** How a 'call' or 'read' ended. */
  | { readonly type: 'student'; readonly id: number; readonly outcome: StudentOutcome };
