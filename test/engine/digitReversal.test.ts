// The encoder–decoder's bundled task, reverse-digits (T_x digits in, the first k reversed and a stop mark out), and
// its training loop: batch layout, errors that name the problem, determinism, held-out validation, and that it learns.
import assert from 'node:assert/strict';
import { isHeldOut } from '../../src/engine/tasks/batchBuilding';
import { REVERSAL_STOP, reversalAnswer, reversalBatch, reversalText, trainEncoderDecoder } from '../../src/engine/digitReversal';

/** The index of the 1 in row (t, b) of a one-hot [T, B, width] array, asserting the row is one-hot. */
function hotIndex(data: Float64Array, B: number, width: number, t: number, b: number): number {
  const row = [...data.subarray((t * B + b) * width, (t * B + b + 1) * width)];
  assert.equal(row.filter((v) => v === 1).length, 1, `row (${t}, ${b}) is one-hot`);
  assert.equal(row.filter((v) => v !== 0).length, 1);
  return row.indexOf(1);
}

describe('reverse-digits: the encoder–decoder task (T_x ≠ T_y)', () => {
  it('asks for the first k digits backwards, then the stop mark', () => {
    assert.deepEqual(reversalAnswer([3, 1, 4, 1, 5, 9], 3), [4, 1, 3, REVERSAL_STOP]);
    assert.equal(reversalText(reversalAnswer([3, 1, 4, 1, 5, 9], 3)), '413.');
    assert.equal(reversalText(reversalAnswer([2, 7], 2)), '72.');
  });

  it('lays out a batch time-major: one-hot sources, teacher-forced decoder inputs (start, then the true previous output), targets', () => {
    const batch = reversalBatch([[3, 1, 4, 1, 5, 9], [0, 0, 7, 2, 2, 2]], { sourceLength: 6, reversedCount: 3 });
    assert.deepEqual(batch.source.shape, [6, 2, 10]);
    assert.deepEqual(batch.decoderInput.shape, [4, 2, 12]);
    assert.equal(batch.targets.length, 4 * 2);
    assert.deepEqual(Array.from({ length: 6 }, (_, t) => hotIndex(batch.source.data, 2, 10, t, 0)), [3, 1, 4, 1, 5, 9]);
    assert.deepEqual(Array.from({ length: 6 }, (_, t) => hotIndex(batch.source.data, 2, 10, t, 1)), [0, 0, 7, 2, 2, 2]);
    assert.deepEqual(Array.from({ length: 4 }, (_, t) => batch.targets[t * 2 + 1]), [7, 0, 0, REVERSAL_STOP]);
    // Step 1 reads the start symbol (11), step t the target of step t − 1.
    assert.deepEqual(Array.from({ length: 4 }, (_, t) => hotIndex(batch.decoderInput.data, 2, 12, t, 0)), [11, 4, 1, 3]);
    assert.deepEqual(batch.sources, [[3, 1, 4, 1, 5, 9], [0, 0, 7, 2, 2, 2]]);
  });

  it('names what is wrong with a source or an option', () => {
    assert.throws(() => reversalBatch([[1, 2, 3]], { sourceLength: 4 }), /source 1 must hold 4 digits \(T_x\), got \[1,2,3\]/);
    assert.throws(() => reversalBatch([[1, 2, 10]], { sourceLength: 3 }), /source 1, step 3: a digit must be a whole number from 0 to 9, got 10/);
    assert.throws(() => reversalBatch([], {}), { name: 'TypeError' });
    assert.throws(() => reversalBatch([[1, 2]], { sourceLength: 2, reversedCount: 3 }), /reversedCount must be a whole number from 1 to sourceLength \(2\), got 3/);
    assert.throws(() => trainEncoderDecoder({ sourceLength: 1 }), /sourceLength \(T_x\) must be a whole number from 2 to 50, got 1/);
    assert.throws(() => trainEncoderDecoder({ hidden: 0 }), /hidden must be a whole number from 1 to 512, got 0/);
    assert.throws(() => trainEncoderDecoder({ cell: 'transformer' as never }), /cell must be 'rnn', 'gru' or 'lstm', got "transformer"/);
    assert.throws(() => trainEncoderDecoder({ learningRate: 0 }), /learningRate must be above 0 and at most 1, got 0/);
    assert.throws(() => trainEncoderDecoder({ stepz: 3 } as never), /unknown option "stepz"; the options are sourceLength, reversedCount, cell/);
    assert.throws(() => trainEncoderDecoder(JSON.parse('{"__proto__": 3}')), /unknown option "__proto__"/);
  });

  it('is deterministic for a configuration, and its seed changes the run', () => {
    const config = { steps: 6, hidden: 8, validateEvery: 3, seed: 2 } as const;
    const first = trainEncoderDecoder(config);
    assert.deepEqual(trainEncoderDecoder(config).metrics, first.metrics);
    assert.notDeepEqual(trainEncoderDecoder({ ...config, seed: 3 }).metrics.map((m) => m.loss), first.metrics.map((m) => m.loss));
    assert.deepEqual(first.metrics.map((m) => m.validationAccuracy !== undefined), [false, false, true, false, false, true]);
    assert.equal(first.config.cell, 'gru');
  });

  it('a GRU encoder–decoder learns it: held-out sources (never trained on) answered exactly by greedy decoding', function () {
    this.timeout(300_000);
    const run = trainEncoderDecoder({ cell: 'gru', steps: 300, seed: 1 });
    const firstCheck = run.metrics.find((m) => m.validationAccuracy !== undefined)!;
    console.log(`      reverse-digits, GRU, 300 steps: held-out exact answers ${firstCheck.validationAccuracy} at step ${firstCheck.step}, ${run.validationAccuracy} at the end; validation loss ${run.validationLoss.toFixed(4)}`);
    assert.ok(firstCheck.validationAccuracy! < 0.1, 'it starts near chance (1 in 1000 for three digits)');
    assert.ok(run.validationAccuracy > 0.9, `held-out exact answers ${run.validationAccuracy}`);
    const [answer] = run.translate([[3, 1, 4, 1, 5, 9]]);
    assert.equal(reversalText(answer), '413.');
    // Every answer ends at its first stop mark, at most T_y = k + 1 outputs long.
    for (const tokens of run.translate([[0, 0, 0, 0, 0, 0], [9, 8, 7, 6, 5, 4]])) {
      assert.ok(tokens.length <= 4 && tokens.indexOf(REVERSAL_STOP) === tokens.length - 1 || !tokens.includes(REVERSAL_STOP));
    }
  });

  it('validates on 256 held-out sources (a tenth of all, by a hash of the digits), the same for every seed', () => {
    const run = trainEncoderDecoder({ steps: 1, hidden: 4, seed: 5 });
    assert.equal(run.validationSources.length, 256);
    assert.ok(run.validationSources.every((digits) => digits.length === 6 && isHeldOut(Int32Array.from(digits))));
    assert.deepEqual(trainEncoderDecoder({ steps: 1, hidden: 4, seed: 6 }).validationSources, run.validationSources);
    let heldOut = 0;
    for (let n = 0; n < 1000; n++) if (isHeldOut(Int32Array.from(String(n).padStart(6, '0'), Number))) heldOut++;
    assert.ok(heldOut > 50 && heldOut < 150, `${heldOut} of 1000 sources held out`);
  });
});
