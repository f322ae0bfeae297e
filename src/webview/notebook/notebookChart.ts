// Webview layer (notebook renderer): one RNN Lab output in a notebook cell — the dashboard's own views (run cards,
// loss, ‖∂L/∂a⟨t⟩‖, heatmaps, gates, hidden states) fed from the output's payload instead of the host, inside a shadow
// root that carries the dashboard's stylesheet (so nothing leaks into or out of the notebook's other outputs).
import { parseNotebookPayload, type NotebookPayload } from '../../shared/notebookOutput';
import { bindChartsOnPage, destroyChartsIn } from '../charts';
import { DashboardState } from '../dashboardState';
import { element } from '../dom';
import { GatesView } from '../gatesView';
import { HiddenStatesView } from '../hiddenStatesView';
import { LossView } from '../lossView';
import { RunsView } from '../runsView';
import { readTheme, type Theme } from '../theme';
import { TimeGradientView } from '../timeGradientView';
import { DEFAULT_SETTINGS, type View, type ViewContext } from '../viewContext';

/**
 * What the dashboard's stylesheet does not cover here: the shadow host, and high contrast (it keys on <body>). The run
 * cards leave out the task's description: a lesson states it, and every output of a cell would repeat it.
 */
const NOTEBOOK_CSS = `
:host { display: block; color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); line-height: 1.45; }
.notebook-chart { padding: 4px 0 8px; }
.notebook-chart .run-list { margin: 0 0 10px; }
.notebook-chart .run-task { display: none; }
.notebook-chart .panel { margin: 0; }
.notebook-problem { margin: 0; padding: 8px 12px; border-left: 3px solid var(--vscode-errorForeground); color: var(--vscode-foreground); background: var(--vscode-inputValidation-errorBackground, transparent); }
:host-context(body.vscode-high-contrast) .panel, :host-context(body.vscode-high-contrast) .run,
:host-context(body.vscode-high-contrast-light) .panel, :host-context(body.vscode-high-contrast-light) .run { border-color: var(--vscode-contrastBorder); }
`;

/** The stylesheets of every output: the dashboard's, then the notebook's additions. Built once per page. */
export function notebookStylesheets(dashboardCss: string): CSSStyleSheet[] {
  return [dashboardCss, NOTEBOOK_CSS].map((text) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    return sheet;
  });
}

/** The kind of view an output shows: one per payload view. */
function viewFor(payload: NotebookPayload, context: ViewContext): View & { applyTheme?(): void } {
  switch (payload.view) {
    case 'loss':
      return new LossView(context);
    case 'gates':
      return new GatesView(context);
    case 'hiddenStates':
      return new HiddenStatesView(context);
    case 'timeGradients':
      return new TimeGradientView(context, payload.mime === 'application/vnd.rnnlab.heatmap+json' ? 'heatmaps' : 'lines');
  }
}

/** The dashboard state the views read, built from the payload exactly as the host's messages would build it. */
function stateOf(payload: NotebookPayload): DashboardState {
  const state = new DashboardState();
  state.apply({ type: 'init', runs: payload.runs.map((run) => run.info), history: payload.runs.map((run) => ({ runId: run.info.id, steps: run.steps })), saved: [] });
  for (const run of payload.runs) {
    for (const states of run.hiddenStates ?? []) state.apply({ type: 'hiddenStates', runId: run.info.id, ...states });
  }
  return state;
}

/** One output element's chart: drawn at most once per animation frame, redrawn in place when the output is replaced. */
export class NotebookChart {
  readonly root = element('div', { className: 'notebook-chart' });
  private readonly shadow: ShadowRoot;
  private context: ViewContext | undefined;
  private views: (View & { applyTheme?(): void })[] = [];
  private viewKey = '';
  private state: DashboardState | undefined;
  private frameRequested = false;
  /** Frames drawn: exposed on the root (`data-frames`) for the tests, as the dashboard does. */
  private frames = 0;
  private readonly resizeObserver: ResizeObserver;
  private disposed = false;

  constructor(readonly host: HTMLElement, stylesheets: readonly CSSStyleSheet[]) {
    this.shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    this.shadow.adoptedStyleSheets = [...stylesheets];
    this.shadow.replaceChildren(this.root);
    // The output's width follows the editor's: heatmaps (plain canvases) are redrawn to it; chart.js follows by itself.
    this.resizeObserver = new ResizeObserver(() => this.requestFrame());
    this.resizeObserver.observe(this.root);
  }

  /** VS Code disposed of the output: its charts are destroyed, its size no longer followed, no frame drawn. */
  dispose(): void {
    this.disposed = true;
    this.resizeObserver.disconnect();
    destroyChartsIn(this.root);
  }

  /** Draws `data` (the output item's JSON), or says plainly why it cannot. */
  show(mime: string, data: () => unknown): void {
    let value: unknown;
    try {
      value = data();
    } catch (error) {
      this.problem(`its data is not JSON (${(error as Error).message})`);
      return;
    }
    const parsed = parseNotebookPayload(mime, value);
    if (!parsed.ok) {
      this.problem(parsed.reason);
      return;
    }
    const payload = parsed.payload;
    delete this.root.dataset.problem;
    // A live chart's updates keep the views (and the learner's choices in them); another kind of output rebuilds them.
    const viewKey = `${payload.mime}|${payload.view}|${payload.runs.map((run) => run.info.id).join(',')}`;
    if (viewKey !== this.viewKey || !this.context) {
      this.viewKey = viewKey;
      this.context = this.newContext();
      this.views = [new RunsView(this.context), viewFor(payload, this.context)];
      destroyChartsIn(this.root);
      this.root.replaceChildren(...this.views.map((view) => view.root));
      bindChartsOnPage(this.root);
      this.root.dataset.view = `${payload.mime === 'application/vnd.rnnlab.chart+json' ? 'chart' : 'heatmap'}:${payload.view}`;
    }
    this.state = stateOf(payload);
    this.requestFrame();
  }

  /** VS Code switched theme: re-read the colours and redraw. */
  applyTheme(theme: Theme): void {
    if (!this.context) return;
    this.context.theme = theme;
    for (const view of this.views) view.applyTheme?.();
    this.requestFrame();
  }

  private newContext(): ViewContext {
    const context: ViewContext = {
      settings: { ...DEFAULT_SETTINGS, shownRuns: [], hiddenRuns: [] },
      theme: readTheme(),
      hostActions: false,
      // Nothing to ask a host for: the payload holds all there is (every layer's hidden states included).
      post: () => undefined,
      changed: () => this.requestFrame(),
      announce: () => undefined,
    };
    return context;
  }

  private requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      if (!this.state || this.disposed) return;
      try {
        for (const view of this.views) view.render(this.state, true);
        this.root.dataset.frames = String(++this.frames);
      } catch (error) {
        this.problem(`drawing it failed: ${(error as Error).message}`);
      }
    });
  }

  private problem(reason: string): void {
    this.viewKey = '';
    this.context = undefined;
    this.views = [];
    this.state = undefined;
    delete this.root.dataset.view;
    destroyChartsIn(this.root);
    this.root.replaceChildren(element('p', {
      className: 'notebook-problem',
      text: `RNN Lab could not draw this chart: ${reason}. Run the cell again to make a new one.`,
      attributes: { role: 'alert' },
    }));
    this.root.dataset.problem = reason;
  }
}
