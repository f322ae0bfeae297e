// Completion and hover for the 'rnn-lab' API in a lesson cell, in a real code-server with the real .vsix, as a student
// meets them: open a lesson, type `course.` in a cell, see rnnCellForward with its doc comment, hover it, see its
// signature. Screenshots go to test-artifacts/vscode/cell-language/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageVsix, REPOSITORY, temporaryFolder, VsCode, waitForValue } from './harness';

const LESSON = `---
id: completion-demo
title: Completion demo
order: 99
minutes: 1
goals:
  - Use the course API
---

# Completion demo

\`\`\`ts
import { course } from 'rnn-lab';
const [xt, aPrev] = course.randnInOrder(1, [3, 10], [5, 10]);
\`\`\`

Next, one step of the cell:

\`\`\`ts
const steps = 1;
\`\`\`
`;

describe('completion and hover in a lesson cell (the real .vsix in code-server)', function () {
  this.timeout(300_000);
  let vscode: VsCode | undefined;

  before(async function () {
    execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'build.mjs')], { cwd: REPOSITORY, stdio: 'pipe' });
    const vsix = packageVsix(REPOSITORY, join(temporaryFolder('rnn-lab-cell-language-'), 'rnn-lab.vsix'));
    const workspace = temporaryFolder('rnn-lab-cell-language-workspace-');
    writeFileSync(join(workspace, 'demo.lesson.md'), LESSON);
    vscode = await VsCode.launch({ name: 'cell-language', vsix: [vsix], workspace, viewport: { width: 1400, height: 900 } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vscode?.captureFailure(this.currentTest.title.replace(/\W+/g, '-'));
  });

  after(async () => {
    await vscode?.close();
  });

  it('typing `course.` offers rnnCellForward with its doc comment; hovering it shows the signature', async () => {
    const page = vscode!.page;
    // Quick Open (F1, then the file's name without the '>' of commands) opens the lesson as a notebook.
    await page.keyboard.press('F1');
    const input = vscode!.quickInput.locator('.quick-input-box input');
    await input.fill('demo.lesson.md');
    await vscode!.quickInput.locator('.monaco-list-row', { hasText: 'demo.lesson.md' }).first().waitFor();
    await page.keyboard.press('Enter');
    const cells = page.locator('.notebook-editor .cell.code-cell-row');
    await waitForValue(() => cells.count(), (count) => count === 2, { timeoutMs: 60_000, intervalMs: 250, what: 'the lesson notebook with its two code cells' });

    // In the second cell, at the end of its line: a new line, then `course.`.
    const editor = cells.nth(1).locator('.monaco-editor .view-lines');
    await editor.click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('course.rnnCell', { delay: 60 });
    const suggest = page.locator('.editor-widget.suggest-widget');
    const rows = suggest.locator('.monaco-list-row');
    const labels = await waitForValue(() => rows.allTextContents(), (texts) => texts.some((text) => text.includes('rnnCellForward')),
      { timeoutMs: 90_000, intervalMs: 250, what: 'rnnCellForward among the suggestions' });
    console.log(`      suggestions: ${labels.join(' | ')}`);
    // The details of the focused suggestion (Ctrl+Space toggles them), as a student reads them.
    const details = suggest.locator('.suggest-details, .suggest-details-container .suggest-details').first();
    if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
    const detailText = await waitForValue(() => page.locator('.suggest-details').first().innerText().catch(() => ''),
      (text) => text.includes('one step of the basic RNN'), { timeoutMs: 30_000, intervalMs: 250, what: 'the doc comment of rnnCellForward beside the suggestion' });
    assert.match(detailText, /rnnCellForward\(xtArgument/);
    await vscode!.screenshot('completion');

    // Accept it, then hover the name: the signature and the doc comment.
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await vscode!.runCommand('Show or Focus Hover');
    const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents, .monaco-hover:not(.hidden) .monaco-hover-content').first();
    const hoverText = await waitForValue(() => hover.innerText().catch(() => ''), (text) => text.includes('rnnCellForward('),
      { timeoutMs: 30_000, intervalMs: 250, what: 'the hover over rnnCellForward' });
    assert.match(hoverText, /function (course\.)?rnnCellForward\(xtArgument: /);
    assert.match(hoverText, /one step of the basic RNN/);
    await vscode!.screenshot('hover');
  });
});
