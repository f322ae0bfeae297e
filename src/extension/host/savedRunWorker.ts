// Extension host (Node, no vscode): the one worker thread that answers about saved runs — samples and hidden states
// from a run folder's model.json. Requests wait in a queue and go to the thread one at a time, in the order they were
// asked, each under its own request id; the thread starts on first use and ends when idle or on dispose.
import type { Direction, HiddenStatesOf } from '../../shared/protocol';
import { RequestTimeoutError, WorkerClient } from './workerClient';

export interface SavedRunWorkerOptions {
  /** Absolute path of dist/worker.js. */
  readonly script: string;
  readonly version: string;
  /** How long the thread may sit idle (nothing queued) before it ends; the next request starts a new one. */
  readonly idleMs?: number;
  /** How long one request may take once it reaches the thread; a request that takes longer ends the thread. */
  readonly requestTimeoutMs?: number;
}

/** Ends the thread after a minute without requests: a saved model can take hundreds of megabytes. */
export const DEFAULT_SAVED_RUN_WORKER_IDLE_MS = 60_000;

/** A look-up that fails while its request waits in the queue is reported when the request runs, not as unhandled. */
function handledLater(value: string | Promise<string>): void {
  if (typeof value !== 'string') value.catch(() => undefined);
}

export class SavedRunWorker {
  private client: WorkerClient | undefined;
  /** The end of the queue: each request starts when the one before it has settled. */
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** Threads started so far (a new one after the idle timeout, a crash or a timed-out request). */
  threadsStarted = 0;

  constructor(private readonly options: SavedRunWorkerOptions) {}

  /**
   * One text sampled from the saved run in `directory`, as `rnn-lab sample --seed` would write it. The request takes
   * its place in the queue now; a folder still being looked up is awaited there (a failed look-up fails this request).
   */
  sample(directory: string | Promise<string>, temperature: number, seed: number, maxLength: number): Promise<string> {
    handledLater(directory);
    return this.enqueue(async (client) => client.sample(temperature, seed, maxLength, await directory));
  }

  /** The hidden states of `layer` for the first validation input of the saved run in `directory`. */
  hiddenStates(directory: string | Promise<string>, layer: number, direction: Direction): Promise<HiddenStatesOf<number>> {
    handledLater(directory);
    return this.enqueue(async (client) => client.hiddenStates(layer, direction, await directory));
  }

  /** Ends the thread now; requests still queued are refused. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.clearIdleTimer();
    const client = this.client;
    this.client = undefined;
    await client?.terminate();
  }

  private enqueue<T>(request: (client: WorkerClient) => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('RNN Lab is shutting down'));
    // Asked in order, answered in order: the request is queued before anything is awaited.
    this.clearIdleTimer();
    this.queued++;
    const result = this.tail.then(() => {
      if (this.disposed) throw new Error('RNN Lab is shutting down');
      return this.run(request);
    });
    // The queue goes on whatever this request's outcome: a failed request does not hold up or fail the next.
    this.tail = result.then(() => undefined, () => undefined).then(() => {
      this.queued--;
      if (this.queued === 0) this.startIdleTimer();
    });
    return result;
  }

  private async run<T>(request: (client: WorkerClient) => Promise<T>): Promise<T> {
    const client = this.ensureClient();
    try {
      return await request(client);
    } catch (error) {
      // A thread that did not answer in time may still be busy with it: the next request gets a fresh thread.
      if (error instanceof RequestTimeoutError && this.client === client) {
        this.client = undefined;
        void client.terminate();
      }
      throw error;
    }
  }

  private ensureClient(): WorkerClient {
    if (this.client) return this.client;
    const client = new WorkerClient({
      script: this.options.script, version: this.options.version,
      ...(this.options.requestTimeoutMs !== undefined ? { requestTimeoutMs: this.options.requestTimeoutMs } : {}),
    });
    client.onExit(() => {
      if (this.client === client) this.client = undefined;   // crashed or ended: the next request starts a new thread
    });
    this.client = client;
    this.threadsStarted++;
    return client;
  }

  private startIdleTimer(): void {
    if (this.disposed || !this.client) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      const client = this.client;
      this.client = undefined;
      void client?.terminate();
    }, this.options.idleMs ?? DEFAULT_SAVED_RUN_WORKER_IDLE_MS);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
