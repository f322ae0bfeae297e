// Extension-host tests: the installed RNN Lab extension as VS Code itself sees it. They run inside a real VS Code
// (code-server here, VS Code desktop through @vscode/test-electron), never under plain mocha.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'rnn-lab.rnn-lab';

function rnnLab(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  return extension;
}

/** `^1.90.0` or `>=1.90.0` → [1, 90, 0]. */
function minimumVersion(range: string): number[] {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(range);
  assert.ok(match, `engines.vscode "${range}" names no version`);
  return match.slice(1, 4).map(Number);
}

function atLeast(version: readonly number[], minimum: readonly number[]): boolean {
  for (let index = 0; index < 3; index++) {
    if (version[index] !== minimum[index]) return version[index] > minimum[index];
  }
  return true;
}

describe('RNN Lab in a real extension host', function () {
  it('is installed and activates without throwing', async function () {
    const extension = rnnLab();
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every command its manifest contributes', async function () {
    const extension = rnnLab();
    await extension.activate();
    const contributed: string[] = (extension.packageJSON.contributes?.commands ?? []).map((command: { command: string }) => command.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((command) => !registered.has(command)), [], 'contributed but not registered');
  });

  it('runs on a VS Code that satisfies its engines.vscode', function () {
    const range: string = rnnLab().packageJSON.engines.vscode;
    const running = vscode.version.split(/[.-]/).slice(0, 3).map(Number);
    assert.ok(atLeast(running, minimumVersion(range)), `VS Code ${vscode.version} is older than engines.vscode ${range}`);
  });
});
