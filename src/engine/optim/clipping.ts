// Engine layer: gradient clipping (Pascanu et al. 2013) and the non-finite guard, with statistics the dashboard charts.
import { Parameter } from '../parameter';

export type ClipMode = 'norm' | 'value' | 'none';

export interface ClipStatistics {
  /** Global L2 norm of all gradients before clipping (Infinity or NaN when a gradient was not finite). */
  readonly normBefore: number;
  readonly normAfter: number;
  /** Whether anything was changed. */
  readonly clipped: boolean;
  /** 'norm': the factor applied (1 when not clipped). 'value': the fraction of entries clipped. */
  readonly amount: number;
}

export function globalGradientNorm(parameters: readonly Parameter[]): number {
  let sum = 0;
  for (const p of parameters) {
    const g = p.grad.data;
    for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  }
  return Math.sqrt(sum);
}

/** True when every gradient entry is finite (a NaN or ±Infinity anywhere means the step must be skipped). */
export function gradientsAreFinite(parameters: readonly Parameter[]): boolean {
  for (const p of parameters) {
    const g = p.grad.data;
    for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i])) return false;
  }
  return true;
}

/**
 * Scales all gradients by max_norm / (‖g‖ + 1e-6) when that is below 1 (torch.nn.utils.clip_grad_norm_, including
 * its 1e-6): the direction is kept, the step length bounded.
 */
export function clipByGlobalNorm(parameters: readonly Parameter[], maxNorm: number): ClipStatistics {
  if (!(maxNorm > 0 && Number.isFinite(maxNorm))) throw new RangeError(`clip norm must be a positive finite number, got ${maxNorm}`);
  const normBefore = globalGradientNorm(parameters);
  const factor = maxNorm / (normBefore + 1e-6);
  if (!(factor < 1)) return { normBefore, normAfter: normBefore, clipped: false, amount: 1 };
  for (const p of parameters) {
    const g = p.grad.data;
    for (let i = 0; i < g.length; i++) g[i] *= factor;
  }
  return { normBefore, normAfter: globalGradientNorm(parameters), clipped: true, amount: factor };
}

/** Clamps every gradient entry to [−maxValue, maxValue] (the course's `clip`, torch's clip_grad_value_). */
export function clipByValue(parameters: readonly Parameter[], maxValue: number): ClipStatistics {
  if (!(maxValue > 0 && Number.isFinite(maxValue))) throw new RangeError(`clip value must be a positive finite number, got ${maxValue}`);
  const normBefore = globalGradientNorm(parameters);
  let clippedEntries = 0;
  let entries = 0;
  for (const p of parameters) {
    const g = p.grad.data;
    entries += g.length;
    for (let i = 0; i < g.length; i++) {
      if (g[i] > maxValue) { g[i] = maxValue; clippedEntries++; }
      else if (g[i] < -maxValue) { g[i] = -maxValue; clippedEntries++; }
    }
  }
  const normAfter = clippedEntries > 0 ? globalGradientNorm(parameters) : normBefore;
  return { normBefore, normAfter, clipped: clippedEntries > 0, amount: clippedEntries / entries };
}

export function clipGradients(parameters: readonly Parameter[], mode: ClipMode, threshold: number): ClipStatistics {
  switch (mode) {
    case 'norm': return clipByGlobalNorm(parameters, threshold);
    case 'value': return clipByValue(parameters, threshold);
    case 'none': {
      const norm = globalGradientNorm(parameters);
      return { normBefore: norm, normAfter: norm, clipped: false, amount: 1 };
    }
  }
}
