// Grading tests: the hostile corpus of issue #10 — each submission in test/grading/hostile/submissions (its exercise
// cell; the first line states the score it must get and why) graded in a class with a correct control, through the
// real sandbox (dist/kernel.js: run `npm run build` first). For each: exactly the expected score (so zero false
// passes), its result files written by the grader and not by the student, no secret and no hidden check in any output,
// no process left behind (the process table is read), and the grader itself unharmed.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAssignmentSource } from '../../src/grading/assignmentSource';
import { ensureBuilt } from '../cli/cliHarness';
import { gradeClass, type ClassGrades } from '../../src/grading/gradeClass';
import type { Isolation } from '../../src/grading/isolation';

const HOSTILE = join(__dirname, 'hostile');
const DIST = join(__dirname, '..', '..', 'dist');
const TEACHER_SECRET = 'TEACHER-SECRET-KEY-9f2c1e';
const ENVIRONMENT_SECRET = 'ghp_environmentTokenOfTheGrader7731';
/** A line of the hidden check's code: it must never reach a student's feedback. */
const HIDDEN_CHECK_LINE = 'course.randnInOrder(5, [1, 4])';

interface Item {
  readonly name: string;
  readonly expected: number;
}

/** The corpus: each file's first line is `// expect N: why`. */
function corpus(): Item[] {
  return readdirSync(join(HOSTILE, 'submissions')).filter((file) => file.endsWith('.ts')).sort().map((file) => {
    const header = /^\/\/ expect (\d+):/.exec(readFileSync(join(HOSTILE, 'submissions', file), 'utf8'));
    assert.ok(header, `${file} starts with // expect N: …`);
    return { name: file.replace(/\.ts$/, ''), expected: Number(header[1]) };
  });
}

/** The lesson as a student hands it in: their exercise cell, the question answered (or a hostile answer), no solutions. */
function studentLesson(release: string, exercise: string): string {
  return release
    .replace(/```ts exercise=rnn-step\n[\s\S]*?\n```/, () => `\`\`\`ts exercise=rnn-step\n${exercise.trimEnd()}\n\`\`\``)
    .replace("const answerSaturation = '';", "const answerSaturation = (globalThis as any).hostileAnswer ?? 'b';")
    .replace(/<details>[\s\S]*<\/details>/, '');
}

/**
 * Writes the named hostile submissions (test/grading/hostile/submissions/NAME.ts, no placeholders) as students' copies
 * of the source's lesson under ROOT/class, and grades them two at a time; `isolation` overrides what the machine allows.
 */
async function gradeHostile(root: string, sourceFolder: string, names: readonly string[], isolation?: Isolation): Promise<ClassGrades> {
  const release = readFileSync(join(sourceFolder, 'rnn-step.lesson.md'), 'utf8');
  for (const name of names) {
    mkdirSync(join(root, 'class', name), { recursive: true });
    writeFileSync(join(root, 'class', name, 'rnn-step.lesson.md'), studentLesson(release, readFileSync(join(HOSTILE, 'submissions', `${name}.ts`), 'utf8')));
  }
  return gradeClass({
    source: loadAssignmentSource(sourceFolder),
    submissions: names.map((name) => ({ student: name, folder: join(root, 'class', name) })),
    outFolder: join(root, 'grades'),
    distFolder: DIST,
    jobs: 2,
    ...(isolation ? { isolation } : {}),
  });
}

function processesMatching(pattern: RegExp): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    for (const file of ['cmdline', 'environ']) {
      try {
        const text = readFileSync(`/proc/${entry}/${file}`, 'latin1').replace(/\0/g, ' ');
        if (pattern.test(text)) found.push(`${entry}: ${text.slice(0, 120)}`);
      } catch {
        // ended meanwhile, or not readable
      }
    }
  }
  return found;
}

