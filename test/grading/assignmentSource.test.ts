// An assignment source read whole: its lessons, the one list of checks with points, and every problem named by file.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignmentChecks, AssignmentSourceError, checkDigest, loadAssignmentSource, pointsPossible, visibleChecks } from '../../src/grading/assignmentSource';

const FIXTURE = join(__dirname, '..', 'fixtures', 'assignment');

describe('assignment source', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'rnn-lab-source-'));
    cpSync(FIXTURE, folder, { recursive: true });
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  function problemsOf(path: string): readonly string[] {
    try {
      loadAssignmentSource(path);
    } catch (error) {
      assert.ok(error instanceof AssignmentSourceError, String(error));
      return error.problems;
    }
    assert.fail('the source loaded');
  }

  it('reads the config and the lessons in name order, and lists every check with its points', () => {
    const source = loadAssignmentSource(folder);
    assert.equal(source.config.title, 'One step of an RNN');
    assert.deepEqual(source.lessons.map((lesson) => lesson.file), ['01-rnn-step.lesson.md', '02-loss.lesson.md']);
    const checks = assignmentChecks(source);
    assert.deepEqual(checks.map((check) => [check.id, check.points, check.hidden]), [
      ['assignment-rnn-step/rnn-step/zero state and input give tanh(ba)', 1, false],
      ['assignment-rnn-step/rnn-step/agrees on three sequences', 2, false],
      ["assignment-rnn-step/rnn-step/saturates on the teacher's large inputs", 3, true],
      ['assignment-loss/mean-squared-error/two predictions', 1, false],
      ['assignment-loss/mean-squared-error/random predictions', 1, false],
      ['assignment-loss/mean-squared-error/divides by the number of predictions', 2, true],
    ]);
    assert.equal(pointsPossible(checks), 10);
    assert.equal(pointsPossible(visibleChecks(checks)), 5);
    assert.equal(checks[0].lessonFile, '01-rnn-step.lesson.md');
    assert.equal(checks[0].digest, checkDigest(checks[0].code));
    assert.notEqual(checkDigest(`${checks[0].code} `), checks[0].digest);
  });

  it('takes the lessons the config lists, in its order', () => {
    const config = JSON.parse(readFileSync(join(folder, 'assignment.json'), 'utf8'));
    writeFileSync(join(folder, 'assignment.json'), JSON.stringify({ ...config, lessons: ['02-loss.lesson.md'] }));
    assert.deepEqual(loadAssignmentSource(folder).lessons.map((lesson) => lesson.file), ['02-loss.lesson.md']);
    writeFileSync(join(folder, 'assignment.json'), JSON.stringify({ ...config, lessons: ['02-loss.lesson.md', 'gone.lesson.md'] }));
    assert.deepEqual(problemsOf(folder), ['assignment.json: lessons lists gone.lesson.md, which is not in the folder']);
  });

  it('names each problem with its file: config, lesson syntax, a missing solution, an exercise without checks', () => {
    writeFileSync(join(folder, 'assignment.json'), '{ "title": "T", "limits": { "memoryMB": "lots" } }');
    const lesson = readFileSync(join(folder, '02-loss.lesson.md'), 'utf8');
    writeFileSync(join(folder, '02-loss.lesson.md'), lesson.replace(/<details>[\s\S]*<\/details>\n/, '').replace('points=1 name="two predictions"', 'points=x name="two predictions"'));
    writeFileSync(join(folder, '03-extra.lesson.md'), `${lesson.split('# The mean')[0].replace('assignment-loss', 'extra')}\`\`\`ts exercise=lonely\nfunction lonely() {}\n\`\`\`\n\n\`\`\`ts solution=lonely\nfunction lonely() {}\n\`\`\`\n`);
    assert.deepEqual(problemsOf(folder), [
      'assignment.json: limits.memoryMB must be a number between 64 and 8192, got "lots"',
      '02-loss.lesson.md: line 20: points= must be a number of points like points=2, not "x"',
      '03-extra.lesson.md: line 10: exercise lonely has no checks, so it can never be graded',
    ]);
    writeFileSync(join(folder, 'assignment.json'), '{ "title": "T" }');
    writeFileSync(join(folder, '02-loss.lesson.md'), lesson.replace(/<details>[\s\S]*<\/details>\n/, ''));
    assert.deepEqual(problemsOf(folder).slice(0, 1), ['02-loss.lesson.md: line 14: exercise mean-squared-error has no reference solution: add a ```ts solution=mean-squared-error block (the release is verified against it)']);
  });

  it('refuses two lessons with one id, a folder without lessons or config, and a path that is not a folder', () => {
    writeFileSync(join(folder, '03-copy.lesson.md'), readFileSync(join(folder, '02-loss.lesson.md')));
    assert.deepEqual(problemsOf(folder), ['03-copy.lesson.md: the lesson id "assignment-loss" is also 02-loss.lesson.md\'s: give each lesson its own id']);
    const empty = mkdtempSync(join(tmpdir(), 'rnn-lab-empty-'));
    try {
      assert.deepEqual(problemsOf(empty), [
        'assignment.json is missing: write one with at least a title, e.g. { "title": "RNN cell" } (docs/teaching.md)',
        'the folder has no *.lesson.md file: an assignment is one or more lessons',
      ]);
    } finally {
      rmSync(empty, { recursive: true });
    }
    assert.match(problemsOf(join(folder, 'assignment.json'))[0], /is not a folder/);
  });
});
