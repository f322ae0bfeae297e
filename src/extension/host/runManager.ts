// Extension host (Node, no vscode): the host's truth about training runs — the live ones (one worker thread each)
// and the saved ones on disk. It turns worker metrics into dashboard messages at a steady rate, keeps each run's
// bounded history for the dashboard's replay, measures the host's event-loop lag while runs train, and answers the
// commands and the dashboard's requests (stop, sample, hidden states, load a saved run, export). Engine work never
// runs on this thread: a live run's worker answers, or the one worker for saved runs (SavedRunWorker). The
// VS Code glue (commands, dashboard panel, progress) only listens and asks.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepMetrics } from '../../engine/trainer';
import { resolveTrainingConfig, type TrainingConfig } from '../../engine/trainingConfig';
import { encodeHiddenStates, encodeStep, type Direction, type HiddenStatesOf, type RunHistoryEntry, type RunInfo, type RunStatus, type SavedRunEntry, type ToPanel, type WireStep } from '../../shared/protocol';
import { Emitter } from './emitter';
import { EventLoopMonitor, formatLag, type EventLoopLag } from './eventLoopMonitor';
import { RunHistory } from '../../shared/runHistory';
import { makeRunInfo, runLabel } from '../../shared/runInfo';
import { createRunFolder } from '../../node/runFolder';
import { exportMetricsCsv, isRunId, listSavedRuns, readMetrics, readSavedRun, type SavedRun, type UnreadableRun } from './runStore';
import { SavedRunWorker } from './savedRunWorker';
import { WorkerClient } from './workerClient';

/** The dashboard's hidden-state message with values (not the refusal). */
export type HiddenStatesMessage = ReturnType<typeof encodeHiddenStates>;

/** Run histories held in memory for the dashboard's replay (each is bounded: see RunHistory). */
const MAX_CACHED_HISTORIES = 32;
/** Hidden states of finished runs held in memory (one input × one layer each), so a redraw starts no worker. */
const MAX_CACHED_HIDDEN_STATES = 64;

export interface RunManagerOptions {
  /** Absolute path of dist/worker.js. */
  readonly workerScript: string;
  readonly version: string;
  /** Where runs are saved, asked each time (the setting or the open folder may change). */
  readonly runsRoot: () => string;
  /** Dashboard updates per second while runs train. */
  readonly metricsPerSecond: () => number;
  /** One line for the RNN Lab output channel. */
  readonly log: (line: string) => void;
  /** How often the worker sends a batch of steps (default: twice per dashboard update, so every update has new steps). */
  readonly reportEveryMs?: number;
  /** Saved runs replayed to the dashboard with their metrics (the most recent); all are listed, for 'loadRun'. */
  readonly maxReplayedSavedRuns?: number;
  /** How often a training run reports the hidden states of its first validation input (default 250 ms). */
  readonly hiddenStatesEveryMs?: number;
  /** How long the worker that answers about saved runs may sit idle before its thread ends (default a minute). */
  readonly savedRunWorkerIdleMs?: number;
}

export type RunEndStatus = Exclude<RunStatus, 'running'>;

export interface RunEnd {
  readonly runId: string;
  readonly directory: string;
  readonly status: RunEndStatus;
  readonly message?: string;
  readonly steps: number;
  readonly lastLoss?: number;
  /** The extension host's event-loop lag while this run trained. */
  readonly lag: EventLoopLag;
  /** Milliseconds from the stop request to the worker's 'ended', when the run was stopped. */
  readonly stopLatencyMs?: number;
}

export interface RunProgress {
  readonly runId: string;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  readonly validationLoss?: number;
}

export interface LiveRunHandle {
  readonly id: string;
  readonly directory: string;
  readonly info: RunInfo;
  readonly ended: Promise<RunEnd>;
}

interface LiveRun {
  info: RunInfo;
  readonly directory: string;
  readonly config: TrainingConfig;
  readonly worker: WorkerClient;
  readonly history: RunHistory;
  readonly monitor: EventLoopMonitor;
  /** Scalar steps not yet sent to the dashboard, and the newest step with its series. */
  pending: WireStep[];
  newest: StepMetrics | undefined;
  lastValidationLoss: number | undefined;
  /** The newest hidden states the worker reported, not yet sent to the dashboard / already sent. */
  hiddenStates: HiddenStatesMessage | undefined;
  hiddenStatesPending: boolean;
  stopRequestedAt: number | undefined;
  finished: boolean;
  readonly resolveEnded: (end: RunEnd) => void;
  readonly ended: Promise<RunEnd>;
}