describe('grading: the hostile corpus', function () {
  this.timeout(600_000);
  const items = corpus();
  let root: string;
  let out: string;
  let sourceFolder: string;
  let sourceLessonBefore: string;
  let graded: ClassGrades;
  const mathTanh = Math.tanh;
  const arrayEvery = Array.prototype.every;
  /** The grader's memory before it grades the corpus (in the full suite this process already holds what earlier suites left). */
  let rssBeforeGrading = 0;

  before(async function () {
    ensureBuilt();
    root = mkdtempSync(join(tmpdir(), 'rnn-lab-hostile-'));
    chmodSync(root, 0o755);
    sourceFolder = join(root, 'source');
    cpSync(join(HOSTILE, 'assignment'), sourceFolder, { recursive: true });
    sourceLessonBefore = readFileSync(join(sourceFolder, 'rnn-step.lesson.md'), 'utf8');
    // The teacher's key, readable only by the teacher (as ~/.ssh is).
    const teacherHome = join(root, 'teacher-home');
    mkdirSync(join(teacherHome, '.ssh'), { recursive: true, mode: 0o700 });
    chmodSync(teacherHome, 0o700);
    writeFileSync(join(teacherHome, '.ssh', 'id_rsa'), `${TEACHER_SECRET}\n`, { mode: 0o600 });
    out = join(root, 'grades');
    const release = sourceLessonBefore;
    const classFolder = join(root, 'class');
    for (const item of items) {
      const exercise = readFileSync(join(HOSTILE, 'submissions', `${item.name}.ts`), 'utf8')
        .replaceAll('__SOURCE__', sourceFolder).replaceAll('__OUT__', out).replaceAll('__TEACHER_SECRET__', join(teacherHome, '.ssh', 'id_rsa'));
      mkdirSync(join(classFolder, item.name), { recursive: true });
      writeFileSync(join(classFolder, item.name, 'rnn-step.lesson.md'), studentLesson(release, exercise));
    }
    process.env.RNN_LAB_TEST_SECRET_TOKEN = ENVIRONMENT_SECRET;
    rssBeforeGrading = process.memoryUsage().rss;
    try {
      graded = await gradeClass({
        source: loadAssignmentSource(sourceFolder),
        submissions: items.map((item) => ({ student: item.name, folder: join(classFolder, item.name) })),
        outFolder: out,
        distFolder: DIST,
        jobs: 2,
      });
    } finally {
      delete process.env.RNN_LAB_TEST_SECRET_TOKEN;
    }
  });

  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the corpus has every item of issue #10 and a correct control', () => {
    const names = items.map((item) => item.name);
    for (const name of ['infinite-loop', 'busy-async-loop', 'set-interval', 'never-resolving-promise', 'spawned-child', 'memory-bomb-heap',
      'memory-bomb-typed-arrays', 'output-flood', 'reads-environment', 'reads-ssh-key', 'reads-hidden-checks', 'writes-check-and-result-files',
      'patches-builtins', 'patches-assertions', 'process-exit', 'fake-results', 'throws-non-errors', 'deep-recursion', 'does-not-parse',
      'missing-function', 'correct']) {
      assert.ok(names.includes(name), `the corpus has ${name}`);
    }
  });

  it('each submission gets exactly its expected score: zero false passes, and the control earns everything', () => {
    const got = Object.fromEntries(graded.grades.map((grade) => [grade.student, grade.earned]));
    const expected = Object.fromEntries(items.map((item) => [item.name, item.expected]));
    // The table of the corpus, for the log: each submission, its score, and why its exercise's first check did not pass.
    for (const grade of [...graded.grades].sort((a, b) => a.student.localeCompare(b.student))) {
      const why = grade.checks.find((check) => check.exercise === 'rnn-step' && check.status !== 'passed')?.message ?? 'every check passed';
      console.log(`      ${grade.student.padEnd(30)} ${grade.earned} of ${grade.possible}  ${why.replace(/\s+/g, ' ').slice(0, 150)}`);
    }
    assert.deepEqual(got, expected);
    for (const grade of graded.grades) {
      assert.equal(grade.status, 'graded', `${grade.student} was graded`);
      assert.equal(grade.checks.length, 4, `${grade.student}: every check has a result`);
      if (grade.student !== 'correct') {
        for (const check of grade.checks.filter((check) => check.exercise === 'rnn-step')) {
          assert.notEqual(check.status, 'passed', `${grade.student}: "${check.name}" must not pass`);
        }
      }
    }
  });

  it('every result file is written by the grader, whatever the submission did', () => {
    const gradebook = readFileSync(join(out, 'gradebook.csv'), 'utf8');
    for (const item of items) {
      const result = JSON.parse(readFileSync(join(out, item.name, 'result.json'), 'utf8'));
      assert.equal(result.schema, 'rnn-lab-grade-result');
      assert.equal(result.earned, item.expected, `${item.name}: result.json holds the grader's score`);
      assert.ok(existsSync(join(out, item.name, 'feedback.md')) && existsSync(join(out, item.name, 'junit.xml')), `${item.name}: feedback and JUnit written`);
      assert.match(gradebook, new RegExp(`\\r\\n${item.name},${item.expected},8,graded,`), `${item.name}'s row in the gradebook`);
    }
    assert.equal(readFileSync(join(sourceFolder, 'rnn-step.lesson.md'), 'utf8'), sourceLessonBefore, 'the teacher\'s lesson is unchanged');
  });

  it('no secret and no hidden check reaches any output, and the reads failed', () => {
    for (const item of items) {
      for (const file of ['result.json', 'feedback.md', 'junit.xml']) {
        const text = readFileSync(join(out, item.name, file), 'utf8');
        assert.ok(!text.includes(TEACHER_SECRET), `${item.name}/${file} holds no line of the teacher's key`);
        assert.ok(!text.includes(ENVIRONMENT_SECRET), `${item.name}/${file} holds no token of the grader's environment`);
      }
      assert.ok(!readFileSync(join(out, item.name, 'feedback.md'), 'utf8').includes(HIDDEN_CHECK_LINE), `${item.name}: the feedback shows no hidden check code`);
    }
    const answerOf = (student: string): string => graded.grades.find((grade) => grade.student === student)!.checks.find((check) => check.exercise === 'question-saturation')!.message;
    assert.match(answerOf('reads-environment'), /^"found:" is not one of the choices/, 'no token or key in the environment the submission saw');
    if (graded.isolation.separateUser) assert.match(answerOf('reads-ssh-key'), /^"unreadable: EACCES/, 'the teacher\'s key could not be read');
    if (graded.isolation.hiddenFolders) assert.match(answerOf('reads-hidden-checks'), /^"unreadable: E(NOENT|ACCES)/, 'the assignment source could not be read');
  });

  it('the results say why, in the student\'s terms', () => {
    const messagesOf = (student: string): string => graded.grades.find((grade) => grade.student === student)!.checks.map((check) => check.message).join('\n');
    assert.match(messagesOf('infinite-loop'), /did not finish within 3 s \(waiting for your code\)/);
    // Which limit ends a memory bomb first depends on the machine's load: V8 garbage-collects for seconds before it
    // gives up (5–20 s measured here under load). The next suite gives them the time to meet the memory limits.
    assert.match(messagesOf('memory-bomb-heap'), /ran out of memory \(the limit is 128 MB\)|did not finish within 3 s/);
    assert.match(messagesOf('memory-bomb-typed-arrays'), /Array buffer allocation failed|did not finish within 3 s/);
    assert.match(messagesOf('process-exit'), /process ended \(exit code 0\)/);
    // A flood of output is capped where it is printed: the loop meets the check's time limit, its process does not crash.
    assert.match(messagesOf('output-flood'), /did not finish within 3 s/);
    assert.match(messagesOf('missing-function'), /rnnStep is not defined/);
    assert.match(messagesOf('throws-non-errors'), /rnnStep threw 42/);
    assert.match(messagesOf('deep-recursion'), /Maximum call stack size exceeded/);
    const parse = graded.grades.find((grade) => grade.student === 'does-not-parse')!;
    assert.equal(parse.cellProblems.length, 1);
    assert.match(parse.cellProblems[0].message, /SyntaxError/);
  });

  it('no process outlives its submission (the process table is read), and the grader is unharmed', () => {
    for (const grade of graded.grades) assert.equal(grade.leftoverProcesses, 0, `${grade.student} left no process to kill`);
    assert.deepEqual(processesMatching(new RegExp(`6017|RNN_LAB_SANDBOX=${process.pid}-`)), [], 'no sandbox process and nothing the spawned-child submission started');
    assert.equal(Math.tanh, mathTanh);
    assert.equal(Array.prototype.every, arrayEvery);
    assert.equal(Math.tanh(0.3), 0.2913126124515909);
    assert.deepEqual(Object.keys({ a: 1 }), ['a']);
    assert.equal(({} as { passed?: unknown }).passed, undefined);
    // The memory bombs' memory is their processes', not the grader's: grading them grows the grader by less than 512 MB.
    const grown = process.memoryUsage().rss - rssBeforeGrading;
    assert.ok(grown < 512 * 1024 * 1024, `the grader grew by ${Math.round(grown / 1e6)} MB while grading (from ${Math.round(rssBeforeGrading / 1e6)} MB)`);
  });
});

