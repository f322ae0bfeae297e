// VS Code glue: the training dashboard — one webview panel, restored after a reload by its serializer. The host owns
// the truth: on every 'ready' (the page reloads whenever it becomes visible again, as retainContextWhenHidden is off)
// it replays the runs with a downsampled history and lists every saved run, then streams what happens next. Every
// message from the page is narrowed by parseFromPanel; none of them can choose a path or a command (a run is named by
// its id, which the run manager looks up inside the runs folder). A request that fails is answered with its error,
// so the page never waits for an answer that will not come.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { dashboardHtml } from '../shared/dashboardHtml';
import { parseFromPanel, type FromPanel, type ToPanel } from '../shared/protocol';
import { exportRunCsv, exportPng } from './exports';
import { answer, refusal, type DashboardRequest } from './host/dashboardRequests';
import type { Services } from './services';
import { ensureTrusted } from './trust';

export const DASHBOARD_VIEW_TYPE = 'rnnLab.dashboard';

/** Only our own bundle and stylesheet may load: dist/ and media/ of the extension, nothing from the workspace. */
export function dashboardWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class DashboardPanel implements vscode.Disposable {
  private static current: DashboardPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** 'ready' received from the page now loaded; while false, messages are dropped (the next 'init' replays them). */
  private ready = false;
  /** Messages that happened while an 'init' was being assembled; posted right after it. */
  private queued: ToPanel[] | undefined;

  /** Shows the dashboard, creating it if needed. */
  static show(services: Services, column = vscode.ViewColumn.Active): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal(column, true);
      return DashboardPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, vscode.l10n.t('RNN Lab Dashboard'), { viewColumn: column, preserveFocus: true }, {
      ...dashboardWebviewOptions(services.extensionUri),
      retainContextWhenHidden: false,
    });
    DashboardPanel.current = new DashboardPanel(panel, services);
    return DashboardPanel.current;
  }

  /** The open dashboard, if any (to show samples there too). */
  static get open(): DashboardPanel | undefined {
    return DashboardPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, services: Services): void {
    DashboardPanel.current?.dispose();
    DashboardPanel.current = new DashboardPanel(panel, services);
  }

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly services: Services) {
    const webview = panel.webview;
    webview.options = dashboardWebviewOptions(services.extensionUri);
    webview.html = dashboardHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(services.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(services.extensionUri, 'media', 'dashboard.css')).toString(),
      title: vscode.l10n.t('RNN Lab Dashboard'),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;   // the page is discarded while hidden; it says 'ready' again
      }),
      panel.onDidDispose(() => this.dispose()),
      services.runs.onPanelMessage((message) => this.post(message)),
    );
  }

  /** Posts a message if the page is ready for it (used for samples asked from the Command Palette). */
  post(message: ToPanel): void {
    if (this.queued) {
      this.queued.push(message);
      return;
    }
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }

  private receive(raw: unknown): void {
    const parsed = parseFromPanel(raw);
    if (!parsed.ok) {
      this.services.log(`Dashboard message ignored: ${parsed.reason}`);
      return;
    }
    void this.handle(parsed.message).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.services.log(`Dashboard request ${parsed.message.type} failed: ${message}`);
      void vscode.window.showErrorMessage(message);
    });
  }

  private async handle(message: FromPanel): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.sendInit();
        return;
      case 'stop':
        this.services.runs.stop(message.runId);
        return;
      case 'sample':
      case 'hiddenStates':
      case 'loadRun': {
        const refused = await this.untrusted(message);
        this.post(refused ? refusal(message, refused) : await answer(this.services.runs, message, this.services.log));
        return;
      }
      case 'exportCsv':
        await exportRunCsv(this.services, message.runId);
        return;
      case 'exportPng':
        await exportPng(message.chart, message.dataUrl);
        return;
    }
  }

  /**
   * Why Restricted Mode refuses `request`, or undefined when it may run. A saved run's metrics may always be viewed;
   * sampling asks (the learner clicked Generate); hidden states, which the page asks for on its own, only say why not.
   */
  private async untrusted(request: DashboardRequest): Promise<string | undefined> {
    switch (request.type) {
      case 'loadRun':
        return undefined;
      case 'sample':
        return (await ensureTrusted(vscode.l10n.t('Sampling'))) ? undefined : vscode.l10n.t('Sampling is not available in Restricted Mode: trust the workspace to sample.');
      case 'hiddenStates':
        return vscode.workspace.isTrusted ? undefined
          : vscode.l10n.t('Hidden states are computed by running the model, which Restricted Mode does not allow: trust the workspace to see them.');
    }
  }

  /** Replays everything; messages fired while the saved runs are read are held and sent after the 'init'. */
  private async sendInit(): Promise<void> {
    this.ready = false;
    this.queued = [];
    let init: ToPanel;
    try {
      init = await this.services.runs.snapshot();
    } catch (error) {
      this.queued = undefined;
      throw error;
    }
    const queued = this.queued;
    this.queued = undefined;
    this.ready = true;
    void this.panel.webview.postMessage(init);
    for (const message of queued) void this.panel.webview.postMessage(message);
  }
}

/** The serializer that brings the dashboard back after a window reload (activation: onWebviewPanel:rnnLab.dashboard). */
export function registerDashboard(services: Services): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
      DashboardPanel.revive(panel, services);
    },
  });
}
