// VS Code glue: what the commands and the dashboard share — settings, the runs folder, the RNN Lab output channel and
// the run manager. Everything is created on first use, so activation itself does no work.
import { isAbsolute, join, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { RunManager } from './host/runManager';
import { readSettings, SETTINGS_SECTION, type Settings } from './host/settingsTable';

export class Services implements vscode.Disposable {
  private channel: vscode.LogOutputChannel | undefined;
  private manager: RunManager | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext, private readonly activationMs: () => number) {}

  get output(): vscode.LogOutputChannel {
    if (!this.channel) {
      this.channel = vscode.window.createOutputChannel('RNN Lab', { log: true });
      this.channel.info(`RNN Lab ${this.version} activated in ${this.activationMs().toFixed(1)} ms (commands and the dashboard serializer registered; no worker started).`);
    }
    return this.channel;
  }

  readonly log = (line: string): void => this.output.info(line);

  get version(): string {
    return String((this.context.extension.packageJSON as { version?: unknown }).version ?? 'unknown');
  }

  get extensionUri(): vscode.Uri {
    return this.context.extensionUri;
  }

  /** The run manager; no worker thread starts until a run is started or sampled. */
  get runs(): RunManager {
    if (!this.manager) {
      const manager = new RunManager({
        workerScript: vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'worker.js').fsPath,
        version: this.version,
        runsRoot: () => this.runsRoot(),
        metricsPerSecond: () => this.settings().metricsPerSecond,
        log: this.log,
      });
      this.disposables.push(manager.onProblem((problem) => {
        void vscode.window.showWarningMessage(vscode.l10n.t('RNN Lab cannot read a saved run: {0}. Nothing was changed or deleted.', problem.message));
      }));
      this.manager = manager;
    }
    return this.manager;
  }

  /** True once the run manager exists (it is only created when needed). */
  get hasRuns(): boolean {
    return this.manager !== undefined;
  }

  settings(): Settings {
    const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, vscode.workspace.workspaceFolders?.[0]?.uri);
    return readSettings((key) => configuration.get(key));
  }

  /**
   * Where runs are saved: `rnnLab.runsFolder` inside the first workspace folder, or the extension's global storage
   * when no folder is open. A setting that points outside the workspace folder is refused (a workspace's settings
   * must not make RNN Lab write elsewhere on the disk).
   */
  runsRoot(): string {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file') return join(this.context.globalStorageUri.fsPath, 'runs');
    const base = folder.uri.fsPath;
    const setting = this.settings().runsFolder;
    const root = resolve(base, setting);
    const inside = relative(base, root);
    if (isAbsolute(setting) || inside.startsWith('..') || isAbsolute(inside)) {
      throw new Error(vscode.l10n.t('The setting rnnLab.runsFolder must be a folder inside the workspace folder (a relative path such as .rnn-lab/runs), got {0}', setting));
    }
    return root;
  }

  async dispose(): Promise<void> {
    const manager = this.manager;
    this.manager = undefined;
    if (manager) await manager.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.channel?.dispose();
    this.channel = undefined;
  }
}
