// CLI layer: `rnn-lab train` — runs the engine's Trainer with progress on the terminal and saves the run folder
// (config.json, metrics.jsonl, model.json, summary.json); Ctrl-C, a closed terminal or a closed output pipe stop it
// after the current step and it still saves.
import { join, resolve } from 'node:path';
import { version } from '../../package.json';
import type { SequenceModel } from '../engine/model';
import { sampleText } from '../engine/sampling';
import type { RunSummary } from '../shared/runStoreFormat';
import { describeTasks } from '../engine/tasks/registry';
import { describeDivergence, Trainer } from '../engine/trainer';
import { CONFIG_CHOICES as CHOICES, ConfigError, DEFAULT_TRAINING_CONFIG as DEFAULTS, resolveTrainingConfig, type TrainingConfig } from '../engine/trainingConfig';
import { Command, displayPath, EXIT, formatCommandHelp, shellQuote } from './command';
import { anyText, flagName, oneOf, option, optional, parseFlags, ParsedFlags, realNumber, toggle, UsageError, wholeNumber } from './flags';
import { InterruptGuard, yieldToEventLoop } from './interrupt';
import { inertJson, inertText } from './terminalText';
import { ProgressReporter, ProgressStyle, formatLoss } from './progress';
import { RUN_FILES, toJson } from '../shared/runStoreFormat';
import { createRunFolder, RunFolderError, RunRecorder, RunWriteError } from '../node/runFolder';
import { modelFiles } from '../node/modelFile';
import { describeKernels } from '../engine/kernels';
import { startKernelThreads, stopKernelThreads } from '../node/kernelThreads';

const FLAGS = {
  task: option('NAME', oneOf(CHOICES.task), DEFAULTS.task, 'Task to learn (listed below).'),
  seqLen: optional('T', wholeNumber, 'Time steps per training sequence.', "the task's own"),
  cell: option('KIND', oneOf(CHOICES.cell), DEFAULTS.cell, `Recurrent cell: ${CHOICES.cell.join(', ')}.`),
  nonlinearity: option('F', oneOf(CHOICES.nonlinearity), DEFAULTS.nonlinearity, `Vanilla RNN activation: ${CHOICES.nonlinearity.join(' or ')}.`),
  gruReset: option('WHERE', oneOf(CHOICES.gruReset), DEFAULTS.gruReset, 'GRU reset gate after the recurrent matmul (PyTorch) or before it (Cho 2014, the course).'),
  layers: option('N', wholeNumber, DEFAULTS.layers, 'Stacked recurrent layers.'),
  bidirectional: toggle('Read each sequence in both directions.'),
  merge: option('MODE', oneOf(CHOICES.merge), DEFAULTS.merge, 'How a bidirectional layer merges its two directions.'),
  dropout: option('P', realNumber, DEFAULTS.dropout, 'Dropout between stacked layers while training, in [0, 1).'),
  hidden: option('H', wholeNumber, DEFAULTS.hidden, 'Hidden units per layer and direction.'),
  forgetBias: option('B', realNumber, DEFAULTS.forgetBias, "LSTM: the forget gate's starting bias (1 keeps the cell state early on, as Jozefowicz et al. 2015 recommend; PyTorch's averages 0)."),
  steps: option('N', wholeNumber, DEFAULTS.steps, 'Training steps (one batch each).'),
  batch: option('N', wholeNumber, DEFAULTS.batchSize, 'Sequences per batch.'),
  lr: option('X', realNumber, DEFAULTS.learningRate, 'Learning rate.'),
  optimizer: option('NAME', oneOf(CHOICES.optimizer), DEFAULTS.optimizer, `Optimizer: ${CHOICES.optimizer.join(', ')}.`),
  clip: option('X', realNumber, DEFAULTS.clip, 'Clipping threshold.'),
  clipMode: option('MODE', oneOf(CHOICES.clipMode), DEFAULTS.clipMode, 'Clip the global gradient norm, each gradient value, or nothing.'),
  truncate: option('K', wholeNumber, DEFAULTS.truncate, 'Truncated BPTT: backpropagate at most K steps (0 = full BPTT).'),
  seed: option('S', wholeNumber, DEFAULTS.seed, 'Random seed: the same seed gives the same run.'),
  validateEvery: option('N', wholeNumber, DEFAULTS.validateEvery, 'Measure the validation loss every N steps (and at the last).'),
  trainExamples: option('N', wholeNumber, DEFAULTS.trainingExamples, 'Train on N examples drawn once and reused, to watch overfitting (0 = a fresh batch every step).'),
  out: optional('DIR', anyText, 'Folder to save the run in.', 'runs/<date>-<time>-<task>-<cell>'),
  printEvery: optional('N', wholeNumber, 'Without a terminal (or with --json): report every N steps.', 'a tenth of the steps'),
  json: toggle('Machine-readable output: one JSON object per line on stdout, then a summary object.'),
};

