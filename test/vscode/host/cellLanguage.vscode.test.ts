// Extension-host tests of completion, hover and signature help in lesson cells, through VS Code's own provider
// commands on a real lesson notebook: `course.` offers the course API, hovering a name shows its declaration, and a
// call shows its parameters, and names declared in earlier cells are offered.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'rnn-lab.rnn-lab';

/** The cell holding `text`, and the position just after its first occurrence (plus `offset` characters). */
function find(notebook: vscode.NotebookDocument, text: string, offset = 0, unless?: string): { cell: vscode.NotebookCell; position: vscode.Position } {
  const cell = notebook.getCells().find((candidate) => candidate.kind === vscode.NotebookCellKind.Code && candidate.document.getText().includes(text)
    && !(unless !== undefined && candidate.document.getText().includes(unless)));
  assert.ok(cell, `no code cell holds ${text}`);
  const position = cell.document.positionAt(cell.document.getText().indexOf(text) + text.length + offset);
  return { cell, position };
}

/** The completions' labels with their kinds: RNN Lab's items carry TypeScript's kinds; VS Code's word-based fallback gives Text. */
function completionsOf(list: vscode.CompletionList): Map<string, vscode.CompletionItemKind | undefined> {
  return new Map(list.items.map((item) => [typeof item.label === 'string' ? item.label : item.label.label, item.kind]));
}

function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers.flatMap((hover) => hover.contents).map((content) => (typeof content === 'string' ? content : content.value)).join('\n');
}

describe('completion, hover and signature help in lesson cells (a real extension host)', function () {
  this.timeout(120_000);
  let folder: string;
  let notebook: vscode.NotebookDocument;

  before(async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    folder = mkdtempSync(join(tmpdir(), 'rnn-lab-cell-language-'));
    const path = join(folder, 'the-rnn-cell.lesson.md');
    copyFileSync(join(extension.extensionPath, 'lessons', '03-the-rnn-cell.lesson.md'), path);
    notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(path));
    await vscode.window.showNotebookDocument(notebook);
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('completes `course.` with the course API, as functions', async function () {
    const { cell, position } = find(notebook, 'course.rnnCellForward(', -'rnnCellForward('.length);
    const completions = completionsOf(await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', cell.document.uri, position, '.'));
    for (const name of ['rnnCellForward', 'rnnForward', 'lstmCellForward', 'randnInOrder', 'toList']) {
      assert.equal(completions.get(name), vscode.CompletionItemKind.Function, `${name} is offered after course. as a function (got ${[...completions.keys()].slice(0, 20).join(', ')}…)`);
    }
    assert.ok(!completions.has('compareWithCourse'), 'after course. only the members of course');
  });

  it('shows the declaration of a course function on hover, and its parameters inside a call', async function () {
    const { cell, position } = find(notebook, 'course.rnnCellForward', -2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', cell.document.uri, position);
    const text = hoverText(hovers);
    assert.match(text, /rnnCellForward\(/, text);
    assert.match(text, /Tensor/, text);

    const inCall = find(notebook, 'course.rnnCellForward(');
    const help = await vscode.commands.executeCommand<vscode.SignatureHelp>('vscode.executeSignatureHelpProvider', inCall.cell.document.uri, inCall.position, '(');
    assert.ok(help && help.signatures.length > 0, 'signature help inside course.rnnCellForward(');
    assert.match(help.signatures[help.activeSignature].label, /^rnnCellForward\(xt\w*: [\w.]*TensorLike, aPrev\w*: [\w.]*TensorLike, parameters\w*: /, help.signatures[0].label);
    assert.equal(help.activeParameter, 0);
  });

  it('completes names a previous cell declared (the notebook is one program, as the kernel runs it)', async function () {
    const { cell, position } = find(notebook, 'compareWithCourse(', -'compareWithCourse('.length + 'compare'.length, 'function compareWithCourse');
    const completions = completionsOf(await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', cell.document.uri, position));
    assert.equal(completions.get('compareWithCourse'), vscode.CompletionItemKind.Function, `compareWithCourse, declared in the first code cell, is offered as a function (got ${[...completions.keys()].slice(0, 20).join(', ')}…)`);
  });
});
