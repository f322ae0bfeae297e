// Engine layer: models as versioned JSON, validated field by field, and PyTorch state_dict import/export so a
// model moves between RNN Lab and PyTorch unchanged.
import { ModelConfig, SequenceModel } from '../model';
import { RandomState } from '../random/randomState';
import type { TrainingConfig } from '../trainer';
import { fromNested, formatShape, sameShape, sizeOf, Tensor, toNested } from '../tensor';

export const MODEL_FORMAT = 'rnn-lab-model';
export const MODEL_FORMAT_VERSION = 1;

const STACK_FIELDS = ['cell', 'nonlinearity', 'gruReset', 'inputSize', 'hiddenSize', 'numLayers', 'bidirectional', 'batchFirst', 'merge', 'dropout', 'forgetBias'];

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

export function serializeModel(model: SequenceModel, meta: ModelMeta = {}): SavedModel {
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    config: model.config,
    meta,
    parameters: Object.fromEntries(model.parameters().map((p) => [p.name, { shape: [...p.value.shape], data: Array.from(p.value.data) }])),
  };
}

/** Reads a saved model; every problem is an Error naming the field (`parameters.weight_hh_l0.data[7]`, `config.stack.hiddenSize`). */
export function parseModel(json: unknown): { model: SequenceModel; meta: ModelMeta } {
  const root = record(json, 'model file');
  if (root.format !== MODEL_FORMAT) throw new Error(`format: expected '${MODEL_FORMAT}', got ${describe(root.format)} — this is not an RNN Lab model file`);
  if (root.version !== MODEL_FORMAT_VERSION) throw new Error(`version: this RNN Lab reads model format version ${MODEL_FORMAT_VERSION}, the file has ${describe(root.version)}`);
  const config = record(root.config, 'config');
  record(config.stack, 'config.stack');
  let model: SequenceModel;
  try {
    model = new SequenceModel(config as unknown as ModelConfig, new RandomState(0));
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
  const parameters = record(root.parameters, 'parameters');
  const expected = new Set(model.parameters().map((p) => p.name));
  for (const name of Object.keys(parameters)) {
    if (!expected.has(name)) throw new Error(`parameters.${name}: not a parameter of this ${model.config.stack.cell.toUpperCase()} (expected ${[...expected].join(', ')})`);
  }
  for (const p of model.parameters()) {
    const field = `parameters.${p.name}`;
    const saved = record(parameters[p.name], field);
    if (!Array.isArray(saved.shape) || !sameShape(saved.shape as number[], p.value.shape)) {
      throw new Error(`${field}.shape: expected ${formatShape(p.value.shape)}, got ${describe(saved.shape)}`);
    }
    const data = saved.data;
    if (!Array.isArray(data) || data.length !== sizeOf(p.value.shape)) {
      throw new Error(`${field}.data: expected a list of ${sizeOf(p.value.shape)} numbers, got ${Array.isArray(data) ? `${data.length} entries` : describe(data)}`);
    }
    data.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${field}.data[${i}]: expected a finite number, got ${describe(v)}`);
    });
    p.value.data.set(data as number[]);
  }
  return { model, meta };
}

/** The model's parameters as a PyTorch state_dict of nested lists: `{k: torch.tensor(v) for k, v in d.items()}` loads it. */
export function toTorchStateDict(model: SequenceModel): Record<string, unknown> {
  return Object.fromEntries(model.parameters().map((p) => [p.name, toNested(p.value)]));
}

/**
 * Loads a PyTorch state_dict given as nested lists (`{k: v.tolist() for k, v in model.state_dict().items()}`):
 * nn.RNN/GRU/LSTM names for the recurrent part, `head.weight` / `head.bias` for the output layer.
 */
export function loadTorchStateDict(model: SequenceModel, dict: unknown): void {
  const entries = record(dict, 'state dict');
  const tensors: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(entries)) tensors[name] = fromNested(value, name);
  const { 'head.weight': weight, 'head.bias': bias, ...recurrent } = tensors;
  for (const [name, tensor, target] of [['head.weight', weight, model.head.weight.value], ['head.bias', bias, model.head.bias.value]] as const) {
    if (!tensor) throw new Error(`state dict is missing parameter '${name}'`);
    if (!sameShape(tensor.shape, target.shape)) throw new Error(`parameter '${name}' has shape ${formatShape(tensor.shape)}, expected ${formatShape(target.shape)}`);
  }
  model.stack.loadStateDict(recurrent);
  model.head.weight.value.data.set(weight.data);
  model.head.bias.value.data.set(bias.data);
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