describe('grading: the memory limits end a memory bomb', function () {
  this.timeout(600_000);
  let root: string;
  let graded: ClassGrades;

  before(async () => {
    ensureBuilt();
    root = mkdtempSync(join(tmpdir(), 'rnn-lab-memory-'));
    chmodSync(root, 0o755);
    const sourceFolder = join(root, 'source');
    cpSync(join(HOSTILE, 'assignment'), sourceFolder, { recursive: true });
    // Time enough for V8 to give up: the memory limit, not the clock, must end each call.
    const config = JSON.parse(readFileSync(join(sourceFolder, 'assignment.json'), 'utf8'));
    writeFileSync(join(sourceFolder, 'assignment.json'), JSON.stringify({ ...config, limits: { ...config.limits, checkSeconds: 120, submissionSeconds: 600 } }));
    graded = await gradeHostile(root, sourceFolder, ['memory-bomb-heap', 'memory-bomb-typed-arrays']);
  });

  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the JS heap bomb ends its process at the heap limit; typed arrays meet the address-space limit', () => {
    const messages = (student: string): string[] => graded.grades.find((grade) => grade.student === student)!.checks.filter((check) => check.exercise === 'rnn-step').map((check) => check.message);
    for (const message of messages('memory-bomb-heap')) assert.match(message, /^your code ran out of memory \(the limit is 128 MB\), so its process ended\.$/);
    if (graded.isolation.resourceLimits) {
      // Their allocation fails (a RangeError the function throws), or V8 itself can then no longer allocate and ends the process.
      for (const message of messages('memory-bomb-typed-arrays')) assert.match(message, /^rnnStep threw RangeError: Array buffer allocation failed|^your code ran out of memory \(the limit is 128 MB\)/);
    }
    for (const grade of graded.grades) assert.equal(grade.earned, 1);
  });
});