/** Which flag sets each TrainingConfig field: engine errors name the field, the user typed the flag. */
const FLAG_OF_FIELD: Record<keyof TrainingConfig, keyof typeof FLAGS> = {
  task: 'task', sequenceLength: 'seqLen', cell: 'cell', nonlinearity: 'nonlinearity', gruReset: 'gruReset', layers: 'layers',
  bidirectional: 'bidirectional', merge: 'merge', dropout: 'dropout', hidden: 'hidden', forgetBias: 'forgetBias', steps: 'steps', batchSize: 'batch',
  learningRate: 'lr', optimizer: 'optimizer', clipMode: 'clipMode', clip: 'clip', truncate: 'truncate', seed: 'seed',
  validateEvery: 'validateEvery', trainingExamples: 'trainExamples',
};

export const trainCommand: Command = {
  name: 'train',
  summary: 'Train a network on a task and save the run (config, metrics, model, summary).',
  help: () => formatCommandHelp(
    'rnn-lab train [flags]',
    'Trains an RNN, GRU or LSTM on one of the bundled tasks and saves the run to a folder. On a terminal a progress\n'
      + 'bar shows step, loss, validation loss, speed and time left; Ctrl-C stops after the current step and still saves,\n'
      + 'as do closing the terminal and closing the output pipe (`rnn-lab train --json | head -2`). A run that diverges\n'
      + '(its loss stays far above where it started, or its steps keep failing with NaN or infinite values) is stopped\n'
      + 'and saved with its last good model.',
    FLAGS,
    `Tasks:\n${indent(describeTasks())}\n\n`
      + 'Exit codes: 0 trained and saved; 1 training or saving failed (what was written is kept); 2 wrong flags or --out\n'
      + 'folder; 3 training diverged: stopped, and saved with the last good model; after a stop, the run saved: 129 the\n'
      + 'terminal closed, 130 Ctrl-C, 141 the output pipe closed, 143 SIGTERM.\n\n'
      + `Examples:\n  rnn-lab train --task dinos --steps 300\n  rnn-lab train --task adding --seq-len 50 --cell rnn --clip-mode none --json`,
  ),
  run: async (args) => {
    const { flags } = parseFlags(args, FLAGS);
    const config = resolveConfig(flags);
    const trainer = withFlagNames(() => new Trainer(config));
    return train(trainer, flags);
  },
};

function resolveConfig(flags: ParsedFlags<typeof FLAGS>): TrainingConfig {
  const partial: Partial<TrainingConfig> = {
    task: flags.task, cell: flags.cell, nonlinearity: flags.nonlinearity, gruReset: flags.gruReset, layers: flags.layers,
    bidirectional: flags.bidirectional, merge: flags.merge, dropout: flags.dropout, hidden: flags.hidden, forgetBias: flags.forgetBias, steps: flags.steps,
    batchSize: flags.batch, learningRate: flags.lr, optimizer: flags.optimizer, clipMode: flags.clipMode, clip: flags.clip,
    truncate: flags.truncate, seed: flags.seed, validateEvery: flags.validateEvery, trainingExamples: flags.trainExamples,
    ...(flags.seqLen !== undefined ? { sequenceLength: flags.seqLen } : {}),
  };
  return withFlagNames(() => resolveTrainingConfig(partial));
}

