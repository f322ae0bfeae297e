// Engine layer: the encoder–decoder's bundled task and its training loop — `reverse-digits`: read T_x digits, then
// write the first k of them backwards and a stop mark (T_y = k + 1 ≠ T_x) — seeded, with a held-out validation set
// scored by greedy decoding, so a lesson can train a sequence-to-sequence network in a few seconds.
import type { CellKind } from './cells/cell';
import { EncoderDecoderModel } from './encoderDecoder';
import { fastestKernels } from './kernels';
import { Adam } from './optim/optimizers';
import { clipByGlobalNorm } from './optim/clipping';
import { RandomState } from './random/randomState';
import { drawFromPartition } from './tasks/batchBuilding';
import type { Tensor } from './tensor';

/** Output class 10: the decoder has written every digit it was asked for. */
export const REVERSAL_STOP = 10;
/** Decoder input 11: the start symbol the decoder reads at its first step. */
const START = 11;
/** Digits 0–9 and the stop mark. */
const OUTPUT_SIZE = 11;
/** The previous output (a digit or the stop mark) or the start symbol. */
const DECODER_INPUT_SIZE = 12;
/** Held-out source sequences the validation set scores. */
const VALIDATION_SIZE = 256;

export interface DigitReversalOptions {
  /** T_x: digits the encoder reads. Default 6, from 2 to 50. */
  readonly sourceLength?: number;
  /** k: how many of the first digits the decoder writes back, reversed, before the stop mark (T_y = k + 1). Default 3, from 1 to T_x. */
  readonly reversedCount?: number;
}

/** One batch, time-major: source [T_x, B, 10], teacher-forced decoder input [T_y, B, 12], targets [T_y, B] as T_y·B classes. */
export interface TranslationBatch {
  readonly source: Tensor;
  readonly decoderInput: Tensor;
  readonly targets: Int32Array;
  /** The source digits of each example, [B][T_x]. */
  readonly sources: readonly number[][];
}

/** What the decoder should write for `source`: its first `reversedCount` digits backwards, then the stop mark. */
export function reversalAnswer(source: readonly number[], reversedCount: number): number[] {
  return [...source.slice(0, reversedCount).reverse(), REVERSAL_STOP];
}

/** Output classes → text: digits as they are, the stop mark as '.'; [3, 1, 4, 10] → "314.". */
export function reversalText(tokens: readonly number[]): string {
  return tokens.map((token) => (token === REVERSAL_STOP ? '.' : String(token))).join('');
}

function checkedOptions(options: DigitReversalOptions): { sourceLength: number; reversedCount: number } {
  const sourceLength = options.sourceLength ?? 6;
  if (!Number.isInteger(sourceLength) || sourceLength < 2 || sourceLength > 50) throw new RangeError(`sourceLength (T_x) must be a whole number from 2 to 50, got ${String(sourceLength)}`);
  const reversedCount = options.reversedCount ?? 3;
  if (!Number.isInteger(reversedCount) || reversedCount < 1 || reversedCount > sourceLength) {
    throw new RangeError(`reversedCount must be a whole number from 1 to sourceLength (${sourceLength}), got ${String(reversedCount)}`);
  }
  return { sourceLength, reversedCount };
}

/**
 * The batch for source sequences (each T_x digits): one-hot sources, and the decoder's teacher-forced inputs — the
 * start symbol at step 1, the true previous output at step t > 1 — and targets.
 */
