// Engine layer (course API): reading and checking the arguments of course functions — nested lists or Tensors, shapes
// named with the course's letters, the caches of a forward pass — so every error names the function, the argument and
// both shapes. Internal to src/engine/course (index.ts re-exports only the types).
import { formatShape, fromNested, sizeOf, type Tensor } from '../tensor';

/** A parameters dictionary whose arrays may also be given as nested lists. */
export type ParametersLike<Parameters> = { readonly [Key in keyof Parameters]: TensorLike };

/** Numbers nested in lists, as numpy's `tolist()` or JSON gives them: `[[1, 2], [3, 4]]` is a 2 × 2 array. */
export type NestedNumbers = readonly (number | NestedNumbers)[];

/** What a course function accepts for an array: a Tensor, or nested lists of numbers (read into a Tensor). */
export type TensorLike = Tensor | NestedNumbers;

/**
 * One array argument of a course function, as a Tensor: a Tensor is checked, nested lists are read (so numpy's
 * `tolist()` output can be passed as it is). `expected` holds sizes (or `null` where any size is accepted) and
 * `meaning` the course's names for them, e.g. `tensorArgument('rnnCellForward', 'Wax', Wax, [5, 3], '(n_a, n_x)')`.
 * Every error names the function, the argument, its shape and the expected shape.
 */
export function tensorArgument(where: string, name: string, value: unknown, expected?: readonly (number | null)[], meaning = ''): Tensor {
  const t = asTensor(where, name, value, meaning);
  if (expected) {
    const fits = t.shape.length === expected.length && expected.every((dim, i) => dim === null || dim === t.shape[i]);
    if (!fits) {
      const wanted = `[${expected.map((dim) => (dim === null ? '*' : String(dim))).join(', ')}]`;
      throw new RangeError(`${where}: ${name} has shape ${formatShape(t.shape)}, expected ${meaning} = ${wanted}`);
    }
  }
  return t;
}

function asTensor(where: string, name: string, value: unknown, meaning: string): Tensor {
  const expecting = meaning ? ` (expected shape ${meaning})` : '';
  if (value === undefined || value === null) throw new TypeError(`${where}: ${name} is missing${expecting}`);
  if (Array.isArray(value)) {
    try {
      return fromNested(value, name);
    } catch (error) {
      throw new TypeError(`${where}: ${(error as Error).message}${expecting}`);
    }
  }
  const candidate = value as Partial<Tensor>;
  if (typeof value !== 'object' || !Array.isArray(candidate.shape) || !(candidate.data instanceof Float64Array)) {
    throw new TypeError(`${where}: ${name} is not a Tensor or a nested list of numbers${expecting}, got ${describe(value)}`);
  }
  if (candidate.data.length !== sizeOf(candidate.shape)) {
    throw new RangeError(`${where}: ${name} has shape ${formatShape(candidate.shape)} but ${candidate.data.length} values`);
  }
  return candidate as Tensor;
}

/** A short description of a value that is not an array, for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${value.slice(0, 17)}...` : value);
  if (typeof value === 'function') return 'a function';
  return typeof value === 'object' ? `an object with keys ${Object.keys(value as object).slice(0, 5).join(', ') || '(none)'}` : String(value);
}

/** The per-step caches of a forward pass (`caches[0]` of what rnnForward or lstmForward returned), checked. */
export function cachedSteps<Step>(where: string, caches: readonly [readonly Step[], Tensor]): readonly Step[] {
  if (!Array.isArray(caches) || !Array.isArray(caches[0])) {
    throw new TypeError(`${where}: caches must be the caches the forward pass returned, (caches, x); got ${describe(caches)}`);
  }
  if (caches[0].length === 0) throw new RangeError(`${where}: caches hold no time steps`);
  return caches[0];
}

/**
 * T_x of a backward pass, read from da (n_a, m, T_x) as the notebooks read it. da may cover fewer steps than the
 * caches (the notebook's own lstm_backward check passes 4 for a 7-step sequence): BPTT then runs through the first
 * T_x steps only, as if the sequence ended there. More steps than were cached is an error.
 */
export function stepsToBackpropagate(where: string, da: Tensor, cachedCount: number): number {
  const steps = da.shape[2];
  if (steps < 1) throw new RangeError(`${where}: da has shape ${formatShape(da.shape)}: no time steps to backpropagate`);
  if (steps > cachedCount) {
    throw new RangeError(`${where}: da has shape ${formatShape(da.shape)}, ${steps} time steps, but the forward pass cached only ${cachedCount}`);
  }
  return steps;
}