/** Runs `build`, turning the engine's ConfigError into a UsageError that names the flag: "--lr must be …". */
function withFlagNames<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const flag = (field: keyof TrainingConfig): string => flagName(FLAG_OF_FIELD[field]);
    const instead = error.instead ? ` (or set ${flag(error.instead.field)} ${error.instead.value})` : '';
    throw new UsageError(`${error.field === undefined ? '' : `${flag(error.field)} `}${error.problem}${instead}`);
  }
}

/** The training loop: saves the run however it ends (done, Ctrl-C, or an error in a step). */
async function train(trainer: Trainer, flags: ParsedFlags<typeof FLAGS>): Promise<number> {
  const config = trainer.config;
  const every = flags.printEvery ?? Math.max(1, Math.round(config.steps / 10));
  if (every < 1) throw new UsageError(`${flagName('printEvery')} must be at least 1, got ${every}`);
  const recorder = startRun(flags.out, config);
  const directory = recorder.directory;
  const human = flags.json ? process.stderr : process.stdout;
  const style: ProgressStyle = flags.json ? 'json' : process.stdout.isTTY ? 'bar' : 'lines';

  const threads = trainer.kernels.precision === 'float32' ? startKernelThreads() : 1;
  if (flags.json) process.stdout.write(`${inertJson(toJson({ type: 'start', runDirectory: directory, config }))}\n`);
  else human.write(`${inertText(`Training ${describeRun(config)} → ${displayPath(directory)}`)}\n`);
  const computedAs = describeKernels(trainer.kernels, threads);
  human.write(`Computing in ${computedAs}\n`);

  const progress = new ProgressReporter(style, process.stdout, config.steps, every);
  const guard = new InterruptGuard((reason) => {
    progress.finish();
    const why = reason === 'SIGPIPE' ? 'Nobody reads the output any more (the pipe closed). ' : reason === 'SIGHUP' ? 'The terminal closed. ' : '';
    human.write(`${why}Stopping after this step and saving… (press Ctrl-C again to quit without saving)\n`);
  });
  const startedAt = new Date();
  const started = performance.now();
  let failure: Error | undefined;
  try {
    while (!trainer.done && guard.signal === null) {
      const precision = trainer.kernels.precision;
      const metrics = trainer.step();
      if (trainer.kernels.precision !== precision) {
        progress.finish();
        human.write(`Note: ${trainer.precisionNote}\n`);
      }
      recorder.record([metrics]);
      progress.update(metrics);
      await yieldToEventLoop();
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  } finally {
    guard.dispose();
    progress.finish();
    await stopKernelThreads();
  }

  const wallSeconds = (performance.now() - started) / 1000;
  const completed = trainer.completedSteps;
  const task = trainer.task;
  const { summary, problems } = recorder.finish(
    () => modelFiles(trainer.model, {
      task: { name: task.name, sequenceLength: task.sequenceLength, ...(task.vocabulary ? { vocabulary: task.vocabulary } : {}) },
      training: config,
    }),
    () => recorder.tally.summary({
      config, failure, ...(trainer.divergence ? { divergence: trainer.divergence } : {}), wallSeconds, startedAt, finishedAt: new Date(), version,
      computedIn: trainer.precisionNote ? `${computedAs}; ${trainer.precisionNote}` : computedAs,
      ...(task.baselineLoss !== undefined ? { baselineLoss: task.baselineLoss } : {}),
    }),
  );

  // With stdout closed by its reader, what is left to say goes to stderr, which may still reach the user.
  const stdoutOpen = guard.signal !== 'SIGPIPE';
  const closing = stdoutOpen ? human : process.stderr;
  if (flags.json && stdoutOpen) process.stdout.write(`${inertJson(toJson({ type: 'summary', runDirectory: directory, ...summary, ...(problems.length > 0 ? { notSaved: problems } : {}) }))}\n`);
  if (task.vocabulary && !config.bidirectional && completed > 0 && !failure) closing.write(samplesMessage(trainer.model, task.vocabulary));
  closing.write(inertText(closingMessage(directory, config.clipMode, summary, task.vocabulary !== undefined, failure, problems)));
  if (failure || problems.length > 0) return EXIT.failure;
  if (trainer.divergence) return EXIT.diverged;
  return completed < config.steps ? guard.exitCode : EXIT.ok;   // a signal after the last step interrupted nothing
}

/**
 * Claims the run's folder and writes its config.json: `--out` names it (a new or empty folder; one holding anything
 * else is refused, never overwritten or shared), otherwise a fresh runs/<date>-<time>-<task>-<cell>.
 */
function startRun(out: string | undefined, config: TrainingConfig): RunRecorder {
  if (out === undefined) return RunRecorder.start(createRunFolder(resolve('runs'), config).directory, config);
  if (out.trim() === '') throw new UsageError(`${flagName('out')} must name a folder, got ${JSON.stringify(out)}`);
  try {
    return RunRecorder.start(resolve(out), config);
  } catch (error) {
    if (error instanceof RunFolderError) throw new UsageError(`${flagName('out')} ${out} ${error.reason}`);
    throw error;
  }
}

function describeRun(c: TrainingConfig): string {
  const shape = `${c.bidirectional ? 'bidirectional ' : ''}${c.layers > 1 ? `${c.layers}-layer ` : ''}${c.cell.toUpperCase()}`;
  return `${shape}, hidden ${c.hidden}, task ${c.task}, ${c.steps} steps`;
}

function closingMessage(directory: string, clipMode: TrainingConfig['clipMode'], s: RunSummary, hasVocabulary: boolean, failure: Error | undefined, problems: readonly string[]): string {
  const where = shellQuote(displayPath(directory));
  const lines: string[] = [];
  if (failure instanceof RunWriteError) lines.push(`Training stopped after step ${s.stepsCompleted}: ${failure.message}`);
  else if (failure) lines.push(`Training failed at step ${s.stepsCompleted + 1}: ${failure.message}`);
  else if (s.divergence) lines.push(`Training ${describeDivergence(s.divergence)}.`, clipMode === 'none' ? 'Try a smaller --lr, or clipping (--clip-mode norm --clip 1).' : 'Try a smaller --lr.');
  else if (s.stoppedEarly) lines.push(`Stopped after ${s.stepsCompleted} of ${s.stepsRequested} steps; what was trained is saved.`);
  const validation = s.finalValidationLoss !== undefined ? `, validation ${formatLoss(s.finalValidationLoss)}` : '';
  if (problems.length > 0) {
    lines.push(`The run could not be saved completely in ${where}:`, ...problems.map((problem) => `  ${problem}`));
    lines.push(`What was written is kept (${s.stepsCompleted} steps trained); \`rnn-lab report ${where}\` shows the metrics that reached the disk.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`Run saved in ${where} (${s.stepsCompleted} steps in ${s.wallSeconds.toFixed(1)} s, ${s.stepsPerSecond.toPrecision(3)} steps/s; loss ${formatLoss(s.finalLoss)}${validation})`);
  if (hasVocabulary) lines.push(`  sample it:  rnn-lab sample --model ${shellQuote(join(displayPath(directory), RUN_FILES.model))} --n 5`);
  lines.push(`  report it:  rnn-lab report ${where}`);
  return `${lines.join('\n')}\n`;
}

/** A character model's first words: five samples at a moderate temperature, so a learner sees what it learned. */
function samplesMessage(model: SequenceModel, vocabulary: readonly string[]): string {
  const samples = Array.from({ length: 5 }, (_, seed) => sampleText(model, vocabulary, { temperature: 0.7, seed, maxLength: 60 }).text);
  return `Samples (temperature 0.7):\n${samples.map((text) => `  ${inertText(JSON.stringify(text))}`).join('\n')}\n`;
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}
