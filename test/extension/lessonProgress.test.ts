// Lesson progress as the Lessons view shows it: derived from check results, kept per lesson and exercise id (ids
// such as __proto__ included), surviving the round trip through globalState, and tolerant of a damaged stored value.
import assert from 'node:assert/strict';
import type { CheckResult } from '../../src/lessons/lesson';
import { LessonProgress } from '../../src/extension/host/lessonProgress';

function result(exercise: string, name: string, passed: boolean, points = 1): CheckResult {
  return { exercise, name, points, earned: passed ? points : 0, status: passed ? 'passed' : 'failed', message: passed ? '' : 'expected 1, got 2' };
}

describe('lesson progress', () => {
  it('marks an exercise passed only when every one of its checks passed, with the points earned', () => {
    const progress = new LessonProgress();
    assert.deepEqual(progress.of('the-rnn-cell', 'rnn-cell-forward'), { state: 'notStarted', earned: 0, points: 0 });
    const first = progress.record('the-rnn-cell', [result('rnn-cell-forward', 'shape', true, 1), result('rnn-cell-forward', 'values', false, 2)]);
    assert.deepEqual(progress.of('the-rnn-cell', 'rnn-cell-forward'), { state: 'failing', earned: 1, points: 3 });
    assert.deepEqual(first, { changed: ['rnn-cell-forward'], newlyPassed: [] });
    const second = progress.record('the-rnn-cell', [result('rnn-cell-forward', 'shape', true, 1), result('rnn-cell-forward', 'values', true, 2)]);
    assert.deepEqual(progress.of('the-rnn-cell', 'rnn-cell-forward'), { state: 'passed', earned: 3, points: 3 });
    assert.deepEqual(second, { changed: ['rnn-cell-forward'], newlyPassed: ['rnn-cell-forward'] });
    assert.deepEqual(progress.record('the-rnn-cell', [result('rnn-cell-forward', 'shape', true, 1), result('rnn-cell-forward', 'values', true, 2)]), { changed: [], newlyPassed: [] });
  });

  it('a check that errors is not a pass', () => {
    const progress = new LessonProgress();
    progress.record('l', [{ ...result('e', 'n', false), status: 'error' }]);
    assert.equal(progress.of('l', 'e').state, 'failing');
  });

  it('keeps exercises of other lessons and other exercises apart, and __proto__ / constructor are ordinary ids', () => {
    const progress = new LessonProgress();
    progress.record('__proto__', [result('constructor', 'a', true)]);
    progress.record('other', [result('__proto__', 'a', false)]);
    assert.equal(progress.of('__proto__', 'constructor').state, 'passed');
    assert.equal(progress.of('other', '__proto__').state, 'failing');
    assert.equal(progress.of('other', 'constructor').state, 'notStarted');
    assert.equal(progress.of('toString', 'valueOf').state, 'notStarted');
    assert.equal(progress.passedCount('__proto__', ['constructor', 'hasOwnProperty']), 1);
  });

  it('survives a reload: toStored is plain JSON that fromStored reads back, last place included', () => {
    const progress = new LessonProgress();
    progress.record('the-rnn-cell', [result('rnn-cell-forward', 'a', true), result('rnn-forward', 'b', false)]);
    progress.record('__proto__', [result('__proto__', 'a', true)]);
    progress.opened('vanishing-gradients');
    const reloaded = LessonProgress.fromStored(JSON.parse(JSON.stringify(progress.toStored())));
    assert.deepEqual(reloaded.toStored(), progress.toStored());
    assert.equal(reloaded.of('__proto__', '__proto__').state, 'passed');
    assert.equal(reloaded.of('the-rnn-cell', 'rnn-forward').state, 'failing');
    assert.deepEqual(reloaded.last, { lessonId: 'vanishing-gradients' });
  });

  it('remembers the last exercise checked, and opening the same lesson keeps it', () => {
    const progress = new LessonProgress();
    progress.record('the-rnn-cell', [result('rnn-forward', 'a', false)]);
    progress.opened('the-rnn-cell');
    assert.deepEqual(progress.last, { lessonId: 'the-rnn-cell', exerciseId: 'rnn-forward' });
    progress.opened('other');
    assert.deepEqual(progress.last, { lessonId: 'other' });
  });

  it('reset makes an exercise not started again', () => {
    const progress = new LessonProgress();
    progress.record('l', [result('e', 'a', true)]);
    progress.reset('l', 'e');
    assert.equal(progress.of('l', 'e').state, 'notStarted');
  });

  it('reads a missing, foreign or damaged stored value as empty or partial progress, never throwing', () => {
    for (const value of [undefined, null, 42, 'text', [], {}, { version: 2, exercises: [] }, { version: 1, exercises: 'x' }]) {
      assert.deepEqual(LessonProgress.fromStored(value).toStored(), { version: 1, exercises: [] }, JSON.stringify(value));
    }
    const partial = LessonProgress.fromStored({
      version: 1,
      exercises: [
        ['l', 'good', { state: 'passed', earned: 2, points: 2 }],
        ['l', 'bad-state', { state: 'done', earned: 2, points: 2 }],
        ['l', 'bad-points', { state: 'passed', earned: -1, points: 2 }],
        ['l', { id: 'x' }, { state: 'passed', earned: 1, points: 1 }],
        ['short'],
      ],
      last: { lessonId: 7 },
    });
    assert.deepEqual(partial.toStored(), { version: 1, exercises: [['l', 'good', { state: 'passed', earned: 2, points: 2 }]] });
  });
});
