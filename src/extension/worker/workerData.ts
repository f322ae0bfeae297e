// Training worker (Node, no vscode): what the host hands a worker thread when it starts it, beside the messages of
// src/shared/protocol.ts (ToWorker / FromWorker).

export interface TrainingWorkerData {
  /**
   * Int32Array(1) over this buffer: the host sets element 0 to 1 to ask for a stop. The training loop reads it between
   * steps with Atomics.load, so a stop needs no trip through the worker's message queue, which a busy loop drains late.
   */
  readonly stopFlag: SharedArrayBuffer;
  /** The run folder the worker writes (training) or reads model.json from (sampling a saved run). Chosen by the host. */
  readonly runDirectory: string;
  /** RNN Lab's version, written to summary.json. */
  readonly version: string;
}

export const STOP_REQUESTED = 1;