/** A run that could not be listed or replayed, reported once per distinct error. */
export interface RunProblem {
  readonly runId: string;
  readonly message: string;
}

export class RunManager {
  /** Messages for the dashboard, in order (the panel posts them while it is ready). */
  readonly onPanelMessage: Emitter<ToPanel>['event'];
  readonly onProgress: Emitter<RunProgress>['event'];
  readonly onRunEnded: Emitter<RunEnd>['event'];
  /** A saved run that cannot be read: its file is named; nothing was changed. */
  readonly onProblem: Emitter<RunProblem>['event'];
  private readonly panel = new Emitter<ToPanel>();
  private readonly progress = new Emitter<RunProgress>();
  private readonly ends = new Emitter<RunEnd>();
  private readonly problems = new Emitter<RunProblem>();
  private readonly live = new Map<string, LiveRun>();
  private lastStartTime = 0;
  /** Histories of runs that ended in this session or were read from disk, by folder, with the file's state. */
  private readonly histories = new Map<string, { history: RunHistory; error?: string }>();
  /** Hidden states of finished runs by `folder|layer|direction`, computed or being computed. */
  private readonly hiddenStatesCache = new Map<string, Promise<HiddenStatesMessage>>();
  private readonly reported = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  /** Answers about saved runs (samples, hidden states): one thread for all of them, one request at a time. */
  private readonly savedRuns: SavedRunWorker;
  private disposed = false;

  constructor(private readonly options: RunManagerOptions) {
    this.onPanelMessage = this.panel.event;
    this.onProgress = this.progress.event;
    this.onRunEnded = this.ends.event;
    this.onProblem = this.problems.event;
    this.savedRuns = new SavedRunWorker({
      script: options.workerScript, version: options.version, ...(options.savedRunWorkerIdleMs !== undefined ? { idleMs: options.savedRunWorkerIdleMs } : {}),
    });
  }

  get liveRuns(): RunInfo[] {
    return [...this.live.values()].map((run) => run.info);
  }

  /**
   * Starts a run in a new worker thread and a new run folder. A configuration the engine refuses throws its
   * RangeError (naming the field) before anything is created. `kernelThreads`: 1 when other runs train alongside
   * (Compare Cells), so three runs do not ask for six threads on two cores.
   */
  startRun(partial: Partial<TrainingConfig>, { kernelThreads = 2 } = {}): LiveRunHandle {
    if (this.disposed) throw new Error('RNN Lab is shutting down');
    const config = resolveTrainingConfig(partial);
    const { id, directory } = createRunFolder(this.options.runsRoot(), config);
    const worker = new WorkerClient({ script: this.options.workerScript, runDirectory: directory, version: this.options.version });
    let resolveEnded!: (end: RunEnd) => void;
    const ended = new Promise<RunEnd>((resolve) => {
      resolveEnded = resolve;
    });
    const run: LiveRun = {
      info: makeRunInfo(id, config, this.nextStartTime(), 'running'),
      directory, config, worker, history: new RunHistory(), monitor: new EventLoopMonitor(),
      pending: [], newest: undefined, lastValidationLoss: undefined, hiddenStates: undefined, hiddenStatesPending: false, stopRequestedAt: undefined, finished: false,
      resolveEnded, ended,
    };
    this.live.set(id, run);
    worker.onMessage((message) => {
      if (message.type === 'metrics' && message.runId === id) this.receiveMetrics(run, message.steps);
      else if (message.type === 'taskBuilt' && message.runId === id) this.receiveTaskBuilt(run, message.baselineLoss);
      else if (message.type === 'hiddenStates') this.receiveHiddenStates(run, message);
      else if (message.type === 'ended' && message.runId === id) this.finish(run, message.status, message.message);
      else if (message.type === 'error' || message.type === 'log') this.options.log(`Run ${id}: ${message.message}`);
    });
    worker.onExit((exit) => {
      if (!run.finished) this.finish(run, 'error', exit.error ? `the training worker failed: ${exit.error.message}` : `the training worker stopped unexpectedly (exit code ${exit.code})`);
    });
    this.options.log(`Run ${id} started: ${run.info.label}, ${config.steps} steps → ${directory}`);
    this.panel.fire({ type: 'runStarted', run: run.info });
    this.ensureFlushTimer();
    try {
      worker.start(id, config, run.info.startedAt, this.options.reportEveryMs ?? this.flushIntervalMs() / 2, kernelThreads, this.options.hiddenStatesEveryMs);
    } catch (error) {
      this.finish(run, 'error', `the training worker could not start: ${(error as Error).message}`);
    }
    return { id, directory, info: run.info, ended };
  }

