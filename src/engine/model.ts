// Engine layer: a whole network — recurrent stack + output head + loss — for many-to-many and many-to-one
// tasks, with full or truncated backpropagation through time.
import { Linear } from './layers/linear';
import { meanSquaredError, sigmoidBinaryCrossEntropy, softmaxCrossEntropy, LossResult } from './layers/losses';
import { GateStatistics, GradientSeries, mergeDirections, RecurrentStack, splitMergeGradient, StackConfig, StackState } from './layers/recurrentStack';
import { Kernels, typescriptKernels } from './kernels';
import { Parameter, zeroGradients } from './parameter';
import { RandomState } from './random/randomState';
import type { Batch, LossName, Targets, TaskMode } from './tasks/task';
import { formatShape, Tensor } from './tensor';

export interface ModelConfig {
  /** The recurrent part; its inputSize is the task's. Always time-major inside a model. */
  readonly stack: StackConfig;
  readonly outputSize: number;
  readonly mode: TaskMode;
  readonly loss: LossName;
}

/** What one forward + backward pass measured, besides the gradients themselves. */
export interface PassResult {
  readonly loss: number;
  /** ‖∂L/∂h⟨t⟩‖ per time step, per layer and direction (all chunks of a truncated pass, in time order). */
  readonly gradientNorms: GradientSeries[];
  /** Gate activation statistics per time step (the last chunk of a truncated pass). */
  readonly gateStatistics: GateStatistics[];
  /** The state after the last step, for carrying into the next sequence. */
  readonly finalState: StackState;
}

export class SequenceModel {
  readonly stack: RecurrentStack;
  readonly head: Linear;

  constructor(readonly config: ModelConfig, rng: RandomState, kernels: Kernels = typescriptKernels) {
    if (config.stack.batchFirst) throw new RangeError('a SequenceModel is time-major: set stack.batchFirst to false');
    if (!Number.isInteger(config.outputSize) || config.outputSize < 1) throw new RangeError(`outputSize must be a whole number ≥ 1, got ${config.outputSize}`);
    if (!['many-to-many', 'many-to-one'].includes(config.mode)) throw new RangeError(`mode must be 'many-to-many' or 'many-to-one', got '${config.mode}'`);
    if (!['softmax-cross-entropy', 'mse', 'sigmoid-bce'].includes(config.loss)) {
      throw new RangeError(`loss must be 'softmax-cross-entropy', 'mse' or 'sigmoid-bce', got '${config.loss}'`);
    }
    this.stack = new RecurrentStack(config.stack, rng, kernels);
    this.head = new Linear(this.stack.outputWidth, config.outputSize, rng, 'head', kernels.gemm);
  }

  /** Computes with `kernels` from now on; the parameters stay as they are. */
  useKernels(kernels: Kernels): void {
    this.stack.useKernels(kernels);
    this.head.useGemm(kernels.gemm);
  }

  /** PyTorch state_dict order: the recurrent parameters, then head.weight, head.bias. */
  parameters(): Parameter[] {
    return [...this.stack.parameters(), ...this.head.parameters()];
  }

  zeroGrad(): void {
    zeroGradients(this.parameters());
  }

  set training(on: boolean) {
    this.stack.training = on;
  }

  /**
   * Network outputs before the loss's squashing: logits or predictions, [T, B, O] (many-to-many) or [B, O]
   * (many-to-one).
   */
  predict(x: Tensor, initial?: StackState): { output: Tensor; finalState: StackState } {
    return this.outputsOf(x, initial, true);
  }

  /** The loss on a batch without touching gradients. */
  evaluate(batch: Batch): number {
    return this.lossOf(this.outputsOf(batch.x, undefined, false).output.data, batch.targets).loss;
  }

  /**
   * `predict`, where `keepStates` false lets a many-to-one model skip copying out its top layer's states a⟨t⟩, which
   * its loss does not read (the validation pass: they would be garbage after every batch). With it true,
   * `stack.hiddenStates` can show them afterwards.
   */
  private outputsOf(x: Tensor, initial: StackState | undefined, keepStates: boolean): { output: Tensor; finalState: StackState } {
    const manyToMany = this.config.mode === 'many-to-many';
    const { output, h, c } = manyToMany || keepStates ? this.stack.forward(x, initial) : { ...this.stack.forward(x, initial, { output: false }), output: null };
    const [T, B] = x.shape;
    const features = manyToMany && output ? output.data : this.finalFeatures(h, B);
    const y = this.head.forward(features, manyToMany ? T * B : B);
    const shape = manyToMany ? [T, B, this.config.outputSize] : [B, this.config.outputSize];
    return { output: { shape, data: y }, finalState: { h, ...(c ? { c } : {}) } };
  }

