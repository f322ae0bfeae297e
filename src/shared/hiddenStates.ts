// Shared layer (pure; the training worker and the lesson kernel use it): the hidden states a⟨t⟩ of one layer while a model reads one input — the first
// example of the task's fixed validation set, as a batch of one — and that input described for the dashboard's
// caption ("validation sequence 1 of dinos: “aachenosaurus↵…”"). One forward pass: cheap next to a training step.
import type { SequenceModel } from '../engine/model';
import { COPY_DELIMITER } from '../engine/tasks/copyMemoryTask';
import { SENTIMENT_VOCABULARY, TEMPORAL_ORDER_SYMBOLS } from '../engine/tasks/index';
import { PAD } from '../engine/tasks/sentimentTask';
import { DIGIT_NAMES } from '../engine/tasks/spellDigitTask';
import type { Task } from '../engine/tasks/task';
import { AMBIGUOUS_WORD, ANIMAL_TAG, WORD_SENSE_PAD, WORD_SENSE_VOCABULARY, wordSenseTags } from '../engine/tasks/wordSenseTask';
import type { Tensor } from '../engine/tensor';
import { HIDDEN_STATES_LIMITS, type Direction, type HiddenStatesOf, type InputDescription } from './protocol';

/** Longest input text quoted in a caption; the tokens still label every column. */
const MAX_QUOTED = 120;

/** Example 0 of the first validation batch, x [T, 1, I]. */
export function firstValidationInput(task: Task): Tensor {
  const batch = task.validationBatches()[0];
  if (!batch) throw new Error(`the task ${task.name} has no validation examples`);
  const [T, B, I] = batch.x.shape;
  const data = new Float64Array(T * I);
  for (let t = 0; t < T; t++) data.set(batch.x.data.subarray(t * B * I, (t * B + 1) * I), t * I);
  return { shape: [T, 1, I], data };
}

/**
 * a⟨t⟩ of `layer` (0-based) and `direction` while `model` reads the first validation input of `task`: [T][H].
 * The model's stack keeps the states of its last forward, so this must not run in the middle of a training step.
 */
export function hiddenStatesFor(model: SequenceModel, task: Task, layer: number, direction: Direction, step?: number): HiddenStatesOf<number> {
  const { numLayers, bidirectional } = model.stack.config;
  if (!Number.isInteger(layer) || layer < 0 || layer >= numLayers) {
    throw new RangeError(`layer ${layer + 1} does not exist: the network has ${numLayers} layer${numLayers === 1 ? '' : 's'}`);
  }
  if (direction === 'reverse' && !bidirectional) throw new RangeError('the network is not bidirectional, so it has no reverse direction');
  const { maxSteps, maxValues } = HIDDEN_STATES_LIMITS;
  const { hiddenSize } = model.stack.config;
  if (task.sequenceLength > maxSteps || task.sequenceLength * hiddenSize > maxValues) {
    throw new RangeError(`${task.sequenceLength} time steps × ${hiddenSize} units is more than the dashboard draws (${maxValues} values)`);
  }
  const x = firstValidationInput(task);
  model.predict(x);
  const states = model.stack.hiddenStates(layer, direction); // [T, 1, H]
  const [T, , H] = states.shape;
  const values = Array.from({ length: T }, (_, t) => Array.from(states.data.subarray(t * H, (t + 1) * H)));
  return { layer, direction, ...(step !== undefined ? { step } : {}), input: describeInput(task, x), values };
}

/** The class of each time step of a one-hot input [T, 1, I], or null when a step is not one-hot. */
function oneHotIndices(x: Tensor): number[] | null {
  const [T, , I] = x.shape;
  const indices: number[] = [];
  for (let t = 0; t < T; t++) {
    const row = x.data.subarray(t * I, (t + 1) * I);
    let index = -1;
    for (let i = 0; i < I; i++) {
      if (row[i] === 1 && index < 0) index = i;
      else if (row[i] !== 0) return null;
    }
    if (index < 0) return null;
    indices.push(index);
  }
  return indices;
}

function quoted(text: string): string {
  const characters = [...text];
  return `“${characters.length > MAX_QUOTED ? `${characters.slice(0, MAX_QUOTED).join('')}…` : text}”`;
}

