// Benchmark (issue #4): builds each workload's fixture — initial weights and data — from a seeded RandomState, so
// every implementation (and every run) starts from the same numbers.
import { SequenceModel } from '../../src/engine/model';
import { RandomState } from '../../src/engine/random/randomState';
import { TEXT_CORPUS } from '../../src/engine/tasks/textTask';
import { writeFixture } from './fixtureFile';
import type { CharacterWorkload, RegressionWorkload, Workload } from './workloads';

const SEED = 4;

/** Writes `${path}.json` and `${path}.bin` for the workload. */
export function makeFixture(workload: Workload, path: string): void {
  if (workload.kind === 'regression') makeRegressionFixture(workload, path);
  else makeCharacterFixture(workload, path);
}

/**
 * The engine's own initialisation (PyTorch's U(−1/√H, 1/√H) for every recurrent weight and bias and the head), then
 * x ~ N(0, 1) [T, B, I] and targets ~ N(0, 1) [B, 1].
 */
function makeRegressionFixture(w: RegressionWorkload, path: string): void {
  const rng = new RandomState(SEED);
  const model = new SequenceModel({
    stack: { cell: w.cell, inputSize: w.inputSize, hiddenSize: w.hiddenSize, numLayers: 1, bidirectional: false },
    outputSize: w.outputSize, mode: 'many-to-one', loss: 'mse',
  }, rng);
  const tensors = model.parameters().map((p) => ({ name: p.name, shape: p.value.shape, data: p.value.data }));
  tensors.push({ name: 'x', shape: [w.steps, w.batch, w.inputSize], data: rng.randnArray(w.steps * w.batch * w.inputSize) });
  tensors.push({ name: 'y', shape: [w.batch, w.outputSize], data: rng.randnArray(w.batch * w.outputSize) });
  writeFixture(path, { workload: w.id, seed: SEED }, tensors);
}

/**
 * min-char-rnn's initialisation (weights N(0, 1)·0.01, biases 0) in PyTorch's names — W_xh = weight_ih_l0,
 * W_hh = weight_hh_l0, b_h = bias_ih_l0 (bias_hh_l0 stays 0), W_hy = head.weight, b_y = head.bias — and the text as
 * class indices.
 */
function makeCharacterFixture(w: CharacterWorkload, path: string): void {
  const { vocabulary, indices } = corpusWithVocabulary(w.vocabulary);
  const rng = new RandomState(SEED);
  const V = w.vocabulary;
  const H = w.hiddenSize;
  const scaled = (n: number): Float64Array => rng.randnArray(n).map((v) => v * 0.01);
  writeFixture(path, { workload: w.id, seed: SEED, vocabulary: vocabulary.join('') }, [
    { name: 'weight_ih_l0', shape: [H, V], data: scaled(H * V) },
    { name: 'weight_hh_l0', shape: [H, H], data: scaled(H * H) },
    { name: 'head.weight', shape: [V, H], data: scaled(V * H) },
    { name: 'bias_ih_l0', shape: [H], data: new Float64Array(H) },
    { name: 'bias_hh_l0', shape: [H], data: new Float64Array(H) },
    { name: 'head.bias', shape: [V], data: new Float64Array(V) },
    { name: 'text', shape: [indices.length], data: Float64Array.from(indices) },
  ]);
}

/**
 * The bundled Pride and Prejudice chapters (68 distinct characters) kept to the `size` most frequent characters
 * (ties by code point), so the vocabulary is exactly min-char-rnn's 65 of tiny-shakespeare.
 */
export function corpusWithVocabulary(size: number, text: string = TEXT_CORPUS): { vocabulary: string[]; indices: number[] } {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  if (counts.size < size) throw new RangeError(`the corpus has ${counts.size} distinct characters, fewer than ${size}`);
  const kept = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, size).map(([ch]) => ch);
  const vocabulary = kept.sort();
  const index = new Map(vocabulary.map((ch, i) => [ch, i]));
  const indices: number[] = [];
  for (const ch of text) {
    const i = index.get(ch);
    if (i !== undefined) indices.push(i);
  }
  return { vocabulary, indices };
}