export function reversalBatch(sources: readonly (readonly number[])[], options: DigitReversalOptions = {}): TranslationBatch {
  const { sourceLength, reversedCount } = checkedOptions(options);
  if (!Array.isArray(sources) || sources.length === 0) throw new TypeError('reversalBatch needs a list of at least one source sequence');
  const B = sources.length;
  const targetLength = reversedCount + 1;
  const source = new Float64Array(sourceLength * B * 10);
  const decoderInput = new Float64Array(targetLength * B * DECODER_INPUT_SIZE);
  const targets = new Int32Array(targetLength * B);
  sources.forEach((digits, b) => {
    if (!Array.isArray(digits) || digits.length !== sourceLength) throw new RangeError(`source ${b + 1} must hold ${sourceLength} digits (T_x), got ${JSON.stringify(digits)}`);
    digits.forEach((digit, t) => {
      if (!Number.isInteger(digit) || digit < 0 || digit > 9) throw new RangeError(`source ${b + 1}, step ${t + 1}: a digit must be a whole number from 0 to 9, got ${String(digit)}`);
      source[(t * B + b) * 10 + digit] = 1;
    });
    reversalAnswer(digits, reversedCount).forEach((token, t, answer) => {
      targets[t * B + b] = token;
      decoderInput[(t * B + b) * DECODER_INPUT_SIZE + (t === 0 ? START : answer[t - 1])] = 1;
    });
  });
  return {
    source: { shape: [sourceLength, B, 10], data: source },
    decoderInput: { shape: [targetLength, B, DECODER_INPUT_SIZE], data: decoderInput },
    targets,
    sources: sources.map((digits) => [...digits]),
  };
}

/** Draws T_x digits; training draws outside the held-out tenth of all sequences, validation inside it. */
function drawSource(rng: RandomState, sourceLength: number, heldOut: boolean): number[] {
  return [...drawFromPartition(() => Int32Array.from({ length: sourceLength }, () => rng.randint(0, 10)), heldOut)];
}

export interface EncoderDecoderTrainingConfig extends DigitReversalOptions {
  /** Default 'gru'. */
  readonly cell?: CellKind;
  /** Hidden size of encoder and decoder. Default 32. */
  readonly hidden?: number;
  /** Default 400. */
  readonly steps?: number;
  /** Adam's learning rate. Default 0.01. */
  readonly learningRate?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Seeds the weights and the training batches. Default 0. */
  readonly seed?: number;
  /** Score the validation set every this many steps, and after the last. Default 50. */
  readonly validateEvery?: number;
}

export interface EncoderDecoderStepMetrics {
  readonly step: number;
  /** Mean cross-entropy over the T_y·B teacher-forced targets of the step's batch. */
  readonly loss: number;
  /** On validation steps: the same loss on the held-out set (teacher-forced). */
  readonly validationLoss?: number;
  /** On validation steps: the share of held-out sources the decoder answers exactly, feeding back its own outputs. */
  readonly validationAccuracy?: number;
}

export interface EncoderDecoderRun {
  readonly config: Required<EncoderDecoderTrainingConfig>;
  readonly model: EncoderDecoderModel;
  readonly metrics: readonly EncoderDecoderStepMetrics[];
  /** The last validation figures. */
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  /** The held-out sources the validation figures are measured on, [256][T_x]. */
  readonly validationSources: readonly (readonly number[])[];
  /** Greedy decoding of source sequences: each answer's output classes, up to and including the first stop mark. */
  translate(sources: readonly (readonly number[])[]): number[][];
}

const TRAINING_LIMITS: Record<'hidden' | 'steps' | 'batchSize' | 'validateEvery', [number, number]> = {
  hidden: [1, 512], steps: [1, 100_000], batchSize: [1, 1024], validateEvery: [1, 100_000],
};

function resolve(config: EncoderDecoderTrainingConfig): Required<EncoderDecoderTrainingConfig> {
  if (typeof config !== 'object' || config === null) throw new TypeError('trainEncoderDecoder takes a configuration object such as { cell: \'gru\', steps: 400 }');
  const known = ['sourceLength', 'reversedCount', 'cell', 'hidden', 'steps', 'learningRate', 'batchSize', 'seed', 'validateEvery'];
  const unknown = Object.keys(config).find((key) => !known.includes(key)); // own keys only: '__proto__' is unknown
  if (unknown !== undefined) throw new RangeError(`unknown option ${JSON.stringify(unknown)}; the options are ${known.join(', ')}`);
  const resolved = {
    ...checkedOptions(config),
    cell: config.cell ?? 'gru', hidden: config.hidden ?? 32, steps: config.steps ?? 400, learningRate: config.learningRate ?? 0.01,
    batchSize: config.batchSize ?? 32, seed: config.seed ?? 0, validateEvery: config.validateEvery ?? 50,
  };
  if (!['rnn', 'gru', 'lstm'].includes(resolved.cell)) throw new RangeError(`cell must be 'rnn', 'gru' or 'lstm', got ${JSON.stringify(resolved.cell)}`);
  for (const [field, [low, high]] of Object.entries(TRAINING_LIMITS)) {
    const value = resolved[field as keyof typeof TRAINING_LIMITS];
    if (!Number.isInteger(value) || value < low || value > high) throw new RangeError(`${field} must be a whole number from ${low} to ${high}, got ${String(value)}`);
  }
  if (!(resolved.learningRate > 0 && resolved.learningRate <= 1)) throw new RangeError(`learningRate must be above 0 and at most 1, got ${String(resolved.learningRate)}`);
  if (!Number.isInteger(resolved.seed) || resolved.seed < 0 || resolved.seed > 0xffffffff) throw new RangeError(`seed must be a whole number from 0 to 4294967295, got ${String(resolved.seed)}`);
  return resolved;
}

