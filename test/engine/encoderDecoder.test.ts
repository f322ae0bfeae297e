// The encoder–decoder (Tx ≠ Ty): gradients checked by finite differences, and it learns a small transduction.
import assert from 'node:assert/strict';
import { EncoderDecoderModel } from '../../src/engine/encoderDecoder';
import { gradientCheck } from '../../src/engine/gradcheck';
import { softmaxCrossEntropy } from '../../src/engine/layers/losses';
import { Adam } from '../../src/engine/optim/optimizers';
import { RandomState } from '../../src/engine/random/randomState';
import { Tensor } from '../../src/engine/tensor';

const DIGITS = 6;

/** Source: Tx = 7 random digits. Target: Ty = 3 tokens — the first three digits in reverse order. */
function reversalBatch(rng: RandomState, B: number): { source: Tensor; decoderInput: Tensor; targets: Int32Array } {
  const Tx = 7;
  const Ty = 3;
  const source = new Float64Array(Tx * B * DIGITS);
  const decoderInput = new Float64Array(Ty * B * (DIGITS + 1));
  const targets = new Int32Array(Ty * B);
  for (let b = 0; b < B; b++) {
    const digits = Array.from({ length: Tx }, () => rng.randint(0, DIGITS));
    digits.forEach((d, t) => (source[(t * B + b) * DIGITS + d] = 1));
    const answer = [digits[2], digits[1], digits[0]];
    answer.forEach((d, t) => {
      targets[t * B + b] = d;
      // Teacher forcing: step 0 reads the start symbol (index DIGITS), step t the true token t − 1.
      decoderInput[(t * B + b) * (DIGITS + 1) + (t === 0 ? DIGITS : answer[t - 1])] = 1;
    });
  }
  return { source: { shape: [Tx, B, DIGITS], data: source }, decoderInput: { shape: [Ty, B, DIGITS + 1], data: decoderInput }, targets };
}

describe('encoder–decoder (Tx = 7, Ty = 3)', () => {
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    it(`${cell}: gradients match finite differences (≤ 1e-7), including through the encoder's final state`, () => {
      const rng = new RandomState(3);
      const model = new EncoderDecoderModel({ encoder: { cell, inputSize: DIGITS, hiddenSize: 5, numLayers: 2, bidirectional: false }, decoderInputSize: DIGITS + 1, outputSize: DIGITS }, rng);
      const { source, decoderInput, targets } = reversalBatch(rng, 2);
      model.zeroGrad();
      const { encoderNorms } = model.lossAndGradients(source, decoderInput, targets);
      assert.equal(encoderNorms[0].hidden.length, 7);
      assert.ok(encoderNorms[0].hidden.every((v) => v > 0), 'the loss reaches every encoder step');
      const result = gradientCheck(() => softmaxCrossEntropy(model.predict(source, decoderInput).data, targets, DIGITS).loss, model.parameters());
      assert.ok(result.maxError <= 1e-7, `worst ${result.maxError} at ${result.worst?.name}`);
      assert.ok(model.parameters().some((p) => p.name === 'encoder.weight_ih_l0') && model.parameters().some((p) => p.name === 'decoder.weight_hh_l1'));
    });
  }

  it('a GRU encoder–decoder learns to output the first three digits reversed (greedy decoding, held-out batch)', function () {
    this.timeout(120_000);
    const rng = new RandomState(5);
    const model = new EncoderDecoderModel({ encoder: { cell: 'gru', inputSize: DIGITS, hiddenSize: 32, numLayers: 1, bidirectional: false }, decoderInputSize: DIGITS + 1, outputSize: DIGITS }, rng);
    const adam = new Adam(0.01);
    for (let step = 0; step < 600; step++) {
      const batch = reversalBatch(rng, 32);
      model.zeroGrad();
      model.lossAndGradients(batch.source, batch.decoderInput, batch.targets);
      adam.step(model.parameters());
    }
    const test = reversalBatch(new RandomState(999), 200);
    const start = new Float64Array(200 * (DIGITS + 1));
    for (let b = 0; b < 200; b++) start[b * (DIGITS + 1) + DIGITS] = 1;
    const decoded = model.greedyDecode(test.source, start, 3, (token, into) => (into[token] = 1));
    let correct = 0;
    decoded.forEach((tokens, b) => tokens.forEach((token, t) => (correct += token === test.targets[t * 200 + b] ? 1 : 0)));
    const accuracy = correct / 600;
    console.log(`    encoder–decoder reversal: token accuracy ${(accuracy * 100).toFixed(1)}% (chance 16.7%)`);
    assert.ok(accuracy > 0.9, `token accuracy ${accuracy}`);
  });
});
