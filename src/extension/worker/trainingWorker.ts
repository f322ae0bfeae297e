// Training worker (Node, no vscode): the entry of dist/worker.js — a worker_threads thread the extension host starts
// for one run (or to sample a saved one), so training never runs on the extension host's event loop.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../../shared/protocol';
import { TrainingSession } from './trainingSession';
import type { TrainingWorkerData } from './workerData';

if (!parentPort) throw new Error('dist/worker.js runs as a worker thread started by the RNN Lab extension');

/**
 * Training is background work: when the cores are busy (a browser drawing the dashboard, other runs), the extension
 * host's thread should be scheduled first. On Linux the nice value belongs to the thread, and setpriority on "this
 * process" (0) changes only the calling thread, so this lowers the worker and nothing else. Elsewhere it would lower
 * the whole extension host, so it is not done there.
 */
const WORKER_NICE = 10;
if (process.platform === 'linux') {
  try {
    setPriority(0, WORKER_NICE);
  } catch {
    // A sandbox may forbid it; training then simply competes at the normal priority.
  }
}
const port = parentPort;
const session = new TrainingSession(workerData as TrainingWorkerData, (message: FromWorker) => port.postMessage(message));

port.on('message', (message: ToWorker) => {
  session.handle(message).catch((error: unknown) => {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies FromWorker);
  });
});
