// VS Code glue: a progress notification for runs that train — step i/N and the loss, a Cancel button that stops them
// (within one training step), and a closing message with where the run was saved.
import * as vscode from 'vscode';
import type { LiveRunHandle, RunEnd } from './host/runManager';
import type { Services } from './services';

const REPORTS_PER_SECOND = 4;

function formatLoss(loss: number): string {
  return Number.isFinite(loss) ? loss.toPrecision(4) : String(loss);
}

/** Shows progress for `runs` until all have ended; Cancel stops them. Resolves with how each one ended. */
export function showTrainingProgress(services: Services, title: string, runs: readonly LiveRunHandle[]): Thenable<RunEnd[]> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const manager = services.runs;
    const state = new Map(runs.map((run) => [run.id, { label: run.info.label, step: 0, steps: run.info.config.steps, loss: NaN }]));
    let reported = 0;
    let lastReport = 0;
    const report = (): void => {
      const now = Date.now();
      if (now - lastReport < 1000 / REPORTS_PER_SECOND) return;
      lastReport = now;
      const entries = [...state.values()];
      const done = entries.reduce((sum, e) => sum + e.step, 0);
      const total = entries.reduce((sum, e) => sum + e.steps, 0);
      const percent = total > 0 ? (100 * done) / total : 0;
      const message = entries.length === 1
        ? vscode.l10n.t('step {0}/{1} · loss {2}', entries[0].step, entries[0].steps, formatLoss(entries[0].loss))
        : entries.map((e) => vscode.l10n.t('{0}: {1}/{2}', e.label.split(' · ')[0], e.step, e.steps)).join(' · ');
      progress.report({ message, increment: Math.max(0, percent - reported) });
      reported = Math.max(reported, percent);
    };
    const subscription = manager.onProgress((event) => {
      const entry = state.get(event.runId);
      if (!entry) return;
      entry.step = event.step;
      entry.loss = event.loss;
      report();
    });
    const cancel = token.onCancellationRequested(() => {
      for (const id of state.keys()) manager.stop(id);
    });
    try {
      return await Promise.all(runs.map((run) => run.ended));
    } finally {
      subscription.dispose();
      cancel.dispose();
    }
  });
}

/** A short notification when a run ends: how, the loss, and buttons to look at it. */
export function announceRunEnd(services: Services, end: RunEnd): void {
  const loss = end.lastLoss !== undefined ? formatLoss(end.lastLoss) : '–';
  const text = end.status === 'done'
    ? vscode.l10n.t('Run {0} finished: {1} steps, loss {2}. Saved in {3}', end.runId, end.steps, loss, end.directory)
    : end.status === 'stopped'
      ? vscode.l10n.t('Run {0} stopped after {1} steps; what was trained is saved in {2}', end.runId, end.steps, end.directory)
      : end.status === 'diverged'
        ? vscode.l10n.t('Run {0} diverged: {1}', end.runId, end.message ?? '')
        : vscode.l10n.t('Run {0} failed: {1}', end.runId, end.message ?? '');
  const dashboard = vscode.l10n.t('Open Dashboard');
  const show = end.status === 'error' ? vscode.window.showErrorMessage : end.status === 'diverged' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(text, dashboard).then((answer) => {
    if (answer === dashboard) void vscode.commands.executeCommand('rnnLab.openDashboard');
  });
  services.log(text);
}
