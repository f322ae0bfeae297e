// CLI tests: `rnn-lab assign` and `rnn-lab check` as a teacher and a student use them — the release holds no hidden
// check and no solution in any file (the grader's tarball unpacked too), its workflow's commands run on it as GitHub
// would run them, --verify names a broken solution and a check the starting code passes, and `check` says what it is.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { loadAssignmentSource } from '../../src/grading/assignmentSource';
import { CLASSROOM_WORKFLOW_FILE } from '../../src/grading/classroomWorkflow';
import { REPOSITORY, runCli, temporaryFolder } from './cliHarness';

const FIXTURE = join(REPOSITORY, 'test', 'fixtures', 'assignment');

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** What must never ship: each hidden check's name and code lines, each solution's lines the starting code and visible checks do not have. */
function secretsOf(sourceFolder: string): string[] {
  const source = loadAssignmentSource(sourceFolder);
  const secrets: string[] = [];
  for (const { lesson } of source.lessons) {
    const shipped = new Set(lesson.exercises.flatMap((exercise) => [exercise.startingCode, ...exercise.checks.filter((check) => !check.hidden).map((check) => check.code)])
      .flatMap((code) => code.split('\n').map((line) => line.trim())));
    const distinctive = (code: string): string[] => code.split('\n').map((line) => line.trim()).filter((line) => line.length >= 4 && !shipped.has(line));
    for (const exercise of lesson.exercises) {
      secrets.push(...distinctive(exercise.solution ?? ''));
      for (const check of exercise.checks.filter((candidate) => candidate.hidden)) secrets.push(check.name, ...distinctive(check.code));
    }
  }
  return secrets;
}

/** The `run:` of the workflow's step named `name`. */
function workflowStep(release: string, name: string): string {
  const workflow = parseYaml(readFileSync(join(release, CLASSROOM_WORKFLOW_FILE), 'utf8'));
  const step = (workflow.jobs['run-autograding-tests'].steps as { name: string; run?: string }[]).find((candidate) => candidate.name === name);
  assert.ok(step?.run, `the workflow has a step "${name}" that runs a command`);
  return step.run;
}

/** Runs a workflow command with bash, in GitHub's environment variables; its exit code and output, and what it wrote to $GITHUB_OUTPUT. */
function runStep(command: string, environment: { workspace: string; runnerTemp: string; output: string }): { code: number; stdout: string } {
  try {
    const stdout = execFileSync('bash', ['-e', '-c', command], {
      cwd: environment.workspace,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_WORKSPACE: environment.workspace, RUNNER_TEMP: environment.runnerTemp, GITHUB_OUTPUT: environment.output, npm_config_cache: join(environment.runnerTemp, 'npm-cache') },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, stdout: `${failed.stdout}${failed.stderr}` };
  }
}

function classroomResultIn(outputFile: string): { status: string; max_score: number; tests: { name: string; status: string; score: number; max_score: number }[] } {
  const lines = readFileSync(outputFile, 'utf8').trim().split('\n');
  const last = lines[lines.length - 1];
  assert.match(last, /^result=/);
  return JSON.parse(Buffer.from(last.slice('result='.length), 'base64').toString('utf8'));
}

/** The student copy with every exercise's starting code replaced by the teacher's solution. */
function solveAll(sourceFolder: string, copy: string): void {
  for (const { file, lesson } of loadAssignmentSource(sourceFolder).lessons) {
    let text = readFileSync(join(copy, file), 'utf8');
    for (const exercise of lesson.exercises) text = text.replace(exercise.startingCode, exercise.solution!);
    writeFileSync(join(copy, file), text);
  }
}

