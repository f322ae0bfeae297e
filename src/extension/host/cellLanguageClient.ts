// Extension host (Node, no vscode): the host's end of the language worker thread (dist/languageWorker.js). The thread
// starts on the first request; a request the editor cancels is flagged in shared memory, which the worker reads before
// and while it computes; a request unanswered in time is abandoned, and a thread that died is started again next time.
import { Worker } from 'node:worker_threads';
import {
  CANCEL_SLOTS, type FromLanguageWorker, type LanguageAnswers, type LanguageRequest, type LanguageWorkerData, type ToLanguageWorker,
} from './cellLanguageProtocol';

export interface CellLanguageClientOptions {
  /** Absolute path of dist/languageWorker.js. */
  readonly script: string;
  /** Absolute path of dist/types/labTypes.json. */
  readonly typesFile: string;
  /** How long one request may take (the first one loads the compiler and the declarations: seconds). */
  readonly requestTimeoutMs?: number;
  /** Where a worker's failure is reported (the RNN Lab output channel). */
  readonly log?: (line: string) => void;
}

/** Tells the client the editor no longer wants an answer (VS Code's CancellationToken fits). */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

interface Pending {
  readonly resolve: (answer: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class CellLanguageClient {
  private worker: Worker | undefined;
  private readonly cancelled = new Int32Array(new SharedArrayBuffer(CANCEL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly options: CellLanguageClientOptions) {}

  get started(): boolean {
    return this.worker !== undefined;
  }

  /**
   * The worker's answer; `undefined` when there is nothing to offer, when the editor cancelled, or when the worker
   * cancelled it. Rejects when the worker fails or does not answer in time.
   */
  request<Type extends LanguageRequest['type']>(request: LanguageRequest & { readonly type: Type }, cancellation?: Cancellation): Promise<LanguageAnswers[Type] | undefined> {
    if (cancellation?.isCancellationRequested) return Promise.resolve(undefined);
    const requestId = this.nextRequestId++;
    Atomics.store(this.cancelled, requestId % CANCEL_SLOTS, 0);
    return new Promise<LanguageAnswers[Type] | undefined>((resolve, reject) => {
      const timeoutMs = this.options.requestTimeoutMs ?? 30_000;
      const listener = cancellation?.onCancellationRequested(() => {
        Atomics.store(this.cancelled, requestId % CANCEL_SLOTS, requestId);
        this.settle(requestId, (entry) => entry.resolve(undefined));
      });
      const timer = setTimeout(() => {
        Atomics.store(this.cancelled, requestId % CANCEL_SLOTS, requestId);
        this.settle(requestId, (entry) => entry.reject(new Error(`the language worker did not answer a ${request.type} request within ${timeoutMs / 1000} s`)));
      }, timeoutMs);
      this.pending.set(requestId, {
        resolve: (answer) => { listener?.dispose(); resolve(answer as LanguageAnswers[Type] | undefined); },
        reject: (error) => { listener?.dispose(); reject(error); },
        timer,
      });
      try {
        this.ensureWorker().postMessage({ ...request, requestId } satisfies ToLanguageWorker);
      } catch (error) {
        this.settle(requestId, (entry) => entry.reject(error as Error));
      }
    });
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the language worker was stopped'));
    await worker?.terminate();
  }

  private settle(requestId: number, how: (entry: Pending) => void): void {
    const entry = this.pending.get(requestId);
    if (!entry) return;
    this.pending.delete(requestId);
    clearTimeout(entry.timer);
    how(entry);
  }

  private failAll(error: Error): void {
    for (const requestId of [...this.pending.keys()]) this.settle(requestId, (entry) => entry.reject(error));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const workerData: LanguageWorkerData = { typesFile: this.options.typesFile, cancelled: this.cancelled.buffer as SharedArrayBuffer };
    const worker = new Worker(this.options.script, { workerData, name: 'rnn-lab-language', stdout: false, stderr: false });
    let failure: Error | undefined;
    worker.on('message', (message: FromLanguageWorker) => this.receive(message));
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;   // the next request starts a new thread
      const reason = failure ? `the language worker failed: ${failure.message}` : `the language worker exited (code ${code})`;
      this.options.log?.(reason);
      this.failAll(new Error(reason));
    });
    worker.unref();   // completion must never keep the extension host alive
    this.worker = worker;
    return worker;
  }

  private receive(message: FromLanguageWorker): void {
    switch (message.type) {
      case 'answer': this.settle(message.requestId, (entry) => entry.resolve(message.answer)); break;
      case 'cancelled': this.settle(message.requestId, (entry) => entry.resolve(undefined)); break;
      case 'error': this.settle(message.requestId, (entry) => entry.reject(new Error(message.message))); break;
      default: this.options.log?.(`the language worker sent a message of unknown type: ${JSON.stringify(message).slice(0, 200)}`);
    }
  }
}