/** A character as a column label: the invisible ones made visible. */
function visibleCharacter(character: string): string {
  return character === '\n' ? '↵' : character === ' ' ? '␣' : character === '\t' ? '⇥' : character;
}

const positions = (steps: readonly number[]): string => steps.map((t) => `t = ${t + 1}`).join(' and ');

/** What the input of the hidden-state heatmap is, in the words of its task. Time steps are 1-based, as on the chart. */
export function describeInput(task: Task, x: Tensor): InputDescription {
  const [T, , I] = x.shape;
  const name = `validation sequence 1 of ${task.name}`;
  const indices = oneHotIndices(x);
  if (task.vocabulary && indices) {
    const tokens = indices.map((i) => visibleCharacter(task.vocabulary![i] ?? '?'));
    return { label: `${name}: ${quoted(tokens.join(''))}`, tokens };
  }
  if (task.name === 'sentiment' && indices) {
    const words = indices.map((i) => SENTIMENT_VOCABULARY[i] ?? '?');
    const padded = words.filter((word) => word === PAD).length;
    const tokens = words.map((word) => (word === PAD ? '·' : word));
    return { label: `validation review 1 of sentiment: ${quoted(words.filter((word) => word !== PAD).join(' '))}${padded > 0 ? `, then ${padded} padding steps (·)` : ''}`, tokens };
  }
  if (task.name === 'word-sense' && indices) {
    const words = indices.map((i) => WORD_SENSE_VOCABULARY[i] ?? '?');
    const padded = words.filter((word) => word === WORD_SENSE_PAD).length;
    const tokens = words.map((word) => (word === WORD_SENSE_PAD ? '·' : word));
    const bat = words.indexOf(AMBIGUOUS_WORD);
    const sense = bat >= 0 ? `; "${AMBIGUOUS_WORD}" at t = ${bat + 1} is the ${wordSenseTags(indices)[bat] === ANIMAL_TAG ? 'animal' : 'club'}` : '';
    return { label: `validation sentence 1 of word-sense: ${quoted(words.filter((word) => word !== WORD_SENSE_PAD).join(' '))}${padded > 0 ? `, then ${padded} padding steps (·)` : ''}${sense}`, tokens };
  }
  if (task.name === 'temporal-order' && indices) {
    const tokens = indices.map((i) => TEMPORAL_ORDER_SYMBOLS[i] ?? '?');
    const markers = tokens.flatMap((token, t) => (token === 'X' || token === 'Y' ? [`${token} at t = ${t + 1}`] : []));
    return { label: `${name}: ${markers.join(', then ')} among distractor letters`, tokens };
  }
  if (task.name === 'copy-memory' && indices) {
    const tokens = indices.map((i) => (i === 0 ? '·' : i === COPY_DELIMITER ? ':' : String(i)));
    const symbols = tokens.filter((token) => /^[1-8]$/.test(token));
    const delimiter = tokens.indexOf(':');
    return { label: `${name}: the symbols ${symbols.join(' ')} to remember, blanks (·), the delimiter (:) at t = ${delimiter + 1}`, tokens };
  }
  if (task.name === 'spell-digit' && I === 10) {
    const digit = x.data.subarray(0, I).indexOf(1);
    const tokens = Array.from({ length: T }, (_, t) => (t === 0 ? String(digit) : '·'));
    return { label: `${name}: the digit ${digit} at t = 1, then ${T - 1} steps with no input (·) while the network writes “${DIGIT_NAMES[digit] ?? '?'}.”`, tokens };
  }
  if (task.name === 'adding' && I === 2) {
    const marked: number[] = [];
    for (let t = 0; t < T; t++) if (x.data[t * 2 + 1] === 1) marked.push(t);
    const values = marked.map((t) => x.data[t * 2]);
    const sum = values.reduce((a, b) => a + b, 0);
    // The marked steps flagged under their columns, where the state should react.
    const tokens = Array.from({ length: T }, (_, t) => (marked.includes(t) ? '▲' : ''));
    return { label: `${name}: ${T} random numbers; the marked ones (▲), at ${positions(marked)}, are ${values.map((v) => v.toFixed(2)).join(' and ')} (sum ${sum.toFixed(2)})`, tokens };
  }
  return { label: name };
}
