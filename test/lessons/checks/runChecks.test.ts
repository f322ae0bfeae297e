// Lessons tests (checks): the exact feedback a learner reads after Check — a wrong shape, a wrong value, NaN, the
// function missing, the function throwing (their cell and line, no checker stack), a check that never finishes,
// `__proto__` as an exercise id, points summed — through the pure runner, with cells and checks evaluated by node:vm
// the way the kernel evaluates them (each cell a script named "Cell N", each check its own async scope).
import * as assert from 'node:assert/strict';
import * as vm from 'node:vm';

import { course, np } from '../../../src/engine';
import { formatCheckResults, scoreByExercise } from '../../../src/lessons/checks/feedback';
import { CheckRunInterrupted, DEFAULT_CHECK_SEED, runChecks, type CheckEnvironment } from '../../../src/lessons/checks/runChecks';
import type { CheckResult, CheckSource } from '../../../src/lessons/lesson';

/** A stand-in kernel: runs `cells` (label → code) in one context, then evaluates checks in their own scopes. */
function kernelWith(cells: Record<string, string>, checkTimeLimitMs?: number): CheckEnvironment {
  const context = vm.createContext({ np, course });
  for (const [label, code] of Object.entries(cells)) vm.runInContext(code, context, { filename: label });
  return {
    lookup: (name) => (Object.prototype.hasOwnProperty.call(context, name) ? { found: true, value: (context as Record<string, unknown>)[name] } : { found: false }),
    evaluateCheck: async (code, label, scope) => {
      const run = vm.runInContext(`(async (student, expect) => {\n${code}\n})`, context, { filename: label, lineOffset: -1 });
      await run(scope.student, scope.expect);
    },
    checkTimeLimitMs,
    seed: DEFAULT_CHECK_SEED,
  };
}

function check(exercise: string, name: string, code: string, points = 1): CheckSource {
  return { exercise, name, points, hidden: false, code, line: 1 };
}

// The lesson's check: a_next on the course's seed-1 inputs, against the engine.
const A_NEXT = `
const [xt, aPrev, Waa, Wax, Wya, ba, by] = course.randnInOrder(1, [3, 10], [5, 10], [5, 5], [5, 3], [2, 5], [5, 1], [2, 1]);
const parameters = { Waa, Wax, Wya, ba, by };
const [got] = await student.rnnCellForward(xt, aPrev, parameters);
const [expected] = course.rnnCellForward(xt, aPrev, parameters);
expect.close(got, expected, { hint: 'a_next = tanh(Waa·a_prev + Wax·xt + ba)' });`;
const A_NEXT_CHECK = check('rnn-cell-forward', "a_next on the course's seed-1 inputs", A_NEXT, 2);

const CORRECT = `function rnnCellForward(xt, aPrev, { Waa, Wax, Wya, ba, by }) {
  const aNext = np.tanh(np.add(np.dot(Waa, aPrev), np.dot(Wax, xt), ba));
  return [aNext, np.softmax(np.add(np.dot(Wya, aNext), by))];
}`;

async function feedbackFor(cells: Record<string, string>, checks: CheckSource[], limitMs?: number): Promise<{ results: CheckResult[]; text: string }> {
  const results = await runChecks(checks, kernelWith(cells, limitMs));
  return { results, text: formatCheckResults(results) };
}

