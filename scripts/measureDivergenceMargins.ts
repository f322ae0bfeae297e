// How far healthy runs are from being called diverged: every bundled task and cell, trained with the given
// configuration (default: the CLI's defaults; '{"hidden":32,"steps":300,"clip":1}' for the wizard's), prints the
// largest median-of-10 loss and the largest single loss, each over the reference the divergence check uses.
// Usage: npx tsx scripts/measureDivergenceMargins.ts ['{"hidden":32}'] [lstm,gru,rnn]
import { DIVERGENCE_WINDOW, medianOf } from '../src/engine/divergence';
import { TASK_NAMES } from '../src/engine/tasks/registry';
import { Trainer, type TrainingConfig } from '../src/engine/trainer';

const overrides = JSON.parse(process.argv[2] ?? '{}') as Partial<TrainingConfig>;
const cells = (process.argv[3] ?? 'lstm,gru,rnn').split(',') as TrainingConfig['cell'][];
for (const task of TASK_NAMES) {
  for (const cell of cells) {
    const trainer = new Trainer({ task, cell, ...overrides });
    const losses: number[] = [];
    let skipped = 0;
    const started = Date.now();
    while (!trainer.done) {
      const metrics = trainer.step();
      losses.push(metrics.loss);
      if (metrics.skipped) skipped++;
    }
    const reference = Math.max(losses[0], trainer.task.baselineLoss ?? 0);
    let largestMedian = 0;
    for (let end = DIVERGENCE_WINDOW; end <= losses.length; end++) {
      largestMedian = Math.max(largestMedian, medianOf(losses.slice(end - DIVERGENCE_WINDOW, end)) / reference);
    }
    const largestSingle = Math.max(...losses.map((loss) => loss / reference));
    console.log(`${task} ${cell}${trainer.divergence ? ' DIVERGED' : ''}: reference ${reference.toPrecision(4)}, last ${losses.at(-1)!.toPrecision(4)}, ` +
      `largest median ${largestMedian.toPrecision(3)}×, largest single ${largestSingle.toPrecision(3)}×, ${skipped} skipped (${Date.now() - started} ms)`);
  }
}