  /** Asks a live run to stop after its current step; false when no such run is training. */
  stop(runId: string): boolean {
    const run = this.live.get(runId);
    if (!run || run.finished) return false;
    run.stopRequestedAt ??= performance.now();
    run.worker.stop();
    return true;
  }

  stopAll(): void {
    for (const id of this.live.keys()) this.stop(id);
  }

  /** Live runs first, then saved ones newest first; unreadable folders are reported through onProblem too. */
  async listRuns(): Promise<{ live: RunInfo[]; saved: SavedRun[]; unreadable: UnreadableRun[] }> {
    const { runs, unreadable } = await listSavedRuns(this.options.runsRoot());
    for (const problem of unreadable) this.reportProblem(problem.id, problem.error);
    return { live: this.liveRuns, saved: runs.filter((run) => !this.live.has(run.id)), unreadable };
  }

  /**
   * The dashboard's 'init': every live run and the most recent saved ones, with a downsampled history, and the list of
   * all saved runs (any of them can be shown with `loadRun`). The live runs are captured synchronously, when this is
   * called, so a caller that queues the messages fired from then on and posts them after the 'init' sends each step
   * exactly once.
   */
  async snapshot(): Promise<Extract<ToPanel, { type: 'init' }>> {
    const runs: RunInfo[] = this.liveRuns;
    const history: RunHistoryEntry[] = [];
    for (const run of this.live.values()) history.push({ runId: run.info.id, steps: run.history.replay() });
    const liveIds = new Set(runs.map((run) => run.id));
    const saved = (await this.listRuns()).saved.filter((run) => !liveIds.has(run.id));
    const replayed = this.options.maxReplayedSavedRuns ?? 12;
    for (const run of saved.slice(0, replayed)) {
      const { info, steps } = await this.savedRunWithHistory(run);
      if (steps) history.push({ runId: run.id, steps });
      runs.push(info);
    }
    const entries: SavedRunEntry[] = saved.map((run) => ({ id: run.id, label: runLabel(run.config), startedAt: run.startedAt, status: run.status }));
    // Oldest first, as the runs were started: the dashboard colours runs by position and appends new ones, so this
    // order keeps every run's colour the same across reloads (Compare Cells: RNN, GRU, LSTM).
    runs.sort(byStartTime);
    return { type: 'init', runs, history, saved: entries };
  }

  /** Now, or 1 ms after the previous run's start when runs start within the same millisecond: start times never tie. */
  private nextStartTime(): string {
    const time = Math.max(Date.now(), this.lastStartTime + 1);
    this.lastStartTime = time;
    return new Date(time).toISOString();
  }

  /**
   * One run with its downsampled history, for the dashboard's 'loadRun'. A saved run is looked up by id only inside
   * the runs folder: a folder of that exact name, not a link to somewhere else.
   */
  async loadRun(runId: string): Promise<{ run: RunInfo; history: WireStep[] }> {
    const live = this.live.get(runId);
    if (live) return { run: live.info, history: live.history.replay() };
    const directory = await this.savedRunFolder(runId);
    const { info, steps } = await this.savedRunWithHistory(await readSavedRun(directory, runId));
    return { run: info, history: steps ?? [] };
  }

  /**
   * The hidden states a⟨t⟩ of `layer` while the model reads the first validation input. A live run's worker computes
   * them now (and reports that layer from then on); a finished run's come from memory, or from the one worker for saved runs
   * (it loads the model.json) — never from this thread.
   */
  async hiddenStates(runId: string, layer: number, direction: Direction): Promise<HiddenStatesMessage> {
    const run = this.live.get(runId);
    if (run && !run.finished) {
      const reply = encodeHiddenStates(runId, await run.worker.hiddenStates(layer, direction));
      // Newer than any report still waiting for the flush, which may be of the layer asked for before.
      if (!run.finished) {
        run.hiddenStates = reply;
        run.hiddenStatesPending = false;
      }
      return reply;
    }
    const key = `${this.savedDirectory(runId)}|${layer}|${direction}`;
    let cached = this.hiddenStatesCache.get(key);
    if (!cached) {
      cached = this.savedRuns.hiddenStates(this.savedRunFolder(runId), layer, direction).then((states) => encodeHiddenStates(runId, states));
      this.rememberHiddenStates(key, cached);
      cached.catch(() => {
        if (this.hiddenStatesCache.get(key) === cached) this.hiddenStatesCache.delete(key);   // ask again next time
      });
    }
    return cached;
  }

