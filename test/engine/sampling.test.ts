// Engine tests: generating text (src/engine/sampling.ts) from a small LSTM trained on dinosaur names — seeds, greedy
// decoding, temperature, top-k, the stop token, prefixes, and the errors a learner gets for bad options.
import * as assert from 'node:assert/strict';

import { SequenceModel } from '../../src/engine/model';
import { RandomState } from '../../src/engine/random/randomState';
import { probabilities, sampleText } from '../../src/engine/sampling';
import { StackState } from '../../src/engine/layers/recurrentStack';
import { Trainer } from '../../src/engine/trainer';

/** Logits after each input, fed one character at a time as sampleText does (null = the zero vector). */
class Replay {
  private state: StackState | undefined;
  constructor(private readonly model: SequenceModel, private readonly size: number) {}
  feed(input: number | null): Float64Array {
    const x = new Float64Array(this.size);
    if (input !== null) x[input] = 1;
    const { output, finalState } = this.model.predict({ shape: [1, 1, this.size], data: x }, this.state);
    this.state = finalState;
    return output.data;
  }
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

/** Indices of the k largest logits. */
function topIndices(logits: Float64Array, k: number): Set<number> {
  return new Set([...logits.keys()].sort((a, b) => logits[b] - logits[a]).slice(0, k));
}

/** The most-likely-character path, computed independently of sampleText: argmax until the stop index or maxLength. */
function argmaxPath(model: SequenceModel, size: number, stopIndex: number, maxLength: number, prefix: number[] = []): number[] {
  const replay = new Replay(model, size);
  let logits = replay.feed(null);
  for (const index of prefix) logits = replay.feed(index);
  const path: number[] = [];
  while (path.length < maxLength) {
    const next = argmax(logits);
    if (next === stopIndex) break;
    path.push(next);
    logits = replay.feed(next);
  }
  return path;
}

describe('sampling from a character model trained on dinosaur names', function () {
  this.timeout(60_000);
  let model: SequenceModel;
  let vocabulary: readonly string[];
  let V: number;
  let validationLoss: number;
  let baselineLoss: number;
  const encode = (text: string): number[] => [...text].map((ch) => vocabulary.indexOf(ch));

  before(() => {
    const trainer = new Trainer({
      task: 'dinos', cell: 'lstm', hidden: 16, batchSize: 16, steps: 300, learningRate: 0.02, optimizer: 'adam',
      clipMode: 'norm', clip: 5, seed: 1, validateEvery: 300,
    });
    let last;
    while (!trainer.done) last = trainer.step();
    model = trainer.model;
    vocabulary = trainer.task.vocabulary!;
    V = vocabulary.length;
    validationLoss = last!.validationLoss!;
    baselineLoss = trainer.task.baselineLoss!;
    const samples = [0, 1, 2, 3, 4].map((seed) => sampleText(model, vocabulary, { seed }).text);
    console.log(`    dinos LSTM, hidden 16, 300 steps: validation loss ${validationLoss.toFixed(3)} (unigram ${baselineLoss.toFixed(3)}); ` +
      `samples: ${samples.map((s) => JSON.stringify(s)).join(' ')}`);
  });

  it('learned something: validation loss well below the unigram baseline', () => {
    assert.ok(validationLoss < baselineLoss - 0.6, `validation ${validationLoss} vs unigram ${baselineLoss}`);
  });

  it('invents lower-case names that end with the newline, as the training names do', () => {
    const samples = Array.from({ length: 30 }, (_, seed) => sampleText(model, vocabulary, { seed, maxLength: 40 }));
    for (const s of samples) assert.match(s.text, /^[a-z]*$/, `sample ${JSON.stringify(s.text)}`);
    const ended = samples.filter((s) => s.stoppedBy === 'stop-token').length;
    assert.ok(ended >= 27, `only ${ended} of 30 samples ended with '\\n'`);
    const lengths = samples.map((s) => s.text.length).sort((a, b) => a - b);
    const median = lengths[15];
    assert.ok(median >= 3 && median <= 15, `median name length ${median} (training names: mostly 8–14)`);
    assert.ok(samples.some((s) => s.text.endsWith('us')), 'no sample ends like …saurus; the model did not pick up the commonest ending');
  });

  it('the same seed gives the same text; different seeds give different texts', () => {
    for (const seed of [0, 7, 123456]) {
      assert.deepEqual(sampleText(model, vocabulary, { seed }), sampleText(model, vocabulary, { seed }));
    }
    const texts = new Set(Array.from({ length: 10 }, (_, seed) => sampleText(model, vocabulary, { seed, stopToken: null, maxLength: 30 }).text));
    assert.ok(texts.size >= 9, `10 seeds gave only ${texts.size} different 30-character texts`);
  });

  it('greedy ignores the seed and follows the most likely character at every step', () => {
    const stop = vocabulary.indexOf('\n');
    const greedy = sampleText(model, vocabulary, { greedy: true, seed: 1 });
    assert.deepEqual(sampleText(model, vocabulary, { greedy: true, seed: 99, temperature: 5, topK: 4 }), greedy);
    assert.deepEqual(greedy.indices, argmaxPath(model, V, stop, 100));
    assert.equal(greedy.stoppedBy, 'stop-token');
    assert.ok(greedy.text.length >= 3, `greedy name ${JSON.stringify(greedy.text)}`);
  });

  it('as the temperature falls toward 0, samples converge on the greedy name', () => {
    const greedy = sampleText(model, vocabulary, { greedy: true });
    const matches = (temperature: number): number =>
      Array.from({ length: 40 }, (_, seed) => sampleText(model, vocabulary, { seed, temperature }).text === greedy.text).filter(Boolean).length;
    const [warm, cool, cold] = [1, 0.1, 0.02].map(matches);
    assert.ok(warm < cool && cool < cold, `greedy name drawn ${warm}, ${cool}, ${cold} times of 40 at temperature 1, 0.1, 0.02`);
    assert.ok(cold >= 36, `only ${cold} of 40 samples at temperature 0.02 are the greedy ${JSON.stringify(greedy.text)}`);
    // the distribution itself: the greedy name (with its final '\n') is likely at 0.05, rare at 1
    const replay = new Replay(model, V);
    let logits = replay.feed(null);
    let sharp = 1;
    let plain = 1;
    for (const index of [...greedy.indices, vocabulary.indexOf('\n')]) {
      sharp *= probabilities(logits, 0.05, V)[index];
      plain *= probabilities(logits, 1, V)[index];
      logits = replay.feed(index);
    }
    assert.ok(sharp > 0.5 && sharp > 100 * plain, `P(greedy name) ${sharp} at temperature 0.05, ${plain} at 1`);
  });

  it('a very high temperature makes the next-character distribution nearly uniform', () => {
    const logits = new Replay(model, V).feed(encode('t')[0]);
    const plain = probabilities(logits, 1, V);
    assert.ok(Math.max(...plain) > 3 / V, 'at temperature 1 the model prefers some letters');
    const flat = probabilities(logits, 1e4, V);
    for (const p of flat) assert.ok(Math.abs(p - 1 / V) < 1e-4, `probability ${p}, uniform is ${1 / V}`);
    assert.ok(Math.abs(flat.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  });

  it('top-k = 1 is greedy', () => {
    const greedy = sampleText(model, vocabulary, { greedy: true });
    for (const seed of [0, 1, 2, 3]) assert.deepEqual(sampleText(model, vocabulary, { seed, topK: 1 }), greedy);
  });

  it('top-k = 3 draws only among the 3 most likely characters, and not always the first', () => {
    let offGreedy = 0;
    let draws = 0;
    for (let seed = 0; seed < 10; seed++) {
      const sample = sampleText(model, vocabulary, { seed, topK: 3, stopToken: null, maxLength: 25 });
      const replay = new Replay(model, V);
      let logits = replay.feed(null);
      for (const index of sample.indices) {
        assert.ok(topIndices(logits, 3).has(index), `seed ${seed}: drew ${JSON.stringify(vocabulary[index])}, outside the top 3`);
        if (index !== argmax(logits)) offGreedy++;
        draws++;
        logits = replay.feed(index);
      }
    }
    assert.ok(offGreedy > draws / 10, `only ${offGreedy} of ${draws} draws were not the most likely character`);
  });

  it('probabilities with top-k keep exactly k characters, renormalised', () => {
    const logits = new Replay(model, V).feed(null);
    for (const k of [1, 2, 5, V]) {
      const p = probabilities(logits, 0.7, k);
      const kept = [...p.keys()].filter((i) => p[i] > 0);
      assert.equal(kept.length, k);
      assert.deepEqual(new Set(kept), topIndices(logits, k));
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    }
  });

  it("the stop token ends the sample and is not part of it; without one, generation runs to maxLength", () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      const stopped = sampleText(model, vocabulary, { seed });
      assert.equal(stopped.stoppedBy, 'stop-token');
      assert.ok(!stopped.text.includes('\n'));
      assert.equal(stopped.indices.length, stopped.text.length);
      // the same draws with no stop token: the stopped sample is exactly what came before the first '\n'
      const running = sampleText(model, vocabulary, { seed, stopToken: null, maxLength: 80 });
      assert.equal(running.stoppedBy, 'max-length');
      assert.equal(running.text.length, 80);
      assert.ok(running.text.startsWith(stopped.text + '\n'), `${JSON.stringify(running.text)} vs ${JSON.stringify(stopped.text)}`);
    }
  });

  it('another stop token: generation ends at that character instead', () => {
    const running = sampleText(model, vocabulary, { seed: 3, stopToken: null, maxLength: 80 });
    const cut = running.text.indexOf('a');
    assert.ok(cut >= 0, 'the sample has an a');
    const stopped = sampleText(model, vocabulary, { seed: 3, stopToken: 'a', maxLength: 80 });
    assert.equal(stopped.text, running.text.slice(0, cut));
    assert.equal(stopped.stoppedBy, 'stop-token');
  });

  it('maxLength bounds the sample', () => {
    for (const maxLength of [1, 3, 17]) {
      const sample = sampleText(model, vocabulary, { seed: 5, stopToken: null, maxLength });
      assert.equal(sample.text.length, maxLength);
      assert.equal(sample.stoppedBy, 'max-length');
    }
    const longest = Math.max(...Array.from({ length: 20 }, (_, seed) => sampleText(model, vocabulary, { seed, maxLength: 4 }).text.length));
    assert.ok(longest <= 4);
  });

  it('a prefix steers the sample and is not repeated in it', () => {
    const prefix = 'tyranno';
    const greedy = sampleText(model, vocabulary, { greedy: true, prefix });
    assert.deepEqual(greedy.indices, argmaxPath(model, V, vocabulary.indexOf('\n'), 100, encode(prefix)));
    assert.notEqual(greedy.text, sampleText(model, vocabulary, { greedy: true }).text);
    assert.match(greedy.text, /^[a-z]*$/);
  });

  describe('bad options are errors that say what is allowed', () => {
    const cases: { what: string; options: Parameters<typeof sampleText>[2]; message: RegExp }[] = [
      { what: 'temperature 0', options: { temperature: 0 }, message: /temperature must be a positive number, got 0/ },
      { what: 'temperature −1', options: { temperature: -1 }, message: /temperature must be a positive number, got -1/ },
      { what: 'temperature NaN', options: { temperature: NaN }, message: /temperature must be a positive number, got NaN/ },
      { what: 'temperature Infinity', options: { temperature: Infinity }, message: /temperature .*got Infinity/ },
      { what: 'top-k 0', options: { topK: 0 }, message: /top-k must be a whole number from 1 to 27, got 0/ },
      { what: 'top-k 2.5', options: { topK: 2.5 }, message: /top-k must be a whole number from 1 to 27, got 2\.5/ },
      { what: 'top-k larger than the vocabulary', options: { topK: 28 }, message: /top-k must be a whole number from 1 to 27, got 28/ },
      { what: 'maxLength 0', options: { maxLength: 0 }, message: /max length must be a whole number from 1 to 100000, got 0/ },
      { what: 'maxLength 2.5', options: { maxLength: 2.5 }, message: /max length .*got 2\.5/ },
      { what: 'maxLength 10⁶', options: { maxLength: 1e6 }, message: /max length .*got 1000000/ },
      { what: 'a prefix character outside the vocabulary', options: { prefix: 'Tyranno' }, message: /prefix character "T" is not in the model's vocabulary/ },
      { what: 'a stop token outside the vocabulary', options: { stopToken: '.' }, message: /stop token "\." is not in the model's vocabulary/ },
      { what: 'a negative seed', options: { seed: -1 }, message: /seed must be an integer/ },
    ];
    for (const { what, options, message } of cases) {
      it(what, () => assert.throws(() => sampleText(model, vocabulary, options), message));
    }
  });
});

describe('sampling: which models can generate text', () => {
  const vocabulary = ['\n', 'a', 'b', 'c'];
  const charModel = (overrides: { bidirectional?: boolean; mode?: 'many-to-many' | 'many-to-one'; inputSize?: number; outputSize?: number } = {}): SequenceModel =>
    new SequenceModel({
      stack: { cell: 'gru', inputSize: overrides.inputSize ?? 4, hiddenSize: 3, numLayers: 1, bidirectional: overrides.bidirectional ?? false },
      outputSize: overrides.outputSize ?? 4, mode: overrides.mode ?? 'many-to-many', loss: 'softmax-cross-entropy',
    }, new RandomState(0));

  it('a model whose head always favours one character repeats it greedily, or stops at once if it is the stop token', () => {
    const model = charModel();
    model.head.weight.value.data.fill(0);
    model.head.bias.value.data.set([0, 0, 5, 0]);          // 'b'
    assert.deepEqual(sampleText(model, vocabulary, { greedy: true, maxLength: 6 }), { text: 'bbbbbb', indices: [2, 2, 2, 2, 2, 2], stoppedBy: 'max-length' });
    model.head.bias.value.data.set([5, 0, 0, 0]);          // '\n'
    assert.deepEqual(sampleText(model, vocabulary, { greedy: true }), { text: '', indices: [], stoppedBy: 'stop-token' });
    // with equal logits every character is equally likely, so all four turn up
    model.head.bias.value.data.fill(0);
    const seen = new Set(sampleText(model, vocabulary, { stopToken: null, maxLength: 200, seed: 4 }).text);
    assert.deepEqual([...seen].sort(), ['\n', 'a', 'b', 'c']);
  });

  it('a bidirectional model cannot generate', () => {
    assert.throws(() => sampleText(charModel({ bidirectional: true }), vocabulary), /bidirectional model reads the future/);
  });

  it('a model that does not read and predict this vocabulary cannot generate', () => {
    assert.throws(() => sampleText(charModel({ mode: 'many-to-one' }), vocabulary), /does not read and predict characters of a 4-character vocabulary/);
    assert.throws(() => sampleText(charModel({ inputSize: 5 }), vocabulary), /4-character vocabulary/);
    assert.throws(() => sampleText(charModel({ outputSize: 1 }), vocabulary), /4-character vocabulary/);
    assert.throws(() => sampleText(charModel(), ['a', 'b', 'c']), /3-character vocabulary/);
  });
});
