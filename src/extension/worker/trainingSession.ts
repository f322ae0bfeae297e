// Training worker (Node, no vscode): one run — train with the engine's Trainer, write the run folder as the CLI
// does, report metrics in batches, stop between steps when the shared flag says so, and sample from the model.
// Kept apart from the thread entry (trainingWorker.ts) so a test can drive it in-process.
import { join } from 'node:path';
import { parseModel, serializeModel } from '../../engine/io/modelJson';
import type { SequenceModel } from '../../engine/model';
import { sampleText } from '../../engine/sampling';
import { Trainer, type StepMetrics, type TrainingConfig } from '../../engine/trainer';
import type { FromWorker, RunStatus, ToWorker } from '../../shared/protocol';
import { parseJsonText, RUN_FILES, RunTally, toJson } from '../../shared/runStoreFormat';
import { MetricsFile, writeFileAtomic } from '../host/runStore';
import { STOP_REQUESTED, type TrainingWorkerData } from './workerData';
import { readFileSync } from 'node:fs';

/** Lets queued messages ('sample', 'stop') in between batches of steps. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class TrainingSession {
  private readonly stopFlag: Int32Array;
  private trainer: Trainer | undefined;
  private loaded: { model: SequenceModel; vocabulary?: readonly string[]; task: string } | undefined;
  private training = false;

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
        await this.train(message.runId, message.config, message.reportEveryMs);
        return;
      case 'stop':
        Atomics.store(this.stopFlag, 0, STOP_REQUESTED);
        return;
      case 'sample':
        try {
          this.post({ type: 'sample', requestId: message.requestId, text: this.sample(message.temperature, message.seed, message.maxLength) });
        } catch (error) {
          this.post({ type: 'error', message: (error as Error).message });
        }
        return;
    }
  }

  private async train(runId: string, config: TrainingConfig, reportEveryMs: number): Promise<void> {
    let trainer: Trainer;
    try {
      trainer = new Trainer(config);
    } catch (error) {
      this.post({ type: 'ended', runId, status: 'error', message: (error as Error).message });
      return;
    }
    this.trainer = trainer;
    this.training = true;
    const directory = this.data.runDirectory;
    const startedAt = new Date();
    const started = performance.now();
    const tally = new RunTally();
    let metricsFile: MetricsFile;
    try {
      writeFileAtomic(join(directory, RUN_FILES.config), `${toJson(trainer.config, 2)}\n`);
      metricsFile = new MetricsFile(join(directory, RUN_FILES.metrics));
    } catch (error) {
      this.training = false;
      this.post({ type: 'ended', runId, status: 'error', message: `could not write the run folder ${directory}: ${(error as Error).message}` });
      return;
    }
    let batch: StepMetrics[] = [];
    const flush = (): void => {
      if (batch.length === 0) return;
      metricsFile.append(batch);
      this.post({ type: 'metrics', runId, steps: batch });
      batch = [];
    };
    let failure: Error | undefined;
    let lastReport = performance.now();
    try {
      while (!trainer.done && !this.stopRequested) {
        const metrics = trainer.step();
        tally.add(metrics);
        batch.push(metrics);
        if (performance.now() - lastReport >= reportEveryMs) {
          flush();
          lastReport = performance.now();
          await yieldToEventLoop();
        }
      }
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    let status: Exclude<RunStatus, 'running'>;
    let message: string | undefined;
    try {
      flush();
      const task = trainer.task;
      writeFileAtomic(join(directory, RUN_FILES.model), toJson(serializeModel(trainer.model, {
        task: { name: task.name, sequenceLength: task.sequenceLength, ...(task.vocabulary ? { vocabulary: task.vocabulary } : {}) },
        training: trainer.config,
      })));
      metricsFile.close();
      const summary = tally.summary({
        config: trainer.config, failure, wallSeconds: (performance.now() - started) / 1000, startedAt, finishedAt: new Date(),
        version: this.data.version, ...(task.baselineLoss !== undefined ? { baselineLoss: task.baselineLoss } : {}),
      });
      writeFileAtomic(join(directory, RUN_FILES.summary), `${toJson(summary, 2)}\n`);
      const last = tally.lastStep;
      if (failure) {
        status = 'error';
        message = `step ${trainer.completedSteps + 1} failed: ${failure.message}`;
      } else if (last && !Number.isFinite(last.loss)) {
        status = 'diverged';
        message = `the loss became ${last.loss}; ${tally.skippedSteps} updates were skipped and the parameters kept`;
      } else if (!trainer.done) {
        status = 'stopped';
        message = `stopped after ${trainer.completedSteps} of ${trainer.config.steps} steps; what was trained is saved`;
      } else {
        status = 'done';
      }
    } catch (error) {
      status = 'error';
      message = `the run could not be saved in ${directory}: ${(error as Error).message}`;
    }
    this.training = false;
    this.post({ type: 'ended', runId, status, ...(message !== undefined ? { message } : {}) });
  }

  /** Text from the model being trained, or (in a worker started only to sample) from the run folder's model.json. */
  private sample(temperature: number, seed: number, maxLength: number): string {
    const source = this.trainer
      ? { model: this.trainer.model, vocabulary: this.trainer.task.vocabulary, task: this.trainer.task.name }
      : this.loadSavedModel();
    if (!source.vocabulary) {
      throw new Error(`this run's task (${source.task}) is not a character task, so its model has no text to write; sample a run of dinos or text`);
    }
    return sampleText(source.model, source.vocabulary, { temperature, seed, maxLength }).text;
  }

  private loadSavedModel(): { model: SequenceModel; vocabulary?: readonly string[]; task: string } {
    if (!this.loaded) {
      const path = join(this.data.runDirectory, RUN_FILES.model);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        throw new Error(`${path} cannot be read: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the run saved no model' : (error as Error).message}`);
      }
      let parsed: ReturnType<typeof parseModel>;
      try {
        parsed = parseModel(parseJsonText(text, path));
      } catch (error) {
        const message = (error as Error).message;
        throw new Error(message.startsWith(path) ? message : `${path} is not a usable RNN Lab model: ${message}`);
      }
      const vocabulary = parsed.meta.task?.vocabulary;
      this.loaded = { model: parsed.model, task: parsed.meta.task?.name ?? 'unknown', ...(vocabulary ? { vocabulary } : {}) };
    }
    return this.loaded;
  }
}
