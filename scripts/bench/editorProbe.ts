// Benchmark probe (issue #8's budgets), run INSIDE the editor's extension host: a test extension that
// scripts/bench/editorBench.ts installs beside RNN Lab in code-server. It opens a lesson, runs its first training cell
// through RNN Lab's notebook controller and samples this process's event-loop delay while the cell runs.
import { Session } from 'node:inspector';
import { renameSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { PROBE_VARIABLES, STALL_MS, type ProbeReport, type ProbeRound } from './editorProbeProtocol';

const CONTROLLER = { id: 'rnn-lab-lesson-kernel', extension: 'rnn-lab.rnn-lab' };
const RESOLUTION_MS = 10;
const IDLE_MS = 3000;

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Runs one cell and resolves when its execution has ended, counting the output changes on the way. */
function runCell(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell): Promise<{ outputChanges: number; success: boolean | undefined }> {
  return new Promise((resolve, reject) => {
    let outputChanges = 0;
    const listener = vscode.workspace.onDidChangeNotebookDocument((event) => {
      if (event.notebook !== notebook) return;
      for (const change of event.cellChanges) {
        if (change.cell.index !== cell.index) continue;
        if (change.outputs) outputChanges++;
        const summary = change.executionSummary;
        if (summary?.timing?.endTime !== undefined) {
          listener.dispose();
          resolve({ outputChanges, success: summary.success });
        }
      }
    });
    void vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: notebook.uri }).then(undefined, (error: unknown) => {
      listener.dispose();
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

/** Starts the V8 profiler in this process; the returned function stops it and writes the profile to `file`. */
async function startProfile(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function measure(lessonPath: string, rounds: number, profileFile: string | undefined): Promise<ProbeReport> {
  const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(lessonPath));
  await vscode.window.showNotebookDocument(notebook);
  await vscode.commands.executeCommand('notebook.selectKernel', CONTROLLER);
  const cell = notebook.getCells().find((candidate) => candidate.kind === vscode.NotebookCellKind.Code && candidate.document.getText().includes('await train('));
  if (!cell) throw new Error(`${lessonPath} has no cell that calls await train(`);

  const idle = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  idle.enable();
  await delay(IDLE_MS);
  idle.disable();

  const results: ProbeRound[] = [];
  for (let round = 0; round < rounds; round++) {
    const stopProfile = round === 0 && profileFile ? await startProfile(profileFile) : undefined;
    const lag = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    const cpuBefore = process.cpuUsage();
    const startedAt = Date.now();
    const started = performance.now();
    const stalls: [number, number][] = [];
    let last = started;
    const watcher = setInterval(() => {
      const now = performance.now();
      if (now - last > STALL_MS) stalls.push([(last - started) / 1000, now - last]);
      last = now;
    }, RESOLUTION_MS);
    lag.enable();
    const { outputChanges, success } = await runCell(notebook, cell);
    lag.disable();
    clearInterval(watcher);
    const cpu = process.cpuUsage(cpuBefore);
    await stopProfile?.();
    if (success !== true) throw new Error(`the training cell did not succeed in round ${round + 1}`);
    results.push({ lagP50Ms: lag.percentile(50) / 1e6, lagP99Ms: lag.percentile(99) / 1e6, lagMaxMs: lag.max / 1e6, outputChanges, seconds: (performance.now() - started) / 1000, hostCpuMs: (cpu.user + cpu.system) / 1000, startedAt, endedAt: Date.now(), stalls });
  }
  return { vscodeVersion: vscode.version, node: process.versions.node, cell: cell.document.getText(), idleLagP99Ms: idle.percentile(99) / 1e6, rounds: results };
}

export async function activate(): Promise<void> {
  const target = process.env[PROBE_VARIABLES.results];
  const lesson = process.env[PROBE_VARIABLES.lesson];
  if (!target || !lesson) return;
  let report: ProbeReport;
  try {
    report = await measure(lesson, Number(process.env[PROBE_VARIABLES.rounds] ?? '3'), process.env[PROBE_VARIABLES.profile]);
  } catch (error) {
    report = { vscodeVersion: vscode.version, node: process.versions.node, cell: '', idleLagP99Ms: Number.NaN, rounds: [], error: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
  writeFileSync(`${target}.partial`, JSON.stringify(report, null, 2));
  renameSync(`${target}.partial`, target);
}

export function deactivate(): void {}
