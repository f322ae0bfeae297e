// The Lessons view's data: bundled lessons in order with their progress, Continue Where I Left Off, the student's
// copy made once and then kept, and the checks Check runs (the bundled original's, whatever a copy's cells say).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckSource, Lesson } from '../../src/lessons/lesson';
import { ensureLessonCopy, readCatalogue, type ParseLesson } from '../../src/extension/host/lessonCatalogue';
import { checksToRun } from '../../src/extension/host/lessonChecks';
import { LessonProgress } from '../../src/extension/host/lessonProgress';
import { continuePlace, lessonRows } from '../../src/extension/host/lessonTree';
import { temporaryFolder, translate } from './extensionHarness';

function check(exercise: string, name: string, code = 'expect.that(true, "ok");', points = 1): CheckSource {
  return { exercise, name, points, hidden: false, code, line: 1 };
}

function lessonOf(id: string, order: number, exercises: Record<string, CheckSource[]>): Lesson {
  return {
    frontMatter: { id, title: `Title of ${id}`, order, minutes: 20 + order, goals: [`goal of ${id}`] },
    cells: [],
    file: { bom: false, frontMatterText: '', eol: '\n' },
    exercises: Object.entries(exercises).map(([exerciseId, checks], i) => ({ id: exerciseId, startingCode: '', checks, line: i + 1 })),
  };
}

/** A stand-in for the parser: each file holds the JSON of a Lesson, or "broken". */
const parse: ParseLesson = (text) => (text.startsWith('broken') ? { ok: false, problems: [{ line: 1, message: 'broken file' }] } : { ok: true, lesson: JSON.parse(text) as Lesson });

function bundledFolder(): string {
  const folder = temporaryFolder();
  writeFileSync(join(folder, '07-vanishing-gradients.lesson.md'), JSON.stringify(lessonOf('vanishing-gradients', 7, { ratio: [check('ratio', 'a')] })));
  writeFileSync(join(folder, '03-the-rnn-cell.lesson.md'), JSON.stringify(lessonOf('the-rnn-cell', 3, { 'rnn-cell-forward': [check('rnn-cell-forward', 'a', 'x', 2)], 'rnn-forward': [check('rnn-forward', 'b')] })));
  writeFileSync(join(folder, '99-broken.lesson.md'), 'broken');
  writeFileSync(join(folder, 'README.md'), 'not a lesson');
  return folder;
}

