// Engine layer: generating sequences from a character model — the one-to-many use of a trained language model,
// one character at a time, each fed back as the next input.
import { argmax } from './math';
import { SequenceModel } from './model';
import { RandomState } from './random/randomState';
import { StackState } from './layers/recurrentStack';

export interface SampleOptions {
  /** Divides the logits before the softmax: < 1 sharper (conservative), > 1 flatter (creative). Default 1. */
  readonly temperature?: number;
  /** Sample only among the k most likely characters. */
  readonly topK?: number;
  /** Always take the most likely character (temperature and topK are then ignored). */
  readonly greedy?: boolean;
  /** Characters to generate at most (default 100). */
  readonly maxLength?: number;
  readonly seed?: number;
  /** Text fed in before sampling starts (it is not part of the result). */
  readonly prefix?: string;
  /** Generation ends when this character is drawn (default '\n' when the vocabulary has it; null: never). */
  readonly stopToken?: string | null;
}

export interface Sample {
  readonly text: string;
  readonly indices: number[];
  readonly stoppedBy: 'stop-token' | 'max-length';
}

/**
 * Samples text from a many-to-many character model whose inputs and outputs are one-hot over `vocabulary`.
 * Like the course's `sample`, the first input is the zero vector (or the prefix, one character at a time).
 */
export function sampleText(model: SequenceModel, vocabulary: readonly string[], options: SampleOptions = {}): Sample {
  const V = vocabulary.length;
  const { stack } = model.config;
  if (model.config.mode !== 'many-to-many' || stack.inputSize !== V || model.config.outputSize !== V) {
    throw new RangeError(`this model does not read and predict characters of a ${V}-character vocabulary, so it cannot generate text`);
  }
  if (stack.bidirectional) throw new RangeError('a bidirectional model reads the future, so it cannot generate text one character at a time');
  const temperature = options.temperature ?? 1;
  if (!(Number.isFinite(temperature) && temperature > 0)) throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  const topK = options.topK ?? V;
  if (!Number.isInteger(topK) || topK < 1 || topK > V) throw new RangeError(`top-k must be a whole number from 1 to ${V}, got ${topK}`);
  const maxLength = options.maxLength ?? 100;
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 100_000) throw new RangeError(`max length must be a whole number from 1 to 100000, got ${maxLength}`);
  const stopToken = options.stopToken === undefined ? (vocabulary.includes('\n') ? '\n' : null) : options.stopToken;
  const stopIndex = stopToken === null ? -1 : vocabulary.indexOf(stopToken);
  if (stopToken !== null && stopIndex < 0) throw new RangeError(`the stop token ${JSON.stringify(stopToken)} is not in the model's vocabulary, so it could never end a sample`);
  const rng = new RandomState(options.seed ?? 0);
  const prefix = [...(options.prefix ?? '')].map((ch) => {
    const index = vocabulary.indexOf(ch);
    if (index < 0) throw new RangeError(`the prefix character ${JSON.stringify(ch)} is not in the model's vocabulary`);
    return index;
  });

  let state: StackState | undefined;
  const step = (input: number | null): Float64Array => {
    const x = new Float64Array(V);
    if (input !== null) x[input] = 1;
    const { output, finalState } = model.predict({ shape: [1, 1, V], data: x }, state);
    state = finalState;
    return output.data;
  };
  let logits = step(null);
  for (const index of prefix) logits = step(index);

  const indices: number[] = [];
  while (indices.length < maxLength) {
    const next = options.greedy ? argmax(logits) : rng.choice(V, probabilities(logits, temperature, topK));
    if (next === stopIndex) return { text: decode(indices, vocabulary), indices, stoppedBy: 'stop-token' };
    indices.push(next);
    logits = step(next);
  }
  return { text: decode(indices, vocabulary), indices, stoppedBy: 'max-length' };
}

/** softmax(logits / T) restricted to the k largest logits (the rest get probability 0). */
export function probabilities(logits: Float64Array, temperature: number, topK: number): Float64Array {
  const V = logits.length;
  const threshold = topK >= V ? -Infinity : [...logits].sort((a, b) => b - a)[topK - 1];
  let max = -Infinity;
  for (let k = 0; k < V; k++) if (logits[k] >= threshold) max = Math.max(max, logits[k]);
  const p = new Float64Array(V);
  let sum = 0;
  let kept = 0;
  for (let k = 0; k < V; k++) {
    if (logits[k] >= threshold && kept < topK) {
      p[k] = Math.exp((logits[k] - max) / temperature);
      sum += p[k];
      kept++;
    }
  }
  for (let k = 0; k < V; k++) p[k] /= sum;
  return p;
}

function decode(indices: number[], vocabulary: readonly string[]): string {
  return indices.map((i) => vocabulary[i]).join('');
}
