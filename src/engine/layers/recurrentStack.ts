// Engine layer: deep (stacked) and bidirectional recurrent networks built from SequenceLayers — PyTorch's
// nn.RNN / nn.GRU / nn.LSTM with the same parameter names, shapes and state layout.
import { checkActivationBudget, checkParameterBudget, SizeDescription } from '../budget';
import { CellKind, RecurrentCell } from '../cells/cell';
import { GruCell, GruReset } from '../cells/gruCell';
import { LstmCell } from '../cells/lstmCell';
import { RnnCell } from '../cells/rnnCell';
import { Kernels, typescriptKernels } from '../kernels';
import { Parameter, zeroGradients } from '../parameter';
import { RandomState } from '../random/randomState';
import { formatShape, fromNested, sameShape, swapLeadingAxes, Tensor } from '../tensor';
import { CELL_KINDS, CONFIG_LIMITS, describeRange, GRU_RESET_PLACEMENTS, inRange, MERGE_MODES, NONLINEARITIES, type MergeMode } from '../configLimits';
import type { GateSeries, TimeLoop } from './timeLoop';

export type { MergeMode };

export interface StackConfig {
  readonly cell: CellKind;
  /** Vanilla RNN only (default 'tanh'). */
  readonly nonlinearity?: 'tanh' | 'relu';
  /** GRU only (default 'after', as PyTorch). */
  readonly gruReset?: GruReset;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  /** Inputs and outputs as (B, T, ·) instead of (T, B, ·); states stay (L·D, B, H), as in PyTorch. */
  readonly batchFirst?: boolean;
  /** Default 'concat'. */
  readonly merge?: MergeMode;
  /** Dropout on the outputs of every layer but the last, while training (PyTorch's `dropout`). Default 0. */
  readonly dropout?: number;
  /**
   * LSTM only: when given, the forget gate's bias starts at this value (b_ih's forget rows; b_hh's start at 0).
   * Absent: PyTorch's initialisation, uniform in ±1/√H like every other bias.
   */
  readonly forgetBias?: number;
  /**
   * PyTorch's `bias` (default true). false: weights only — no bias_ih / bias_hh among the parameters, in state dicts
   * or saved models, as `nn.LSTM(…, bias=False)`.
   * Reference note: the cells then run with biases fixed at zero that are not parameters (never trained, saved or
   * counted); adding 0 changes no value, so both time loops, float64 and WebAssembly float32, compute PyTorch's
   * bias-free equations unchanged (test/engine/torchParity.test.ts, `*_nobias_*` fixtures).
   */
  readonly bias?: boolean;
}

export interface StackState {
  /** (L·D, B, H), index l·D + d (d = 1 for the reverse direction). */
  readonly h: Tensor;
  /** The same for the LSTM cell state. */
  readonly c?: Tensor;
}

/** ‖∂L/∂h⟨t⟩‖ (and ‖∂L/∂c⟨t⟩‖) for one layer and direction. */
export interface GradientSeries {
  readonly layer: number;
  readonly direction: 'forward' | 'reverse';
  readonly hidden: Float64Array;   // [T]
  readonly cell?: Float64Array;    // [T], LSTM
}

export interface GateStatistics {
  readonly layer: number;
  readonly direction: 'forward' | 'reverse';
  readonly gates: GateSeries[];
}

interface LayerPair {
  directions: TimeLoop[];   // [forward] or [forward, reverse]
  inputSize: number;
  dropoutMask: Float64Array | null;       // on this layer's merged output, [T, B, outputWidth]
  input: Float64Array;                    // [T, B, inputSize] as seen by this layer
  directionOutputs: Float64Array[];       // copies of each direction's outputs, [T, B, H]
}

/**
 * Stacked, optionally bidirectional recurrent layers. `forward` then `backward` is one BPTT pass; gradients
 * accumulate into `parameters()` until `zeroGrad()`. Set `training` to enable dropout.
 */
export class RecurrentStack {
  readonly config: StackSettings;
  training = false;
  private readonly layers: LayerPair[] = [];
  private readonly rng: RandomState;
  private steps = 0;
  private batch = 0;

