// Lessons layer (checks): `expect`, what a lesson's check code asserts with — close, equal, shape, that, answer. A failed
// expectation throws a CheckFailure whose message is the words a learner reads (shapes when they differ, else the
// first differing index and both values, and the tolerance); the check runner turns it into a CheckResult.
import { shapeTuple } from '../../engine/tensor';

export interface ExpectOptions {
  /** The author's hint, shown under the failure. */
  readonly hint?: string;
}

/**
 * Tolerances of `expect.close`: |got − expected| ≤ atol + rtol · |expected| for every value.
 * Reference note: the defaults are numpy's `np.allclose` (rtol 1e-5, atol 1e-8), so a check reads as the course's
 * `np.allclose(got, expected)`.
 */
export interface CloseOptions extends ExpectOptions {
  readonly atol?: number;
  readonly rtol?: number;
}

/**
 * What `expect.answer` accepts. A choice question lists its `choices` (an answer outside them is named as such); a
 * number question may widen the tolerances (a figure read off a chart: `{ rtol: 0.05 }`).
 */
export interface AnswerOptions extends CloseOptions {
  readonly choices?: readonly string[];
}

export const DEFAULT_RTOL = 1e-5;
export const DEFAULT_ATOL = 1e-8;

/** A failed expectation: `message` says what was expected and what was got; `hint` is the author's. */
export class CheckFailure extends Error {
  /** Marks failures across realms (a check runs in the kernel's own context, where `instanceof` may not hold). */
  readonly isCheckFailure = true;

  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

export function isCheckFailure(error: unknown): error is CheckFailure {
  return typeof error === 'object' && error !== null && (error as CheckFailure).isCheckFailure === true;
}

export interface Expect {
  /** Arrays (Tensors, nested lists, numbers) of the same shape whose values agree within the tolerances; NaN only matches NaN. */
  close(got: unknown, expected: unknown, options?: CloseOptions): void;
  /** Exactly equal: numbers, strings, booleans, arrays (value for value), lists and plain objects (key for key). */
  equal(got: unknown, expected: unknown, options?: ExpectOptions): void;
  /** An array of exactly this shape, e.g. `expect.shape(aNext, [5, 10])`. */
  shape(got: unknown, shape: readonly number[], options?: ExpectOptions): void;
  /** A condition the author states in words: `expect.that(ratio < 1, 'the ratio should be below 1')`. */
  that(condition: unknown, message: string, options?: ExpectOptions): void;
  /**
   * A question's answer: a choice (`'b'`; case and surrounding spaces ignored) or a number (within atol + rtol·|expected|).
   * A wrong answer is told it is wrong, never what the right one is.
   */
  answer(got: unknown, expected: string | number, options?: AnswerOptions): void;
}

export const expect: Expect = {
  close(got, expected, options = {}) {
    const rtol = options.rtol ?? DEFAULT_RTOL;
    const atol = options.atol ?? DEFAULT_ATOL;
    if (!(rtol >= 0) || !(atol >= 0)) throw new TypeError(`expect.close: atol and rtol must be numbers ≥ 0, got atol ${atol}, rtol ${rtol}`);
    compareArrays(got, expected, options.hint, { atol, rtol });
  },

  equal(got, expected, options = {}) {
    if (numericArray(expected) && (typeof expected !== 'number' || typeof got !== 'number' || Number.isNaN(expected))) {
      compareArrays(got, expected, options.hint, { atol: 0, rtol: 0 });
      return;
    }
    const difference = firstDifference(got, expected, '');
    if (difference !== undefined) throw new CheckFailure(difference, options.hint);
  },

  shape(got, shape, options = {}) {
    if (!Array.isArray(shape) || !shape.every((size) => Number.isInteger(size) && size >= 0)) {
      throw new TypeError(`expect.shape: the expected shape must be a list of sizes such as [5, 10], got ${describeValue(shape)}`);
    }
    const array = numericArray(got);
    if (!array) throw new CheckFailure(`expected an array of shape ${shapeTuple(shape)}, got ${describeValue(got)}`, options.hint);
    if (!sameShape(array.shape, shape)) throw new CheckFailure(`shape: expected ${shapeTuple(shape)}, got ${shapeTuple(array.shape)}`, options.hint);
  },

  that(condition, message, options = {}) {
    if (typeof message !== 'string' || message === '') throw new TypeError('expect.that: give the message a learner reads when the condition is false');
    if (!condition) throw new CheckFailure(message, options.hint);
  },

  answer(got, expected, options = {}) {
    if (typeof expected === 'string') answerChoice(got, expected, options);
    else if (typeof expected === 'number' && Number.isFinite(expected)) answerNumber(got, expected, options);
    else throw new TypeError(`expect.answer: the expected answer must be a choice such as 'b' or a finite number, got ${describeValue(expected)}`);
  },
};

function answerChoice(got: unknown, expected: string, options: AnswerOptions): void {
  const normalize = (choice: string): string => choice.trim().toLowerCase();
  const choices = options.choices?.map(normalize);
  if (choices && !choices.includes(normalize(expected))) throw new TypeError(`expect.answer: the expected answer ${describeValue(expected)} is not one of the choices ${choices.join(', ')}`);
  const listed = choices ? `one of ${choiceList(choices)}` : `a letter such as 'a'`;
  if (typeof got !== 'string') throw new CheckFailure(`answer with ${listed}, in quotes; got ${describeValue(got)}`, options.hint);
  const answer = normalize(got);
  if (choices && !choices.includes(answer)) throw new CheckFailure(`${describeValue(got)} is not one of the choices: answer with ${listed}`, options.hint);
  if (answer !== normalize(expected)) throw new CheckFailure(`${describeValue(got)} is not the right answer: read the question again`, options.hint);
}

function answerNumber(got: unknown, expected: number, options: AnswerOptions): void {
  const rtol = options.rtol ?? DEFAULT_RTOL;
  const atol = options.atol ?? DEFAULT_ATOL;
  if (!(rtol >= 0) || !(atol >= 0)) throw new TypeError(`expect.answer: atol and rtol must be numbers ≥ 0, got atol ${atol}, rtol ${rtol}`);
  if (typeof got !== 'number' || Number.isNaN(got)) throw new CheckFailure(`answer with a number, without quotes; got ${describeValue(got)}`, options.hint);
  if (!(Math.abs(got - expected) <= atol + rtol * Math.abs(expected))) {
    throw new CheckFailure(`${got} is not the right answer (an answer counts when |answer − the right one| ≤ ${atol} + ${rtol} × |the right one|)`, options.hint);
  }
}

/** 'a', 'b' or 'c'. */
function choiceList(choices: readonly string[]): string {
  const quoted = choices.map((choice) => `'${choice}'`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------------------------

/** Numbers with a shape: a Tensor `{shape, data}`, nested lists of numbers, a typed array (1-d) or a number (0-d). */
interface NumericArray {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

function compareArrays(got: unknown, expected: unknown, hint: string | undefined, tolerance: { atol: number; rtol: number }): void {
  const want = numericArray(expected);
  if (!want) throw new TypeError(`expect: the expected value must be a number or an array of numbers, got ${describeValue(expected)}`);
  const have = numericArray(got);
  if (!have) {
    const wanted = want.shape.length === 0 ? 'a number' : `an array of shape ${shapeTuple(want.shape)}`;
    throw new CheckFailure(`expected ${wanted}, got ${describeValue(got)}`, hint);
  }
  if (!sameShape(have.shape, want.shape)) {
    throw new CheckFailure(`shape: expected ${shapeText(want.shape)}, got ${shapeText(have.shape)}`, hint);
  }
  const exact = tolerance.atol === 0 && tolerance.rtol === 0;
  let first = -1;
  let differing = 0;
  for (let i = 0; i < want.data.length; i++) {
    const [g, e] = [have.data[i], want.data[i]];
    const agrees = Number.isNaN(e) ? Number.isNaN(g) : g === e || Math.abs(g - e) <= tolerance.atol + tolerance.rtol * Math.abs(e);
    if (!agrees) {
      differing++;
      if (first === -1) first = i;
    }
  }
  if (first === -1) return;
  const [g, e] = [have.data[first], want.data[first]];
  const [gotText, expectedText] = distinctNumbers(g, e);
  const where = want.shape.length === 0 ? '' : `at ${indexText(first, want.shape)}${differing > 1 ? ` (the first of ${differing} values that differ, of ${want.data.length})` : ''}: `;
  const within = exact ? '' : ` (tolerance: |got − expected| ≤ ${tolerance.atol} + ${tolerance.rtol} × |expected|)`;
  const nan = Number.isNaN(g) ? '. NaN is "not a number": a 0/0, ∞ − ∞ or the log of a negative number on the way.' : '';
  throw new CheckFailure(`${where}expected ${expectedText}, got ${gotText}${within}${nan}`, hint);
}

function numericArray(value: unknown): NumericArray | undefined {
  if (typeof value === 'number') return { shape: [], data: [value] };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const view = value as unknown as ArrayLike<number>;
    return typeof view[0] === 'bigint' ? undefined : { shape: [view.length], data: view };
  }
  if (Array.isArray(value)) return nestedArray(value);
  if (typeof value === 'object' && value !== null) {
    const { shape, data } = value as { shape?: unknown; data?: unknown };
    if (Array.isArray(shape) && shape.every((size) => Number.isInteger(size) && size >= 0) && ArrayBuffer.isView(data) && !(data instanceof DataView)) {
      const values = data as unknown as ArrayLike<number>;
      if (values.length === shape.reduce((product: number, size: number) => product * size, 1)) return { shape, data: values };
    }
  }
  return undefined;
}

/** Nested lists of numbers as a shape and flat values; ragged lists or non-numbers give undefined. */
function nestedArray(nested: unknown[]): NumericArray | undefined {
  const shape: number[] = [];
  let probe: unknown = nested;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const data: number[] = [];
  const walk = (value: unknown, depth: number): boolean => {
    if (depth === shape.length) return typeof value === 'number' && data.push(value) > 0;
    return Array.isArray(value) && value.length === shape[depth] && value.every((item) => walk(item, depth + 1));
  };
  return walk(nested, 0) ? { shape, data } : undefined;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((size, i) => size === b[i]);
}

function shapeText(shape: readonly number[]): string {
  return shape.length === 0 ? 'a number' : shapeTuple(shape);
}

/** The flat position `offset` of an array of `shape` as numpy's index, "[4, 0]". */
function indexText(offset: number, shape: readonly number[]): string {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(offset % shape[axis]);
    offset = Math.floor(offset / shape[axis]);
  }
  return `[${index.join(', ')}]`;
}

/** Two numbers written with as few significant digits (10 at least) as tell them apart. */
function distinctNumbers(a: number, b: number): [string, string] {
  for (let digits = 10; digits < 17; digits++) {
    const pair: [string, string] = [numberText(a, digits), numberText(b, digits)];
    if (pair[0] !== pair[1]) return pair;
  }
  return [numberText(a, 17), numberText(b, 17)];
}

function numberText(x: number, digits: number): string {
  if (!Number.isFinite(x) || Number.isInteger(x)) return String(x);
  const [mantissa, exponent] = x.toPrecision(digits).split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
}

/** The first place two values differ, in words ("at .dWax: expected …"), or undefined when they are equal. */
function firstDifference(got: unknown, expected: unknown, path: string): string | undefined {
  const at = path === '' ? '' : `at ${path}: `;
  if (Object.is(got, expected) || (typeof got === 'number' && got === expected)) return undefined;
  if (typeof expected !== 'object' || expected === null || typeof got !== 'object' || got === null) {
    return `${at}expected ${describeValue(expected)}, got ${describeValue(got)}`;
  }
  if (numericArray(expected) && !Array.isArray(expected)) {
    try {
      compareArrays(got, expected, undefined, { atol: 0, rtol: 0 });
      return undefined;
    } catch (error) {
      return `${at}${(error as Error).message}`;
    }
  }
  if (Array.isArray(expected) !== Array.isArray(got)) return `${at}expected ${describeValue(expected)}, got ${describeValue(got)}`;
  if (Array.isArray(expected) && Array.isArray(got)) {
    if (got.length !== expected.length) return `${at}expected a list of ${expected.length}, got a list of ${got.length}`;
    for (let i = 0; i < expected.length; i++) {
      const difference = firstDifference(got[i], expected[i], `${path}[${i}]`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  const expectedKeys = Object.keys(expected as object);
  const gotKeys = new Set(Object.keys(got as object));
  const missing = expectedKeys.filter((key) => !gotKeys.has(key));
  if (missing.length > 0) return `${at}expected a key ${JSON.stringify(missing[0])}, got an object with keys ${[...gotKeys].join(', ') || '(none)'}`;
  const extra = [...gotKeys].filter((key) => !expectedKeys.includes(key));
  if (extra.length > 0) return `${at}got a key ${JSON.stringify(extra[0])} that should not be there`;
  for (const key of expectedKeys) {
    const difference = firstDifference((got as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
    if (difference !== undefined) return difference;
  }
  return undefined;
}

/** A value in a few words, for "expected …, got …". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined (nothing was returned?)';
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof (value as { then?: unknown }).then === 'function') return 'a Promise (is an `await` missing?)';
  const array = numericArray(value);
  if (array) return array.shape.length === 0 ? String(array.data[0]) : `an array of shape ${shapeTuple(array.shape)}`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  const keys = Object.keys(value as object);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
}
