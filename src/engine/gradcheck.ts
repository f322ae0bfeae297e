// Engine layer: finite-difference gradient checking in float64 — how a learner (and our tests) can trust a backward pass.

/** Something whose entries can be nudged and whose analytic gradient is known: a Parameter, or an input with its gradient. */
export interface CheckedValue {
  readonly name: string;
  readonly value: { readonly data: Float64Array };
  readonly grad: { readonly data: Float64Array };
}

export interface GradcheckOptions {
  /** Step of the central difference (default 1e-3: with the fourth-order stencil, truncation ~ε⁴ and round-off ~1e-16/ε are both ~1e-13). */
  readonly epsilon?: number;
  /** Check at most this many entries per value, spread evenly (default: all). */
  readonly maxEntriesPerValue?: number;
  /**
   * Gradients smaller than this are compared absolutely rather than relatively (default 1e-5), since a relative
   * error between two numbers near zero measures only round-off.
   */
  readonly absoluteFloor?: number;
}

export interface GradcheckEntry {
  readonly name: string;
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
  readonly error: number;
}

export interface GradcheckResult {
  /** max over checked entries of |analytic − numeric| / max(|analytic|, |numeric|, absoluteFloor). */
  readonly maxError: number;
  readonly worst: GradcheckEntry | null;
  /** Worst error per checked value, by name. */
  readonly perValue: Record<string, number>;
  readonly checked: number;
}

/**
 * Compares each value's analytic gradient (already computed by the caller into `grad`) with the fourth-order
 * central difference
 *   (−L(θ + 2ε) + 8·L(θ + ε) − 8·L(θ − ε) + L(θ − 2ε)) / 12ε
 * (the two-point (L(θ + ε) − L(θ − ε)) / 2ε leaves ~1e-10 of error, too much to certify 1e-7 on small gradients)
 * of `loss`, which must run the forward pass only, read the current values, and be deterministic.
 */
export function gradientCheck(loss: () => number, values: readonly CheckedValue[], options: GradcheckOptions = {}): GradcheckResult {
  const epsilon = options.epsilon ?? 1e-3;
  const floor = options.absoluteFloor ?? 1e-5;
  let worst: GradcheckEntry | null = null;
  let checked = 0;
  const perValue: Record<string, number> = {};
  for (const v of values) {
    const data = v.value.data;
    const count = Math.min(data.length, options.maxEntriesPerValue ?? data.length);
    let valueWorst = 0;
    for (let e = 0; e < count; e++) {
      const index = count === data.length ? e : Math.floor((e * data.length) / count);
      const original = data[index];
      const at = (offset: number): number => {
        data[index] = original + offset;
        return loss();
      };
      const numeric = (-at(2 * epsilon) + 8 * at(epsilon) - 8 * at(-epsilon) + at(-2 * epsilon)) / (12 * epsilon);
      data[index] = original;
      const analytic = v.grad.data[index];
      const error = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), floor);
      if (!(error <= valueWorst)) valueWorst = error;  // NaN counts as worst
      if (worst === null || !(error <= worst.error)) worst = { name: v.name, index, analytic, numeric, error };
      checked++;
    }
    perValue[v.name] = valueWorst;
  }
  return { maxError: worst?.error ?? 0, worst, perValue, checked };
}