  /** `namePrefix` names the parameters of a submodule as PyTorch does ('encoder.' → 'encoder.weight_ih_l0'). */
  constructor(config: StackConfig, rng: RandomState, kernels: Kernels = typescriptKernels, private readonly namePrefix = '') {
    this.config = {
      nonlinearity: 'tanh', gruReset: 'after', batchFirst: false, merge: 'concat', dropout: 0,
      ...withoutUndefined(config),
    };
    validateStackConfig(this.config);
    checkParameterBudget(this.size);
    this.rng = rng;
    const directionCount = this.config.bidirectional ? 2 : 1;
    for (let l = 0; l < this.config.numLayers; l++) {
      const inputSize = l === 0 ? this.config.inputSize : this.outputWidth;
      const directions: TimeLoop[] = [];
      for (let d = 0; d < directionCount; d++) {
        directions.push(kernels.timeLoop(this.createCell(inputSize, `_l${l}${d === 1 ? '_reverse' : ''}`, rng), d === 1));
      }
      this.layers.push({ directions, inputSize, dropoutMask: null, input: new Float64Array(0), directionOutputs: [] });
    }
  }

  /** Width of every layer's output: 2H for a concatenating bidirectional stack, else H. */
  get outputWidth(): number {
    return this.config.bidirectional && this.config.merge === 'concat' ? 2 * this.config.hiddenSize : this.config.hiddenSize;
  }

  /** The sizes that decide memory use. */
  get size(): SizeDescription {
    const { cell, inputSize, hiddenSize, numLayers } = this.config;
    return { cell, gateCount: { rnn: 1, gru: 3, lstm: 4 }[cell], inputSize, hiddenSize, numLayers, directions: this.directionCount };
  }

  get directionCount(): number {
    return this.config.bidirectional ? 2 : 1;
  }

  /** False for `bias: false`: the stack has weights only. */
  get hasBias(): boolean {
    return this.config.bias !== false;
  }

  /** All parameters in PyTorch's state_dict order (without the biases for `bias: false`). */
  parameters(): Parameter[] {
    return this.layers.flatMap((layer) => layer.directions.flatMap(({ recurrentCell: c }) => (this.hasBias ? [c.weightIh, c.weightHh, c.biasIh, c.biasHh] : [c.weightIh, c.weightHh])));
  }

  zeroGrad(): void {
    zeroGradients(this.parameters());
    // bias: false — the cells' fixed zero biases still receive gradients, which nothing reads: keep them from growing.
    if (!this.hasBias) zeroGradients(this.layers.flatMap((layer) => layer.directions.flatMap(({ recurrentCell: c }) => [c.biasIh, c.biasHh])));
  }

  /** Replaces every layer's time loop by one of `kernels` around the same cell (the same parameters). */
  useKernels(kernels: Kernels): void {
    for (const layer of this.layers) {
      layer.directions = layer.directions.map((loop) => {
        loop.dispose?.();
        return kernels.timeLoop(loop.recurrentCell, loop.reverse);
      });
    }
  }

  stateDict(): Record<string, Tensor> {
    return Object.fromEntries(this.parameters().map((p) => [p.name, p.value]));
  }

