// Extension host (pure, no vscode): the steps of "New Training Run" and "Compare Cells" — what each quick pick or
// input box offers, its default, and how its answer is checked (by the engine's own resolveTrainingConfig, whose
// ConfigError names the field: the box then says "Learning rate must be …", in the words of its own title). Every default is chosen so that pressing Enter at each step trains
// something worth watching: an LSTM solving the adding problem at T = 20 in 300 steps (~10 s), where a tanh RNN
// stays at the baseline — the lesson of the course's week 1.
import type { ClipMode } from '../../engine/optim/clipping';
import { TASK_CATALOGUE, taskFacts } from '../../engine/tasks/taskCatalogue';
import { CONFIG_CHOICES, ConfigError, DEFAULT_TRAINING_CONFIG, resolveTrainingConfig, type OptimizerName, type TrainingConfig } from '../../engine/trainingConfig';
import type { CellName, Settings } from './settingsTable';

/** `vscode.l10n.t` in the extension, a plain formatter in tests: `{0}` … are replaced by the arguments. */
export type Translate = (message: string, ...args: (string | number)[]) => string;

export type Draft = Partial<TrainingConfig>;

export interface PickOption {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  /** What choosing it sets in the draft. */
  readonly set: Draft;
}

export type WizardStep =
  | {
    readonly kind: 'pick';
    readonly id: string;
    readonly title: string;
    readonly placeholder: string;
    readonly options: readonly PickOption[];
    /** The option Enter accepts. */
    readonly defaultIndex: number;
  }
  | {
    readonly kind: 'input';
    readonly id: string;
    readonly title: string;
    readonly prompt: string;
    /** Pre-filled, so Enter accepts it. */
    readonly value: string;
    /** An error message for the text, or undefined when it is acceptable. */
    validate(text: string): string | undefined;
    /** The draft with the (valid) text applied. */
    apply(text: string): Draft;
  };

/**
 * Sequence lengths that make a 300-step run teach something, where the task's own default needs far longer
 * (measured: an LSTM on the adding problem reaches validation MSE 0.002 at T = 20 in 300 steps, but is still at the
 * 0.16 baseline at T = 50 then; a tanh RNN stays at the baseline at T = 20).
 */
export const SUGGESTED_SEQUENCE_LENGTH: Readonly<Record<string, number>> = { adding: 20 };

/** The run Enter-Enter-Enter starts, before any answer; the task and cell come from the settings. */
export function defaultDraft(settings: Pick<Settings, 'defaultTask' | 'defaultCell'>): Draft {
  return {
    task: settings.defaultTask,
    sequenceLength: suggestedSequenceLength(settings.defaultTask),
    cell: settings.defaultCell,
    layers: 1,
    bidirectional: false,
    hidden: 32,
    forgetBias: DEFAULT_TRAINING_CONFIG.forgetBias,
    steps: 300,
    learningRate: 0.01,
    clipMode: 'norm',
    clip: 1,
    optimizer: 'adam',
    seed: 1,
  };
}

export function suggestedSequenceLength(task: string): number {
  return SUGGESTED_SEQUENCE_LENGTH[task] ?? taskFacts(task).defaultSequenceLength;
}

/**
 * The cell choices. The LSTM comes twice, with the forget-gate bias RNN Lab starts it at (1) and with 0, PyTorch's
 * average start, so the setting is seen where the cell is chosen. Reference note: see TrainingConfig.forgetBias.
 */
const CELLS: readonly { cell: CellName; forgetBias: number; label: string }[] = [
  { cell: 'rnn', forgetBias: DEFAULT_TRAINING_CONFIG.forgetBias, label: 'RNN' },
  { cell: 'gru', forgetBias: DEFAULT_TRAINING_CONFIG.forgetBias, label: 'GRU' },
  { cell: 'lstm', forgetBias: DEFAULT_TRAINING_CONFIG.forgetBias, label: 'LSTM' },
  { cell: 'lstm', forgetBias: 0, label: 'LSTM, forget-gate bias 0' },
];

/** What the wizard calls a field, in the words of its steps: the start of every error message shown under a box. */
export function fieldLabel(field: keyof TrainingConfig, t: Translate): string {
  switch (field) {
    case 'task': return t('Task');
    case 'sequenceLength': return t('Sequence length T');
    case 'cell': return t('Cell');
    case 'layers': return t('Layers');
    case 'bidirectional': return t('Direction');
    case 'hidden': return t('Hidden size');
    case 'forgetBias': return t('Forget-gate bias');
    case 'steps': return t('Training steps');
    case 'learningRate': return t('Learning rate');
    case 'clip': case 'clipMode': return t('Gradient clipping');
    case 'optimizer': return t('Optimizer');
    case 'seed': return t('Random seed');
    default: return field;   // fields the wizard does not ask for (they keep their defaults)
  }
}

/** The message for a draft the engine refuses: the field's label, then what is wrong ("Learning rate must be …"). */
export function configProblem(error: unknown, t: Translate): string {
  if (!(error instanceof ConfigError)) return (error as Error).message;
  const message = error.field === undefined ? error.problem : t('{0} {1}', fieldLabel(error.field, t), error.problem);
  return error.instead ? t('{0} (or change {1})', message, fieldLabel(error.instead.field, t)) : message;
}

/**
 * The step ids in order. Compare Cells leaves out the cell (it trains all three); the title shows "(i/N)".
 */
export function wizardStepIds(options: { readonly chooseCell: boolean }): readonly string[] {
  return ['task', 'sequenceLength', ...(options.chooseCell ? ['cell'] : []), 'layers', 'bidirectional', 'hidden', 'steps', 'learningRate', 'clip', 'optimizer', 'seed'];
}