describe('grading: with only what any POSIX user has (no namespaces, no separate user)', function () {
  this.timeout(600_000);
  let root: string;
  let graded: ClassGrades;
  const names = ['correct', 'infinite-loop', 'process-exit', 'fake-results', 'output-flood'];

  before(async () => {
    ensureBuilt();
    root = mkdtempSync(join(tmpdir(), 'rnn-lab-fallback-'));
    const sourceFolder = join(root, 'source');
    cpSync(join(HOSTILE, 'assignment'), sourceFolder, { recursive: true });
    graded = await gradeHostile(root, sourceFolder, names, { noNetwork: false, ownProcessTree: false, hiddenFolders: false, separateUser: false, resourceLimits: process.platform !== 'win32' });
  });

  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('gives the same scores: the checks and the score never depended on the OS isolation', () => {
    const expected = Object.fromEntries(corpus().filter((item) => names.includes(item.name)).map((item) => [item.name, item.expected]));
    assert.deepEqual(Object.fromEntries(graded.grades.map((grade) => [grade.student, grade.earned])), expected);
    for (const grade of graded.grades) assert.equal(grade.leftoverProcesses, 0, `${grade.student} left no process to kill`);
    assert.deepEqual(processesMatching(new RegExp(`RNN_LAB_SANDBOX=${process.pid}-`)), []);
  });
});
