// Kernel layer: what `import … from 'rnn-lab'` gives a cell — the engine's public API (engine, `course`, tasks,
// Trainer, resolveTrainingConfig…) and the notebook's own helpers. Built in one place, once per kernel, when a cell
// first imports it (so the kernel starts without loading the engine).
import * as engine from '../engine/index';
import { createDisplayApi, LabRun } from './display';
import type { DisplayHooks, LabModule } from './runtime';

/**
 * The module object cells import from. Add an entry here and every cell, the completion list and the checks see it.
 * `hooks` reach the running request's output: display.ts's `show` (charts, tables) and `train` (a live chart).
 */
export function createLabModule(hooks: DisplayHooks): LabModule {
  const { show, train } = createDisplayApi(hooks);
  return Object.freeze({ ...engine, show, train, LabRun });
}
