// The student release as files: lessons without solutions or hidden checks (whatever their layout), the manifest of the
// visible checks, the README's wording, the workflow — and the leak guard that refuses to build a release that would ship one.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseLesson } from '../../src/lessons/lessonFile';
import { assignmentChecks, checkDigest, loadAssignmentSource, type AssignmentLesson } from '../../src/grading/assignmentSource';
import { classroomOutputLine, classroomResult, CLASSROOM_WORKFLOW_FILE } from '../../src/grading/classroomWorkflow';
import { parseReleaseManifest, releaseFiles, releaseLessonText, ReleaseLeak, RELEASE_MANIFEST_FILE, type ReleaseManifest } from '../../src/grading/release';

const FIXTURE = join(__dirname, '..', 'fixtures', 'assignment');
const GRADER = { name: 'rnn-lab-0.1.0.tgz', bytes: new Uint8Array([1, 2, 3]) };

const FRONT = '---\nid: t\ntitle: T\norder: 1\nminutes: 1\ngoals:\n  - g\n---\n';

function lessonOf(text: string, file = 'a.lesson.md'): AssignmentLesson {
  const parsed = parseLesson(text);
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
  return { file, text, lesson: parsed.lesson };
}

describe('student release', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'rnn-lab-release-'));
    cpSync(FIXTURE, folder, { recursive: true });
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('cuts each solution (with its <details>) and each hidden check out, and keeps every other line as written', () => {
    const source = loadAssignmentSource(folder);
    const text = releaseLessonText(source.lessons[0]);
    const original = source.lessons[0].text;
    assert.ok(!/solution=|<details>|<\/details>|\bhidden\s*$/m.test(text), text);
    const lines = new Set(original.split('\n'));
    for (const line of text.split('\n')) assert.ok(lines.has(line), `a line that is not the teacher's: ${line}`);
    assert.ok(text.endsWith('```\n') && !text.endsWith('\n\n'), 'no blank lines left at the end where the solution was');
    const released = parseLesson(text);
    assert.ok(released.ok);
    assert.deepEqual(released.lesson.exercises.map((exercise) => [exercise.id, exercise.startingCode, exercise.checks.map((check) => check.name), exercise.solution]),
      source.lessons[0].lesson.exercises.map((exercise) => [exercise.id, exercise.startingCode, exercise.checks.filter((check) => !check.hidden).map((check) => check.name), undefined]));
  });

  it('handles CRLF, a BOM, a summary on its own line, an unwrapped solution and a hidden check between two visible ones', () => {
    const text = `\uFEFF${FRONT}\nProse.\n\n\`\`\`ts exercise=e\nfunction f() { throw new Error('no'); }\n\`\`\`\n\n\`\`\`ts check=e name="one"\nexpect.equal(await student.f(), 1);\n\`\`\`\n\n\`\`\`ts check=e name="secretName" hidden\nexpect.equal(await student.f(), 42424242);\n\`\`\`\n\n\`\`\`ts check=e name="two"\nexpect.equal(await student.f(), 1);\n\`\`\`\n\n<details>\n<summary>Solution</summary>\n\n\`\`\`ts solution=e\nfunction f() { return 17171717; }\n\`\`\`\n\n</details>\n\nMore prose.\n\n\`\`\`ts exercise=g\nfunction g() {}\n\`\`\`\n\n\`\`\`ts check=g name="g"\nexpect.equal(await student.g(), 2);\n\`\`\`\n\n\`\`\`ts solution=g\nfunction g() { return 23232323; }\n\`\`\`\n`.replace(/\n/g, '\r\n');
    const released = releaseLessonText(lessonOf(text));
    assert.ok(released.startsWith('\uFEFF---\r\n'));
    assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(released), 'CRLF kept everywhere');
    for (const secret of ['secretName', '42424242', '17171717', '23232323', 'details', 'summary']) assert.ok(!released.includes(secret), `${secret} is in the release`);
    assert.ok(released.includes('More prose.') && released.includes('name="two"'));
    assert.ok(!released.includes('\r\n\r\n\r\n'), 'one blank line where a cut was');
  });

  it('keeps a <details> that holds more than the solution, and cuts only the solution from it', () => {
    const text = `${FRONT}\n\`\`\`ts exercise=e\nfunction f() { throw new Error('no'); }\n\`\`\`\n\n\`\`\`ts check=e name="one"\nexpect.equal(await student.f(), 1);\n\`\`\`\n\n<details><summary>Hints and solution</summary>\n\nA hint the students keep.\n\n\`\`\`ts solution=e\nfunction f() { return 1; }\n\`\`\`\n\n</details>\n`;
    const released = releaseLessonText(lessonOf(text));
    assert.ok(released.includes('A hint the students keep.') && released.includes('<details>') && !released.includes('return 1'));
  });

  it('refuses to build a release that would ship a solution or a hidden check (the teacher pasted one into the prose)', () => {
    const path = join(folder, '02-loss.lesson.md');
    const lesson = readFileSync(path, 'utf8');
    const hiddenCode = lesson.split('points=2 name="divides by the number of predictions" hidden\n')[1].split('```')[0].trim();
    writeFileSync(path, lesson.replace('L = (1/n)', `Look:\n\n    ${hiddenCode.split('\n').join('\n    ')}\n\nL = (1/n)`));
    assert.throws(() => releaseFiles(loadAssignmentSource(folder), GRADER), (error: unknown) => error instanceof ReleaseLeak && /02-loss\.lesson\.md would hold the hidden check "divides by the number of predictions"/.test(error.message));
  });

  it('lists the visible checks with their checksums in the manifest, and nothing of the hidden ones', () => {
    const source = loadAssignmentSource(folder);
    const files = releaseFiles(source, GRADER);
    const manifestText = files.find((file) => file.path === RELEASE_MANIFEST_FILE)!.content as string;
    const manifest: ReleaseManifest = parseReleaseManifest(manifestText);
    const visible = assignmentChecks(source).filter((check) => !check.hidden);
    assert.deepEqual(manifest.checks.map((check) => [check.id, check.points, check.sha256]), visible.map((check) => [check.id, check.points, checkDigest(check.code)]));
    assert.equal(manifest.visiblePoints, 5);
    assert.deepEqual(manifest.lessons, ['01-rnn-step.lesson.md', '02-loss.lesson.md']);
    assert.ok(!/saturates|divides by the number/.test(manifestText));
    assert.throws(() => parseReleaseManifest('{"version": 2}'), /not a version 1 assignment manifest/);
    assert.throws(() => parseReleaseManifest(manifestText.replace('"lessons": [', '"lessons": ["../x.lesson.md", ')), /damaged/);
  });

  it('tells the students the due date, the late policy, how to check, and that more checks are graded later', () => {
    const readme = releaseFiles(loadAssignmentSource(folder), GRADER).find((file) => file.path === 'README.md')!.content as string;
    assert.match(readme, /^# One step of an RNN\n/);
    assert.match(readme, /\*\*Due:\*\* Friday 11 December 2026, 23:59 UTC/);
    assert.match(readme, /\*\*Late work:\*\* 10 % off per day late, up to 3 days/);
    assert.match(readme, /RNN Lab: Check My Work/);
    assert.match(readme, /npm install --no-save \.\/\.github\/rnn-lab\/rnn-lab-0\.1\.0\.tgz\n\s+npx rnn-lab check/);
    assert.match(readme, /visible checks\*\*: 4 checks, worth 5 points/);
    assert.match(readme, /more checks, hidden ones included/);
    assert.ok(!/all tests passed/i.test(readme));
  });

  it('writes a workflow GitHub Classroom accepts: its name, its one job, the grader from the tarball, the reporter fed by the check step', () => {
    const workflowText = releaseFiles(loadAssignmentSource(folder), GRADER).find((file) => file.path === CLASSROOM_WORKFLOW_FILE)!.content as string;
    const workflow = parseYaml(workflowText);
    assert.equal(workflow.name, 'Autograding Tests');
    assert.deepEqual(Object.keys(workflow.jobs), ['run-autograding-tests']);
    const steps = workflow.jobs['run-autograding-tests'].steps as { name?: string; id?: string; run?: string; uses?: string; env?: Record<string, string>; with?: Record<string, string> }[];
    assert.match(steps.find((step) => step.name === 'Install the grader')!.run!, /npm install .*"\$GITHUB_WORKSPACE\/\.github\/rnn-lab\/rnn-lab-0\.1\.0\.tgz"$/);
    const check = steps.find((step) => step.id === 'visible-checks')!;
    assert.match(check.run!, / check --classroom-output "\$GITHUB_OUTPUT" "\$GITHUB_WORKSPACE"$/);
    const reporter = steps.find((step) => step.uses === 'classroom-resources/autograding-grading-reporter@v1')!;
    assert.equal(reporter.with!.runners, 'visible-checks');
    assert.equal(reporter.env!['VISIBLE-CHECKS_RESULTS'], '${{ steps.visible-checks.outputs.result }}');
  });

  it('reports per-check points in the autograding reporter\'s format', () => {
    const result = classroomResult([
      { exercise: 'e', name: 'one', points: 1, earned: 1, status: 'passed', message: '' },
      { exercise: 'e', name: 'two', points: 2, earned: 0, status: 'failed', message: 'expected 2, got 3', hint: 'add' },
    ]);
    assert.deepEqual(result, {
      version: 1, status: 'fail', max_score: 3, tests: [
        { name: 'e: one', status: 'pass', score: 1, max_score: 1, message: '', line_no: 0, test_code: '' },
        { name: 'e: two', status: 'fail', score: 0, max_score: 2, message: 'expected 2, got 3\nHint: add', line_no: 0, test_code: '' },
      ],
    });
    const line = classroomOutputLine(result);
    assert.match(line, /^result=[A-Za-z0-9+/=]+\n$/);
    assert.deepEqual(JSON.parse(Buffer.from(line.slice('result='.length), 'base64').toString('utf8')), result);
  });
});
