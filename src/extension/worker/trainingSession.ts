// Training worker (Node, no vscode): one run — train with the engine's Trainer, write the run folder as the CLI
// does, report metrics in batches (and, every so often, the hidden states of one validation input), stop between steps
// when the shared flag says so, and answer sample / hidden-state requests, from the model being trained or from a
// saved run's model.json. Kept apart from the thread entry (trainingWorker.ts) so a test can drive it in-process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeKernels } from '../../engine/kernels';
import type { SequenceModel } from '../../engine/model';
import { sampleText } from '../../engine/sampling';
import { createTask } from '../../engine/tasks/registry';
import type { Task } from '../../engine/tasks/task';
import { describeDivergence, Trainer, type StepMetrics, type TrainingConfig } from '../../engine/trainer';
import type { Direction, FromWorker, HiddenStatesOf, RunStatus, ToWorker } from '../../shared/protocol';
import { parseConfig, parseJsonText, parseSummary, RUN_FILES } from '../../shared/runStoreFormat';
import { RunRecorder, RunWriteError } from '../../node/runFolder';
import { modelFiles, readModelFile } from '../../node/modelFile';
import { startKernelThreads, stopKernelThreads } from '../../node/kernelThreads';
import { hiddenStatesFor } from '../../shared/hiddenStates';
import { STOP_REQUESTED, type TrainingWorkerData } from './workerData';

/** Lets queued messages ('sample', 'stop', 'hiddenStates') in between batches of steps. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How often a training run reports its hidden states, unless 'start' says otherwise. */
export const DEFAULT_HIDDEN_STATES_EVERY_MS = 250;

/** A saved run's model, read once: what sampling and the hidden states need. */
interface SavedModel {
  readonly model: SequenceModel;
  readonly vocabulary?: readonly string[];
  readonly task: string;
  readonly path: string;
}

export class TrainingSession {
  private readonly stopFlag: Int32Array;
  private trainer: Trainer | undefined;
  /** The saved run last asked about, read once (the worker that answers about saved runs serves many in turn). */
  private loaded: SavedModel | undefined;
  private loadedTask: { task: Task; steps?: number } | undefined;
  private loadedFrom: string | undefined;
  private training = false;
  /** The layer whose hidden states a training run reports (the one the dashboard asked for last). */
  private watched: { layer: number; direction: Direction } = { layer: 0, direction: 'forward' };

  constructor(private readonly data: TrainingWorkerData, private readonly post: (message: FromWorker) => void) {
    this.stopFlag = new Int32Array(data.stopFlag);
  }

  get stopRequested(): boolean {
    return Atomics.load(this.stopFlag, 0) === STOP_REQUESTED;
  }

  async handle(message: ToWorker): Promise<void> {
    switch (message.type) {
      case 'start':
        if (this.training || this.trainer) {
          this.post({ type: 'error', message: 'this worker already trains a run; the host starts one worker per run' });
          return;
        }
        await this.train(message.runId, message.config, new Date(message.startedAt), message.reportEveryMs, message.hiddenStatesEveryMs ?? DEFAULT_HIDDEN_STATES_EVERY_MS, message.kernelThreads);
        return;
      case 'stop':
        Atomics.store(this.stopFlag, 0, STOP_REQUESTED);
        return;
      case 'sample':
        try {
          this.post({ type: 'sample', requestId: message.requestId, text: this.sample(message.temperature, message.seed, message.maxLength, message.runDirectory) });
        } catch (error) {
          this.post({ type: 'error', requestId: message.requestId, message: (error as Error).message });
        }
        return;
      case 'hiddenStates':
        try {
          const states = this.hiddenStates(message.layer, message.direction, message.runDirectory);
          if (this.trainer) this.watched = { layer: message.layer, direction: message.direction };
          this.post({ type: 'hiddenStates', requestId: message.requestId, ...states });
        } catch (error) {
          this.post({ type: 'error', requestId: message.requestId, message: (error as Error).message });
        }
        return;
    }
  }

