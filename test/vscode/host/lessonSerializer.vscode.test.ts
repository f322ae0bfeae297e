// Extension-host tests of the lesson notebook serializer, through VS Code's own notebook documents: a lesson opens as
// cells with their roles, an edit saved writes only that cell (BOM, CRLF and all else kept), undoing it restores the
// file byte for byte, a malformed file opens as notice + raw text and saves back exactly, a huge file is refused, and
// the Problems name the line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './waitFor';

const LESSON = [
  '---', 'id: host-test', 'title: Host test', 'order: 1', 'minutes: 5', 'goals:', '  - round trip', 'author: kept', '---', '',
  '# A lesson   ', '', 'Prose with $a^{\\langle t \\rangle}$.', '',
  '```ts', "const a = 1;  ", '```', '',
  '```ts exercise=__proto__ colour=blue', 'function f() {', '  return 0;', '}', '```', '',
  '```ts check=__proto__ name="f gives 1" points=2', 'expect.equal(await student.f(), 1);', '```', '',
  '<details><summary>Solution</summary>', '', '```ts solution=__proto__', 'function f() {', '  return 1;', '}', '```', '', '</details>',
].join('\r\n');

async function replaceCellText(notebook: vscode.NotebookDocument, index: number, text: string): Promise<void> {
  const document = notebook.cellAt(index).document;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applied');
  assert.equal(document.getText(), text, 'the cell holds the new text');
  await waitFor('the notebook to be dirty', () => (notebook.isDirty ? true : undefined));
}

async function save(notebook: vscode.NotebookDocument): Promise<void> {
  const versionBefore = notebook.version;
  const started = Date.now();
  const saved = await notebook.save();
  if (!saved || notebook.isDirty) {
    const after = { version: notebook.version, dirty: notebook.isDirty, ms: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const later = { version: notebook.version, dirty: notebook.isDirty };
    const again = await notebook.save();
    assert.fail(`saving ${notebook.uri.fsPath} failed (save() gave ${saved}; version ${versionBefore} → ${JSON.stringify(after)}; 2 s later ${JSON.stringify(later)}; saved again: ${again}, dirty ${notebook.isDirty}; file now: ${JSON.stringify(readFileSync(notebook.uri.fsPath, 'utf8').slice(-40))})`);
  }
}

describe('lesson notebooks (*.lesson.md) in a real extension host', function () {
  let folder: string;
  // VS Code in the browser (code-server) auto-saves a changed file after 1 s by default; these tests save explicitly,
  // and an explicit save() that meets a running auto-save returns false with the notebook still dirty (a second save()
  // then returns true): seen 2 times in 2 runs with auto-save on, never with it off. So auto-save is off while they run.
  const files = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('files');
  let autoSave: string | undefined;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'rnn-lab-lessons-'));
    autoSave = files().inspect<string>('autoSave')?.globalValue;
    await files().update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await files().update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
    rmSync(folder, { recursive: true, force: true });
  });

  it('opens a lesson as cells with their roles, saves an edit to that cell only, and an undone edit byte for byte', async function () {
    const path = join(folder, 'host.lesson.md');
    const original = `\uFEFF${LESSON}`;  // BOM, CRLF, trailing spaces, no final newline
    writeFileSync(path, original);
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(path));
    assert.equal(notebook.notebookType, 'rnn-lab-lesson');
    assert.deepEqual(notebook.getCells().map((cell) => [cell.kind, cell.document.languageId, (cell.metadata.rnnLab as { role: { kind: string } }).role.kind]), [
      [vscode.NotebookCellKind.Markup, 'markdown', 'markdown'],
      [vscode.NotebookCellKind.Code, 'typescript', 'code'],
      [vscode.NotebookCellKind.Code, 'typescript', 'exercise'],
      [vscode.NotebookCellKind.Code, 'typescript', 'check'],
      [vscode.NotebookCellKind.Markup, 'markdown', 'markdown'],
    ]);
    assert.equal(notebook.cellAt(2).document.getText(), 'function f() {\n  return 0;\n}');

    await replaceCellText(notebook, 2, 'function f() {\n  return 1;\n}');
    await save(notebook);
    assert.equal(readFileSync(path, 'utf8'), original.replace('  return 0;', '  return 1;'), 'only the edited line changed; CRLF and the BOM stayed');

    await replaceCellText(notebook, 2, 'function f() {\n  return 0;\n}');
    await save(notebook);
    assert.equal(readFileSync(path, 'utf8'), original, 'byte-identical to the file as it was');
  });

  it('opens a malformed lesson as a notice naming the line and the raw text, and saves the text back exactly; the Problems follow', async function () {
    const path = join(folder, 'broken.lesson.md');
    const original = `${LESSON.replace('```ts exercise=__proto__ colour=blue', '````ts exercise=__proto__')}\r\n`;
    writeFileSync(path, original);
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(path));
    assert.equal(notebook.cellCount, 2);
    assert.match(notebook.cellAt(0).document.getText().replace(/\\(.)/g, '$1'), /line 19: the ```` fence opened here is never closed/, 'the notice (markdown, unescaped)');
    assert.equal(notebook.cellAt(1).document.getText(), original.replace(/\r\n/g, '\n'));
    const diagnostics = await waitFor('the Problems of the broken lesson', () => {
      const found = vscode.languages.getDiagnostics(vscode.Uri.file(path));
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.range.start.line + 1, diagnostic.source, diagnostic.message.split(':')[0]]), [
      [19, 'RNN Lab', 'the ```` fence opened here is never closed'],
    ]);

    await replaceCellText(notebook, 1, `${notebook.cellAt(1).document.getText()}\`\`\`\`\n`);
    await save(notebook);
    assert.equal(readFileSync(path, 'utf8'), `${original}\`\`\`\`\r\n`, 'the raw text, edited, in CRLF; the notice is not written');

    await waitFor('the Problems to clear once the saved file reads as a lesson', () => (vscode.languages.getDiagnostics(vscode.Uri.file(path)).length === 0 ? true : undefined));
  });

  it('names a front matter problem on its line in the Problems of a lesson opened as text', async function () {
    const path = join(folder, 'text.lesson.md');
    writeFileSync(path, LESSON.replace('order: 1', 'order: first'));
    await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    const diagnostics = await waitFor('the Problems of the text document', () => {
      const found = vscode.languages.getDiagnostics(vscode.Uri.file(path));
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.range.start.line + 1, diagnostic.message.split(' (')[0]]), [
      [4, '"order" must be a number, not the text "first"'],
    ]);
  });

  it('refuses a lesson file over 5 MB with the reason, and leaves it alone', async function () {
    const path = join(folder, 'huge.lesson.md');
    const huge = `${LESSON}\r\n${'x'.repeat(5 * 1024 * 1024)}\r\n`;
    writeFileSync(path, huge);
    await assert.rejects(Promise.resolve(vscode.workspace.openNotebookDocument(vscode.Uri.file(path))), /RNN Lab opens lesson files of up to 5 MB/);
    assert.equal(readFileSync(path, 'utf8'), huge);
  });
});