  /**
   * Copies a PyTorch-named state dict in — Tensors, or nested lists as `{k: v.tolist() for k, v in
   * rnn.state_dict().items()}` gives them for a bare nn.RNN / nn.GRU / nn.LSTM. Every name must be present with its
   * exact shape, and nothing extra; nothing is copied unless all of it fits.
   */
  loadStateDict(dict: Readonly<Record<string, Tensor | readonly unknown[]>>): void {
    if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) throw new TypeError('state dict must be an object from parameter names to arrays');
    const parameters = this.parameters();
    const expected = new Set(parameters.map((p) => p.name));
    for (const name of Object.keys(dict)) {
      if (!expected.has(name)) throw new Error(`state dict has an unexpected parameter '${name}' (this network has ${[...expected].join(', ')})`);
    }
    const values = new Map<string, Tensor>();
    for (const p of parameters) {
      const given = Object.hasOwn(dict, p.name) ? dict[p.name] : undefined;
      if (given === undefined || given === null) {
        const noBiases = p.name.includes('bias_') && !Object.keys(dict).some((name) => name.includes('bias_'));
        throw new Error(`state dict is missing parameter '${p.name}'${noBiases ? ' (it has no biases at all: for a module made with bias=False, build the stack with bias: false)' : ''}`);
      }
      const value = Array.isArray(given) ? fromNested(given, p.name) : given as Tensor;
      if (!Array.isArray(value.shape) || !(value.data instanceof Float64Array)) {
        throw new TypeError(`parameter '${p.name}' is neither a Tensor nor a nested list of numbers`);
      }
      if (!sameShape(value.shape, p.value.shape)) {
        throw new Error(`parameter '${p.name}' has shape ${formatShape(value.shape)}, expected ${formatShape(p.value.shape)}`);
      }
      values.set(p.name, value);
    }
    for (const p of parameters) p.value.data.set(values.get(p.name)!.data);
  }

  /**
   * x (T, B, I) — or (B, T, I) with batchFirst — to output (T, B, D·H or H) and the final states (L·D, B, H).
   * `initial` defaults to zeros. `output: false` when only the final states are wanted (a many-to-one model): the
   * top layer's outputs are then neither copied out nor merged, and that layer's hidden states are not kept.
   */
  forward(x: Tensor, initial?: StackState): { output: Tensor; h: Tensor; c?: Tensor };
  forward(x: Tensor, initial: StackState | undefined, options: { output: false }): { h: Tensor; c?: Tensor };
  forward(x: Tensor, initial?: StackState, { output: wanted = true }: { output?: boolean } = {}): { output?: Tensor; h: Tensor; c?: Tensor } {
    const cfg = this.config;
    const input = cfg.batchFirst ? swapLeadingAxes(x) : x;
    if (input.shape.length !== 3 || input.shape[2] !== cfg.inputSize) {
      throw new RangeError(`input has shape ${formatShape(x.shape)}; expected (${cfg.batchFirst ? 'B, T' : 'T, B'}, ${cfg.inputSize})`);
    }
    const [T, B] = input.shape;
    if (input.data.length !== T * B * cfg.inputSize) throw new RangeError(`input of shape ${formatShape(x.shape)} needs ${T * B * cfg.inputSize} values, got ${input.data.length}`);
    if (T < 1 || B < 1) throw new RangeError(`input has shape ${formatShape(x.shape)}: a sequence needs at least one step and one example`);
    checkActivationBudget(this.size, T, B);
    const H = cfg.hiddenSize;
    const stateShape = [cfg.numLayers * this.directionCount, B, H];
    if (cfg.cell === 'lstm' && (initial?.h === undefined) !== (initial?.c === undefined)) {
      // As PyTorch's nn.LSTM, which takes the initial state as the pair (h_0, c_0) or not at all.
      throw new TypeError(`an LSTM's initial state needs both h and c (PyTorch's nn.LSTM takes (h_0, c_0) together); got ${initial?.h ? 'h without c' : 'c without h'}`);
    }
    if (cfg.cell !== 'lstm' && initial?.c !== undefined) throw new TypeError(`initial c given, but a ${cfg.cell.toUpperCase()} has no cell state (only an LSTM has one)`);
    this.checkState(initial?.h, stateShape, 'initial h');
    if (cfg.cell === 'lstm') this.checkState(initial?.c, stateShape, 'initial c');
    this.steps = T;
    this.batch = B;
    const hOut = new Float64Array(stateShape[0] * B * H);
    const cOut = cfg.cell === 'lstm' ? new Float64Array(stateShape[0] * B * H) : null;
    const zerosState = new Float64Array(B * H);
    let layerInput = input.data;
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      const keepOutputs = wanted || l < this.layers.length - 1;
      layer.input = layerInput;
      const outputs = layer.directions.map((direction, d) => {
        const index = l * this.directionCount + d;
        const h0 = initial?.h ? initial.h.data.subarray(index * B * H, (index + 1) * B * H) : zerosState;
        const c0 = cfg.cell === 'lstm' ? (initial?.c ? initial.c.data.subarray(index * B * H, (index + 1) * B * H) : zerosState) : null;
        const result = direction.forward(layerInput, T, B, h0, c0, keepOutputs);
        hOut.set(result.h, index * B * H);
        if (cOut && result.c) cOut.set(result.c, index * B * H);
        return result.outputs;
      });
      layer.directionOutputs = keepOutputs ? outputs : [];
      if (!keepOutputs) break;
      let merged = mergeDirections(cfg.merge, H, layer.directionOutputs, T * B);
      layer.dropoutMask = null;
      if (this.training && cfg.dropout > 0 && l < this.layers.length - 1) {
        layer.dropoutMask = this.dropoutMask(merged.length);
        merged = merged.map((v, i) => v * layer.dropoutMask![i]);
      }
      layerInput = merged;
    }
    const output: Tensor = { shape: [T, B, this.outputWidth], data: layerInput };
    return {
      ...(wanted ? { output: cfg.batchFirst ? swapLeadingAxes(output) : output } : {}),
      h: { shape: stateShape, data: hOut },
      ...(cOut ? { c: { shape: stateShape, data: cOut } } : {}),
    };
  }

  /**
   * Backward of the last forward. `dOutput` has the output's shape (may be null when only the final state feeds the
   * loss); `dFinal` the final states' shapes. Accumulates into parameter gradients; returns ∂L/∂x and ∂L/∂initial.
   * `inputGradient: false` skips ∂L/∂x (a model's input is data: nothing needs it) and returns it empty, shape [0].
   */
  backward(dOutput: Tensor | null, dFinal?: { h?: Tensor; c?: Tensor }, { inputGradient = true } = {}): { dx: Tensor; dInitial: { h: Tensor; c?: Tensor } } {
    const cfg = this.config;
    const T = this.steps;
    const B = this.batch;
    const H = cfg.hiddenSize;
    if (T === 0) throw new Error('backward called before forward');
    const outputShape = cfg.batchFirst ? [B, T, this.outputWidth] : [T, B, this.outputWidth];
    if (dOutput && !sameShape(dOutput.shape, outputShape)) {
      throw new RangeError(`output gradient has shape ${formatShape(dOutput.shape)}, expected ${formatShape(outputShape)}`);
    }
    const stateShape = [cfg.numLayers * this.directionCount, B, H];
    this.checkState(dFinal?.h, stateShape, 'final h gradient');
    this.checkState(dFinal?.c, stateShape, 'final c gradient');
    const dhInitial = new Float64Array(stateShape[0] * B * H);
    const dcInitial = cfg.cell === 'lstm' ? new Float64Array(stateShape[0] * B * H) : null;
    let dLayerOutput: Float64Array | null = dOutput ? (cfg.batchFirst ? swapLeadingAxes(dOutput) : dOutput).data : null;
    let dx = new Float64Array(0);
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      if (dLayerOutput && layer.dropoutMask) {
        const mask = layer.dropoutMask;
        dLayerOutput = dLayerOutput.map((v, i) => v * mask[i]);
      }
      const dDirections = dLayerOutput ? splitMergeGradient(cfg.merge, H, dLayerOutput, layer.directionOutputs, T * B) : layer.directions.map(() => null);
      const wanted = l > 0 || inputGradient;
      dx = new Float64Array(wanted ? T * B * layer.inputSize : 0);
      const dxDirection = wanted ? new Float64Array(T * B * layer.inputSize) : null;
      layer.directions.forEach((direction, d) => {
        const index = l * this.directionCount + d;
        const slice = (t?: Tensor): Float64Array | null => (t ? t.data.subarray(index * B * H, (index + 1) * B * H) : null);
        const { dh0, dc0 } = direction.backward(dDirections[d], slice(dFinal?.h), slice(dFinal?.c), dxDirection);
        if (dxDirection) for (let i = 0; i < dx.length; i++) dx[i] += dxDirection[i];
        dhInitial.set(dh0, index * B * H);
        if (dcInitial && dc0) dcInitial.set(dc0, index * B * H);
      });
      dLayerOutput = dx;
    }
    const dxTensor: Tensor = inputGradient ? { shape: [T, B, cfg.inputSize], data: dx } : { shape: [0], data: dx };
    return {
      dx: cfg.batchFirst && inputGradient ? swapLeadingAxes(dxTensor) : dxTensor,
      dInitial: { h: { shape: stateShape, data: dhInitial }, ...(dcInitial ? { c: { shape: stateShape, data: dcInitial } } : {}) },
    };
  }

  /** ‖∂L/∂h⟨t⟩‖ per time step for every layer and direction, from the last backward. */
  gradientNorms(): GradientSeries[] {
    return this.layers.flatMap((layer, l) => layer.directions.map((direction) => ({
      layer: l,
      direction: direction.reverse ? 'reverse' as const : 'forward' as const,
      hidden: Float64Array.from(direction.hiddenGradNorms),
      ...(this.config.cell === 'lstm' ? { cell: Float64Array.from(direction.cellGradNorms) } : {}),
    })));
  }

  /** Gate means and saturation per time step for every layer and direction, from the last forward. */
  gateStatistics(): GateStatistics[] {
    return this.layers.flatMap((layer, l) => layer.directions.map((direction) => ({
      layer: l,
      direction: direction.reverse ? 'reverse' as const : 'forward' as const,
      gates: direction.gateStatistics(),
    })));
  }

  /** Hidden states of one layer and direction from the last forward, [T, B, H]. */
  hiddenStates(layer: number, direction: 'forward' | 'reverse' = 'forward'): Tensor {
    const pair = this.layers[layer];
    if (!pair) throw new RangeError(`layer ${layer} does not exist (the network has ${this.layers.length})`);
    const index = direction === 'reverse' ? 1 : 0;
    if (!pair.directionOutputs[index]) throw new RangeError(`layer ${layer} has no ${direction} direction, or no forward pass kept its outputs yet`);
    return { shape: [this.steps, this.batch, this.config.hiddenSize], data: Float64Array.from(pair.directionOutputs[index]) };
  }

  private createCell(inputSize: number, suffix: string, rng: RandomState): RecurrentCell {
    const cell = this.createCellWithBiases(inputSize, suffix, rng);
    if (!this.hasBias) {
      cell.biasIh.value.data.fill(0);                   // bias: false — fixed at zero, not parameters (see StackConfig.bias)
      cell.biasHh.value.data.fill(0);
    }
    return cell;
  }

  private createCellWithBiases(inputSize: number, suffix: string, rng: RandomState): RecurrentCell {
    const cfg = this.config;
    const options = { suffix, prefix: this.namePrefix };
    switch (cfg.cell) {
      case 'rnn': return new RnnCell(inputSize, cfg.hiddenSize, cfg.nonlinearity, rng, options);
      case 'gru': return new GruCell(inputSize, cfg.hiddenSize, cfg.gruReset, rng, options);
      case 'lstm': return new LstmCell(inputSize, cfg.hiddenSize, rng, { ...options, forgetBias: cfg.forgetBias });
    }
  }

  /** Inverted dropout: each unit kept with probability 1 − p and scaled by 1 / (1 − p). */
  private dropoutMask(length: number): Float64Array {
    const p = this.config.dropout;
    const mask = new Float64Array(length);
    for (let i = 0; i < length; i++) mask[i] = this.rng.random() < p ? 0 : 1 / (1 - p);
    return mask;
  }

  private checkState(state: Tensor | undefined, shape: number[], what: string): void {
    if (state && !sameShape(state.shape, shape)) {
      throw new RangeError(`${what} has shape ${formatShape(state.shape)}, expected ${formatShape(shape)} (layers·directions, batch, hidden)`);
    }
  }
}