describe('lessons/checks: the feedback a learner reads', () => {
  it('a correct function passes and earns its points', async () => {
    const { results, text } = await feedbackFor({ 'Cell 5': CORRECT }, [A_NEXT_CHECK]);
    assert.deepEqual(results, [{ exercise: 'rnn-cell-forward', name: "a_next on the course's seed-1 inputs", points: 2, earned: 2, status: 'passed', message: '' }]);
    assert.equal(text, "rnn-cell-forward: 1 of 1 check passed, 2 of 2 points\n  ✔ a_next on the course's seed-1 inputs (2 points)");
  });

  it('wrong shape: both shapes, then the hint', async () => {
    const transposed = CORRECT.replace('return [aNext,', 'return [np.transpose(aNext),');
    const { text } = await feedbackFor({ 'Cell 5': transposed }, [A_NEXT_CHECK]);
    assert.equal(text, [
      'rnn-cell-forward: 0 of 1 check passed, 0 of 2 points',
      "  ✘ a_next on the course's seed-1 inputs (0 of 2 points)",
      '      shape: expected (5, 10), got (10, 5)',
      '      Hint: a_next = tanh(Waa·a_prev + Wax·xt + ba)',
    ].join('\n'));
  });

  it('wrong value: the first differing index, both values, the tolerance', async () => {
    const noBias = CORRECT.replace(', ba));', '));');
    const { text } = await feedbackFor({ 'Cell 5': noBias }, [A_NEXT_CHECK]);
    assert.equal(text, [
      'rnn-cell-forward: 0 of 1 check passed, 0 of 2 points',
      "  ✘ a_next on the course's seed-1 inputs (0 of 2 points)",
      '      at [0, 0] (the first of 50 values that differ, of 50): expected 0.9544234684, got 0.9680396831 (tolerance: |got − expected| ≤ 1e-8 + 0.00001 × |expected|)',
      '      Hint: a_next = tanh(Waa·a_prev + Wax·xt + ba)',
    ].join('\n'));
  });

  it('NaN in the result: where, and what NaN means', async () => {
    const zeroOverZero = CORRECT.replace('return [aNext,', 'const zero = np.subtract(aNext, aNext);\n  return [np.divide(zero, zero),');
    const { results } = await feedbackFor({ 'Cell 5': zeroOverZero }, [A_NEXT_CHECK]);
    assert.equal(results[0].status, 'failed');
    assert.equal(results[0].message, 'at [0, 0] (the first of 50 values that differ, of 50): expected 0.9544234684, got NaN (tolerance: |got − expected| ≤ 1e-8 + 0.00001 × |expected|). NaN is "not a number": a 0/0, ∞ − ∞ or the log of a negative number on the way.');
  });

  it('the function missing: say to run the exercise cell', async () => {
    const { results, text } = await feedbackFor({ 'Cell 2': 'const unrelated = 1;' }, [A_NEXT_CHECK]);
    assert.equal(results[0].status, 'failed');
    assert.equal(text, [
      'rnn-cell-forward: 0 of 1 check passed, 0 of 2 points',
      "  ✘ a_next on the course's seed-1 inputs (0 of 2 points)",
      '      rnnCellForward is not defined: run the exercise cell that defines it, then check again.',
    ].join('\n'));
  });

  it('the function throwing: the learner\'s error and their cell line, never a checker stack', async () => {
    const starting = "function rnnCellForward(xt, aPrev, parameters) {\n  // your code here\n  throw new Error('Write rnnCellForward here');\n}";
    const { results } = await feedbackFor({ 'Cell 5': starting }, [A_NEXT_CHECK]);
    assert.equal(results[0].message, 'rnnCellForward threw Error: Write rnnCellForward here (Cell 5, line 3).');
    const typo = CORRECT.replace('np.dot(Wax, xt)', 'np.dot(Wax, x)');
    const { results: typoResults } = await feedbackFor({ 'Cell 5': typo }, [A_NEXT_CHECK]);
    assert.equal(typoResults[0].message, 'rnnCellForward threw ReferenceError: x is not defined (Cell 5, line 2).');
    const shapes = CORRECT.replace('np.dot(Waa, aPrev)', 'np.dot(Waa, xt)');
    const { results: shapeResults } = await feedbackFor({ 'Cell 5': shapes }, [A_NEXT_CHECK]);
    assert.equal(shapeResults[0].message, "rnnCellForward threw RangeError: dot: shapes (5, 5) and (3, 10) do not line up: 5 ≠ 3 (the first's last axis against the second's first) (Cell 5, line 2).");
    for (const result of [...results, ...typoResults, ...shapeResults]) assert.doesNotMatch(result.message, /runChecks|student\.ts|node:|at /);
  });

  it('a check that never finishes fails as timed out, and the next check still runs', async () => {
    const hangs = 'function rnnCellForward() { return new Promise(() => {}); }';
    const { results, text } = await feedbackFor({ 'Cell 5': hangs }, [A_NEXT_CHECK, check('rnn-cell-forward', 'is a function', "expect.that(typeof (await student.rnnCellForward) === 'function', 'no')")], 200);
    assert.equal(results[0].message, 'the check did not finish within 0.2 s (waiting for your code): is there a loop that never ends, or a promise that never settles?');
    assert.equal(results[1].status, 'passed');
    assert.match(text, /^rnn-cell-forward: 1 of 2 checks passed, 1 of 3 points\n/);
  });

  it('a check whose own code breaks on what the function returned says what it was using', async () => {
    const returnsNothing = 'function rnnCellForward() { }';
    const { results } = await feedbackFor({ 'Cell 5': returnsNothing }, [A_NEXT_CHECK]);
    assert.equal(results[0].status, 'error');
    assert.match(results[0].message, /^the check itself failed: TypeError: .*not iterable.*\. It was using what rnnCellForward returned: undefined \(nothing was returned\?\)\.$/);
  });

  it('a result that cannot be copied out of the learner\'s code is their mistake, named', async () => {
    const { results } = await feedbackFor({ 'Cell 5': 'function rnnCellForward() { return [() => 1]; }' }, [A_NEXT_CHECK]);
    assert.equal(results[0].message, 'rnnCellForward returned a list of 1, which cannot be copied out of your code: return numbers, arrays, lists or plain objects of them.');
  });

  it('arguments and results cross by copy: the learner cannot change the check\'s arrays', async () => {
    const mutates = 'function scaleInPlace(a) { a.data[0] = 99; return a; }';
    const code = "const a = np.array([[1, 2]]);\nconst b = await student.scaleInPlace(a);\nexpect.equal(a.data[0], 1);\nexpect.equal(b.data[0], 99);";
    const { results } = await feedbackFor({ 'Cell 1': mutates }, [check('copy', 'copies', code)]);
    assert.equal(results[0].status, 'passed', results[0].message);
  });

  it('__proto__ works as an exercise id and as a function name; points are summed per exercise', async () => {
    const cells = { 'Cell 1': 'globalThis["__proto__fn"] = (x) => x * 2; function constructor() { return 7; }' };
    const checks = [
      check('__proto__', 'doubles', 'expect.equal(await student.__proto__fn(2), 4);', 2),
      check('__proto__', 'doubles again', 'expect.equal(await student.__proto__fn(3), 5, { hint: "3 · 2" });', 3),
      check('constructor', 'seven', 'expect.equal(await student.constructor(), 7);', 0.5),
    ];
    const results = await runChecks(checks, kernelWith(cells));
    assert.deepEqual(scoreByExercise(results), [
      { exercise: '__proto__', earned: 2, possible: 5, passed: 1, count: 2 },
      { exercise: 'constructor', earned: 0.5, possible: 0.5, passed: 1, count: 1 },
    ]);
    assert.equal(formatCheckResults(results, { note: 'These are the visible checks; your teacher may run more.' }), [
      'These are the visible checks; your teacher may run more.',
      '__proto__: 1 of 2 checks passed, 2 of 5 points',
      '  ✔ doubles (2 points)',
      '  ✘ doubles again (0 of 3 points)',
      '      expected 5, got 6',
      '      Hint: 3 · 2',
      'constructor: 1 of 1 check passed, 0.5 of 0.5 points',
      '  ✔ seven (0.5 points)',
      'Total: 2.5 of 5.5 points',
    ].join('\n'));
  });

  it('an interrupt stops the remaining checks', async () => {
    let calls = 0;
    const environment = { ...kernelWith({ 'Cell 1': 'function f() { return 1; }' }), interrupted: () => ++calls >= 2 };
    const checks = [1, 2, 3].map((n) => check('f', `check ${n}`, 'expect.equal(await student.f(), 1);'));
    await assert.rejects(runChecks(checks, environment), CheckRunInterrupted);
    assert.equal(calls, 2, 'the third check never ran');
  });

  it('a name that is not a function says what it is', async () => {
    const { results } = await feedbackFor({ 'Cell 1': 'globalThis.rnnCellForward = undefined;' }, [A_NEXT_CHECK]);
    assert.equal(results[0].message, 'rnnCellForward is undefined, not a function: the check calls rnnCellForward(…). Define it with `function rnnCellForward(…) { … }`.');
    const { results: numberResults } = await feedbackFor({ 'Cell 1': 'globalThis.rnnCellForward = 42;' }, [A_NEXT_CHECK]);
    assert.equal(numberResults[0].message, 'rnnCellForward is 42, not a function: the check calls rnnCellForward(…). Define it with `function rnnCellForward(…) { … }`.');
  });

  it('a name the namespace only inherits is not defined', async () => {
    const { results } = await feedbackFor({}, [check('x', 'toString', 'await student.toString();')]);
    assert.equal(results[0].message, 'toString is not defined: run the exercise cell that defines it, then check again.');
  });

  describe('questions: student.value reads the answer a learner gave', () => {
    // The kernel makes a cell's top-level `const` a namespace property; in this node:vm stand-in only `var` does.
    const QUESTION = check('q-vanishing', 'which gradient vanishes', "expect.answer(await student.value('answerVanishing'), 'b', { choices: ['a', 'b', 'c'], hint: 'read the chart at t = 1' });");

    it('the right answer passes, the wrong one fails with the hint, the learner\'s copy is not shared', async () => {
      assert.equal((await feedbackFor({ 'Cell 4': "var answerVanishing = 'B';" }, [QUESTION])).results[0].status, 'passed');
      const { text } = await feedbackFor({ 'Cell 4': "var answerVanishing = 'a';" }, [QUESTION]);
      assert.equal(text, [
        'q-vanishing: 0 of 1 check passed, 0 of 1 point',
        '  ✘ which gradient vanishes (0 of 1 point)',
        '      "a" is not the right answer: read the question again',
        '      Hint: read the chart at t = 1',
      ].join('\n'));
      const mutates = check('copy', 'copies', "const list = await student.value('answers');\nlist.push(4);\nexpect.equal((await student.value('answers')).length, 3);");
      assert.equal((await feedbackFor({ 'Cell 1': 'var answers = [1, 2, 3];' }, [mutates])).results[0].status, 'passed');
    });

    it('unanswered (the starting undefined, null or an empty string) says to answer, not that the answer is wrong', async () => {
      for (const starting of ["var answerVanishing = '';", "var answerVanishing = '  ';", 'var answerVanishing = undefined;', 'var answerVanishing = null;']) {
        const { results } = await feedbackFor({ 'Cell 4': starting }, [QUESTION]);
        assert.equal(results[0].status, 'failed', starting);
        assert.equal(results[0].message, 'answerVanishing is not answered yet: answer the question in the cell above (give answerVanishing your answer), run that cell, then check again.', starting);
      }
    });

    it('a question cell not run, an answer that cannot be copied, a name that is not a string', async () => {
      assert.equal((await feedbackFor({}, [QUESTION])).results[0].message, "answerVanishing is not defined: run the question's cell above, then check again.");
      assert.equal((await feedbackFor({ 'Cell 4': 'var answerVanishing = () => "b";' }, [QUESTION])).results[0].message,
        "answerVanishing is a function, which cannot be copied out of your code: answer with a letter in quotes ('b') or a number.");
      const { results } = await feedbackFor({}, [check('q', 'author slip', 'await student.value(answerVanishing);')]);
      assert.equal(results[0].status, 'error');
      assert.match(results[0].message, /ReferenceError: answerVanishing is not defined/);
      const { results: notString } = await feedbackFor({}, [check('q', 'author slip', 'await student.value(3);')]);
      assert.equal(notString[0].message, "the check itself failed: TypeError: student.value: give the name of the learner's variable, such as student.value('answerVanishing'), got 3.");
    });

    it('__proto__ is a plain answer name; a function called value is not reachable (value is reserved)', async () => {
      const cells = { 'Cell 1': 'Object.defineProperty(globalThis, "__proto__", { value: 7, enumerable: true });' };
      const results = await runChecks([check('__proto__', 'seven', "expect.answer(await student.value('__proto__'), 7);")], kernelWith(cells));
      assert.equal(results[0].status, 'passed', results[0].message);
      const reserved = await runChecks([check('value', 'value', 'await student.value();')], kernelWith({ 'Cell 1': 'function value() { return 1; }' }));
      assert.match(reserved[0].message, /student\.value: give the name of the learner's variable/);
    });
  });
});