  /** `count` texts sampled at `temperature`, sample i with seed `seed + i` (as `rnn-lab sample --seed` does). */
  async sample(runId: string, temperature: number, seed: number, count = 1, maxLength = 100): Promise<string[]> {
    const seeds = Array.from({ length: count }, (_, i) => (seed + i) >>> 0);
    const run = this.live.get(runId);
    if (run && !run.finished) return Promise.all(seeds.map((s) => run.worker.sample(temperature, s, maxLength)));
    const directory = this.savedRunFolder(runId);
    return Promise.all(seeds.map((s) => this.savedRuns.sample(directory, temperature, s, maxLength)));
  }

  /** Writes a finished run's metrics as CSV to `target`; a live run is refused (its metrics.jsonl appears at the end). */
  async exportCsv(runId: string, target: string): Promise<number> {
    if (this.live.has(runId)) throw new Error(`run ${runId} is still training; export it when it has ended`);
    return exportMetricsCsv(await this.savedRunFolder(runId), target);
  }

  /** The folder of a run by id (live or saved); the id must be a plain folder name. */
  directoryOf(runId: string): string {
    return this.live.get(runId)?.directory ?? this.savedDirectory(runId);
  }

  /** Stops every run and waits (up to `graceMs`) for them to save; stragglers are terminated. */
  async dispose(graceMs = 3000): Promise<void> {
    this.disposed = true;
    const runs = [...this.live.values()];
    this.stopAll();
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    await Promise.all(runs.map(async (run) => {
      if ((await Promise.race([run.ended, timeout])) === 'timeout') {
        await run.worker.terminate();
        this.finish(run, 'stopped', 'VS Code closed while it trained; the run folder may be incomplete');
      }
    }));
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.savedRuns.dispose();
    this.panel.dispose();
    this.progress.dispose();
    this.ends.dispose();
    this.problems.dispose();
  }

  private savedDirectory(runId: string): string {
    if (!isRunId(runId)) throw new Error(`not a run id: ${JSON.stringify(runId.slice(0, 80))}`);
    return join(this.options.runsRoot(), runId);
  }

  /** A saved run's folder: a run id (so a plain name), and a real folder of the runs folder — not a symbolic link. */
  private async savedRunFolder(runId: string): Promise<string> {
    const directory = this.savedDirectory(runId);
    const entry = await lstat(directory).catch(() => undefined);
    if (!entry || !entry.isDirectory()) throw new Error(`there is no saved run ${runId} in ${this.options.runsRoot()}`);
    return directory;
  }

  /** A saved run as the dashboard shows it, with its replayed history when it has metrics (an unreadable file makes it an error). */
  private async savedRunWithHistory(run: SavedRun): Promise<{ info: RunInfo; steps?: WireStep[] }> {
    const info = makeRunInfo(run.id, run.config, run.startedAt, run.status, run.message, run.summary?.baselineLoss);
    if (!run.hasMetrics) return { info };
    const loaded = await this.savedHistory(run);
    return { info: loaded.error ? { ...info, status: 'error', message: loaded.error } : info, steps: loaded.history.replay() };
  }

  private rememberHiddenStates(key: string, states: Promise<HiddenStatesMessage>): void {
    this.hiddenStatesCache.delete(key);
    this.hiddenStatesCache.set(key, states);
    while (this.hiddenStatesCache.size > MAX_CACHED_HIDDEN_STATES) this.hiddenStatesCache.delete(this.hiddenStatesCache.keys().next().value as string);
  }

  private async savedHistory(run: SavedRun): Promise<{ history: RunHistory; error?: string }> {
    const cached = this.histories.get(run.directory);
    if (cached) return cached;
    const history = new RunHistory();
    let entry: { history: RunHistory; error?: string } = { history };
    try {
      await readMetrics(run.directory, (metrics) => {
        history.add(metrics);
      });
    } catch (error) {
      entry = { history, error: (error as Error).message };
      this.reportProblem(run.id, entry.error!);
    }
    this.remember(run.directory, entry);
    return entry;
  }

  /** Keeps a history for replays; the oldest are forgotten (and read again from disk when needed). */
  private remember(directory: string, entry: { history: RunHistory; error?: string }): void {
    this.histories.delete(directory);
    this.histories.set(directory, entry);
    while (this.histories.size > MAX_CACHED_HISTORIES) this.histories.delete(this.histories.keys().next().value as string);
  }

