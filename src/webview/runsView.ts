// Webview layer: one card per run — colour, label, status (with "diverged at step N" spelled out), progress, the latest
// losses, and its Stop / Export CSV buttons. The cards double as the legend of every chart.
import type { DashboardState, RunState } from './dashboardState';
import { element } from './dom';
import { formatNumber } from '../shared/format';
import { runColor } from './theme';
import type { View, ViewContext } from './viewContext';

interface Card {
  readonly root: HTMLElement;
  readonly swatch: HTMLElement;
  readonly status: HTMLElement;
  readonly progress: HTMLProgressElement;
  readonly stats: HTMLElement;
  readonly message: HTMLElement;
  readonly stop: HTMLButtonElement;
  version: number;
  /** Null until the first drawing: only later changes are announced. */
  announcedStatus: string | null;
}

export class RunsView implements View {
  readonly root = element('section', { className: 'runs', attributes: { 'aria-label': 'Training runs' } });
  private readonly list = element('ul', { className: 'run-list' });
  private readonly empty = element('p', { className: 'empty', text: 'No training run yet. Start one and its charts appear here as it trains.' });
  private cards = new Map<string, Card>();
  private runListVersion = -1;
  private themeKey = '';

  constructor(private readonly context: ViewContext) {
    this.root.append(this.empty, this.list);
  }

  render(state: DashboardState, force: boolean): void {
    if (force || state.runListVersion !== this.runListVersion) {
      this.runListVersion = state.runListVersion;
      this.cards = new Map(state.runs.map((run) => [run.info.id, this.card(run)]));
      this.list.replaceChildren(...[...this.cards.values()].map((card) => card.root));
      this.empty.hidden = state.runs.length > 0;
    }
    const themeKey = this.context.theme.runColors.join();
    const themeChanged = themeKey !== this.themeKey;
    this.themeKey = themeKey;
    for (const run of state.runs) {
      const card = this.cards.get(run.info.id);
      if (card && (force || themeChanged || card.version !== run.version)) this.update(card, run);
    }
  }

  private card(run: RunState): Card {
    const swatch = element('span', { className: 'swatch', attributes: { 'aria-hidden': 'true' } });
    const status = element('span', { className: 'status' });
    const progress = element('progress', { attributes: { max: String(run.info.config.steps), 'aria-label': `progress of ${run.info.label}` } });
    const stats = element('span', { className: 'stats' });
    const message = element('p', { className: 'run-message' });
    const stop = element('button', { className: 'secondary', text: 'Stop', attributes: { type: 'button', 'aria-label': `Stop ${run.info.label}` } });
    stop.addEventListener('click', () => this.context.post({ type: 'stop', runId: run.info.id }));
    const csv = element('button', { className: 'secondary', text: 'Export CSV', attributes: { type: 'button', 'aria-label': `Export the metrics of ${run.info.label} as CSV` } });
    csv.addEventListener('click', () => this.context.post({ type: 'exportCsv', runId: run.info.id }));
    const root = element('li', { className: 'run', attributes: { 'data-run-id': run.info.id } }, [
      element('div', { className: 'run-title' }, [swatch, element('span', { className: 'run-label', text: run.info.label }), status]),
      element('p', { className: 'run-task', text: `${run.info.task.name}: ${run.info.task.description}` }),
      ...(run.info.config.cell === 'lstm' ? [element('p', { className: 'run-config', text: forgetBiasNote(run.info.config.forgetBias) })] : []),
      element('div', { className: 'run-progress' }, [progress, stats]),
      message,
      element('div', { className: 'run-actions', attributes: this.context.hostActions === false ? { hidden: '' } : {} }, [stop, csv]),
    ]);
    return { root, swatch, status, progress, stats, message, stop, version: -1, announcedStatus: null };
  }

  private update(card: Card, run: RunState): void {
    card.version = run.version;
    card.swatch.style.backgroundColor = runColor(this.context.theme, run.index);
    const diverged = run.status === 'diverged' || run.divergedAtStep !== null;
    const statusText = diverged
      ? run.divergedAtStep !== null ? `diverged at step ${run.divergedAtStep}` : 'diverged'
      : { running: 'training', done: 'finished', stopped: 'stopped', error: 'error', diverged: 'diverged' }[run.status];
    card.status.textContent = statusText;
    card.status.className = `status status-${diverged ? 'diverged' : run.status}`;
    if (run.divergedAtStep !== null) card.root.setAttribute('data-diverged-step', String(run.divergedAtStep));
    else card.root.removeAttribute('data-diverged-step');
    card.progress.value = Math.min(run.lastStep, run.info.config.steps);
    const n = run.loss.length;
    const lastValidation = run.validationLoss[run.validationLoss.length - 1];
    card.stats.textContent = `step ${run.lastStep} of ${run.info.config.steps} · loss ${formatNumber(n > 0 ? run.loss[n - 1] : undefined)}`
      + (lastValidation !== undefined ? ` · validation ${formatNumber(lastValidation)}` : '')
      + (run.skippedCount > 0 ? ` · ${run.skippedCount} step${run.skippedCount === 1 ? '' : 's'} skipped (not finite)` : '');
    // The non-finite sentence only where a step was not finite: a run can diverge with every loss finite (far above its start).
    const explanation = run.divergedAtStep !== null
      ? `The loss or the gradient became NaN or infinite at step ${run.divergedAtStep}: such updates are skipped. A smaller learning rate or gradient clipping usually prevents this.`
      : diverged ? 'A smaller learning rate or gradient clipping usually prevents this.' : '';
    // The host's message is a clause ("diverged at step 6: …"): end it as a sentence before the explanation that follows.
    const message = run.message && !/[.!?]$/.test(run.message) ? `${run.message}.` : run.message;
    card.message.textContent = [message, explanation].filter((part) => part).join(' ');
    card.message.hidden = card.message.textContent === '';
    card.stop.hidden = run.status !== 'running';
    if (card.announcedStatus !== null && card.announcedStatus !== statusText) this.context.announce(`${run.info.label}: ${statusText}`);
    card.announcedStatus = statusText;
  }
}

/**
 * The LSTM's starting forget-gate bias, on its card: it changes what an LSTM learns early (and so how it compares with
 * the other cells), and differs from PyTorch. Reference note: PyTorch starts this bias uniform in ±1/√H, about 0.
 */
export function forgetBiasNote(forgetBias: number): string {
  return forgetBias === 1
    ? 'Forget-gate bias starts at 1, so the cell state is kept early in training (PyTorch starts it near 0).'
    : `Forget-gate bias starts at ${forgetBias} (RNN Lab's default is 1; PyTorch starts it near 0).`;
}
