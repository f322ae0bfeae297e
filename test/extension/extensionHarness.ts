// Test helper for the extension's vscode-free parts: the repository paths, the built worker (dist/worker.js is what
// ships, so the thread tests run it), and temporary folders removed when the test process exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureBuilt } from '../cli/cliHarness';

export const REPOSITORY = resolve(__dirname, '..', '..');
export const WORKER_SCRIPT = join(REPOSITORY, 'dist', 'worker.js');

/** Bundles dist/ with the real build script once per test process (npm test has just built it; this is cheap). */
export function ensureWorkerBuilt(): string {
  ensureBuilt();
  return WORKER_SCRIPT;
}

const folders: string[] = [];
process.on('exit', () => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

export function temporaryFolder(prefix = 'rnn-lab-extension-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** `{0}`, `{1}` … replaced by the arguments, as vscode.l10n.t does for the default language. */
export function translate(message: string, ...args: (string | number)[]): string {
  return message.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
}
