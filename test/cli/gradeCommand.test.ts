// CLI tests: the full teacher flow of issue #10 — `rnn-lab assign` builds the release of test/fixtures/assignment,
// simulated students fill in their copies (correct, partly correct, tampering with the checks, hostile), `rnn-lab
// grade` grades the class folder, and the gradebook must be exactly the expected one; then the same submissions
// graded again give byte-identical results (determinism), the visible part agrees with `rnn-lab check`, and the exit
// codes and the plain progress lines (not a terminal) say what happened.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, REPOSITORY, runCli, spawnCli, temporaryFolder } from './cliHarness';

const FIXTURE = join(REPOSITORY, 'test', 'fixtures', 'assignment');
const RNN_STEP = '01-rnn-step.lesson.md';
const LOSS = '02-loss.lesson.md';

const CORRECT_RNN_STEP = `function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  return aPrev.map((state, index) => Math.tanh(waa * state + wax * x[index] + ba));
}`;
const CORRECT_LOSS = `function meanSquaredError(predicted: number[], target: number[]): number {
  return predicted.reduce((sum, value, index) => sum + (value - target[index]) ** 2, 0) / predicted.length;
}`;

/** The release's lesson with an exercise cell's code replaced. */
function withExercise(text: string, exercise: string, code: string): string {
  const pattern = new RegExp(`(\`\`\`ts exercise=${exercise}\\n)[\\s\\S]*?\\n(\`\`\`)`);
  assert.match(text, pattern, `the release has exercise ${exercise}`);
  return text.replace(pattern, (_match, open: string, close: string) => `${open}${code}\n${close}`);
}

/** Processes whose environment carries a sandbox mark of the grader `graderPid` (Linux: read from /proc). */
function sandboxesOf(graderPid: number): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((entry) => {
    try {
      return readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').some((variable) => variable.startsWith(`RNN_LAB_SANDBOX=${graderPid}-`));
    } catch {
      return false;
    }
  }).map(Number);
}