  private async train(runId: string, config: TrainingConfig, startedAt: Date, reportEveryMs: number, hiddenStatesEveryMs: number, kernelThreads: number): Promise<void> {
    const directory = this.data.runDirectory;
    if (directory === undefined) {
      this.post({ type: 'ended', runId, status: 'error', message: 'this worker answers about saved runs and has no run folder to train into' });
      return;
    }
    let trainer: Trainer;
    try {
      trainer = new Trainer(config);
    } catch (error) {
      this.post({ type: 'ended', runId, status: 'error', message: (error as Error).message });
      return;
    }
    this.trainer = trainer;
    this.training = true;
    const baselineLoss = trainer.task.baselineLoss;
    this.post({ type: 'taskBuilt', runId, ...(baselineLoss !== undefined && Number.isFinite(baselineLoss) ? { baselineLoss } : {}) });
    const threads = kernelThreads > 1 && trainer.kernels.precision === 'float32' ? startKernelThreads() : 1;
    const computedAs = describeKernels(trainer.kernels, threads);
    this.post({ type: 'log', message: `computes in ${computedAs}` });
    const started = performance.now();
    let recorder: RunRecorder;
    try {
      recorder = RunRecorder.start(directory, trainer.config);
    } catch (error) {
      this.training = false;
      await stopKernelThreads();
      this.post({ type: 'ended', runId, status: 'error', message: `could not write the run folder ${directory}: ${(error as Error).message}` });
      return;
    }
    const tally = recorder.tally;
    let batch: StepMetrics[] = [];
    /** Posts the batch to the host and appends it to metrics.jsonl; throws (after posting) when it cannot be written. */
    const flush = (): void => {
      if (batch.length === 0) return;
      const steps = batch;
      batch = [];
      this.post({ type: 'metrics', runId, steps });
      recorder.record(steps);
    };
    // Between steps only: the forward pass replaces the states the model's stack holds. The next report waits at
    // least ten times as long as this one took, so a large network spends at most a tenth of its time on them.
    let nextHiddenStates = Number.isFinite(hiddenStatesEveryMs) ? 0 : Infinity;   // Infinity: never
    const reportHiddenStates = (): void => {
      const started = performance.now();
      try {
        this.post({ type: 'hiddenStates', ...this.hiddenStates(this.watched.layer, this.watched.direction) });
        nextHiddenStates = performance.now() + Math.max(hiddenStatesEveryMs, 10 * (performance.now() - started));
      } catch (error) {
        this.post({ type: 'error', message: `the hidden states could not be computed: ${(error as Error).message}` });
        nextHiddenStates = Infinity;   // the same error would come back at every report
      }
    };
    let failure: Error | undefined;
    let lastReport = performance.now();
    try {
      while (!trainer.done && !this.stopRequested) {
        const precision = trainer.kernels.precision;
        const metrics = trainer.step();
        if (trainer.kernels.precision !== precision) this.post({ type: 'log', message: trainer.precisionNote ?? 'the run continues in float64' });
        batch.push(metrics);
        if (performance.now() - lastReport >= reportEveryMs) {
          flush();
          if (performance.now() >= nextHiddenStates) reportHiddenStates();
          lastReport = performance.now();
          await yieldToEventLoop();
        }
      }
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    try {
      flush();
    } catch (error) {
      failure ??= error as Error;
    }
    if (!failure && Number.isFinite(nextHiddenStates)) reportHiddenStates();   // the final model's
    const task = trainer.task;
    const { problems } = recorder.finish(
      () => modelFiles(trainer.model, {
        task: { name: task.name, sequenceLength: task.sequenceLength, ...(task.vocabulary ? { vocabulary: task.vocabulary } : {}) },
        training: trainer.config,
      }),
      () => tally.summary({
        config: trainer.config, failure, ...(trainer.divergence ? { divergence: trainer.divergence } : {}),
        wallSeconds: (performance.now() - started) / 1000, startedAt, finishedAt: new Date(),
        version: this.data.version, computedIn: trainer.precisionNote ? `${computedAs}; ${trainer.precisionNote}` : computedAs,
        ...(task.baselineLoss !== undefined ? { baselineLoss: task.baselineLoss } : {}),
      }),
    );
    let status: Exclude<RunStatus, 'running'>;
    let message: string | undefined;
    if (problems.length > 0) {
      status = 'error';
      message = `the run could not be saved completely in ${directory}: ${problems.join('; ')}${failure ? ` (training stopped after step ${trainer.completedSteps}: ${failure.message})` : ''}`;
    } else if (failure) {
      status = 'error';
      message = failure instanceof RunWriteError ? `training stopped after step ${trainer.completedSteps}: ${failure.message}` : `step ${trainer.completedSteps + 1} failed: ${failure.message}`;
    } else if (trainer.divergence) {
      status = 'diverged';
      message = describeDivergence(trainer.divergence);
    } else if (!trainer.done) {
      status = 'stopped';
      message = `stopped after ${trainer.completedSteps} of ${trainer.config.steps} steps; what was trained is saved`;
    } else {
      status = 'done';
    }
    this.training = false;
    await stopKernelThreads();
    this.post({ type: 'ended', runId, status, ...(message !== undefined ? { message } : {}) });
  }

  /**
   * Text from the model being trained, or (in the worker that answers about saved runs) from the model.json of
   * `runDirectory`, the run folder the request names.
   */
  private sample(temperature: number, seed: number, maxLength: number, runDirectory: string | undefined): string {
    const source = this.trainer
      ? { model: this.trainer.model, vocabulary: this.trainer.task.vocabulary, task: this.trainer.task.name }
      : this.loadSavedModel(runDirectory);
    if (!source.vocabulary) {
      throw new Error(`this run's task (${source.task}) is not a character task, so its model has no text to write; sample a run of dinos or text`);
    }
    return sampleText(source.model, source.vocabulary, { temperature, seed, maxLength }).text;
  }

  /** From the model being trained (between its steps: messages are handled only then), or from the saved model. */
  private hiddenStates(layer: number, direction: Direction, runDirectory?: string): HiddenStatesOf<number> {
    if (this.trainer) return hiddenStatesFor(this.trainer.model, this.trainer.task, layer, direction, this.trainer.completedSteps);
    const { model } = this.loadSavedModel(runDirectory);
    const { task, steps } = this.loadSavedTask(runDirectory);
    return hiddenStatesFor(model, task, layer, direction, steps);
  }

  /** The saved run folder a request is about: the one it names, else the worker's own. */
  private savedRunFolder(runDirectory: string | undefined): string {
    const directory = runDirectory ?? this.data.runDirectory;
    if (directory === undefined) throw new Error('the request names no run folder');
    if (directory !== this.loadedFrom) {
      this.loaded = undefined;   // one saved model in memory at a time
      this.loadedTask = undefined;
      this.loadedFrom = directory;
    }
    return directory;
  }

  private loadSavedModel(runDirectory: string | undefined): SavedModel {
    const directory = this.savedRunFolder(runDirectory);
    if (!this.loaded) {
      const path = join(directory, RUN_FILES.model);
      if (!existsSync(path)) throw new Error(`${path} cannot be read: the run saved no model`);
      const parsed = readModelFile(path);   // its errors name the file
      const vocabulary = parsed.meta.task?.vocabulary;
      this.loaded = { model: parsed.model, task: parsed.meta.task?.name ?? 'unknown', path, ...(vocabulary ? { vocabulary } : {}) };
    }
    return this.loaded;
  }

  /**
   * The saved run's task, rebuilt from its config.json (task, sequence length and seed fix the validation set), and
   * the steps it trained from summary.json when that exists.
   */
  private loadSavedTask(runDirectory: string | undefined): { task: Task; steps?: number } {
    const directory = this.savedRunFolder(runDirectory);
    if (!this.loadedTask) {
      const configPath = join(directory, RUN_FILES.config);
      let config: TrainingConfig;
      try {
        config = parseConfig(parseJsonText(readFileSync(configPath, 'utf8'), configPath));
      } catch (error) {
        const message = (error as Error).message;
        throw new Error(message.startsWith(configPath) ? message : `${configPath}: ${message}`);
      }
      const task = createTask(config.task, { sequenceLength: config.sequenceLength, seed: config.seed });
      const { model } = this.loadSavedModel(directory);
      if (model.stack.config.inputSize !== task.inputSize) {
        throw new Error(`${this.loaded!.path} reads ${model.stack.config.inputSize} inputs per step, but the task ${task.name} of ${configPath} has ${task.inputSize}`);
      }
      const summaryPath = join(directory, RUN_FILES.summary);
      let steps: number | undefined;
      try {
        steps = parseSummary(parseJsonText(readFileSync(summaryPath, 'utf8'), summaryPath), summaryPath).stepsCompleted;
      } catch {
        steps = undefined;   // no summary (the run did not finish saving): the caption then says "the saved model"
      }
      this.loadedTask = { task, ...(steps !== undefined ? { steps } : {}) };
    }
    return this.loadedTask;
  }
}
