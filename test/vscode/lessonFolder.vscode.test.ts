// Open Lesson in a window with no folder open, as a student who has not opened one meets it (the real .vsix in
// code-server): RNN Lab asks where to keep the lessons, makes ~/rnn-lab-lessons, opens it, and the lesson opens there —
// a file the Explorer shows, which Continue Where I Left Off finds again after a reload. Nothing goes to hidden storage.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCatalogue } from '../../src/extension/host/lessonCatalogue';
import { parseLesson } from '../../src/lessons/lessonFile';
import { packageVsix, REPOSITORY, temporaryFolder, VsCode } from './harness';

describe('Open Lesson with no folder open (the real .vsix in code-server)', function () {
  let vscode: VsCode | undefined;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && vscode) await vscode.captureFailure(this.currentTest.title);
  });

  after(async function () {
    await vscode?.close();
  });

  it('offers ~/rnn-lab-lessons, opens it with the lesson in it, and Continue finds the lesson there after a reload', async function () {
    this.timeout(300_000);
    execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'build.mjs')], { cwd: REPOSITORY, stdio: 'pipe' });
    const vsix = packageVsix(REPOSITORY, join(temporaryFolder('rnn-lab-lesson-folder-'), 'rnn-lab.vsix'));
    const home = temporaryFolder('rnn-lab-home-');
    const first = (await readCatalogue(join(REPOSITORY, 'lessons'), parseLesson)).lessons[0];
    const lessonsFolder = join(home, 'rnn-lab-lessons');

    vscode = await VsCode.launch({ name: 'lesson-folder', vsix: [vsix], noFolder: true, env: { HOME: home } });
    const page = vscode.page;
    await vscode.runCommand('RNN Lab: Open Lesson');
    await vscode.acceptQuickPick({ pick: `${first.order}. ${first.title}` });

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /Where should your lessons be kept\?[\s\S]*No folder is open/);
    await vscode.screenshot('lesson-folder-question');
    const reloaded = page.waitForURL((url) => url.searchParams.get('folder') === lessonsFolder, { timeout: 60_000 });
    await dialog.locator('.monaco-button', { hasText: 'Create and Open ~/rnn-lab-lessons' }).click();
    await reloaded;

    // The window now has the folder open, the lesson open from it, and the Explorer lists the file.
    const tab = page.locator('.tabs-container .tab', { hasText: first.fileName });
    await tab.first().waitFor({ state: 'visible', timeout: 90_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: first.fileName }).first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.deepEqual(readdirSync(lessonsFolder), [first.fileName], 'the copy is in the folder itself (no rnn-lab-lessons/rnn-lab-lessons)');
    await vscode.screenshot('lesson-folder-opened');

    // After a reload, with every editor closed, Continue opens that same copy.
    await vscode.runCommand('View: Close All Editors');
    await tab.first().waitFor({ state: 'hidden' });
    await vscode.reloadWindow();
    await vscode.runCommand('RNN Lab: Continue Where I Left Off');
    await tab.first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.deepEqual(readdirSync(lessonsFolder), [first.fileName]);
    assert.equal(existsSync(join(vscode.userDataDir, 'User', 'globalStorage', 'rnn-lab.rnn-lab', 'lessons')), false, 'nothing was copied into hidden storage');
  });
});
