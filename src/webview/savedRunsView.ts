// Webview layer: every saved run by label, each with a Show / Hide toggle. 'init' brings only the most recent saved
// runs with their history; Show asks the host for any other one ('loadRun', by id — the host finds the folder), Hide
// takes a run off the charts (not off the disk). The choice is remembered across reloads of the panel.
import type { DashboardState } from './dashboardState';
import { element } from './dom';
import { MAX_REMEMBERED_RUNS, type View, type ViewContext } from './viewContext';

const STATUS_TEXT = { done: 'finished', stopped: 'stopped', error: 'error', diverged: 'diverged' } as const;

/** "25 Jan 2026, 14:03" in the page's locale; the ISO text when it is not a date. */
function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function remember(list: string[], id: string): string[] {
  return [id, ...list.filter((other) => other !== id)].slice(0, MAX_REMEMBERED_RUNS);
}

export class SavedRunsView implements View {
  readonly root = element('details', { className: 'saved-runs' });
  private readonly summary = element('summary');
  private readonly list = element('ul', { className: 'saved-run-list' });
  private key = '';

  constructor(private readonly context: ViewContext) {
    this.root.append(this.summary, element('p', { className: 'caption', text: 'Every run saved in the runs folder, newest first. The most recent ones are shown when the dashboard opens; show any other to compare it, or hide one to unclutter the charts (nothing is deleted).' }), this.list);
  }

  /** After 'init': applies the learner's earlier choices — hides what they hid, asks again for what they showed. */
  restoreChoices(state: DashboardState): void {
    const settings = this.context.settings;
    const saved = new Set(state.saved.map((entry) => entry.id));
    settings.hiddenRuns = settings.hiddenRuns.filter((id) => saved.has(id));
    settings.shownRuns = settings.shownRuns.filter((id) => saved.has(id));
    for (const id of settings.hiddenRuns) state.remove(id);
    for (const id of settings.shownRuns) if (!state.run(id)) this.show(state, id);
  }

  render(state: DashboardState, force: boolean): void {
    const key = `${state.runListVersion}|${state.saved.length}`;
    if (!force && key === this.key) return;
    this.key = key;
    this.root.hidden = state.saved.length === 0;
    const shown = state.saved.filter((entry) => state.run(entry.id)).length;
    // The rows are rebuilt: a keyboard user who just pressed Show keeps the focus on that run's button.
    const focused = (document.activeElement?.closest('.saved-run') as HTMLElement | null)?.dataset.runId;
    this.summary.textContent = `Saved runs: ${state.saved.length} (${shown} shown)`;
    this.list.replaceChildren(...state.saved.map((entry) => {
      const isShown = state.run(entry.id) !== undefined;
      const loading = state.loading.has(entry.id);
      const error = state.loadErrors.get(entry.id);
      const button = element('button', {
        className: 'secondary', text: loading ? 'Loading…' : isShown ? 'Hide' : 'Show',
        attributes: { type: 'button', 'aria-pressed': String(isShown), 'aria-label': `${isShown ? 'Hide' : 'Show'} ${entry.label} (${formatDate(entry.startedAt)})` },
      });
      // Not `disabled` while loading: a disabled button drops the keyboard focus.
      if (loading) button.setAttribute('aria-disabled', 'true');
      button.addEventListener('click', () => {
        if (state.loading.has(entry.id)) return;
        if (state.run(entry.id)) this.hide(state, entry.id);
        else this.show(state, entry.id);
      });
      return element('li', { className: 'saved-run', attributes: { 'data-run-id': entry.id } }, [
        element('span', { className: 'saved-run-label', text: entry.label }),
        element('span', { className: 'saved-run-date', text: formatDate(entry.startedAt) }),
        element('span', { className: `status status-${entry.status}`, text: STATUS_TEXT[entry.status] }),
        button,
        ...(error ? [element('p', { className: 'run-message', text: `Cannot show this run: ${error}` })] : []),
      ]);
    }));
    if (focused !== undefined) Array.from(this.list.children).find((row) => (row as HTMLElement).dataset.runId === focused)?.querySelector('button')?.focus();
  }

  private show(state: DashboardState, id: string): void {
    const settings = this.context.settings;
    settings.hiddenRuns = settings.hiddenRuns.filter((other) => other !== id);
    settings.shownRuns = remember(settings.shownRuns, id);
    state.requestLoad(id);
    this.context.post({ type: 'loadRun', runId: id });
    this.context.changed();
  }

  private hide(state: DashboardState, id: string): void {
    const settings = this.context.settings;
    if (!state.remove(id)) return;
    settings.shownRuns = settings.shownRuns.filter((other) => other !== id);
    settings.hiddenRuns = remember(settings.hiddenRuns, id);
    this.context.changed();
    this.context.announce(`${state.saved.find((entry) => entry.id === id)?.label ?? id} hidden`);
  }
}
