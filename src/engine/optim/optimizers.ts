// Engine layer: optimizers — how a gradient becomes a parameter update. Same update rules and defaults as
// torch.optim, so a learner's numbers match PyTorch step for step.
import { Parameter } from '../parameter';

export type OptimizerName = 'sgd' | 'momentum' | 'adagrad' | 'rmsprop' | 'adam';
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam'];

export interface Optimizer {
  readonly name: OptimizerName;
  learningRate: number;
  /** Applies one update from each parameter's `grad`. */
  step(parameters: readonly Parameter[]): void;
}

/** Per-parameter state buffers, created on first use (keyed by parameter name). */
class Slots {
  private readonly buffers = new Map<string, Float64Array>();
  get(p: Parameter, slot: string): Float64Array {
    const key = `${p.name}:${slot}`;
    let buffer = this.buffers.get(key);
    if (!buffer) this.buffers.set(key, (buffer = new Float64Array(p.value.data.length)));
    return buffer;
  }
}

/** θ ← θ − lr·g */
export class Sgd implements Optimizer {
  readonly name: OptimizerName = 'sgd';
  constructor(public learningRate: number) {}
  step(parameters: readonly Parameter[]): void {
    for (const p of parameters) {
      const theta = p.value.data;
      const g = p.grad.data;
      for (let i = 0; i < theta.length; i++) theta[i] -= this.learningRate * g[i];
    }
  }
}

/** v ← μ·v + g;  θ ← θ − lr·v  (torch.optim.SGD with momentum, no dampening) */
export class Momentum implements Optimizer {
  readonly name: OptimizerName = 'momentum';
  private readonly slots = new Slots();
  constructor(public learningRate: number, readonly momentum = 0.9) {}
  step(parameters: readonly Parameter[]): void {
    for (const p of parameters) {
      const theta = p.value.data;
      const g = p.grad.data;
      const v = this.slots.get(p, 'velocity');
      for (let i = 0; i < theta.length; i++) {
        v[i] = this.momentum * v[i] + g[i];
        theta[i] -= this.learningRate * v[i];
      }
    }
  }
}

/** s ← s + g²;  θ ← θ − lr·g / (√s + ε)  (Duchi et al. 2011; min-char-rnn's optimizer) */
export class Adagrad implements Optimizer {
  readonly name: OptimizerName = 'adagrad';
  private readonly slots = new Slots();
  constructor(public learningRate: number, readonly epsilon = 1e-10) {}
  step(parameters: readonly Parameter[]): void {
    for (const p of parameters) {
      const theta = p.value.data;
      const g = p.grad.data;
      const s = this.slots.get(p, 'sum');
      for (let i = 0; i < theta.length; i++) {
        s[i] += g[i] * g[i];
        theta[i] -= (this.learningRate * g[i]) / (Math.sqrt(s[i]) + this.epsilon);
      }
    }
  }
}

/** s ← α·s + (1 − α)·g²;  θ ← θ − lr·g / (√s + ε)  (Hinton's lecture 6e; torch defaults α = 0.99, ε = 1e-8) */
export class RmsProp implements Optimizer {
  readonly name: OptimizerName = 'rmsprop';
  private readonly slots = new Slots();
  constructor(public learningRate: number, readonly alpha = 0.99, readonly epsilon = 1e-8) {}
  step(parameters: readonly Parameter[]): void {
    for (const p of parameters) {
      const theta = p.value.data;
      const g = p.grad.data;
      const s = this.slots.get(p, 'square');
      for (let i = 0; i < theta.length; i++) {
        s[i] = this.alpha * s[i] + (1 - this.alpha) * g[i] * g[i];
        theta[i] -= (this.learningRate * g[i]) / (Math.sqrt(s[i]) + this.epsilon);
      }
    }
  }
}

/**
 * Adam (Kingma & Ba 2015):  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
 *   θ ← θ − lr·m̂ / (√v̂ + ε)  with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)
 * Written in torch's arrangement, (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε), so results agree to the last bits.
 */
export class Adam implements Optimizer {
  readonly name: OptimizerName = 'adam';
  private readonly slots = new Slots();
  private t = 0;
  constructor(public learningRate: number, readonly beta1 = 0.9, readonly beta2 = 0.999, readonly epsilon = 1e-8) {}
  step(parameters: readonly Parameter[]): void {
    this.t++;
    const biasCorrection1 = 1 - this.beta1 ** this.t;
    const biasCorrection2Root = Math.sqrt(1 - this.beta2 ** this.t);
    const stepSize = this.learningRate / biasCorrection1;
    for (const p of parameters) {
      const theta = p.value.data;
      const g = p.grad.data;
      const m = this.slots.get(p, 'm');
      const v = this.slots.get(p, 'v');
      for (let i = 0; i < theta.length; i++) {
        m[i] = this.beta1 * m[i] + (1 - this.beta1) * g[i];
        v[i] = this.beta2 * v[i] + (1 - this.beta2) * g[i] * g[i];
        theta[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / biasCorrection2Root + this.epsilon);
      }
    }
  }
}

export function createOptimizer(name: string, learningRate: number): Optimizer {
  if (!(Number.isFinite(learningRate) && learningRate > 0)) throw new RangeError(`learning rate must be a positive finite number, got ${learningRate}`);
  switch (name) {
    case 'sgd': return new Sgd(learningRate);
    case 'momentum': return new Momentum(learningRate);
    case 'adagrad': return new Adagrad(learningRate);
    case 'rmsprop': return new RmsProp(learningRate);
    case 'adam': return new Adam(learningRate);
    default: throw new RangeError(`unknown optimizer '${name}'; choose one of ${OPTIMIZER_NAMES.join(', ')}`);
  }
}
