// Webview layer: the training dashboard's entry point (bundled to dist/webview.js). Messages from the host update the
// state at once; drawing happens at most once per animation frame, so 20+ updates a second never queue up redraws.
import { parseToPanel, RUN_ID_PATTERN, type FromPanel } from '../shared/protocol';
import { ClippingView } from './clippingView';
import { DashboardState } from './dashboardState';
import { element } from './dom';
import { GatesView } from './gatesView';
import { HiddenStatesView } from './hiddenStatesView';
import { LossView } from './lossView';
import { RunsView } from './runsView';
import { SamplingView } from './samplingView';
import { SavedRunsView } from './savedRunsView';
import { readTheme, watchTheme } from './theme';
import { TimeGradientView } from './timeGradientView';
import { DEFAULT_SETTINGS, MAX_REMEMBERED_RUNS, type Settings, type View, type ViewContext } from './viewContext';

interface VsCodeApi {
  postMessage(message: FromPanel): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Saved settings are untrusted too (an older version may have written them): keep only fields of the right type. */
function restoreSettings(saved: unknown): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  if (typeof saved !== 'object' || saved === null) return settings;
  const record = saved as Record<string, unknown>;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    if (typeof record[key] === typeof DEFAULT_SETTINGS[key]) (settings as unknown as Record<string, unknown>)[key] = record[key];
  }
  if (!['auto', 'on', 'off'].includes(settings.logLoss)) settings.logLoss = 'auto';
  if (settings.quantity !== 'cell') settings.quantity = 'hidden';
  if (settings.gateMeasure !== 'mean') settings.gateMeasure = 'saturated';
  if (!/^\d{1,2}:(forward|reverse)$/.test(settings.hiddenLayer)) settings.hiddenLayer = DEFAULT_SETTINGS.hiddenLayer;
  const runIds = (value: unknown): string[] => (Array.isArray(value) ? value : [])
    .filter((id): id is string => typeof id === 'string' && RUN_ID_PATTERN.test(id)).slice(0, MAX_REMEMBERED_RUNS);
  settings.shownRuns = runIds(record.shownRuns);
  settings.hiddenRuns = runIds(record.hiddenRuns);
  return settings;
}

function start(): void {
  const vscode = acquireVsCodeApi();
  const main = document.getElementById('dashboard') ?? document.body.appendChild(element('main', { attributes: { id: 'dashboard' } }));
  const state = new DashboardState();
  const announcer = element('div', { className: 'visually-hidden', attributes: { role: 'status', 'aria-live': 'polite' } });

  let frameRequested = false;
  let forceNext = true;
  const stats = { frames: 0, messages: 0, ignored: 0, totalDrawMs: 0, maxDrawMs: 0 };
  const requestFrame = (force = false): void => {
    forceNext ||= force;
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(frame);
  };

  const context: ViewContext = {
    settings: restoreSettings(vscode.getState()),
    theme: readTheme(),
    post: (message) => vscode.postMessage(message),
    changed: () => {
      vscode.setState(context.settings);
      requestFrame();
    },
    announce: (text) => {
      announcer.textContent = text;
    },
  };

  const runs = new RunsView(context);
  const saved = new SavedRunsView(context);
  const loss = new LossView(context);
  const clipping = new ClippingView(context);
  const timeGradient = new TimeGradientView(context);
  const gates = new GatesView(context);
  const hiddenStates = new HiddenStatesView(context);
  const sampling = new SamplingView(context);
  const views: View[] = [runs, saved, loss, clipping, timeGradient, gates, hiddenStates, sampling];
  const themed = [loss, clipping, timeGradient, gates, hiddenStates];

  main.replaceChildren(
    element('header', { className: 'page-header' }, [
      element('h1', { text: 'Training dashboard' }),
      element('p', { className: 'caption', text: 'Watch the network learn: the loss, the gradient that backpropagation through time carries back to each time step, and what the gates and hidden state do.' }),
    ]),
    announcer,
    runs.root,
    saved.root,
    element('div', { className: 'row' }, [loss.root, clipping.root]),
    timeGradient.root,
    element('div', { className: 'row' }, [gates.root, hiddenStates.root]),
    sampling.root,
  );

  function frame(): void {
    frameRequested = false;
    const force = forceNext;
    forceNext = false;
    const started = performance.now();
    for (const view of views) view.render(state, force);
    const elapsed = performance.now() - started;
    stats.frames++;
    stats.totalDrawMs += elapsed;
    stats.maxDrawMs = Math.max(stats.maxDrawMs, elapsed);
    main.setAttribute('aria-busy', 'false');
    main.dataset.frames = String(stats.frames);
    main.dataset.messages = String(stats.messages);
    main.dataset.ignored = String(stats.ignored);
    main.dataset.lastDrawMs = elapsed.toFixed(2);
    main.dataset.meanDrawMs = (stats.totalDrawMs / stats.frames).toFixed(2);
    main.dataset.maxDrawMs = stats.maxDrawMs.toFixed(2);
  }

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = parseToPanel(event.data);
    if (!parsed.ok) {
      stats.ignored++;
      main.dataset.ignored = String(stats.ignored);
      console.warn(`RNN Lab dashboard: ignored a message (${parsed.reason})`);
      return;
    }
    stats.messages++;
    state.apply(parsed.message);
    if (parsed.message.type === 'init') saved.restoreChoices(state);
    requestFrame(parsed.message.type === 'init');
  });
  window.addEventListener('resize', () => requestFrame(true));
  watchTheme(() => {
    context.theme = readTheme();
    for (const view of themed) view.applyTheme();
    requestFrame(true);
  });

  requestFrame(true);
  vscode.postMessage({ type: 'ready' });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
