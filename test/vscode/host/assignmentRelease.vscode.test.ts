// Extension-host test of a student's copy of an assignment release: Check My Work in the real editor gives the same
// results and the same feedback as `rnn-lab check` on the same folder, and both start by saying these are the
// visible checks and that more are graded later.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { loadAssignmentSource } from '../../../src/grading/assignmentSource';
import { RandomState } from '../../../src/engine/random/randomState';
import { formatCheckResults } from '../../../src/lessons/checks/feedback';
import { DEFAULT_CHECK_SEED } from '../../../src/lessons/checks/runChecks';
import { releaseFiles } from '../../../src/grading/release';
import { checkStudentCopy, visibleChecksNote } from '../../../src/grading/studentCheck';
import { KernelProcess } from '../../../src/node/kernelProcess';
import { waitFor } from './waitFor';

const SEED = 7;
const SOLVED = 'function double(x: number): number {\n  return 2 * x;\n}';
const LESSON = [
  '---', 'id: release-in-editor', 'title: A release in the editor', 'order: 1', 'minutes: 5', 'goals:', '  - check a copy', '---', '',
  '# Two exercises', '',
  '```ts exercise=double', 'function double(x: number): number {', "  throw new Error('double is not written yet');", '}', '```', '',
  '```ts check=double name="doubles 2" points=1', 'expect.equal(await student.double(2), 4);', '```', '',
  '```ts check=double name="doubles -1.5" points=2 hidden', 'expect.close(await student.double(-1.5), -3);', '```', '',
  '<details><summary>Solution</summary>', '', '```ts solution=double', SOLVED, '```', '', '</details>', '',
  '```ts exercise=halve', 'function halve(x: number): number {', "  throw new Error('halve is not written yet');", '}', '```', '',
  '```ts check=halve name="halves 8" points=2', 'expect.equal(await student.halve(8), 4);', '```', '',
  '```ts check=halve name="halves a random even number" points=1', 'const x = 2 * Math.floor(Math.random() * 1000);', 'expect.equal(await student.halve(x), x / 2);', '```', '',
  '```ts solution=halve', 'function halve(x: number): number {\n  return x / 2;\n}', '```', '',
].join('\n');

const decoder = new TextDecoder();

function outputsOf(cell: vscode.NotebookCell): string {
  return cell.outputs.map((output) => output.items.map((item) => decoder.decode(item.data)).join('')).join('\n');
}

describe('a student release in a real extension host', function () {
  let folder: string;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'rnn-lab-release-'));
    await vscode.extensions.getExtension('rnn-lab.rnn-lab')?.activate();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('Check My Work gives the results and the feedback of rnn-lab check, saying these are the visible checks', async function () {
    this.timeout(180_000);
    const source = join(folder, 'source');
    mkdirSync(source);
    writeFileSync(join(source, 'assignment.json'), JSON.stringify({ title: 'Doubling and halving', seed: SEED }));
    writeFileSync(join(source, 'lesson.lesson.md'), LESSON);
    const release = join(folder, 'release');
    for (const file of releaseFiles(loadAssignmentSource(source), { name: 'rnn-lab-0.0.0.tgz', bytes: new Uint8Array() })) {
      mkdirSync(join(release, file.path, '..'), { recursive: true });
      writeFileSync(join(release, file.path), file.content);
    }
    // The student solved one exercise of two, and got the other wrong.
    const path = join(release, 'lesson.lesson.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace("function double(x: number): number {\n  throw new Error('double is not written yet');\n}", SOLVED)
      .replace("function halve(x: number): number {\n  throw new Error('halve is not written yet');\n}", 'function halve(x: number): number {\n  return x / 3;\n}'));

    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(path));
    await vscode.window.showNotebookDocument(notebook);
    await waitFor('the release lesson as the active notebook', () => (vscode.window.activeNotebookEditor?.notebook === notebook ? true : undefined), 15_000);
    // Check My Work as the first thing the student does, before any cell ran (the notebook has no controller yet).
    const checked = await vscode.commands.executeCommand<{ exercise: string; results?: { exercise: string; name: string; status: string; earned: number; message: string }[] }[]>('rnnLab.checkMyWork');
    assert.ok(checked, 'Check My Work returned its results');
    const inEditor = checked.flatMap((exercise) => exercise.results ?? []);

    const extensionPath = vscode.extensions.getExtension('rnn-lab.rnn-lab')!.extensionPath;
    const report = await checkStudentCopy(release, () => KernelProcess.start({ kernelScript: join(extensionPath, 'dist', 'kernel.js'), cellTimeLimitMs: 120_000, cwd: release }));
    const inTerminal = report.lessons.flatMap((lesson) => lesson.results);
    const essentials = (results: readonly { exercise: string; name: string; status: string; earned: number; message: string }[]): string[][] =>
      results.map((result) => [result.exercise, result.name, result.status, String(result.earned), result.message]);
    assert.deepEqual(essentials(inEditor), essentials(inTerminal));
    assert.deepEqual(inTerminal.map((result) => [result.name, result.status]), [['doubles 2', 'passed'], ['halves 8', 'failed'], ['halves a random even number', 'failed']], 'only the visible checks, the hidden one nowhere');
    // Both drew the check's input from the assignment's seed (not the default one): the same number in the same words.
    const drawn = 2 * Math.floor(new RandomState(SEED).random() * 1000);
    assert.notEqual(drawn, 2 * Math.floor(new RandomState(DEFAULT_CHECK_SEED).random() * 1000));
    assert.match(inTerminal[2].message, new RegExp(`expected ${drawn / 2}\\b`));

    const note = visibleChecksNote(report.manifest);
    assert.match(note, /^These are the visible checks of "Doubling and halving"\. Your teacher grades your work later with more checks, hidden ones included/);
    for (const exercise of ['double', 'halve']) {
      const cell = notebook.getCells().find((candidate) => candidate.document.getText().includes(`function ${exercise}(`))!;
      const expected = formatCheckResults(inTerminal.filter((result) => result.exercise === exercise), { note });
      await waitFor(`the feedback under ${exercise}`, () => (outputsOf(cell).includes(expected) ? true : undefined), 15_000)
        .catch(() => assert.fail(`the ${exercise} cell shows:\n${outputsOf(cell)}\n\nrnn-lab check's feedback for it:\n${expected}`));
    }
  });
});
