// Engine layer: the allowed values and limits of a training configuration, as plain data with no other engine code
// behind it, so the dashboard's protocol and webview can read the same numbers the engine checks (trainingConfig.ts
// holds the configuration itself and its check; the recurrent stack and the CLI read these too).
import type { CellKind } from './cells/cell';
import type { GruReset } from './cells/gruCell';
import type { ClipMode } from './optim/clipping';
import { MAX_SEQUENCE_LENGTH } from './tasks/taskSpec';

/** How a bidirectional layer combines its two directions (Keras's merge_mode; PyTorch always concatenates). */
export type MergeMode = 'concat' | 'sum' | 'ave' | 'mul';
/** The vanilla RNN's activation. */
export type Nonlinearity = 'tanh' | 'relu';

/** Every member of the string union T, in the order menus list them; a member left out does not compile. */
function everyMemberOf<T extends string>(members: Record<T, true>): readonly T[] {
  return Object.keys(members) as T[];
}

export const CELL_KINDS = everyMemberOf<CellKind>({ rnn: true, gru: true, lstm: true });
export const NONLINEARITIES = everyMemberOf<Nonlinearity>({ tanh: true, relu: true });
export const GRU_RESET_PLACEMENTS = everyMemberOf<GruReset>({ after: true, before: true });
export const MERGE_MODES = everyMemberOf<MergeMode>({ concat: true, sum: true, ave: true, mul: true });
export const CLIP_MODES = everyMemberOf<ClipMode>({ norm: true, value: true, none: true });

/** A range of numbers: `whole` numbers only or any; the ends included unless marked `open`. */
export interface NumberRange {
  readonly whole: boolean;
  readonly min: number;
  readonly max: number;
  readonly minOpen?: boolean;
  readonly maxOpen?: boolean;
}

/**
 * The limits of each numeric field. The recurrent stack (layers, hidden), the protocol (layer indices, hidden-state
 * messages) and the wizard read these too. `sequenceLength` is narrowed further by each task (`taskSequenceRange`).
 */
export const CONFIG_LIMITS = {
  sequenceLength: { whole: true, min: 1, max: MAX_SEQUENCE_LENGTH },
  layers: { whole: true, min: 1, max: 16 },
  hidden: { whole: true, min: 1, max: 4096 },
  dropout: { whole: false, min: 0, max: 1, maxOpen: true },
  forgetBias: { whole: false, min: -100, max: 100 },
  steps: { whole: true, min: 1, max: 10_000_000 },
  batchSize: { whole: true, min: 1, max: 4096 },
  learningRate: { whole: false, min: 0, minOpen: true, max: 1000 },
  clip: { whole: false, min: 0, minOpen: true, max: Infinity, maxOpen: true },
  truncate: { whole: true, min: 0, max: 100_000 },
  seed: { whole: true, min: 0, max: 0xffffffff },
  validateEvery: { whole: true, min: 1, max: 10_000_000 },
  trainingExamples: { whole: true, min: 0, max: 1_000_000 },
} as const satisfies Record<string, NumberRange>;

/** "a whole number from 1 to 4096", "a number above 0 and at most 1000", "a positive number". */
export function describeRange(range: NumberRange): string {
  const kind = range.whole ? 'a whole number' : 'a number';
  if (range.max === Infinity) return range.min === 0 && range.minOpen ? `a positive ${range.whole ? 'whole number' : 'number'}` : `${kind} ${range.minOpen ? 'above' : 'at least'} ${range.min}`;
  if (!range.minOpen && !range.maxOpen) return `${kind} from ${range.min} to ${range.max}`;
  return `${kind} ${range.minOpen ? 'above' : 'at least'} ${range.min} and ${range.maxOpen ? 'below' : 'at most'} ${range.max}`;
}

export function inRange(value: unknown, range: NumberRange): value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (range.whole && !Number.isInteger(value)) return false;
  if (range.minOpen ? !(value > range.min) : !(value >= range.min)) return false;
  return range.maxOpen ? value < range.max : value <= range.max;
}
