// VS Code glue: one kernel process per open lesson notebook (dist/kernel.js, started on the first run), restarted on
// request, and ended when its notebook closes or the extension deactivates. Student code never runs in the host.
import * as vscode from 'vscode';
import { KernelProcess } from '../../node/kernelProcess';
import type { Services } from '../services';

interface NotebookKernel {
  readonly kernel: Promise<KernelProcess>;
  /** Cells run since this kernel started: Check runs the cells above an exercise first when it is 0. */
  runs: number;
  /** The execution order shown next to cells; it starts again at 1 after a restart, as in Jupyter. */
  executionOrder: number;
}

export class LessonKernels implements vscode.Disposable {
  private readonly kernels = new Map<string, NotebookKernel>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly services: Services) {
    this.subscription = vscode.workspace.onDidCloseNotebookDocument((notebook) => this.end(notebook));
  }

  /** The notebook's kernel, started when it has none (or its last one failed to start). */
  async kernelFor(notebook: vscode.NotebookDocument): Promise<{ readonly kernel: KernelProcess; readonly state: { runs: number; executionOrder: number } }> {
    const key = notebook.uri.toString();
    let entry = this.kernels.get(key);
    if (!entry) {
      const kernel = KernelProcess.start({
        kernelScript: vscode.Uri.joinPath(this.services.extensionUri, 'dist', 'kernel.js').fsPath,
        cellTimeLimitMs: this.services.settings().cellTimeLimitSeconds * 1000,
        cwd: this.workingFolder(notebook),
      });
      entry = { kernel, runs: 0, executionOrder: 0 };
      const started = entry;
      this.kernels.set(key, started);
      kernel.then((process) => {
        process.onDidRestart(() => {
          started.runs = 0;
          started.executionOrder = 0;
        });
        this.services.log(`Lesson kernel started for ${notebook.uri.fsPath}`);
      }, (error: unknown) => {
        if (this.kernels.get(key) === started) this.kernels.delete(key);
        this.services.log(`Lesson kernel failed to start for ${notebook.uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    return { kernel: await entry.kernel, state: entry };
  }

  /** The running kernel of a notebook, without starting one. */
  async existing(notebook: vscode.NotebookDocument): Promise<KernelProcess | undefined> {
    return this.kernels.get(notebook.uri.toString())?.kernel.catch(() => undefined);
  }

  async restart(notebook: vscode.NotebookDocument): Promise<boolean> {
    const kernel = await this.existing(notebook);
    if (!kernel) return false;
    await kernel.restart();
    return true;
  }

  private end(notebook: vscode.NotebookDocument): void {
    const key = notebook.uri.toString();
    const entry = this.kernels.get(key);
    this.kernels.delete(key);
    void entry?.kernel.then((kernel) => kernel.dispose(), () => undefined);
  }

  /** The lesson's folder, so a cell that reads a relative path reads next to the lesson. */
  private workingFolder(notebook: vscode.NotebookDocument): string | undefined {
    return notebook.uri.scheme === 'file' ? vscode.Uri.joinPath(notebook.uri, '..').fsPath : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    for (const entry of this.kernels.values()) void entry.kernel.then((kernel) => kernel.dispose(), () => undefined);
    this.kernels.clear();
  }
}
