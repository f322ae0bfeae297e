// A fixed training set (src/engine/tasks/fixedTrainingSet.ts, TrainingConfig.trainingExamples): batches picked from N
// examples drawn once, every kind of target kept with its own sequence, the validation set untouched, the same starting
// network as a run without it — and a network that can memorize them does (lesson 12 watches it overfit).
import assert from 'node:assert/strict';
import { RandomState } from '../../src/engine/random/randomState';
import { selectExamples, withFixedTrainingSet } from '../../src/engine/tasks/fixedTrainingSet';
import { createTask } from '../../src/engine/tasks/registry';
import type { Batch } from '../../src/engine/tasks/task';
import { Trainer } from '../../src/engine/trainer';
import { resolveTrainingConfig } from '../../src/engine/trainingConfig';
import { checkTrainingMemory } from '../../src/engine/budget';

/** Sequence n of a time-major batch as one list: its inputs at every step, then its targets. */
function sequence(batch: Batch, n: number): number[] {
  const [T, N, I] = batch.x.shape;
  const inputs = Array.from({ length: T }, (_, t) => Array.from(batch.x.data.subarray((t * N + n) * I, (t * N + n + 1) * I))).flat();
  const { targets } = batch;
  if (targets.kind === 'classes') {
    return [...inputs, ...(targets.shape.length === 2 ? Array.from({ length: T }, (_, t) => targets.indices[t * N + n]) : [targets.indices[n]])];
  }
  const { shape, data } = targets.tensor;
  const O = shape[shape.length - 1];
  const steps = shape.length === 3 ? T : 1;
  return [...inputs, ...Array.from({ length: steps }, (_, t) => Array.from(data.subarray((t * N + n) * O, (t * N + n + 1) * O))).flat()];
}

describe('a fixed training set', () => {
  it('selectExamples keeps each sequence whole, for every kind of target: classes per step or per sequence, values per step or per sequence', () => {
    // x [T=2, N=3, I=2]: sequence n at step t holds (10t + n, −(10t + n)).
    const x = { shape: [2, 3, 2], data: Float64Array.from([0, -0, 1, -1, 2, -2, 10, -10, 11, -11, 12, -12]) };
    const batches: Batch[] = [
      { x, targets: { kind: 'classes', shape: [2, 3], indices: Int32Array.from([0, 1, 2, 3, 4, 5]) } },
      { x, targets: { kind: 'classes', shape: [3], indices: Int32Array.from([7, 8, 9]) } },
      { x, targets: { kind: 'values', tensor: { shape: [2, 3, 1], data: Float64Array.from([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]) } } },
      { x, targets: { kind: 'values', tensor: { shape: [3, 2], data: Float64Array.from([1, 2, 3, 4, 5, 6]) } } },
    ];
    for (const batch of batches) {
      const picked = selectExamples(batch, [2, 0, 2]);
      assert.deepEqual(picked.x.shape, [2, 3, 2]);
      assert.deepEqual([0, 1, 2].map((b) => sequence(picked, b)), [2, 0, 2].map((n) => sequence(batch, n)), batch.targets.kind);
    }
    assert.deepEqual(sequence(selectExamples(batches[0], [1]), 0), [1, -1, 11, -11, 1, 4]);
    assert.deepEqual(sequence(selectExamples(batches[3], [1]), 0), [1, -1, 11, -11, 3, 4]);
    assert.throws(() => selectExamples(batches[0], [3]), /example 3 is not in a batch of 3/);
  });

  it('every training batch is made of the N examples drawn first; the validation set is the task\'s own', () => {
    const task = createTask('sentiment', { sequenceLength: 12, seed: 3 });
    const fixed = withFixedTrainingSet(task, 5, new RandomState(7));
    const drawn = task.trainBatch(new RandomState(7), 5);                 // what withFixedTrainingSet drew
    const examples = new Set([0, 1, 2, 3, 4].map((n) => sequence(drawn, n).join()));
    const rng = new RandomState(1);
    const seen = new Set<string>();
    for (let step = 0; step < 20; step++) {
      const batch = fixed.trainBatch(rng, 8);
      for (let b = 0; b < 8; b++) seen.add(sequence(batch, b).join());
    }
    assert.deepEqual([...seen].sort(), [...examples].sort(), 'the batches hold all five examples and nothing else');
    assert.equal(fixed.validationBatches(), task.validationBatches());
    assert.deepEqual([fixed.name, fixed.inputSize, fixed.outputSize, fixed.mode, fixed.loss, fixed.baselineLoss], [task.name, task.inputSize, task.outputSize, task.mode, task.loss, task.baselineLoss]);
    assert.throws(() => withFixedTrainingSet(task, 0, new RandomState(1)), /at least 1, got 0/);
  });

  it('trainingExamples starts from the same network as a run without it, and trains on only that many sequences', () => {
    const config = { task: 'dinos', cell: 'gru', hidden: 8, sequenceLength: 6, batchSize: 4, steps: 1, seed: 2 } as const;
    const plain = new Trainer(config);
    const fixed = new Trainer({ ...config, trainingExamples: 3 });
    assert.deepEqual(fixed.model.parameters().map((p) => Array.from(p.value.data)), plain.model.parameters().map((p) => Array.from(p.value.data)));
    const windows = new Set<string>();
    const rng = new RandomState(5);
    for (let step = 0; step < 30; step++) {
      const batch = fixed.task.trainBatch(rng, 4);
      for (let b = 0; b < 4; b++) windows.add(sequence(batch, b).join());
    }
    assert.equal(windows.size, 3);
    assert.equal(plain.config.trainingExamples, 0, 'the default is a fresh batch every step');
  });

  it('a 2-layer GRU memorizes 32 reviews: training loss near 0 while the validation loss rises above its best', () => {
    const trainer = new Trainer({ task: 'sentiment', sequenceLength: 12, cell: 'gru', hidden: 16, layers: 2, batchSize: 16, steps: 200, trainingExamples: 32, validateEvery: 25, seed: 1 });
    const validation: number[] = [];
    let lastLosses: number[] = [];
    while (!trainer.done) {
      const metrics = trainer.step();
      if (metrics.validationLoss !== undefined) validation.push(metrics.validationLoss);
      lastLosses = [...lastLosses.slice(-19), metrics.loss];
    }
    const finalTraining = lastLosses.reduce((sum, loss) => sum + loss, 0) / lastLosses.length;
    const finalValidation = validation[validation.length - 1];
    console.log(`    32 reviews, 200 steps: training loss ${finalTraining.toPrecision(3)}, validation ${Math.min(...validation).toPrecision(3)} at best, ${finalValidation.toPrecision(3)} at the end`);
    assert.ok(finalTraining < 0.05, `training loss ${finalTraining}`);
    assert.ok(finalValidation > Math.min(...validation) + 0.05, `validation ${validation.join(', ')}`);
    assert.ok(finalValidation > 10 * finalTraining);
  });

  it('is refused when it is not a whole number from 0 to 1,000,000, and counted in the memory budget', () => {
    for (const trainingExamples of [-1, 1.5, 1_000_001]) {
      assert.throws(() => resolveTrainingConfig({ task: 'adding', trainingExamples }), { name: 'ConfigError', message: /^trainingExamples must be a whole number from 0 to 1000000/ });
    }
    const size = { cell: 'gru', inputSize: 68, outputSize: 68, hiddenSize: 8, numLayers: 1, directions: 1, steps: 5000, batch: 1 };
    assert.equal(checkTrainingMemory(size), undefined);
    assert.match(checkTrainingMemory({ ...size, trainingExamples: 1_000_000 }) ?? '', /for the input batches/);
  });
});