/**
 * Trains an encoder–decoder on `reverse-digits` with Adam (gradients clipped to norm 5), teacher forcing, and returns
 * the run. Deterministic for a configuration: the seed draws the weights, then every training batch. The validation
 * set (256 sources from the held-out tenth, drawn from a generator seeded apart from training) is the same for every
 * seed of a T_x, so runs compare on one set.
 */
export function trainEncoderDecoder(config: EncoderDecoderTrainingConfig = {}): EncoderDecoderRun {
  const settings = resolve(config);
  const { sourceLength, reversedCount } = settings;
  const rng = new RandomState(settings.seed);
  const model = new EncoderDecoderModel({
    encoder: { cell: settings.cell, inputSize: 10, hiddenSize: settings.hidden, numLayers: 1, bidirectional: false },
    decoderInputSize: DECODER_INPUT_SIZE,
    outputSize: OUTPUT_SIZE,
  }, rng, fastestKernels());
  const optimizer = new Adam(settings.learningRate);
  const validationRng = new RandomState(1_000_003 + sourceLength);
  const validation = reversalBatch(Array.from({ length: VALIDATION_SIZE }, () => drawSource(validationRng, sourceLength, true)), settings);

  const translate = (sources: readonly (readonly number[])[]): number[][] => {
    const batch = reversalBatch(sources, settings);
    const B = sources.length;
    const start = new Float64Array(B * DECODER_INPUT_SIZE);
    for (let b = 0; b < B; b++) start[b * DECODER_INPUT_SIZE + START] = 1;
    const decoded = model.greedyDecode(batch.source, start, reversedCount + 1, (token, into) => (into[token] = 1));
    return decoded.map((tokens) => {
      const stop = tokens.indexOf(REVERSAL_STOP);
      return stop < 0 ? tokens : tokens.slice(0, stop + 1);
    });
  };
  const score = (): { validationLoss: number; validationAccuracy: number } => {
    const logits = model.predict(validation.source, validation.decoderInput).data;
    let loss = 0;
    for (let row = 0; row < validation.targets.length; row++) {
      const scores = logits.subarray(row * OUTPUT_SIZE, (row + 1) * OUTPUT_SIZE);
      const top = Math.max(...scores);
      let total = 0;
      for (const value of scores) total += Math.exp(value - top);
      loss -= scores[validation.targets[row]] - top - Math.log(total);
    }
    const answers = translate(validation.sources);
    const correct = answers.filter((answer, b) => reversalText(answer) === reversalText(reversalAnswer(validation.sources[b], reversedCount))).length;
    return { validationLoss: loss / validation.targets.length, validationAccuracy: correct / VALIDATION_SIZE };
  };

  const metrics: EncoderDecoderStepMetrics[] = [];
  let last = { validationLoss: NaN, validationAccuracy: NaN };
  for (let step = 1; step <= settings.steps; step++) {
    const batch = reversalBatch(Array.from({ length: settings.batchSize }, () => drawSource(rng, sourceLength, false)), settings);
    model.zeroGrad();
    const { loss } = model.lossAndGradients(batch.source, batch.decoderInput, batch.targets);
    clipByGlobalNorm(model.parameters(), 5);
    optimizer.step(model.parameters());
    if (step % settings.validateEvery === 0 || step === settings.steps) {
      last = score();
      metrics.push({ step, loss, ...last });
    } else {
      metrics.push({ step, loss });
    }
  }
  return { config: settings, model, metrics, ...last, validationSources: validation.sources, translate };
}