describe('the lessons catalogue and tree', () => {
  it('lists the bundled lessons by order, skips other files, and reports a file that does not parse', async () => {
    const catalogue = await readCatalogue(bundledFolder(), parse);
    assert.deepEqual(catalogue.lessons.map((lesson) => [lesson.id, lesson.fileName]), [['the-rnn-cell', '03-the-rnn-cell.lesson.md'], ['vanishing-gradients', '07-vanishing-gradients.lesson.md']]);
    assert.deepEqual(catalogue.problems, [{ fileName: '99-broken.lesson.md', problems: [{ line: 1, message: 'broken file' }] }]);
    assert.equal(catalogue.byId('vanishing-gradients')?.order, 7);
    assert.equal(catalogue.byId('__proto__'), undefined);
    assert.deepEqual((await readCatalogue(join(temporaryFolder(), 'missing'), parse)).lessons, []);
  });

  it('shows each lesson with its progress count and each exercise with its state and points', async () => {
    const catalogue = await readCatalogue(bundledFolder(), parse);
    const progress = new LessonProgress();
    progress.record('the-rnn-cell', [{ exercise: 'rnn-cell-forward', name: 'a', points: 2, earned: 2, status: 'passed', message: '' }]);
    progress.record('the-rnn-cell', [{ exercise: 'rnn-forward', name: 'b', points: 1, earned: 0, status: 'failed', message: 'no' }]);
    const rows = lessonRows(catalogue, progress, translate);
    assert.deepEqual(rows.map((row) => [row.label, row.description, row.done]), [
      ['3. Title of the-rnn-cell', '1 of 2 exercises done · 23 min', false],
      ['7. Title of vanishing-gradients', '0 of 1 exercises done · 27 min', false],
    ]);
    assert.deepEqual(rows[0].exercises.map((row) => [row.exerciseId, row.state, row.description]), [
      ['rnn-cell-forward', 'passed', 'passed · 2/2 points'],
      ['rnn-forward', 'failing', 'failing · 0/1 points'],
    ]);
    assert.deepEqual(rows[1].exercises.map((row) => [row.state, row.description]), [['notStarted', 'not started']]);
    assert.equal(rows[0].tooltip, 'Title of the-rnn-cell\n• goal of the-rnn-cell');
  });

  it('continues where the student left off, else at the first unfinished lesson', async () => {
    const catalogue = await readCatalogue(bundledFolder(), parse);
    const progress = new LessonProgress();
    assert.deepEqual(continuePlace(catalogue, progress), { lessonId: 'the-rnn-cell' });
    progress.record('the-rnn-cell', [
      { exercise: 'rnn-cell-forward', name: 'a', points: 2, earned: 2, status: 'passed', message: '' },
      { exercise: 'rnn-forward', name: 'b', points: 1, earned: 1, status: 'passed', message: '' },
    ]);
    assert.deepEqual(continuePlace(catalogue, progress), { lessonId: 'the-rnn-cell', exerciseId: 'rnn-forward' });
    const reloaded = LessonProgress.fromStored({ ...progress.toStored(), last: undefined });
    assert.deepEqual(continuePlace(catalogue, reloaded), { lessonId: 'vanishing-gradients' });
    reloaded.opened('a-lesson-no-longer-bundled');
    assert.deepEqual(continuePlace(catalogue, reloaded), { lessonId: 'vanishing-gradients' });
  });

  it('copies a bundled lesson the first time, byte for byte, and afterwards keeps the student\'s copy', async () => {
    const bundled = join(temporaryFolder(), '03-the-rnn-cell.lesson.md');
    const original = '\ufeff---\r\nid: x\r\n---\r\nText\n';
    writeFileSync(bundled, original);
    const copies = join(temporaryFolder(), 'workspace', 'rnn-lab-lessons');
    const first = await ensureLessonCopy(bundled, copies);
    assert.deepEqual(first, { path: join(copies, '03-the-rnn-cell.lesson.md'), created: true });
    assert.equal(readFileSync(first.path, 'utf8'), original);
    writeFileSync(first.path, 'the student\'s work');
    const again = await ensureLessonCopy(bundled, copies);
    assert.deepEqual(again, { path: first.path, created: false });
    assert.equal(readFileSync(first.path, 'utf8'), 'the student\'s work');
  });

  it('checks with the bundled original\'s checks, and says so when the notebook\'s check cells were edited', () => {
    const bundled = lessonOf('the-rnn-cell', 3, { e: [check('e', 'one', 'expect.equal(1, 1);'), { ...check('e', 'hidden one', 'secret'), hidden: true }], f: [check('f', 'two')] });
    const same = [check('e', 'one', 'expect.equal(1, 1);  \r\n'), { ...check('e', 'hidden one', 'secret'), hidden: true }, check('f', 'two')];
    assert.deepEqual(checksToRun(['e'], same, bundled, translate), { checks: bundled.exercises[0].checks });
    const edited = [check('e', 'one', 'expect.that(true, "I win");'), { ...check('e', 'hidden one', 'secret'), hidden: true }];
    const run = checksToRun(['e'], edited, bundled, translate);
    assert.deepEqual(run.checks, bundled.exercises[0].checks);
    assert.match(run.note ?? '', /differ from the lesson's: RNN Lab ran the lesson's original checks/);
    assert.match(checksToRun(['e'], [], bundled, translate).note ?? '', /original checks/, 'a deleted check cell is a difference too');
    assert.deepEqual(checksToRun(['e', 'f'], same, undefined, translate), { checks: same });
    assert.deepEqual(checksToRun(['f'], same, undefined, translate), { checks: [same[2]] });
  });
});
