// Engine layer: models as versioned JSON — the weights inline (version 1), or in a binary sidecar of float64 values
// (version 2, any size) — validated field by field before anything is allocated, and PyTorch state_dict import/export
// so a model moves between RNN Lab and PyTorch unchanged.
import { RecurrentStack } from '../layers/recurrentStack';
import { ModelConfig, SequenceModel } from '../model';
import { RandomState } from '../random/randomState';
import type { TrainingConfig } from '../trainer';
import { fromNested, formatShape, sameShape, sizeOf, Tensor, toNested } from '../tensor';

export const MODEL_FORMAT = 'rnn-lab-model';
/** Version 1: each parameter's values inline, as a JSON list. */
export const MODEL_FORMAT_VERSION = 1;
/** Version 2: the values in a binary file beside the JSON (float64, little-endian), each parameter at its offset. */
export const MODEL_WEIGHTS_FORMAT_VERSION = 2;
/** The sidecar's name unless the caller chooses another: what a run folder holds. */
export const DEFAULT_WEIGHTS_FILE = 'weights.bin';

const STACK_FIELDS = ['cell', 'nonlinearity', 'gruReset', 'inputSize', 'hiddenSize', 'numLayers', 'bidirectional', 'batchFirst', 'merge', 'dropout', 'forgetBias', 'bias'];

/** What a model was trained on, so it can be sampled and described later. */
export interface ModelMeta {
  readonly task?: { readonly name: string; readonly sequenceLength: number; readonly vocabulary?: readonly string[] };
  readonly training?: TrainingConfig;
}

export interface SavedModel {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_FORMAT_VERSION;
  readonly config: ModelConfig;
  readonly meta: ModelMeta;
  /** PyTorch names; values flat in row-major order. */
  readonly parameters: Record<string, { readonly shape: number[]; readonly data: number[] }>;
}

/**
 * The model with its weights inline (version 1): readable by any JSON tool and close to a PyTorch state_dict, but as
 * text — about 20 bytes a weight, and beyond JavaScript's longest string (2^29 characters) at some 25 million weights.
 * `serializeModelWithWeights` has no such limit.
 */
export function serializeModel(model: SequenceModel, meta: ModelMeta = {}): SavedModel {
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    config: model.config,
    meta,
    parameters: Object.fromEntries(model.parameters().map((p) => [p.name, { shape: [...p.value.shape], data: Array.from(p.value.data) }])),
  };
}

/** A model saved as version 2: the JSON part (architecture, metadata, where each parameter's values are). */
export interface SavedModelWithWeights {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_WEIGHTS_FORMAT_VERSION;
  readonly config: ModelConfig;
  readonly meta: ModelMeta;
  /** The binary file beside this JSON: `values` float64 numbers, little-endian, 8 bytes each, nothing else. */
  readonly weights: { readonly file: string; readonly encoding: 'float64-le'; readonly values: number };
  /** PyTorch names, in the model's order; `offset` counts values (not bytes) from the start of the file. */
  readonly parameters: Record<string, { readonly shape: number[]; readonly offset: number }>;
}

/**
 * The model as version 2: the JSON part, and the weights as bytes (every parameter's values in row-major order, one
 * after the other, as float64 little-endian) to be stored in `weightsFile` beside it. Scales to any model the limits
 * allow: 8 bytes a weight, and no string is ever built from the weights.
 */
export function serializeModelWithWeights(model: SequenceModel, meta: ModelMeta = {}, weightsFile = DEFAULT_WEIGHTS_FILE): { json: SavedModelWithWeights; weights: Uint8Array } {
  const parameters = model.parameters();
  let total = 0;
  const entries: [string, { shape: number[]; offset: number }][] = [];
  for (const p of parameters) {
    entries.push([p.name, { shape: [...p.value.shape], offset: total }]);
    total += p.value.data.length;
  }
  const values = new Float64Array(total);
  let offset = 0;
  for (const p of parameters) {
    values.set(p.value.data, offset);
    offset += p.value.data.length;
  }
  const bytes = new Uint8Array(values.buffer);
  if (!LITTLE_ENDIAN) swapEvery8Bytes(bytes);
  return {
    json: { format: MODEL_FORMAT, version: MODEL_WEIGHTS_FORMAT_VERSION, config: model.config, meta, weights: { file: weightsFile, encoding: 'float64-le', values: total }, parameters: Object.fromEntries(entries) },
    weights: bytes,
  };
}

/**
 * Reads a saved model: version 1 from the JSON alone, version 2 from the JSON and the bytes of its weights file. Every
 * problem is an Error naming the field (`parameters.weight_hh_l0.data[7]`, `config.stack.hiddenSize`). Sizes are
 * checked before the model is allocated: the configuration must be within the limits, and the file must actually
 * hold at least the weights the configuration claims — so a small file claiming a huge network is refused at once.
 */
