// Extension host (Node, no vscode): the host's end of one training worker thread (dist/worker.js). The thread starts
// lazily on first use; stop() sets a SharedArrayBuffer flag the training loop reads between steps (no message queue
// in the way) and also posts 'stop'; requests (sample, hidden states) carry an id, are answered or refused under it,
// and time out instead of hanging if the thread never answers.
import { Worker } from 'node:worker_threads';
import type { Direction, FromWorker, HiddenStatesOf, ToWorker } from '../../shared/protocol';
import type { TrainingConfig } from '../../engine/trainer';
import { STOP_REQUESTED, type TrainingWorkerData } from '../worker/workerData';
import { Emitter } from './emitter';

export interface WorkerClientOptions {
  /** Absolute path of dist/worker.js. */
  readonly script: string;
  /** The run folder a training worker writes; absent for the worker that answers about saved runs. */
  readonly runDirectory?: string;
  readonly version: string;
  /** How long a request (a sample, hidden states) may take before it is abandoned. */
  readonly requestTimeoutMs?: number;
}

/** How the thread ended when it was not through a message: it crashed, or it was terminated. */
export interface WorkerExit {
  readonly code: number;
  readonly error?: Error;
}

const MESSAGE_TYPES = new Set<FromWorker['type']>(['metrics', 'taskBuilt', 'ended', 'sample', 'hiddenStates', 'error', 'log']);

/** A request in flight: settled by the worker's answer with the same id, its 'error' with that id, or the timeout. */
interface PendingRequest {
  readonly resolve: (answer: FromWorker) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

type Request = { readonly type: 'sample'; readonly temperature: number; readonly seed: number; readonly maxLength: number; readonly runDirectory?: string }
  | { readonly type: 'hiddenStates'; readonly layer: number; readonly direction: Direction; readonly runDirectory?: string };

/** A request the thread did not answer in time (it may still be busy with it). */
export class RequestTimeoutError extends Error {}

export class WorkerClient {
  readonly onMessage: Emitter<FromWorker>['event'];
  readonly onExit: Emitter<WorkerExit>['event'];
  private readonly messages = new Emitter<FromWorker>();
  private readonly exits = new Emitter<WorkerExit>();
  private readonly stopFlag = new SharedArrayBuffer(4);
  private worker: Worker | undefined;
  private exited: WorkerExit | undefined;
  private lastError: Error | undefined;
  private nextRequestId = 1;
  private readonly pending = new Map<number, PendingRequest>();

  constructor(private readonly options: WorkerClientOptions) {
    this.onMessage = this.messages.event;
    this.onExit = this.exits.event;
  }

  get started(): boolean {
    return this.worker !== undefined;
  }

  get stopRequested(): boolean {
    return Atomics.load(new Int32Array(this.stopFlag), 0) === STOP_REQUESTED;
  }

  /** `startedAt` is the host's start time (ISO), which the run's summary.json keeps, so saved runs sort as they started. */
  start(runId: string, config: TrainingConfig, startedAt: string, reportEveryMs: number, kernelThreads: number, hiddenStatesEveryMs?: number): void {
    this.post({ type: 'start', runId, config, startedAt, reportEveryMs, kernelThreads, ...(hiddenStatesEveryMs !== undefined ? { hiddenStatesEveryMs } : {}) });
  }

  /** Asks the run to stop after its current step; takes effect without waiting for the worker's message queue. */
  stop(): void {
    Atomics.store(new Int32Array(this.stopFlag), 0, STOP_REQUESTED);
    if (this.worker && !this.exited) this.worker.postMessage({ type: 'stop' } satisfies ToWorker);
  }

  /**
   * One sampled text, from the run being trained or from the saved run folder `runDirectory`; rejects with the
   * worker's error (e.g. not a character model) or after the timeout.
   */
  async sample(temperature: number, seed: number, maxLength: number, runDirectory?: string): Promise<string> {
    const answer = await this.request({ type: 'sample', temperature, seed, maxLength, ...(runDirectory !== undefined ? { runDirectory } : {}) }, 'sampling');
    if (answer.type !== 'sample') throw new Error(`the worker answered a sample request with '${answer.type}'`);
    return answer.text;
  }

  /**
   * The hidden states of `layer` for the first validation input, from the model being trained (which then keeps
   * reporting that layer) or from the run folder's model.json; rejects with the worker's error or after the timeout.
   */
  async hiddenStates(layer: number, direction: Direction, runDirectory?: string): Promise<HiddenStatesOf<number>> {
    const answer = await this.request({ type: 'hiddenStates', layer, direction, ...(runDirectory !== undefined ? { runDirectory } : {}) }, 'computing the hidden states');
    if (answer.type !== 'hiddenStates') throw new Error(`the worker answered a hidden-state request with '${answer.type}'`);
    const { type: _type, requestId: _id, ...states } = answer;
    return states;
  }

  private request(request: Request, what: string): Promise<FromWorker> {
    const requestId = this.nextRequestId++;
    return new Promise<FromWorker>((resolve, reject) => {
      const timeoutMs = this.options.requestTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new RequestTimeoutError(`${what} took longer than ${timeoutMs / 1000} s and was abandoned`));
      }, timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      try {
        this.post({ ...request, requestId });
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(requestId);
        reject(error as Error);
      }
    });
  }

  /** Ends the thread now (files being written may be left as temporary files; the run folder keeps what it had). */
  async terminate(): Promise<void> {
    if (this.worker && !this.exited) await this.worker.terminate();
  }

  private post(message: ToWorker): void {
    if (this.exited) throw new Error('the training worker has already exited');
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const workerData: TrainingWorkerData = {
      stopFlag: this.stopFlag, version: this.options.version, ...(this.options.runDirectory !== undefined ? { runDirectory: this.options.runDirectory } : {}),
    };
    const worker = new Worker(this.options.script, { workerData, name: 'rnn-lab-training', stdout: false, stderr: false });
    worker.on('message', (message: unknown) => this.receive(message));
    worker.on('error', (error) => {
      this.lastError = error;
    });
    worker.on('exit', (code) => {
      this.exited = { code, ...(this.lastError ? { error: this.lastError } : {}) };
      const reason = this.lastError ? `the training worker failed: ${this.lastError.message}` : `the training worker exited (code ${code})`;
      for (const [id, request] of this.pending) {
        clearTimeout(request.timer);
        request.reject(new Error(reason));
        this.pending.delete(id);
      }
      this.exits.fire(this.exited);
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: unknown): void {
    // Our own thread, but a message of the wrong shape must not be half-handled.
    if (typeof message !== 'object' || message === null || !MESSAGE_TYPES.has((message as { type: FromWorker['type'] }).type)) return;
    const m = message as FromWorker;
    const requestId = m.type === 'sample' || m.type === 'hiddenStates' || m.type === 'error' ? m.requestId : undefined;
    if (requestId !== undefined) {
      const request = this.pending.get(requestId);
      if (request) {
        clearTimeout(request.timer);
        this.pending.delete(requestId);
        if (m.type === 'error') request.reject(new Error(m.message));
        else request.resolve(m);
      }
      return;   // an answer, or the refusal of a request, is for the one who asked (a late one for nobody)
    }
    this.messages.fire(m);
  }
}
