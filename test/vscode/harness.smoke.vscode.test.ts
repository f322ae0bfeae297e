// Proves the end-to-end harness without the real extension: a throwaway extension is packaged with vsce, installed
// into code-server, and its webview (nonce CSP) is opened from the command palette and round-trips a message.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Frame } from 'playwright-core';
import { packageVsix, processesInGroup, temporaryFolder, VsCode, webviewOf } from './harness';

/**
 * The throwaway extension. The host sends `hello` once the webview says `ready`; the webview shows the text and
 * answers `ack`, and the host shows a notification with it. An inline script without the nonce must be blocked.
 */
const SMOKE_MANIFEST = {
  name: 'rnn-lab-smoke',
  displayName: 'RNN Lab Smoke',
  description: 'Throwaway extension that proves the end-to-end test harness.',
  version: '0.0.1',
  publisher: 'rnn-lab-test',
  license: 'MIT',
  engines: { vscode: '^1.90.0' },
  main: './extension.js',
  activationEvents: [],
  contributes: {
    commands: [
      { command: 'rnnLabSmoke.openPanel', title: 'Open Panel', category: 'RNN Lab Smoke' },
      { command: 'rnnLabSmoke.pickFlow', title: 'Pick Flow', category: 'RNN Lab Smoke' },
    ],
  },
};

const SMOKE_EXTENSION = String.raw`
const vscode = require('vscode');
const crypto = require('crypto');

exports.activate = function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('rnnLabSmoke.openPanel', () => {
    const panel = vscode.window.createWebviewPanel('rnnLabSmoke', 'RNN Lab Smoke Panel', vscode.ViewColumn.One, {
      enableScripts: true,
      localResourceRoots: [],
    });
    const nonce = crypto.randomBytes(16).toString('base64');
    panel.webview.html = '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">'
      + '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'nonce-' + nonce + '\'; script-src \'nonce-' + nonce + '\';">'
      + '<title>RNN Lab Smoke</title>'
      + '<style nonce="' + nonce + '">body { font: 16px sans-serif; padding: 1em; } #status { font-size: 28px; color: #3794ff; }</style>'
      + '</head><body><h1>RNN Lab Smoke</h1><p id="status">waiting for the host</p><p>CSP violations: <span id="violations"></span></p>'
      + '<script nonce="' + nonce + '">'
      + 'const vscode = acquireVsCodeApi();'
      + 'const violations = [];'
      + 'document.addEventListener("securitypolicyviolation", (e) => { violations.push(e.violatedDirective); document.getElementById("violations").textContent = violations.join(","); });'
      + 'window.addEventListener("message", (event) => { const m = event.data; if (m && m.type === "hello") { document.getElementById("status").textContent = m.text; vscode.postMessage({ type: "ack", text: m.text }); } });'
      + 'vscode.postMessage({ type: "ready" });'
      + '</script>'
      // After the listener above, so the violation it causes is recorded.
      + '<script>document.body.dataset.unsafeInlineRan = "yes";</script>'
      + '</body></html>';
    panel.webview.onDidReceiveMessage((message) => {
      if (message && message.type === 'ready') {
        panel.webview.postMessage({ type: 'hello', text: 'Hello from the extension host on Node ' + process.versions.node });
      } else if (message && message.type === 'ack' && typeof message.text === 'string') {
        vscode.window.showInformationMessage('RNN Lab Smoke: the webview answered "' + message.text + '"');
      }
    }, undefined, context.subscriptions);
  }));

  // A two-step flow like a new-run wizard: a quick pick, an input box, then a notification with both answers. Like the
  // wizard, it stays open when focus moves (the webview of the test before once took focus and closed it).
  context.subscriptions.push(vscode.commands.registerCommand('rnnLabSmoke.pickFlow', async () => {
    const cell = await vscode.window.showQuickPick(['RNN', 'GRU', 'LSTM'], { placeHolder: 'Cell type', ignoreFocusOut: true });
    if (!cell) return;
    const hidden = await vscode.window.showInputBox({ prompt: 'Hidden size', value: '16', ignoreFocusOut: true });
    if (!hidden) return;
    vscode.window.showInformationMessage('RNN Lab Smoke: picked ' + cell + ' with hidden size ' + hidden);
  }));
};
exports.deactivate = function deactivate() {};
`;

