// Test helper: builds dist/cli.js once per test process and runs it as a child process, as a user would.
import { execFileSync, spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPOSITORY = resolve(__dirname, '..', '..');
export const CLI = join(REPOSITORY, 'dist', 'cli.js');

let built = false;

/** Bundles the CLI with the real build script (about a second), so the tests exercise what ships. */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'build.mjs')], { cwd: REPOSITORY, stdio: 'pipe' });
  built = true;
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const folders: string[] = [];
process.on('exit', () => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A fresh empty folder for one test's runs, removed when the test process exits. */
export function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'rnn-lab-cli-'));
  folders.push(folder);
  return folder;
}

export function spawnCli(args: readonly string[], cwd: string = REPOSITORY): ChildProcess {
  ensureBuilt();
  return spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
}

/** Runs the CLI to completion and collects its output. */
export function runCli(args: readonly string[], cwd?: string): Promise<CliResult> {
  const child = spawnCli(args, cwd);
  return collect(child);
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/**
 * Arguments of a training run small enough to take well under a second; `flags` adds or replaces flags
 * (`{ steps: '30', json: true }`). Without `out` the CLI picks its default folder.
 */
export function tinyTrainArgs(out: string | null, flags: Record<string, string | true> = {}): string[] {
  const all: Record<string, string | true> = {
    task: 'dinos', cell: 'gru', hidden: '8', batch: '4', 'seq-len': '10', steps: '12', 'validate-every': '5', ...(out !== null ? { out } : {}), ...flags,
  };
  return ['train', ...Object.entries(all).flatMap(([flag, value]) => (value === true ? [`--${flag}`] : [`--${flag}`, value]))];
}