  private reportProblem(runId: string, message: string): void {
    const key = `${runId}\u0000${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.options.log(`Cannot read run ${runId}: ${message} (nothing was changed)`);
    this.problems.fire({ runId, message });
  }

  private receiveMetrics(run: LiveRun, steps: readonly StepMetrics[]): void {
    if (run.finished || steps.length === 0) return;
    for (const metrics of steps) {
      run.pending.push(run.history.add(metrics));
      if (metrics.validationLoss !== undefined) run.lastValidationLoss = metrics.validationLoss;
    }
    run.newest = steps[steps.length - 1];
    this.progress.fire({
      runId: run.info.id, step: run.newest.step, steps: run.config.steps, loss: run.newest.loss,
      ...(run.lastValidationLoss !== undefined ? { validationLoss: run.lastValidationLoss } : {}),
    });
  }

  /**
   * The worker built the run's task: the card gets what only the built task knows (its trivial baseline). The worker
   * sends this before any metrics, so the dashboard replaces a card that has no steps yet.
   */
  private receiveTaskBuilt(run: LiveRun, baselineLoss: number | undefined): void {
    if (run.finished || baselineLoss === undefined) return;
    run.info = makeRunInfo(run.info.id, run.config, run.info.startedAt, run.info.status, run.info.message, baselineLoss);
    this.panel.fire({ type: 'runStarted', run: run.info });
  }

  /** The worker's periodic report of the layer last asked for (answers to requests go to the one who asked). */
  private receiveHiddenStates(run: LiveRun, states: HiddenStatesOf<number>): void {
    if (run.finished) return;
    run.hiddenStates = encodeHiddenStates(run.info.id, states);
    run.hiddenStatesPending = true;
  }

  /** Sends each live run's new steps to the dashboard (the newest carries its per-time-step series), then its newest hidden states. */
  private flush(run: LiveRun): void {
    if (run.pending.length > 0) {
      const steps = run.pending;
      const newest = run.newest;
      if (newest && steps[steps.length - 1].step === newest.step) steps[steps.length - 1] = encodeStep(newest);
      run.pending = [];
      this.panel.fire({ type: 'metrics', runId: run.info.id, steps });
    }
    if (run.hiddenStatesPending && run.hiddenStates) {
      run.hiddenStatesPending = false;
      this.panel.fire(run.hiddenStates);
    }
  }

  private ensureFlushTimer(): void {
    if (this.flushTimer) return;
    this.flushTimer = setInterval(() => {
      for (const run of this.live.values()) this.flush(run);
      if (this.live.size === 0 && this.flushTimer) {
        clearInterval(this.flushTimer);
        this.flushTimer = undefined;
      }
    }, this.flushIntervalMs());
  }

  /**
   * Milliseconds between dashboard updates. The worker reports twice as often: were both clocks at the same period,
   * their drift would leave some updates with no new steps (measured: 18 updates a second for 20 asked).
   */
  private flushIntervalMs(): number {
    return Math.round(1000 / Math.min(60, Math.max(1, this.options.metricsPerSecond())));
  }

  private finish(run: LiveRun, status: RunEndStatus, message: string | undefined): void {
    if (run.finished) return;
    run.finished = true;
    this.flush(run);
    const lag = run.monitor.finish();
    const stopLatencyMs = run.stopRequestedAt !== undefined ? performance.now() - run.stopRequestedAt : undefined;
    const id = run.info.id;
    run.info = { ...run.info, status, ...(message !== undefined ? { message } : {}) };
    this.live.delete(id);
    this.remember(run.directory, { history: run.history });
    const states = run.hiddenStates;
    if (states) this.rememberHiddenStates(`${run.directory}|${states.layer}|${states.direction}`, Promise.resolve(states));
    void run.worker.terminate();
    const last = run.history.lastStep;
    const end: RunEnd = {
      runId: id, directory: run.directory, status, steps: last?.step ?? 0, lag,
      ...(message !== undefined ? { message } : {}),
      ...(last && typeof last.loss === 'number' ? { lastLoss: last.loss } : {}),
      ...(stopLatencyMs !== undefined ? { stopLatencyMs } : {}),
    };
    this.options.log(`Run ${id} ${status} after ${end.steps} steps${message ? ` (${message})` : ''}.`);
    this.options.log(`Extension host event-loop lag while ${id} trained: ${formatLag(lag)}`);
    if (stopLatencyMs !== undefined) this.options.log(`Run ${id} stopped ${stopLatencyMs.toFixed(0)} ms after Stop was asked.`);
    this.panel.fire({ type: 'runEnded', runId: id, status, ...(message !== undefined ? { message } : {}) });
    this.ends.fire(end);
    run.resolveEnded(end);
  }
}

function byStartTime(a: RunInfo, b: RunInfo): number {
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
