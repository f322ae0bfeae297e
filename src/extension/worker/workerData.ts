// Training worker (Node, no vscode): what the host hands a worker thread when it starts it, beside the messages of
// src/shared/protocol.ts (ToWorker / FromWorker).

export interface TrainingWorkerData {
  /**
   * Int32Array(1) over this buffer: the host sets element 0 to 1 to ask for a stop. The training loop reads it between
   * steps with Atomics.load, so a stop needs no trip through the worker's message queue, which a busy loop drains late.
   */
  readonly stopFlag: SharedArrayBuffer;
  /**
   * The run folder a training worker writes. Chosen by the host. Absent in the one worker that answers about saved
   * runs: each of its requests names the run folder to read model.json from.
   */
  readonly runDirectory?: string;
  /** RNN Lab's version, written to summary.json. */
  readonly version: string;
}

export const STOP_REQUESTED = 1;