describe('rnn-lab assign and rnn-lab check', function () {
  let release: string;

  before(async function () {
    release = join(temporaryFolder(), 'release');
    const result = await runCli(['assign', FIXTURE, '--out', release]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /✔ The assignment verifies/);
  });

  it('writes a release with no hidden check and no solution in any file, the grader tarball unpacked too', () => {
    const files = filesUnder(release).map((path) => path.slice(release.length + 1)).sort();
    assert.deepEqual(files, ['.github/rnn-lab/rnn-lab-0.1.0.tgz', '.github/workflows/classroom.yml', '.gitignore', '01-rnn-step.lesson.md', '02-loss.lesson.md', 'README.md', 'rnn-lab-assignment.json']);
    const secrets = secretsOf(FIXTURE);
    assert.ok(secrets.includes("saturates on the teacher's large inputs") && secrets.some((line) => line.includes('teacherSumOfSquares')), 'the secrets list names the hidden checks and the solutions');
    for (const file of filesUnder(release)) {
      const bytes = readFileSync(file);
      const text = file.endsWith('.tgz') ? gunzipSync(bytes).toString('latin1') : bytes.toString('utf8');
      for (const secret of secrets) assert.ok(!text.includes(file.endsWith('.tgz') ? Buffer.from(secret, 'utf8').toString('latin1') : secret), `${file} holds ${secret}`);
    }
    // The negative control: the same scan finds the secrets in the source.
    const sourceText = filesUnder(FIXTURE).map((file) => readFileSync(file, 'utf8')).join('\n');
    assert.ok(secrets.every((secret) => sourceText.includes(secret)));
  });

  it('runs the workflow\'s own commands on the release: the grader installs from the tarball, the visible checks report per-check points', function () {
    const runnerTemp = temporaryFolder();
    const workspace = join(temporaryFolder(), 'student');
    cpSync(release, workspace, { recursive: true });
    const output = join(runnerTemp, 'github-output');
    writeFileSync(output, '');
    const environment = { workspace, runnerTemp, output };
    const install = runStep(workflowStep(workspace, 'Install the grader'), environment);
    assert.equal(install.code, 0, install.stdout);
    assert.ok(existsSync(join(runnerTemp, 'rnn-lab', 'node_modules', 'rnn-lab', 'dist', 'cli.js')));
    const check = workflowStep(workspace, 'Visible checks');

    const started = runStep(check, environment);
    assert.equal(started.code, 1, started.stdout);
    const failing = classroomResultIn(output);
    assert.equal(failing.status, 'fail');
    assert.equal(failing.max_score, 5);
    assert.deepEqual(failing.tests.map((test) => [test.name, test.status, test.score, test.max_score]), [
      ['rnn-step: zero state and input give tanh(ba)', 'fail', 0, 1],
      ['rnn-step: agrees on three sequences', 'fail', 0, 2],
      ['mean-squared-error: two predictions', 'fail', 0, 1],
      ['mean-squared-error: random predictions', 'fail', 0, 1],
    ]);
    assert.match(started.stdout, /rnnStep threw Error: rnnStep is not written yet/);

    solveAll(FIXTURE, workspace);
    const solved = runStep(check, environment);
    assert.equal(solved.code, 0, solved.stdout);
    const passing = classroomResultIn(output);
    assert.equal(passing.status, 'pass');
    assert.deepEqual(passing.tests.map((test) => test.score), [1, 2, 1, 1]);
    assert.match(solved.stdout, /^These are the visible checks of "One step of an RNN"\. Your teacher grades your work later with more checks, hidden ones included/);
    assert.match(solved.stdout, /Visible checks: 5 of 5 points, 4 of 4 checks passed\. More checks are graded later\.\n$/);
    assert.ok(!/all tests passed/i.test(solved.stdout));
  });

  it('check names the check cells a student edited or deleted, and counts a deleted check as failed', async () => {
    const copy = join(temporaryFolder(), 'student');
    cpSync(release, copy, { recursive: true });
    solveAll(FIXTURE, copy);
    const path = join(copy, '01-rnn-step.lesson.md');
    const text = readFileSync(path, 'utf8');
    const edited = text.replace(/(name="zero state and input give tanh\(ba\)"\n)[^\n]*\n/, '$1expect.that(true, "always");\n')
      .replace(/```ts check=rnn-step points=2 name="agrees on three sequences"\n[\s\S]*?```\n/, '');
    assert.notEqual(edited, text);
    writeFileSync(path, edited);
    const result = await runCli(['check', copy]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /You edited the check "zero state and input give tanh\(ba\)" of rnn-step: its result comes from your edited copy; your teacher's grader uses the original\./);
    assert.match(result.stdout, /The check "agrees on three sequences" of rnn-step is not in your copy \(deleted or renamed\)/);
    assert.match(result.stdout, /Visible checks: 3 of 5 points, 3 of 4 checks passed/);
  });

  it('refuses a release folder that is not empty, and a folder that is not a copy of a release (still giving the reporter a result)', async () => {
    const refused = await runCli(['assign', FIXTURE, '--out', release]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /is not empty: give a new or empty folder for the release/);
    const output = join(temporaryFolder(), 'github-output');
    const notACopy = await runCli(['check', FIXTURE, '--classroom-output', output]);
    assert.equal(notACopy.code, 1);
    assert.match(notACopy.stderr, /has no rnn-lab-assignment\.json: rnn-lab check runs in your copy of an assignment/);
    const reported = classroomResultIn(output);
    assert.equal(reported.status, 'error', 'the reporter still gets a result, saying why');
    assert.match((reported.tests[0] as { message?: string }).message ?? '', /has no rnn-lab-assignment\.json/);
  });

  it('--verify names a broken solution and a check the starting code passes, and --out then writes nothing', async () => {
    const source = join(temporaryFolder(), 'source');
    cpSync(FIXTURE, source, { recursive: true });
    const stepFile = join(source, '01-rnn-step.lesson.md');
    writeFileSync(stepFile, readFileSync(stepFile, 'utf8').replace('Math.tanh(waa * teacherSolutionState + wax * x[index] + ba)', 'Math.tanh(waa * teacherSolutionState + wax * x[index])'));
    const lossFile = join(source, '02-loss.lesson.md');
    const loss = loadAssignmentSource(FIXTURE).lessons[1].lesson.exercises[0];
    writeFileSync(lossFile, readFileSync(lossFile, 'utf8').replace(loss.startingCode, loss.solution!));
    const verified = await runCli(['assign', source, '--verify']);
    assert.equal(verified.code, 1, verified.stdout + verified.stderr);
    const problems = verified.stdout.split('✘ The assignment is not fit to release')[1];
    assert.ok(problems, verified.stdout);
    assert.match(problems, /01-rnn-step\.lesson\.md: exercise rnn-step, check "zero state and input give tanh\(ba\)" \(1 point\) fails with the reference solution: /);
    assert.match(problems, /01-rnn-step\.lesson\.md: exercise rnn-step, check "agrees on three sequences" \(2 points\) fails with the reference solution/);
    assert.match(problems, /02-loss\.lesson\.md: exercise mean-squared-error, check "two predictions" \(1 point\) passes with the starting code: a student would get its points for writing nothing/);
    assert.match(problems, /02-loss\.lesson\.md: exercise mean-squared-error, hidden check "divides by the number of predictions" \(2 points\) passes with the starting code/);
    assert.ok(!/saturates on the teacher's large inputs" \(3 points\) fails/.test(problems), 'the hidden check with saturated inputs still passes: the broken bias does not show there');
    const out = join(temporaryFolder(), 'release');
    const refused = await runCli(['assign', source, '--out', out]);
    assert.equal(refused.code, 1);
    assert.ok(!existsSync(out), 'nothing written');
  });

  it('names the field of a broken assignment.json', async () => {
    const source = join(temporaryFolder(), 'source');
    cpSync(FIXTURE, source, { recursive: true });
    writeFileSync(join(source, 'assignment.json'), '{ "title": "T", "limits": { "memoryMB": "lots" } }');
    const result = await runCli(['assign', source, '--verify']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /assignment\.json: limits\.memoryMB must be a number between 64 and 8192, got "lots"/);
  });
});