async function until(condition: () => boolean, limitMs: number): Promise<boolean> {
  for (let waited = 0; waited < limitMs; waited += 100) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

/** A student's copy of the release: `edit` changes each lesson's text. */
function student(release: string, classFolder: string, name: string, edit: Record<string, (text: string) => string>): void {
  const folder = join(classFolder, name);
  cpSync(release, folder, { recursive: true });
  for (const [file, change] of Object.entries(edit)) writeFileSync(join(folder, file), change(readFileSync(join(folder, file), 'utf8')));
}

describe('rnn-lab grade: the teacher flow (assign → students → grade → gradebook)', function () {
  this.timeout(600_000);
  let root: string;
  let release: string;
  let classFolder: string;

  before(async () => {
    root = temporaryFolder();
    release = join(root, 'release');
    const assigned = await runCli(['assign', FIXTURE, '--out', release]);
    assert.equal(assigned.code, 0, assigned.stdout + assigned.stderr);
    classFolder = join(root, 'class');
    mkdirSync(classFolder);
    // ada: everything right.
    student(release, classFolder, 'ada', {
      [RNN_STEP]: (text) => withExercise(text, 'rnn-step', CORRECT_RNN_STEP),
      [LOSS]: (text) => withExercise(text, 'mean-squared-error', CORRECT_LOSS),
    });
    // ben: divides by 2 instead of by n — the visible check (two predictions) passes, the hidden one does not.
    student(release, classFolder, 'ben', {
      [RNN_STEP]: (text) => withExercise(text, 'rnn-step', CORRECT_RNN_STEP),
      [LOSS]: (text) => withExercise(text, 'mean-squared-error', CORRECT_LOSS.replace('/ predicted.length', '/ 2')),
    });
    // cal: a wrong rnnStep, one visible check edited to always pass and the other deleted; a correct loss.
    student(release, classFolder, 'cal', {
      [RNN_STEP]: (text) => {
        const edited = withExercise(text, 'rnn-step', 'function rnnStep(aPrev: number[]): number[] { return aPrev.map(() => 0); }')
          .replace(/(```ts check=rnn-step points=1 name="zero state and input give tanh\(ba\)"\n)[\s\S]*?\n```/, (_match, open: string) => `${open}expect.that(true, 'always');\n\`\`\``)
          .replace(/```ts check=rnn-step points=2 name="agrees on three sequences"\n[\s\S]*?\n```\n/, '');
        assert.notEqual(edited, text);
        return edited;
      },
      [LOSS]: (text) => withExercise(text, 'mean-squared-error', CORRECT_LOSS),
    });
    // dee: rnnStep ends its process with exit code 0 and prints a perfect result; a correct loss.
    student(release, classFolder, 'dee', {
      [RNN_STEP]: (text) => withExercise(text, 'rnn-step', `const hostProcess = console.log.constructor('return process')();
console.log(JSON.stringify({ earned: 9, possible: 9, status: 'graded' }));
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  console.log('{"score": 9, "possible": 9}');
  hostProcess.exit(0);
  return [];
}`),
      [LOSS]: (text) => withExercise(text, 'mean-squared-error', CORRECT_LOSS),
    });
  });

  it('grades the class into exactly the expected gradebook, with per-student results and plain progress lines', async () => {
    const out = join(root, 'grades');
    const result = await runCli(['grade', '--assignment', FIXTURE, classFolder, '--out', out, '--jobs', '2']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(readFileSync(join(out, 'gradebook.csv'), 'utf8'), [
      'student,score,possible,status,tampering,assignment-rnn-step/rnn-step/zero state and input give tanh(ba),assignment-rnn-step/rnn-step/agrees on three sequences,'
        + "assignment-rnn-step/rnn-step/saturates on the teacher's large inputs (hidden),assignment-loss/mean-squared-error/two predictions,"
        + 'assignment-loss/mean-squared-error/random predictions,assignment-loss/mean-squared-error/divides by the number of predictions (hidden)',
      'ada,10,10,graded,0,1,2,3,1,1,2',
      'ben,7,10,graded,0,1,2,3,1,0,0',
      'cal,4,10,graded,2,0,0,0,1,1,2',
      'dee,4,10,graded,0,0,0,0,1,1,2',
      '',
    ].join('\r\n'));
    // Not a terminal: one plain line per submission, and the isolation said.
    for (const name of ['ada', 'ben', 'cal', 'dee']) assert.match(result.stdout, new RegExp(`^ *\\d/4 ${name}: \\d+ of 10`, 'm'));
    assert.match(result.stdout, /Isolation: no network: /);
    assert.match(result.stdout, /Changed checks flagged in: cal/);

    const cal = JSON.parse(readFileSync(join(out, 'cal', 'result.json'), 'utf8'));
    assert.deepEqual(cal.tampering.map((item: { kind: string; checkId: string }) => [item.kind, item.checkId]), [
      ['edited', 'assignment-rnn-step/rnn-step/zero state and input give tanh(ba)'],
      ['deleted', 'assignment-rnn-step/rnn-step/agrees on three sequences'],
    ]);
    const dee = readFileSync(join(out, 'dee', 'feedback.md'), 'utf8');
    assert.match(dee, /\*\*Score: 4 of 10 points\*\*/);
    assert.match(dee, /process ended \(exit code 0\)/);
    // The student's feedback names the hidden checks but holds none of their code.
    const ben = readFileSync(join(out, 'ben', 'feedback.md'), 'utf8');
    assert.match(ben, /✘ mean-squared-error: divides by the number of predictions \(0 of 2 points\)/);
    for (const secret of ['secretTargetsOfTheTeacher', 'hiddenInputsForTheTeacher']) {
      for (const name of ['ada', 'ben', 'cal', 'dee']) assert.ok(!readFileSync(join(out, name, 'feedback.md'), 'utf8').includes(secret), `${name}'s feedback holds ${secret}`);
    }
    const junit = readFileSync(join(out, 'ben', 'junit.xml'), 'utf8');
    assert.match(junit, /<testsuite name="ben" tests="6" failures="2" errors="0">/);
  });

  it('grading the same submissions again gives byte-identical results, and the visible part agrees with rnn-lab check', async () => {
    const first = join(root, 'again-1');
    const second = join(root, 'again-2');
    for (const out of [first, second]) {
      const result = await runCli(['grade', '--assignment', FIXTURE, join(classFolder, 'ben'), join(classFolder, 'dee'), '--out', out]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
    }
    for (const file of ['gradebook.csv', 'ben/result.json', 'ben/feedback.md', 'ben/junit.xml', 'dee/result.json', 'dee/feedback.md']) {
      assert.equal(readFileSync(join(second, file), 'utf8'), readFileSync(join(first, file), 'utf8'), `${file} is the same both times`);
    }
    const checked = await runCli(['check', join(classFolder, 'ben')]);
    assert.match(checked.stdout, /Visible checks: 4 of 5 points/);
    const ben = JSON.parse(readFileSync(join(first, 'ben', 'result.json'), 'utf8'));
    const visible = ben.checks.filter((check: { hidden: boolean }) => !check.hidden);
    assert.equal(visible.reduce((total: number, check: { earned: number }) => total + check.earned, 0), 4);
    // The check that draws its inputs with Math.random drew the same ones in both: the same numbers in its feedback.
    const random = ben.checks.find((check: { name: string }) => check.name === 'random predictions');
    assert.match(random.message, /expected \d/);
    assert.ok(checked.stdout.includes(random.message), `rnn-lab check printed:\n${checked.stdout}\nthe grader wrote: ${random.message}`);
  });

  it('exit codes: 2 for a wrong command line, 1 for a broken assignment source', async () => {
    const noAssignment = await runCli(['grade', classFolder]);
    assert.equal(noAssignment.code, 2);
    assert.match(noAssignment.stderr, /give the assignment source: --assignment SOURCE/);
    const broken = join(root, 'broken-source');
    mkdirSync(broken);
    writeFileSync(join(broken, 'assignment.json'), '{ "title": "x", "limits": { "memoryMB": "lots" } }');
    const refused = await runCli(['grade', '--assignment', broken, classFolder, '--out', join(root, 'never')]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /limits\.memoryMB must be a number/);
  });

  /** Grades one student whose rnnStep loops forever, and resolves once the grader is inside that loop (its sandbox running). */
  async function graderInStudentsLoop(name: string): Promise<{ child: ChildProcess; result: ReturnType<typeof collect> }> {
    const looping = join(root, `looping-${name}`);
    student(release, looping, name, { [RNN_STEP]: (text) => withExercise(text, 'rnn-step', 'function rnnStep(aPrev: number[]): number[] { while (true) {} }') });
    const child = spawnCli(['grade', '--assignment', FIXTURE, join(looping, name), '--out', join(root, `stopped-${name}`)]);
    const result = collect(child);
    assert.ok(await until(() => sandboxesOf(child.pid!).length > 0, 60_000), 'the student\'s process started');
    await new Promise((resolve) => setTimeout(resolve, 1500));   // into the first check's endless loop
    return { child, result };
  }

  it('Ctrl-C while a student\'s code loops: exit 130, and no process of any sandbox is left (Linux: /proc is read)', async () => {
    const { child, result } = await graderInStudentsLoop('eve');
    child.kill('SIGINT');
    const { code, stderr } = await result;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /stopped \(SIGINT\)/);
    assert.ok(await until(() => sandboxesOf(child.pid!).length === 0, 3000), `left running: ${sandboxesOf(child.pid!).join(', ')}`);
    const scratch = readdirSync(tmpdir()).filter((name) => name.startsWith(`rnn-lab-grade-${child.pid}-`));
    assert.deepEqual(scratch, [], 'the working copies are removed');
  });

  it('the grader killed outright (SIGKILL, no handler runs) while a student\'s code loops: no process of any sandbox is left (Linux)', async function () {
    if (process.platform !== 'linux') this.skip();   // setpriv --pdeathsig is Linux's (docs/teaching.md says what holds where)
    const { child, result } = await graderInStudentsLoop('mallory');
    child.kill('SIGKILL');
    await result;
    assert.ok(await until(() => sandboxesOf(child.pid!).length === 0, 5000), `left running: ${sandboxesOf(child.pid!).join(', ')}`);
  });
});
