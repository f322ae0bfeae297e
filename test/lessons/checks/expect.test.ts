// Lessons tests (checks): each expectation's failure message, word for word, and that a passing value passes.
import * as assert from 'node:assert/strict';

import { np } from '../../../src/engine';
import { CheckFailure, expect } from '../../../src/lessons/checks/expect';

function failure(run: () => void): { message: string; hint?: string } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof CheckFailure, `expected a CheckFailure, got ${String(error)}`);
    return { message: error.message, hint: error.hint };
  }
  return assert.fail('the expectation passed');
}

describe('lessons/checks: expect', () => {
  it('close: passes within tolerance (Tensors, nested lists, numbers, NaN against NaN)', () => {
    expect.close(np.array([[1, 2]]), [[1 + 1e-9, 2]]);
    expect.close(0.1 + 0.2, 0.3);
    expect.close([NaN, 1], [NaN, 1]);
    expect.close(Float64Array.of(1, 2), [1, 2]);
  });

  it('close: shapes first, then the first differing index with both values and the tolerance, then the hint', () => {
    assert.deepEqual(failure(() => expect.close(np.zeros([10, 5]), np.zeros([5, 10]), { hint: 'transpose?' })), { message: 'shape: expected (5, 10), got (10, 5)', hint: 'transpose?' });
    assert.equal(failure(() => expect.close([[1, 2], [3, 4]], [[1, 2], [3, 4.5]])).message,
      'at [1, 1]: expected 4.5, got 4 (tolerance: |got − expected| ≤ 1e-8 + 0.00001 × |expected|)');
    assert.equal(failure(() => expect.close([1, 2, 3], [0, 0, 3], { atol: 0.5, rtol: 0 })).message,
      'at [0] (the first of 2 values that differ, of 3): expected 0, got 1 (tolerance: |got − expected| ≤ 0.5 + 0 × |expected|)');
    assert.equal(failure(() => expect.close(1.00000000001, 1.00000000002, { atol: 0, rtol: 0 })).message, 'expected 1.00000000002, got 1.00000000001');
    assert.equal(failure(() => expect.close(np.zeros(3), 0.5)).message, 'shape: expected a number, got (3,)');
    assert.equal(failure(() => expect.close(undefined, np.zeros([5, 10]))).message, 'expected an array of shape (5, 10), got undefined (nothing was returned?)');
    assert.equal(failure(() => expect.close(Promise.resolve(1), 1)).message, 'expected a number, got a Promise (is an `await` missing?)');
    assert.equal(failure(() => expect.close([[1, 2], [3]], [[1, 2], [3, 4]])).message, 'expected an array of shape (2, 2), got a list of 2');
  });

  it('close: NaN where a number was expected is explained', () => {
    assert.equal(failure(() => expect.close([1, NaN], [1, 2])).message,
      'at [1]: expected 2, got NaN (tolerance: |got − expected| ≤ 1e-8 + 0.00001 × |expected|). NaN is "not a number": a 0/0, ∞ − ∞ or the log of a negative number on the way.');
  });

  it('equal: exact, with a path into lists and objects', () => {
    expect.equal({ a: [1, 'x'], b: np.array([1, 2]) }, { a: [1, 'x'], b: np.array([1, 2]) });
    assert.equal(failure(() => expect.equal(4, 3)).message, 'expected 3, got 4');
    assert.equal(failure(() => expect.equal('tanh', 'relu')).message, 'expected "relu", got "tanh"');
    assert.equal(failure(() => expect.equal({ a: [1, 2] }, { a: [1, 3] })).message, 'at .a[1]: expected 3, got 2');
    assert.equal(failure(() => expect.equal({ a: 1 }, { a: 1, b: 2 })).message, 'expected a key "b", got an object with keys a');
    assert.equal(failure(() => expect.equal([1, 'a'], [1, 'a', 2])).message, 'expected a list of 3, got a list of 2');
    assert.equal(failure(() => expect.equal(1 + 1e-15, 1)).message, 'expected 1, got 1.000000000000001');
  });

  it('shape and that', () => {
    expect.shape(np.zeros([5, 10]), [5, 10]);
    assert.equal(failure(() => expect.shape(np.zeros([5, 1]), [5, 10])).message, 'shape: expected (5, 10), got (5, 1)');
    assert.equal(failure(() => expect.shape(3, [5, 10])).message, 'shape: expected (5, 10), got ()');
    assert.equal(failure(() => expect.shape({ shape: [2] }, [2])).message, 'expected an array of shape (2,), got an object with keys shape');
    assert.deepEqual(failure(() => expect.that(false, 'the ratio should be below 1', { hint: 'divide the first by the last' })), { message: 'the ratio should be below 1', hint: 'divide the first by the last' });
    expect.that(true, 'fine');
  });

  it("an author's mistake is a plain error, not a learner's failure", () => {
    assert.throws(() => expect.close(1, 'x'), (error: Error) => !(error instanceof CheckFailure) && /the expected value must be a number or an array of numbers, got "x"/.test(error.message));
    assert.throws(() => expect.that(false, ''), /give the message a learner reads/);
    assert.throws(() => expect.close(1, 1, { atol: -1 }), /atol and rtol must be numbers ≥ 0/);
  });

  it('answer, a choice: case and spaces ignored; a wrong answer is told it is wrong, not what is right', () => {
    expect.answer(' B ', 'b', { choices: ['a', 'b', 'c'] });
    expect.answer('b', 'B');
    assert.deepEqual(failure(() => expect.answer('a', 'b', { choices: ['a', 'b', 'c'], hint: 'which end of the chart is smaller?' })),
      { message: '"a" is not the right answer: read the question again', hint: 'which end of the chart is smaller?' });
    assert.equal(failure(() => expect.answer('d', 'b', { choices: ['a', 'b', 'c'] })).message, '"d" is not one of the choices: answer with one of \'a\', \'b\' or \'c\'');
    assert.equal(failure(() => expect.answer(2, 'b', { choices: ['a', 'b', 'c'] })).message, 'answer with one of \'a\', \'b\' or \'c\', in quotes; got 2');
    assert.equal(failure(() => expect.answer(true, 'b')).message, 'answer with a letter such as \'a\', in quotes; got true');
    for (const message of [failure(() => expect.answer('a', 'b')).message, failure(() => expect.answer('d', 'b', { choices: ['a', 'b', 'c'] })).message]) {
      assert.doesNotMatch(message, /expected|"b"/, 'the right answer is not given away');
    }
  });

  it('answer, a number: within the tolerances; a string or NaN is not a number', () => {
    expect.answer(0.25, 0.25);
    expect.answer(0.26, 0.25, { rtol: 0.05 });
    assert.equal(failure(() => expect.answer(0.3, 0.25, { rtol: 0.05 })).message, '0.3 is not the right answer (an answer counts when |answer − the right one| ≤ 1e-8 + 0.05 × |the right one|)');
    assert.equal(failure(() => expect.answer('0.25', 0.25)).message, 'answer with a number, without quotes; got "0.25"');
    assert.equal(failure(() => expect.answer(NaN, 0.25)).message, 'answer with a number, without quotes; got NaN');
  });

  it("answer: an author's mistake is a plain error", () => {
    assert.throws(() => expect.answer('a', 'd', { choices: ['a', 'b', 'c'] }), (error: Error) => !(error instanceof CheckFailure) && /the expected answer "d" is not one of the choices a, b, c/.test(error.message));
    assert.throws(() => expect.answer('a', NaN), /the expected answer must be a choice such as 'b' or a finite number, got NaN/);
    assert.throws(() => expect.answer(1, 1, { rtol: -1 }), /atol and rtol must be numbers ≥ 0/);
  });
});