export function parseModel(json: unknown, weights?: Uint8Array): { model: SequenceModel; meta: ModelMeta } {
  const root = record(json, 'model file');
  if (root.format !== MODEL_FORMAT) throw new Error(`format: expected '${MODEL_FORMAT}', got ${describe(root.format)} — this is not an RNN Lab model file`);
  if (root.version !== MODEL_FORMAT_VERSION && root.version !== MODEL_WEIGHTS_FORMAT_VERSION) {
    throw new Error(`version: this RNN Lab reads model format versions ${MODEL_FORMAT_VERSION} and ${MODEL_WEIGHTS_FORMAT_VERSION}, the file has ${describe(root.version)}`);
  }
  const config = record(root.config, 'config');
  record(config.stack, 'config.stack');
  const parameters = record(root.parameters, 'parameters');
  const stored = root.version === MODEL_WEIGHTS_FORMAT_VERSION ? weightValues(root.weights, weights) : undefined;
  const held = stored ? stored.length : Object.values(parameters).reduce((sum: number, entry) => sum + inlineLength(entry), 0);
  const needed = minimumWeights(config);
  if (needed !== undefined && held < needed) {
    const stack = config.stack as Record<string, unknown>;
    throw new Error(`parameters: the config describes a ${stack.numLayers}-layer ${String(stack.cell).toUpperCase()} with hidden size ${stack.hiddenSize}, which has at least ${needed} weights, `
      + `but the file holds ${held}: a parameter is missing, or the config does not belong to these weights`);
  }
  let model: SequenceModel;
  try {
    model = new SequenceModel(config as unknown as ModelConfig, new NoInitialValues());
  } catch (error) {
    // Configuration errors begin with the field's name; say where that field lives in the file.
    const message = (error as Error).message;
    throw new Error(STACK_FIELDS.includes(message.split(' ')[0]) ? `config.stack.${message}` : `config: ${message}`);
  }
  const meta = root.meta === undefined ? {} : record(root.meta, 'meta') as ModelMeta;
  const vocabulary = meta.task?.vocabulary;
  if (vocabulary !== undefined && (!Array.isArray(vocabulary) || vocabulary.some((v) => typeof v !== 'string'))) {
    throw new Error('meta.task.vocabulary: expected a list of strings');
  }
  const expected = new Set(model.parameters().map((p) => p.name));
  for (const name of Object.keys(parameters)) {
    if (!expected.has(name)) throw new Error(`parameters.${name}: not a parameter of this ${model.config.stack.cell.toUpperCase()} (expected ${[...expected].join(', ')})`);
  }
  let offset = 0;
  for (const p of model.parameters()) {
    const field = `parameters.${p.name}`;
    const saved = record(parameters[p.name], field);
    if (!Array.isArray(saved.shape) || !sameShape(saved.shape as number[], p.value.shape)) {
      throw new Error(`${field}.shape: expected ${formatShape(p.value.shape)}, got ${describe(saved.shape)}`);
    }
    const size = sizeOf(p.value.shape);
    if (stored) {
      if (saved.offset !== offset) throw new Error(`${field}.offset: expected ${offset} (the parameters follow each other in the model's order), got ${describe(saved.offset)}`);
      const values = stored.subarray(offset, offset + size);
      for (let i = 0; i < size; i++) {
        if (!Number.isFinite(values[i])) throw new Error(`${field}: value ${i} in the weights file is ${values[i]}, expected a finite number`);
      }
      p.value.data.set(values);
    } else {
      const data = saved.data;
      if (!Array.isArray(data) || data.length !== size) {
        throw new Error(`${field}.data: expected a list of ${size} numbers, got ${Array.isArray(data) ? `${data.length} entries` : describe(data)}`);
      }
      for (let i = 0; i < size; i++) {
        const v: unknown = data[i];
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${field}.data[${i}]: expected a finite number, got ${describe(v)}`);
      }
      p.value.data.set(data as number[]);
    }
    offset += size;
  }
  if (stored && offset !== stored.length) throw new Error(`weights.values: the file declares ${stored.length} values, the parameters use ${offset}`);
  return { model, meta };
}

/** The name of a version-2 model's weights file as its JSON gives it (a bare file name, never a path); undefined for version 1. */
export function weightsFileOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || (json as Record<string, unknown>).version !== MODEL_WEIGHTS_FORMAT_VERSION) return undefined;
  const file = record((json as Record<string, unknown>).weights, 'weights').file;
  if (typeof file !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(file)) throw new Error(`weights.file: expected a file name beside the model (no folders), got ${describe(file)}`);
  return file;
}

/** The stored values of a version-2 model, checked against what its JSON declares. */
function weightValues(declared: unknown, bytes: Uint8Array | undefined): Float64Array {
  const weights = record(declared, 'weights');
  if (weights.encoding !== 'float64-le') throw new Error(`weights.encoding: expected 'float64-le', got ${describe(weights.encoding)}`);
  const count = weights.values;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new Error(`weights.values: expected a count of values, got ${describe(count)}`);
  if (!bytes) throw new Error(`weights: this model keeps its weights in ${describe(weights.file)} beside it, and they were not given`);
  if (bytes.byteLength !== count * 8) {
    throw new Error(`weights: ${describe(weights.file)} holds ${bytes.byteLength} bytes, but the model declares ${count} values (${count * 8} bytes): the file is cut short or belongs to another model`);
  }
  if (LITTLE_ENDIAN && bytes.byteOffset % 8 === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, count);
  const copy = new Uint8Array(bytes);   // aligned, and ours to reorder
  if (!LITTLE_ENDIAN) swapEvery8Bytes(copy);
  return new Float64Array(copy.buffer, 0, count);
}

/** How many values a version-1 parameter entry holds inline (0 when it is not a list). */
function inlineLength(entry: unknown): number {
  if (typeof entry !== 'object' || entry === null) return 0;
  const data = (entry as Record<string, unknown>).data;
  return Array.isArray(data) ? data.length : 0;
}

/**
 * A lower bound on the weights of the network a model config describes: its recurrent weight matrices and the output
 * layer's, biases aside (a bound, so it holds whatever the merge mode and bias settings). Undefined when the sizes
 * are not plain positive whole numbers — the model's own checks then name the bad field, also before allocating.
 */
function minimumWeights(config: Record<string, unknown>): number | undefined {
  const stack = config.stack as Record<string, unknown>;
  const gates = ({ rnn: 1, gru: 3, lstm: 4 } as Record<string, number>)[stack.cell as string];
  const sizes = [stack.inputSize, stack.hiddenSize, stack.numLayers, config.outputSize];
  if (gates === undefined || !sizes.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1)) return undefined;
  const [input, hidden, layers, outputs] = sizes as number[];
  const directions = stack.bidirectional === true ? 2 : 1;
  return directions * gates * hidden * (input + hidden) + (layers - 1) * directions * gates * hidden * 2 * hidden + outputs * hidden;
}

/**
 * The random source of a model about to be loaded: every parameter is overwritten from the file (each one is checked
 * below), so drawing initial values is wasted work — for a hidden-4096 LSTM, 68 million draws and some 20 seconds.
 */
class NoInitialValues extends RandomState {
  override uniform(): number {
    return 0;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the byte order of each 8-byte value in place (for a big-endian machine; every common one is little-endian). */
function swapEvery8Bytes(bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i += 8) {
    for (let j = 0; j < 4; j++) {
      const t = bytes[i + j];
      bytes[i + j] = bytes[i + 7 - j];
      bytes[i + 7 - j] = t;
    }
  }
}

/** The model's parameters as a PyTorch state_dict of nested lists: `{k: torch.tensor(v) for k, v in d.items()}` loads it. */
export function toTorchStateDict(model: SequenceModel): Record<string, unknown> {
  return Object.fromEntries(model.parameters().map((p) => [p.name, toNested(p.value)]));
}

/**
 * Loads a PyTorch state_dict given as nested lists (`{k: v.tolist() for k, v in module.state_dict().items()}`).
 * Into a `RecurrentStack`: a bare nn.RNN / nn.GRU / nn.LSTM's dict, its names only. Into a `SequenceModel`: those
 * names for the recurrent part plus `head.weight` / `head.bias` for the output layer.
 */
export function loadTorchStateDict(target: SequenceModel | RecurrentStack, dict: unknown): void {
  const entries = record(dict, 'state dict');
  const tensors = new Map<string, Tensor>();
  for (const [name, value] of Object.entries(entries)) tensors.set(name, fromNested(value, name));
  if (target instanceof RecurrentStack) {
    target.loadStateDict(Object.fromEntries(tensors));
    return;
  }
  const model = target;
  const weight = tensors.get('head.weight');
  const bias = tensors.get('head.bias');
  tensors.delete('head.weight');
  tensors.delete('head.bias');
  for (const [name, tensor, shape] of [['head.weight', weight, model.head.weight.value.shape], ['head.bias', bias, model.head.bias.value.shape]] as const) {
    if (!tensor) {
      throw new Error(`state dict is missing parameter '${name}' of the model's output layer; a bare nn.RNN / nn.GRU / nn.LSTM state dict has no head: load it into the recurrent layers alone, loadTorchStateDict(model.stack, dict)`);
    }
    if (!sameShape(tensor.shape, shape)) throw new Error(`parameter '${name}' has shape ${formatShape(tensor.shape)}, expected ${formatShape(shape)}`);
  }
  model.stack.loadStateDict(Object.fromEntries(tensors));
  model.head.weight.value.data.set(weight!.data);
  model.head.bias.value.data.set(bias!.data);
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${field}: expected an object, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);  // NaN and Infinity too, which JSON.stringify calls null
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
