// Kernel layer, types only: the 'rnn-lab' module as TypeScript sees it in a lesson cell (completion, hover) — the
// object createLabModule (labModule.ts) builds, declared as a module. scripts/labTypes.mjs emits its declarations;
// test/kernel/labModuleTypes.test.ts checks that it names exactly the values that object holds, so the two cannot drift.
export * from '../engine/index';
import type { DisplayApi } from './display';

/** Charts and tables in the cell's output: `show.loss(run)`, `show.timeGradients(run)`, `show.table(rows)`, … */
export declare const show: DisplayApi['show'];
/** Trains with the engine's Trainer, streaming a live loss chart into the cell; resolves with the run. */
export declare const train: DisplayApi['train'];
export { LabRun } from './display';
