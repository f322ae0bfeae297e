// VS Code glue: the commands of the table in host/commandTable.ts — New Training Run, Compare Cells, Stop Training,
// Sample From Model, Export Run Metrics as CSV, Open Run Folder, Open Dashboard. Each one's work lives in the
// vscode-free host modules; here are only the pickers, dialogs and notifications.
import { randomInt } from 'node:crypto';
import { isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import { RUN_COMMANDS, type RunCommandName } from './host/commandTable';
import { defaultDraft, parseNumber } from './host/newRunWizard';
import type { LiveRunHandle } from './host/runManager';
import { runLabel } from '../shared/runInfo';
import { WALKTHROUGH_EVENTS } from './host/walkthroughEvents';
import type { SavedRun } from './host/runStore';
import type { RunInfo } from '../shared/protocol';
import { DashboardPanel } from './dashboardPanel';
import { exportRunCsv } from './exports';
import type { Services } from './services';
import { announceRunEnd, showTrainingProgress } from './trainingProgress';
import { ensureTrusted } from './trust';
import { runWizard } from './wizardInput';

const SAMPLES_PER_REQUEST = 10;

type Handler = (services: Services) => Promise<unknown>;

const HANDLERS: Record<RunCommandName, Handler> = {
  newTrainingRun,
  openDashboard: async (services) => {
    DashboardPanel.show(services);
  },
  stopTraining,
  compareCells,
  sampleFromModel,
  exportRun,
  openRunFolder,
};

/** Registers the training commands of the table; a handler's error becomes one error notification and a log line. */
export function registerCommands(services: Services): vscode.Disposable {
  const registrations = (Object.keys(RUN_COMMANDS) as RunCommandName[]).map((name) => vscode.commands.registerCommand(RUN_COMMANDS[name].id, async () => {
    try {
      return await HANDLERS[name](services);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      services.log(`${RUN_COMMANDS[name].id} failed: ${message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('RNN Lab: {0}', message));
      return undefined;
    }
  }));
  return vscode.Disposable.from(...registrations);
}

/** Returns the new run's id (useful to tests driving the command), or undefined when cancelled. */
async function newTrainingRun(services: Services): Promise<string | undefined> {
  const title = vscode.l10n.t('New Training Run');
  if (!(await ensureTrusted(title))) return undefined;
  const draft = await runWizard(title, defaultDraft(services.settings()), { chooseCell: true });
  if (!draft) return undefined;
  const run = services.runs.startRun(draft);
  DashboardPanel.show(services);
  void showTrainingProgress(services, vscode.l10n.t('Training {0}', run.info.label), [run]).then((ends) => {
    ends.forEach((end) => announceRunEnd(services, end));
    if (ends.some((end) => end.status === 'done')) void vscode.commands.executeCommand('setContext', WALKTHROUGH_EVENTS.runTrained, true);
  });
  return run.id;
}

/** RNN, GRU and LSTM on the same task, size and seed, trained side by side (a worker each) and overlaid on the dashboard. */
async function compareCells(services: Services): Promise<string[] | undefined> {
  const title = vscode.l10n.t('Compare Cells');
  if (!(await ensureTrusted(title))) return undefined;
  const draft = await runWizard(title, defaultDraft(services.settings()), { chooseCell: false });
  if (!draft) return undefined;
  const runs: LiveRunHandle[] = [];
  try {
    for (const cell of ['rnn', 'gru', 'lstm'] as const) runs.push(services.runs.startRun({ ...draft, cell }, { kernelThreads: 1 }));
  } catch (error) {
    runs.forEach((run) => services.runs.stop(run.id));
    throw error;
  }
  DashboardPanel.show(services);
  void showTrainingProgress(services, vscode.l10n.t('Comparing RNN, GRU and LSTM on {0}', draft.task ?? ''), runs).then((ends) => {
    const summary = ends.map((end) => `${end.runId}: ${end.status}, loss ${end.lastLoss?.toPrecision(4) ?? '–'}`).join('; ');
    services.log(`Compare Cells finished: ${summary}`);
    if (ends.some((end) => end.status === 'done')) void vscode.commands.executeCommand('setContext', WALKTHROUGH_EVENTS.cellsCompared, true);
    const dashboard = vscode.l10n.t('Open Dashboard');
    void vscode.window.showInformationMessage(vscode.l10n.t('Compare Cells finished: {0}', ends.map((end, i) => `${runs[i].info.config.cell.toUpperCase()} ${end.lastLoss?.toPrecision(3) ?? end.status}`).join(', ')), dashboard).then((answer) => {
      if (answer === dashboard) DashboardPanel.show(services);
    });
  });
  return runs.map((run) => run.id);
}

async function stopTraining(services: Services): Promise<number> {
  const live = services.hasRuns ? services.runs.liveRuns : [];
  if (live.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No training run is running.'));
    return 0;
  }
  if (live.length === 1) {
    services.runs.stop(live[0].id);
    return 1;
  }
  const all = { label: vscode.l10n.t('All {0} runs', live.length), id: undefined as string | undefined };
  const chosen = await vscode.window.showQuickPick([all, ...live.map((run) => ({ label: run.label, description: run.id, id: run.id as string | undefined }))], {
    title: vscode.l10n.t('Stop Training'), placeHolder: vscode.l10n.t('Which run should stop?'),
  });
  if (!chosen) return 0;
  if (chosen.id === undefined) {
    services.runs.stopAll();
    return live.length;
  }
  return services.runs.stop(chosen.id) ? 1 : 0;
}

interface RunItem extends vscode.QuickPickItem {
  readonly run: RunInfo | SavedRun;
}

function describeSaved(run: SavedRun): string {
  const loss = run.summary && Number.isFinite(run.summary.finalLoss) ? vscode.l10n.t('loss {0}', run.summary.finalLoss.toPrecision(4)) : '';
  const steps = run.summary ? vscode.l10n.t('{0}/{1} steps', run.summary.stepsCompleted, run.summary.stepsRequested) : '';
  return [run.status, steps, loss, run.startedAt.replace('T', ' ').slice(0, 19)].filter((part) => part !== '').join(' · ');
}

async function pickRun(services: Services, options: { title: string; placeholder: string; live: boolean; saved: (run: SavedRun) => boolean; liveFilter?: (run: RunInfo) => boolean; none: string }): Promise<RunInfo | SavedRun | undefined> {
  const { live, saved } = await services.runs.listRuns();
  const items: RunItem[] = [
    ...(options.live ? live.filter(options.liveFilter ?? (() => true)).map((run) => ({ label: `$(sync~spin) ${run.label}`, description: run.id, detail: vscode.l10n.t('training now'), run })) : []),
    ...saved.filter(options.saved).map((run) => ({ label: runLabel(run.config), description: run.id, detail: describeSaved(run), run })),
  ];
  if (items.length === 0) {
    void vscode.window.showInformationMessage(options.none);
    return undefined;
  }
  const chosen = await vscode.window.showQuickPick(items, { title: options.title, placeHolder: options.placeholder, matchOnDescription: true, matchOnDetail: true });
  return chosen?.run;
}

const CHARACTER_TASKS = new Set(['dinos', 'text']);

async function sampleFromModel(services: Services): Promise<string[] | undefined> {
  const title = vscode.l10n.t('Sample From Model');
  if (!(await ensureTrusted(title))) return undefined;
  const run = await pickRun(services, {
    title,
    placeholder: vscode.l10n.t('Which character model should write?'),
    live: true,
    liveFilter: (info) => info.task.hasVocabulary && !info.config.bidirectional,
    saved: (saved) => saved.hasModel && CHARACTER_TASKS.has(saved.config.task) && !saved.config.bidirectional && saved.status !== 'error',
    none: vscode.l10n.t('There is no trained character model yet: start a New Training Run on the dinos or text task, then sample from it.'),
  });
  if (!run) return undefined;
  const temperatureText = await vscode.window.showInputBox({
    title: vscode.l10n.t('Sample From Model: temperature'),
    prompt: vscode.l10n.t('Below 1: safer, more typical text; above 1: more surprising text.'),
    value: '0.7',
    ignoreFocusOut: true,
    validateInput: (text) => {
      const value = parseNumber(text);
      return value !== undefined && value > 0 && value <= 10 ? undefined : vscode.l10n.t('The temperature must be a number above 0 and at most 10.');
    },
  });
  if (temperatureText === undefined) return undefined;
  const temperature = parseNumber(temperatureText)!;
  const seed = randomInt(0, 2 ** 31);
  const texts = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Sampling from {0}…', run.id) }, () =>
    services.runs.sample(run.id, temperature, seed, SAMPLES_PER_REQUEST));
  const output = services.output;
  output.info([
    `Samples from ${run.id} at temperature ${temperature} (seeds ${seed}…${seed + texts.length - 1}; repeat with rnn-lab sample --model <run folder> --temperature ${temperature} --seed ${seed} --n ${texts.length}):`,
    ...texts.map((text) => `  ${text.replace(/\n/g, '⏎')}`),
  ].join('\n'));
  output.show(true);
  const panel = DashboardPanel.open;
  texts.forEach((text, i) => panel?.post({ type: 'sample', runId: run.id, text, temperature, seed: (seed + i) >>> 0 }));
  return texts;
}

async function exportRun(services: Services): Promise<string | undefined> {
  const run = await pickRun(services, {
    title: vscode.l10n.t('Export Run Metrics as CSV'),
    placeholder: vscode.l10n.t('Which run?'),
    live: false,
    saved: (saved) => saved.hasMetrics,
    none: vscode.l10n.t('No finished run to export yet.'),
  });
  if (!run) return undefined;
  return (await exportRunCsv(services, run.id))?.fsPath;
}

async function openRunFolder(services: Services): Promise<string | undefined> {
  const run = await pickRun(services, {
    title: vscode.l10n.t('Open Run Folder'),
    placeholder: vscode.l10n.t('Which run?'),
    live: true,
    saved: () => true,
    none: vscode.l10n.t('No runs yet: start a New Training Run.'),
  });
  if (!run) return undefined;
  const directory = services.runs.directoryOf(run.id);
  const uri = vscode.Uri.file(directory);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const inWorkspace = folder?.scheme === 'file' && !relative(folder.fsPath, directory).startsWith('..') && !isAbsolute(relative(folder.fsPath, directory));
  // revealFileInOS opens the OS file manager on the machine running VS Code, which is not this one when remote.
  if (vscode.env.remoteName === undefined && vscode.env.uiKind === vscode.UIKind.Desktop) await vscode.commands.executeCommand('revealFileInOS', uri);
  else if (inWorkspace) await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.window.showTextDocument(vscode.Uri.file(`${directory}/config.json`));
  return directory;
}