  /**
   * Loss and gradients (accumulated into `parameters()`) for one batch. With `truncate` = k, backpropagation stops
   * every k steps: the sequence runs in chunks, each starting from the previous chunk's final state taken as a
   * constant (truncated BPTT). The loss is the mean over the whole sequence either way.
   */
  lossAndGradients(batch: Batch, options: { truncate?: number; initial?: StackState } = {}): PassResult {
    const [T, B, I] = batch.x.shape;
    if (!(T >= 1 && B >= 1)) throw new RangeError(`input has shape ${formatShape(batch.x.shape)}: a sequence needs at least one step and one example`);
    const chunk = options.truncate ?? T;
    if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`truncate must be a whole number of steps ≥ 1, got ${chunk}`);
    if (chunk < T && this.config.stack.bidirectional) {
      throw new RangeError('truncated BPTT needs the future, which a bidirectional network reads: use full BPTT (no truncate)');
    }
    const hiddenNorms: GradientSeries[] = [];
    let state = options.initial;
    let totalLoss = 0;
    let gateStatistics: GateStatistics[] = [];
    for (let start = 0; start < T; start += chunk) {
      const end = Math.min(T, start + chunk);
      const x: Tensor = { shape: [end - start, B, I], data: batch.x.data.subarray(start * B * I, end * B * I) };
      const isLast = end === T;
      // Many-to-one reads only the final states: the top layer's outputs are not even copied out.
      const manyToMany = this.config.mode === 'many-to-many';
      const { output, h, c } = manyToMany ? this.stack.forward(x, state) : { ...this.stack.forward(x, state, { output: false }), output: null };
      let series: GradientSeries[];
      if (output) {
        const logits = this.head.forward(output.data, (end - start) * B);
        const { loss, gradient } = this.lossOf(logits, sliceTargets(batch.targets, start, end, B));
        const weight = (end - start) / T;                    // this chunk's share of the mean over all steps
        totalLoss += weight * loss;
        for (let i = 0; i < gradient.length; i++) gradient[i] *= weight;
        const dOutput = this.head.backward(gradient);
        this.stack.backward({ shape: output.shape, data: dOutput }, undefined, { inputGradient: false });
        series = this.stack.gradientNorms();
      } else if (isLast) {
        const features = this.finalFeatures(h, B);
        const logits = this.head.forward(features, B);
        const { loss, gradient } = this.lossOf(logits, batch.targets);
        totalLoss = loss;
        const dFeatures = this.head.backward(gradient);
        this.stack.backward(null, { h: this.finalFeaturesGradient(dFeatures, h, B) }, { inputGradient: false });
        series = this.stack.gradientNorms();
      } else {
        series = this.stack.gradientNorms().map((s) => ({ ...s, hidden: new Float64Array(end - start), ...(s.cell ? { cell: new Float64Array(end - start) } : {}) }));
      }
      appendSeries(hiddenNorms, series);
      if (isLast) gateStatistics = this.stack.gateStatistics();
      state = { h, ...(c ? { c } : {}) };
    }
    return { loss: totalLoss, gradientNorms: hiddenNorms, gateStatistics, finalState: state! };
  }

  /** The loss and its gradient for outputs [N, O] against targets. */
  lossOf(output: Float64Array, targets: Targets): LossResult {
    switch (this.config.loss) {
      case 'softmax-cross-entropy':
        if (targets.kind !== 'classes') throw new TypeError('softmax cross-entropy needs class targets');
        return softmaxCrossEntropy(output, targets.indices, this.config.outputSize);
      case 'mse':
        if (targets.kind !== 'values') throw new TypeError('MSE needs real-valued targets');
        return meanSquaredError(output, targets.tensor.data);
      case 'sigmoid-bce':
        if (targets.kind !== 'values') throw new TypeError('binary cross-entropy needs 0/1 value targets');
        return sigmoidBinaryCrossEntropy(output, targets.tensor.data);
    }
  }

  /**
   * Many-to-one features: the final hidden state of each direction of the top layer, merged (Keras semantics: for
   * the reverse direction that is its state after reading t = 0).
   */
  private finalFeatures(h: Tensor, B: number): Float64Array {
    const { hiddenSize: H, merge } = this.stack.config;
    return mergeDirections(merge, H, this.topLayerStates(h, B).directions, B);
  }

  private finalFeaturesGradient(dFeatures: Float64Array, h: Tensor, B: number): Tensor {
    const { hiddenSize: H, merge } = this.stack.config;
    const { first, directions } = this.topLayerStates(h, B);
    const dh = new Float64Array(h.data.length);
    splitMergeGradient(merge, H, dFeatures, directions, B).forEach((d, i) => dh.set(d, (first + i) * B * H));
    return { shape: h.shape, data: dh };
  }

  /** The top layer's final state of each direction, [B, H] views into h (L·D, B, H); `first` is its index in h. */
  private topLayerStates(h: Tensor, B: number): { first: number; directions: Float64Array[] } {
    const H = this.stack.config.hiddenSize;
    const D = this.stack.directionCount;
    const first = (this.stack.config.numLayers - 1) * D;
    return { first, directions: Array.from({ length: D }, (_, d) => h.data.subarray((first + d) * B * H, (first + d + 1) * B * H)) };
  }
}

/** Targets of time steps [start, end) of a many-to-many batch. */
function sliceTargets(targets: Targets, start: number, end: number, batch: number): Targets {
  if (targets.kind === 'classes') {
    if (targets.shape.length !== 2) throw new RangeError(`many-to-many class targets must be [T, B], got ${formatShape(targets.shape)}`);
    return { kind: 'classes', shape: [end - start, batch], indices: targets.indices.subarray(start * batch, end * batch) };
  }
  const [, , outputs] = targets.tensor.shape;
  if (targets.tensor.shape.length !== 3) throw new RangeError(`many-to-many value targets must be [T, B, O], got ${formatShape(targets.tensor.shape)}`);
  return { kind: 'values', tensor: { shape: [end - start, batch, outputs], data: targets.tensor.data.subarray(start * batch * outputs, end * batch * outputs) } };
}

/** Appends each chunk's per-step series to the running ones, in time order. */
function appendSeries(into: GradientSeries[], chunk: GradientSeries[]): void {
  if (into.length === 0) {
    into.push(...chunk);
    return;
  }
  const concat = (a: Float64Array, b: Float64Array): Float64Array => {
    const out = new Float64Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  chunk.forEach((series, i) => {
    const previous = into[i];
    into[i] = {
      ...previous,
      hidden: concat(previous.hidden, series.hidden),
      ...(previous.cell && series.cell ? { cell: concat(previous.cell, series.cell) } : {}),
    };
  });
}