function buildSmokeVsix(folder: string): string {
  const extension = join(folder, 'extension');
  mkdirSync(extension, { recursive: true });
  writeFileSync(join(extension, 'package.json'), JSON.stringify(SMOKE_MANIFEST, null, 2));
  writeFileSync(join(extension, 'extension.js'), SMOKE_EXTENSION);
  writeFileSync(join(extension, 'README.md'), '# RNN Lab Smoke\n\nThrowaway extension for the end-to-end harness test.\n');
  writeFileSync(join(extension, 'LICENSE'), 'MIT\n');
  return packageVsix(extension, join(folder, 'rnn-lab-smoke-0.0.1.vsix'));
}

describe('VS Code harness (code-server + chromium), with a throwaway extension', function () {
  let folder: string;
  let vscode: VsCode;
  let frame: Frame;
  const timings: Record<string, number> = {};

  before(async function () {
    folder = temporaryFolder('rnn-lab-smoke-');
    let started = Date.now();
    const vsix = buildSmokeVsix(folder);
    timings.packageMs = Date.now() - started;
    started = Date.now();
    vscode = await VsCode.launch({ name: 'smoke', vsix: [vsix] });
    timings.launchMs = Date.now() - started;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && vscode) await vscode.captureFailure(this.currentTest.title);
  });

  after(async function () {
    if (vscode) {
      const memory = vscode.memoryMiB();
      console.log(`      timings ${JSON.stringify({ ...timings, ...vscode.timings })}; memory MiB ${JSON.stringify(memory)}`);
      const groups = vscode.processGroups();
      await vscode.close();
      // Teardown is part of the contract: nothing of code-server or chromium may outlive the session.
      const leftovers = groups.flatMap((group) => processesInGroup(group));
      assert.deepEqual(leftovers, [], `processes left after close(): ${leftovers.join(' ')}`);
    }
  });

  it('opens the workbench on the requested folder with the extension installed', async function () {
    const explorer = vscode.page.locator('.explorer-folders-view, .explorer-viewlet').first();
    await explorer.waitFor({ state: 'attached' });
    assert.match(await vscode.page.title(), /workspace/, 'the window title names the opened folder');
    assert.equal(await vscode.isRestrictedMode(), false, 'workspace trust is off by default');
  });

  it('runs the command from the palette and finds its webview frame', async function () {
    await vscode.runCommand('RNN Lab Smoke: Open Panel');
    frame = await vscode.webviewFrame('RNN Lab Smoke Panel'); // the panel's title, as on its tab
    assert.equal(await frame.locator('h1').innerText(), 'RNN Lab Smoke');
    // The same frame, found by the webview document's <title> and by the extension that owns it.
    assert.equal(await vscode.webviewFrame('RNN Lab Smoke'), frame);
    assert.equal(await vscode.webviewFrame(webviewOf('rnn-lab-test.rnn-lab-smoke')), frame);
  });

  it('round-trips messages: host → webview text, webview → host notification', async function () {
    const status = frame.locator('#status');
    await status.filter({ hasText: /Hello from the extension host/ }).waitFor();
    const text = await status.innerText();
    // The extension host is code-server's own Node (24), not VS Code desktop's Electron.
    assert.match(text, /^Hello from the extension host on Node 24\./);
    const toast = await vscode.waitForNotification('RNN Lab Smoke: the webview answered');
    assert.ok(toast.includes(text), `notification "${toast}" carries the webview's answer`);
    await vscode.screenshot('smoke-webview');
  });

  it('answers a quick pick and an input box in a command\'s flow', async function () {
    await vscode.runCommand('RNN Lab Smoke: Pick Flow');
    await vscode.acceptQuickPick({ pick: 'LSTM' });
    await vscode.acceptQuickPick({ text: '32' });
    await vscode.waitForNotification('RNN Lab Smoke: picked LSTM with hidden size 32');
  });

  it('enforces the webview CSP: the inline script without the nonce did not run and was reported', async function () {
    assert.equal(await frame.locator('body').getAttribute('data-unsafe-inline-ran'), null);
    const violations = frame.locator('#violations');
    await violations.filter({ hasText: 'script-src' }).waitFor();
    assert.match(await violations.innerText(), /script-src/);
  });
});

describe('VS Code harness with Workspace Trust kept on', function () {
  let vscode: VsCode | undefined;

  after(async function () {
    await vscode?.close();
  });

  it('opens the folder in Restricted Mode', async function () {
    vscode = await VsCode.launch({ name: 'trust', workspaceTrust: true });
    await vscode.page.locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    assert.equal(await vscode.isRestrictedMode(), true);
    await vscode.screenshot('restricted-mode');
  });
});
