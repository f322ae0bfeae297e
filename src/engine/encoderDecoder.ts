// Engine layer: the encoder–decoder (sequence-to-sequence) network for tasks whose output length Ty differs from
// the input length Tx — the machine-translation shape of the syllabus's many-to-many.
import { Kernels, typescriptKernels } from './kernels';
import { Linear } from './layers/linear';
import { argmax } from './math';
import { softmaxCrossEntropy } from './layers/losses';
import { GradientSeries, RecurrentStack, StackConfig } from './layers/recurrentStack';
import { Parameter, zeroGradients } from './parameter';
import { RandomState } from './random/randomState';
import { formatShape, Tensor } from './tensor';

export interface EncoderDecoderConfig {
  /** The encoder (unidirectional, so its final state can seed the decoder); the decoder shares cell, hidden size and layers. */
  readonly encoder: StackConfig;
  /** Size of one decoder input (usually the one-hot previous output token plus a start symbol). */
  readonly decoderInputSize: number;
  /** Number of output classes. */
  readonly outputSize: number;
}

/**
 * encoder(x⟨1..Tx⟩) → final state s;  decoder(y_in⟨1..Ty⟩, initial state s) → ŷ⟨1..Ty⟩ = softmax(head(a⟨t⟩)).
 * Trained with teacher forcing: y_in⟨t⟩ is the true previous token. Gradients flow from the decoder's initial
 * state into the encoder's final state (Sutskever et al. 2014; Cho et al. 2014).
 * Parameters are named like a PyTorch module with submodules `encoder`, `decoder`, `head`.
 */
export class EncoderDecoderModel {
  readonly encoder: RecurrentStack;
  readonly decoder: RecurrentStack;
  readonly head: Linear;

  constructor(readonly config: EncoderDecoderConfig, rng: RandomState, kernels: Kernels = typescriptKernels) {
    if (config.encoder.bidirectional) throw new RangeError('the encoder must be unidirectional: its final state becomes the decoder\'s initial state');
    this.encoder = new RecurrentStack(config.encoder, rng, kernels, 'encoder.');
    this.decoder = new RecurrentStack({ ...config.encoder, inputSize: config.decoderInputSize }, rng, kernels, 'decoder.');
    this.head = new Linear(config.encoder.hiddenSize, config.outputSize, rng, 'head', kernels.gemm);
  }

  parameters(): Parameter[] {
    return [...this.encoder.parameters(), ...this.decoder.parameters(), ...this.head.parameters()];
  }

  zeroGrad(): void {
    zeroGradients(this.parameters());
  }

  /** Logits [Ty, B, O] for source [Tx, B, I] and teacher-forced decoder inputs [Ty, B, J]. */
  predict(source: Tensor, decoderInput: Tensor): Tensor {
    const encoded = this.encoder.forward(source);
    const { output } = this.decoder.forward(decoderInput, { h: encoded.h, ...(encoded.c ? { c: encoded.c } : {}) });
    const [Ty, B] = decoderInput.shape;
    return { shape: [Ty, B, this.config.outputSize], data: this.head.forward(output.data, Ty * B) };
  }

  /** Mean cross-entropy over the Ty·B target tokens [Ty, B], with gradients accumulated. */
  lossAndGradients(source: Tensor, decoderInput: Tensor, targets: Int32Array): { loss: number; encoderNorms: GradientSeries[]; decoderNorms: GradientSeries[] } {
    const [Ty, B] = decoderInput.shape;
    if (source.shape[1] !== B) throw new RangeError(`source batch ${formatShape(source.shape)} and decoder batch ${formatShape(decoderInput.shape)} differ`);
    if (targets.length !== Ty * B) throw new RangeError(`expected ${Ty * B} target tokens (Ty·B), got ${targets.length}`);
    const encoded = this.encoder.forward(source);
    const decoded = this.decoder.forward(decoderInput, { h: encoded.h, ...(encoded.c ? { c: encoded.c } : {}) });
    const logits = this.head.forward(decoded.output.data, Ty * B);
    const { loss, gradient } = softmaxCrossEntropy(logits, targets, this.config.outputSize);
    const dDecoded = this.head.backward(gradient);
    const { dInitial } = this.decoder.backward({ shape: decoded.output.shape, data: dDecoded }, undefined, { inputGradient: false });
    this.encoder.backward(null, dInitial, { inputGradient: false });
    return { loss, encoderNorms: this.encoder.gradientNorms(), decoderNorms: this.decoder.gradientNorms() };
  }

  /**
   * Greedy decoding: starts from `startInput` [B, J] and feeds each step's most likely token back, as one-hot in
   * the first O entries of the next input (`encodeToken` chooses another layout). Returns [B][Ty] token ids.
   */
  greedyDecode(source: Tensor, startInput: Float64Array, length: number, encodeToken: (token: number, into: Float64Array) => void): number[][] {
    const B = source.shape[1];
    const J = this.config.decoderInputSize;
    const O = this.config.outputSize;
    const encoded = this.encoder.forward(source);
    let state = { h: encoded.h, ...(encoded.c ? { c: encoded.c } : {}) };
    let input = Float64Array.from(startInput);
    const tokens: number[][] = Array.from({ length: B }, () => []);
    for (let t = 0; t < length; t++) {
      const { output, h, c } = this.decoder.forward({ shape: [1, B, J], data: input }, state);
      state = { h, ...(c ? { c } : {}) };
      const logits = this.head.forward(output.data, B);
      input = new Float64Array(B * J);
      for (let b = 0; b < B; b++) {
        const best = argmax(logits.subarray(b * O, (b + 1) * O));
        tokens[b].push(best);
        encodeToken(best, input.subarray(b * J, (b + 1) * J));
      }
    }
    return tokens;
  }
}