/** Step `id` for the answers so far; `title` already carries "(i/N)". */
export function wizardStep(id: string, draft: Draft, title: string, t: Translate): WizardStep {
  const number = (field: keyof TrainingConfig, prompt: string, current: number | undefined): WizardStep => ({
    kind: 'input', id, title, prompt, value: String(current ?? ''),
    validate: (text) => {
      const value = parseNumber(text);
      if (value === undefined) return t('Enter a number.');
      try {
        resolveTrainingConfig({ ...draft, [field]: value });
        return undefined;
      } catch (error) {
        return configProblem(error, t);
      }
    },
    apply: (text) => ({ ...draft, [field]: parseNumber(text) }),
  });
  const pick = (placeholder: string, options: readonly PickOption[], isDefault: (option: PickOption) => boolean): WizardStep => ({
    kind: 'pick', id, title, placeholder, options, defaultIndex: Math.max(0, options.findIndex(isDefault)),
  });
  switch (id) {
    case 'task':
      return pick(t('Which task should the network learn?'), TASK_CATALOGUE.map((spec) => ({
        label: spec.name,
        description: t('T = {0} by default', spec.defaultSequenceLength),
        detail: spec.description,
        set: { ...draft, task: spec.name, sequenceLength: suggestedSequenceLength(spec.name) },
      })), (option) => option.set.task === draft.task);
    case 'sequenceLength':
      return number('sequenceLength', t('Sequence length T: time steps the network reads per example (longer is harder to remember).'), draft.sequenceLength);
    case 'cell':
      return pick(t('Which recurrent cell?'), CELLS.map(({ cell, forgetBias, label }) => ({
        label,
        description: cell === 'rnn' ? t('tanh, one state') : cell === 'gru' ? t('reset and update gates')
          : forgetBias === 0 ? t('PyTorch\'s average start: the cell state fades sooner at first')
            : t('input, forget and output gates, a cell state; forget-gate bias starts at {0}', forgetBias),
        ...(cell === 'lstm' && forgetBias !== 0 ? { detail: t('A forget-gate bias of 1 keeps the cell state early in training (Gers et al. 2000, Jozefowicz et al. 2015); PyTorch starts it near 0.') } : {}),
        set: { ...draft, cell, forgetBias },
      })), (option) => option.set.cell === draft.cell && (draft.cell !== 'lstm' || option.set.forgetBias === (draft.forgetBias ?? DEFAULT_TRAINING_CONFIG.forgetBias)));
    case 'layers':
      return pick(t('How many stacked layers?'), [1, 2, 3, 4].map((layers) => ({
        label: String(layers),
        description: layers === 1 ? t('one layer') : t('{0} layers, each reading the one below', layers),
        set: { ...draft, layers },
      })), (option) => option.set.layers === draft.layers);
    case 'bidirectional':
      return pick(t('Read each sequence in both directions?'), [
        { label: t('One direction'), description: t('left to right'), set: { ...draft, bidirectional: false } },
        {
          label: t('Bidirectional'), description: t('a second layer reads right to left'),
          detail: t('A bidirectional model sees the future, so it cannot write text one character at a time.'),
          set: { ...draft, bidirectional: true },
        },
      ], (option) => option.set.bidirectional === draft.bidirectional);
    case 'hidden':
      return number('hidden', t('Hidden units per layer and direction.'), draft.hidden);
    case 'steps':
      return number('steps', t('Training steps (one batch of 32 sequences each).'), draft.steps);
    case 'learningRate':
      return number('learningRate', t('Learning rate.'), draft.learningRate);
    case 'clip': {
      const clipOptions: { mode: ClipMode; clip: number; label: string; description: string }[] = [
        { mode: 'norm', clip: 1, label: t('Clip the gradient norm at 1'), description: t('rescales the whole gradient when ‖g‖ > 1') },
        { mode: 'norm', clip: 5, label: t('Clip the gradient norm at 5'), description: t('min-char-rnn uses ±5') },
        { mode: 'value', clip: 5, label: t('Clip each gradient value to ±5'), description: t('as the course\'s clip()') },
        { mode: 'none', clip: draft.clip ?? 1, label: t('No clipping'), description: t('watch exploding gradients') },
      ];
      return pick(t('Gradient clipping'), clipOptions.map((option) => ({
        label: option.label, description: option.description, set: { ...draft, clipMode: option.mode, clip: option.clip },
      })), (option) => option.set.clipMode === draft.clipMode && (draft.clipMode === 'none' || option.set.clip === draft.clip));
    }
    case 'optimizer':
      return pick(t('Optimizer'), CONFIG_CHOICES.optimizer.map((name: OptimizerName) => ({
        label: name,
        description: name === 'adam' ? t('adaptive, forgiving of the learning rate') : name === 'sgd' ? t('plain gradient descent') : '',
        set: { ...draft, optimizer: name },
      })), (option) => option.set.optimizer === draft.optimizer);
    case 'seed':
      return number('seed', t('Random seed: the same seed trains the same network again.'), draft.seed);
    default:
      throw new Error(`unknown wizard step ${id}`);
  }
}

/** A number as typed: "0.01", "1e-3", " 32 "; undefined for anything else (empty, "abc", "1,5"). */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** Answers every step with its default: the configuration Enter-Enter-Enter trains. */
export function acceptAllDefaults(draft: Draft, options: { readonly chooseCell: boolean }, t: Translate): Draft {
  let current = draft;
  for (const id of wizardStepIds(options)) {
    const step = wizardStep(id, current, '', t);
    if (step.kind === 'pick') current = step.options[step.defaultIndex].set;
    else {
      const error = step.validate(step.value);
      if (error) throw new Error(`default for ${id} refused: ${error}`);
      current = step.apply(step.value);
    }
  }
  return current;
}