/** A stack configuration with every default filled in (`forgetBias` stays optional: absent means PyTorch's init). */
export type StackSettings = Required<Omit<StackConfig, 'forgetBias' | 'bias'>> & Pick<StackConfig, 'forgetBias' | 'bias'>;

/** Widest input a stack accepts (a one-hot vocabulary of a million words); the other limits are the training limits. */
export const MAX_INPUT_SIZE = 1_000_000;

/** Checks a stack configuration against the engine's one set of limits (trainingConfig.ts); every error names the field. */
export function validateStackConfig(config: StackSettings): void {
  const within = (value: unknown, field: string, range: { whole: boolean; min: number; max: number }): void => {
    if (!inRange(value, range)) throw new RangeError(`${field} must be ${describeRange(range)}, got ${JSON.stringify(value)}`);
  };
  const oneOf = (value: unknown, field: string, allowed: readonly string[]): void => {
    if (!allowed.includes(value as string)) throw new RangeError(`${field} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  };
  if (typeof config.bidirectional !== 'boolean') throw new RangeError(`bidirectional must be true or false, got ${JSON.stringify(config.bidirectional)}`);
  if (typeof config.batchFirst !== 'boolean') throw new RangeError(`batchFirst must be true or false, got ${JSON.stringify(config.batchFirst)}`);
  oneOf(config.cell, 'cell', CELL_KINDS);
  oneOf(config.nonlinearity, 'nonlinearity', NONLINEARITIES);
  oneOf(config.gruReset, 'gruReset', GRU_RESET_PLACEMENTS);
  oneOf(config.merge, 'merge', MERGE_MODES);
  within(config.inputSize, 'inputSize', { whole: true, min: 1, max: MAX_INPUT_SIZE });
  within(config.hiddenSize, 'hiddenSize', CONFIG_LIMITS.hidden);
  within(config.numLayers, 'numLayers', CONFIG_LIMITS.layers);
  within(config.dropout, 'dropout', CONFIG_LIMITS.dropout);
  if (config.forgetBias !== undefined) within(config.forgetBias, 'forgetBias', CONFIG_LIMITS.forgetBias);
  if (config.bias !== undefined && typeof config.bias !== 'boolean') throw new RangeError(`bias must be true or false, got ${JSON.stringify(config.bias)}`);
  if (config.bias === false && config.forgetBias !== undefined) throw new RangeError('forgetBias needs biases: with bias false the LSTM has none');
}

/** Each direction's [N, H] rows merged to [N, 2H] (concat: forward then reverse, PyTorch's layout) or [N, H]. */
export function mergeDirections(mode: MergeMode, H: number, outputs: Float64Array[], rows: number): Float64Array {
  if (outputs.length === 1) return outputs[0];
  const [forward, reverse] = outputs;
  const merged = new Float64Array(rows * (mode === 'concat' ? 2 * H : H));
  for (let n = 0; n < rows; n++) {
    for (let j = 0; j < H; j++) {
      const a = forward[n * H + j];
      const b = reverse[n * H + j];
      switch (mode) {
        case 'concat': merged[n * 2 * H + j] = a; merged[n * 2 * H + H + j] = b; break;
        case 'sum': merged[n * H + j] = a + b; break;
        case 'ave': merged[n * H + j] = (a + b) / 2; break;
        case 'mul': merged[n * H + j] = a * b; break;
      }
    }
  }
  return merged;
}

/** The gradient of merged rows split back to each direction (the backward of `mergeDirections`). */
export function splitMergeGradient(mode: MergeMode, H: number, dMerged: Float64Array, outputs: Float64Array[], rows: number): Float64Array[] {
  if (outputs.length === 1) return [dMerged];
  const [forward, reverse] = outputs;
  const dForward = new Float64Array(rows * H);
  const dReverse = new Float64Array(rows * H);
  for (let n = 0; n < rows; n++) {
    for (let j = 0; j < H; j++) {
      const k = n * H + j;
      switch (mode) {
        case 'concat': dForward[k] = dMerged[n * 2 * H + j]; dReverse[k] = dMerged[n * 2 * H + H + j]; break;
        case 'sum': dForward[k] = dMerged[k]; dReverse[k] = dMerged[k]; break;
        case 'ave': dForward[k] = dMerged[k] / 2; dReverse[k] = dMerged[k] / 2; break;
        case 'mul': dForward[k] = dMerged[k] * reverse[k]; dReverse[k] = dMerged[k] * forward[k]; break;
      }
    }
  }
  return [dForward, dReverse];
}

/** Drops fields set to undefined, so `{ nonlinearity: undefined }` means "the default" as it reads. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
