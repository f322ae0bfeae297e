// Extension-host tests of checking exercises in a lesson notebook, through the real controller and kernel: what the
// student sees after a failed check, a fix, and a Check that passes — the current result only, in every cell.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './waitFor';

const LESSON = [
  '---', 'id: host-checks', 'title: Checks in the host', 'order: 1', 'minutes: 5', 'goals:', '  - see the current result', '---', '',
  '# Checking an exercise', '',
  '```ts exercise=double', 'function double(x: number): number {', '  return x;', '}', '```', '',
  '```ts check=double name="doubles 2" points=1', 'expect.equal(await student.double(2), 4);', '```', '',
  '```ts check=double name="doubles 5" points=1', 'expect.equal(await student.double(5), 10);', '```', '',
].join('\n');

const FIXED = 'function double(x: number): number {\n  return 2 * x;\n}';

const decoder = new TextDecoder();

/** Everything a cell shows, one string per output. */
function outputsOf(cell: vscode.NotebookCell): string[] {
  return cell.outputs.map((output) => output.items.map((item) => decoder.decode(item.data)).join(''));
}

describe('checking exercises in a real extension host', function () {
  let folder: string;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'rnn-lab-checks-'));
    await vscode.extensions.getExtension('rnn-lab.rnn-lab')?.activate();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('after a failed check and a fix, Check leaves no old failure in the check cells', async function () {
    this.timeout(120_000);
    const path = join(folder, 'checks.lesson.md');
    writeFileSync(path, LESSON);
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(path));
    await vscode.window.showNotebookDocument(notebook);
    const codeCells = notebook.getCells().filter((cell) => cell.kind === vscode.NotebookCellKind.Code);
    assert.equal(codeCells.length, 3, 'the exercise and its two check cells');
    const [exercise, ...checkCells] = codeCells;

    // Run All: the exercise cell runs, each check cell runs its check, and both fail.
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: notebook.cellCount }], document: notebook.uri });
    for (const cell of checkCells) {
      const shown = await waitFor(`a result in cell ${cell.index + 1}`, () => (cell.executionSummary?.success === false && cell.outputs.length > 0 ? outputsOf(cell) : undefined), 30_000);
      assert.ok(shown.join('\n').includes('✘'), `cell ${cell.index + 1} shows its failure: ${shown.join('\n')}`);
    }

    // The student fixes the exercise and presses Check.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(exercise.document.uri, new vscode.Range(0, 0, exercise.document.lineCount, 0), FIXED);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the fix applied');
    const check = await vscode.commands.executeCommand<{ results?: { status: string }[] }>('rnnLab.checkExercise', exercise);
    assert.deepEqual(check?.results?.map((result) => result.status), ['passed', 'passed'], JSON.stringify(check));

    // The outputs reach this extension host's copy of the notebook after the command has returned.
    await waitFor('the feedback under the exercise', () => (outputsOf(exercise).join('\n').includes('2 of 2 checks passed') ? true : undefined))
      .catch(() => assert.fail(`the exercise shows: ${outputsOf(exercise).join('\n')}`));
    for (const cell of checkCells) {
      const shown = await waitFor(`the current result in cell ${cell.index + 1}`, () => (cell.executionSummary?.success === true ? outputsOf(cell) : undefined), 10_000)
        .catch(() => assert.fail(`cell ${cell.index + 1} still shows: ${outputsOf(cell).join('\n')}`));
      assert.equal(shown.length, 1, shown.join('\n---\n'));
      assert.match(shown[0], /✔ doubles \d/);
      assert.doesNotMatch(shown[0], /✘/);
    }
  });
});
