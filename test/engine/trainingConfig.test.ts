// One source of truth for the training configuration: every boundary — the engine's check, the recurrent stack, the
// CLI's flags, the wizard, the protocol and the settings — reads the same lists and limits, and each names a refused
// field in its own words (the CLI its flag, the wizard its label).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../src/cli/flags';
import { trainCommand } from '../../src/cli/trainCommand';
import { validateStackConfig, type StackSettings } from '../../src/engine/layers/recurrentStack';
import { createTask, TASK_NAMES, TASK_SPECS } from '../../src/engine/tasks/registry';
import { Trainer } from '../../src/engine/trainer';
import {
  CELL_KINDS, CLIP_MODES, CONFIG_CHOICES, CONFIG_LIMITS, ConfigError, DEFAULT_TRAINING_CONFIG, GRU_RESET_PLACEMENTS, MERGE_MODES,
  NONLINEARITIES, OPTIMIZER_NAMES, resolveTrainingConfig, type TrainingConfig,
} from '../../src/engine/trainingConfig';
import { defaultDraft, fieldLabel, wizardStep } from '../../src/extension/host/newRunWizard';
import { DEFAULT_SETTINGS } from '../../src/extension/host/settingsTable';
import { HIDDEN_STATES_LIMITS, MAX_LAYERS } from '../../src/shared/protocol';
import { parseConfig } from '../../src/shared/runStoreFormat';
import { translate as t } from '../extension/extensionHarness';

/** The message of the UsageError `rnn-lab train ARGS` stops with before training anything. */
async function cliRefusal(args: string[]): Promise<string> {
  try {
    await trainCommand.run(args);
  } catch (error) {
    assert.ok(error instanceof UsageError, `a UsageError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`rnn-lab train ${args.join(' ')} was accepted`);
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('accepted');
}

const STACK: StackSettings = {
  cell: 'lstm', nonlinearity: 'tanh', gruReset: 'after', inputSize: 2, hiddenSize: 8, numLayers: 1, bidirectional: false, batchFirst: false, merge: 'concat', dropout: 0,
};

describe('training configuration: one source of truth', () => {
  it('the limits agree everywhere: engine, stack, CLI, wizard and protocol accept the largest and refuse one more', async () => {
    const { hidden, layers, learningRate } = CONFIG_LIMITS;
    // the engine's check (small other sizes, so the memory budget is not what answers)
    assert.equal(resolveTrainingConfig({ task: 'adding', hidden: hidden.max }).hidden, hidden.max);
    assert.equal(resolveTrainingConfig({ task: 'adding', hidden: 8, layers: layers.max }).layers, layers.max);
    assert.equal(resolveTrainingConfig({ learningRate: learningRate.max }).learningRate, learningRate.max);
    assert.equal(configError(() => resolveTrainingConfig({ hidden: hidden.max + 1 })).field, 'hidden');
    assert.equal(configError(() => resolveTrainingConfig({ layers: layers.max + 1 })).field, 'layers');
    assert.equal(configError(() => resolveTrainingConfig({ learningRate: learningRate.max * 1.5 })).field, 'learningRate');
    // the recurrent stack (a library user's nn.LSTM) has the same limits, not wider ones of its own
    assert.doesNotThrow(() => validateStackConfig({ ...STACK, hiddenSize: hidden.max, numLayers: layers.max }));
    assert.throws(() => validateStackConfig({ ...STACK, hiddenSize: hidden.max + 1 }), new RegExp(`^RangeError: hiddenSize must be a whole number from 1 to ${hidden.max}, got ${hidden.max + 1}$`));
    assert.throws(() => validateStackConfig({ ...STACK, numLayers: layers.max + 1 }), new RegExp(`^RangeError: numLayers must be a whole number from 1 to ${layers.max}, got ${layers.max + 1}$`));
    // the CLI, in flags
    assert.equal(await cliRefusal(['--hidden', String(hidden.max + 1)]), `--hidden must be a whole number from 1 to ${hidden.max}, got ${hidden.max + 1}`);
    assert.equal(await cliRefusal(['--layers', String(layers.max + 1)]), `--layers must be a whole number from 1 to ${layers.max}, got ${layers.max + 1}`);
    assert.equal(await cliRefusal(['--lr', '2000']), `--lr must be a number above 0 and at most ${learningRate.max}, got 2000`);
    // the wizard, in the words of its steps
    const draft = defaultDraft(DEFAULT_SETTINGS);
    const hiddenStep = wizardStep('hidden', draft, 'T', t);
    const rateStep = wizardStep('learningRate', draft, 'T', t);
    const layerStep = wizardStep('layers', draft, 'T', t);
    assert.ok(hiddenStep.kind === 'input' && rateStep.kind === 'input' && layerStep.kind === 'pick');
    assert.equal(hiddenStep.validate(String(hidden.max)), undefined);
    assert.equal(hiddenStep.validate(String(hidden.max + 1)), `Hidden size must be a whole number from 1 to ${hidden.max}, got ${hidden.max + 1}`);
    assert.equal(rateStep.validate('2000'), `Learning rate must be a number above 0 and at most ${learningRate.max}, got 2000`);
    assert.ok(layerStep.options.every((option) => option.set.layers! <= layers.max));
    // the protocol's bounds are the engine's
    assert.equal(MAX_LAYERS, layers.max);
    assert.equal(HIDDEN_STATES_LIMITS.maxUnits, hidden.max);
    assert.equal(HIDDEN_STATES_LIMITS.maxSteps, CONFIG_LIMITS.sequenceLength.max);
  });

  it('the allowed words agree everywhere: the CLI offers exactly the engine\'s lists, and so does package.json', async () => {
    assert.deepEqual(CONFIG_CHOICES, {
      task: TASK_NAMES, cell: CELL_KINDS, nonlinearity: NONLINEARITIES, gruReset: GRU_RESET_PLACEMENTS, merge: MERGE_MODES, optimizer: OPTIMIZER_NAMES, clipMode: CLIP_MODES,
    });
    const flagOf: Record<keyof typeof CONFIG_CHOICES, string> = {
      task: '--task', cell: '--cell', nonlinearity: '--nonlinearity', gruReset: '--gru-reset', merge: '--merge', optimizer: '--optimizer', clipMode: '--clip-mode',
    };
    for (const [field, allowed] of Object.entries(CONFIG_CHOICES) as [keyof typeof CONFIG_CHOICES, readonly string[]][]) {
      assert.equal(await cliRefusal([flagOf[field], 'nonsense']), `${flagOf[field]} must be one of ${allowed.join(', ')}; got 'nonsense'`);
      assert.equal(configError(() => resolveTrainingConfig({ [field]: 'nonsense' })).message, `${field} must be one of ${allowed.join(', ')}; got 'nonsense'`);
      for (const value of allowed) assert.doesNotThrow(() => resolveTrainingConfig({ task: 'adding', [field]: value }), `${field} ${value}`);
    }
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { enum?: string[] }> } } };
    assert.deepEqual(manifest.contributes.configuration.properties['rnnLab.defaultCell'].enum, CELL_KINDS);
    assert.deepEqual(manifest.contributes.configuration.properties['rnnLab.defaultTask'].enum, TASK_NAMES);
  });

  it('every limit is checked: the value just outside each range is a ConfigError naming that field', () => {
    for (const [field, range] of Object.entries(CONFIG_LIMITS) as [keyof typeof CONFIG_LIMITS, (typeof CONFIG_LIMITS)[keyof typeof CONFIG_LIMITS]][]) {
      const below = 'minOpen' in range && range.minOpen ? range.min : range.min - 1;
      const error = configError(() => resolveTrainingConfig({ task: 'adding', [field]: below }));
      assert.equal(error.field, field, `${field} = ${below}: ${error.message}`);
      if (Number.isFinite(range.max)) {
        const above = 'maxOpen' in range && range.maxOpen ? range.max : range.max + 1;
        assert.equal(configError(() => resolveTrainingConfig({ task: 'adding', [field]: above })).field, field, `${field} = ${above}`);
      }
      assert.equal(configError(() => resolveTrainingConfig({ task: 'adding', [field]: 'abc' as never })).field, field, `${field} = 'abc'`);
    }
  });

  it('a refused field is named in the learner\'s words at every boundary: each field has a flag and a wizard label', async () => {
    const asked: (keyof TrainingConfig)[] = ['task', 'sequenceLength', 'cell', 'layers', 'hidden', 'forgetBias', 'steps', 'learningRate', 'clip', 'optimizer', 'seed'];
    for (const field of asked) assert.notEqual(fieldLabel(field, t), field, `the wizard has a label for ${field}`);
    assert.equal(await cliRefusal(['--clip', '0']), "--clip must be a positive number, got 0 (or set --clip-mode none)");
    assert.equal(await cliRefusal(['--task', 'adding', '--seq-len', '1']), '--seq-len for task "adding" must be a whole number from 2 to 10000 (one marked step in each half), got 1');
    assert.equal(await cliRefusal(['--forget-bias', '1000']), '--forget-bias must be a number from -100 to 100, got 1000');
    assert.equal(await cliRefusal(['--train-examples', '1000001']), '--train-examples must be a whole number from 0 to 1000000, got 1000001');
    assert.equal(await cliRefusal(['--truncate', '5', '--bidirectional']), '--truncate (truncated BPTT) cannot be used with a bidirectional network, which reads the whole sequence');
  });
});

describe('training configuration: the memory budget is checked before anything is allocated', () => {
  it('each task spec knows its input and output width before it is built (the budget needs them)', () => {
    for (const spec of TASK_SPECS) {
      const task = createTask(spec.name);
      assert.deepEqual([spec.inputSize, spec.outputSize], [task.inputSize, task.outputSize], spec.name);
    }
  });

  it('--task text --seq-len 5243 --batch 4096 (11.5 GB before it was refused) is refused by the configuration check, allocating nothing', async () => {
    const config = { task: 'text', sequenceLength: 5243, batchSize: 4096 };
    const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const error = configError(() => new Trainer(config));
    assert.equal(error.field, undefined, 'no single field is at fault');
    assert.match(error.message, /^a 1-layer LSTM with hidden size 64 training on sequences of 5243 steps in batches of 4096 needs about \d+\.\d GB \(.*\), over RNN Lab's limit of 4\.0 GB: shorten the sequence/);
    assert.ok(process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heapBefore < 200 * 1024 ** 2, 'nothing large was allocated');
    assert.match(await cliRefusal(['--task', 'text', '--seq-len', '5243', '--batch', '4096']), /^a 1-layer LSTM with hidden size 64 .* over RNN Lab's limit of 4\.0 GB/);
  });

  it('the largest model the limits and the budget allow still passes (one layer of 4096), and its training sizes too', () => {
    assert.doesNotThrow(() => resolveTrainingConfig({ task: 'dinos', hidden: 4096 }));
    assert.doesNotThrow(() => resolveTrainingConfig({ task: 'text', batchSize: 4096 }));
    assert.doesNotThrow(() => resolveTrainingConfig({ task: 'adding', sequenceLength: 10_000, hidden: 32 }));
  });
});

describe('training configuration: the LSTM forget-gate bias is a named setting', () => {
  it('defaults to 1, is saved in the configuration, and starts the forget gate\'s bias there (0 gives exactly 0)', () => {
    assert.equal(DEFAULT_TRAINING_CONFIG.forgetBias, 1);
    for (const forgetBias of [1, 0, -2.5]) {
      const trainer = new Trainer({ task: 'adding', cell: 'lstm', hidden: 5, forgetBias });
      assert.equal(trainer.config.forgetBias, forgetBias);
      const H = 5;
      const parameter = (name: string): Float64Array => trainer.model.parameters().find((p) => p.name === name)!.value.data;
      const forget = (data: Float64Array): number[] => Array.from(data.subarray(H, 2 * H));
      assert.deepEqual(forget(parameter('bias_ih_l0')).map((value, j) => value + forget(parameter('bias_hh_l0'))[j]), Array(H).fill(forgetBias));
    }
  });

  it('a config.json saved before the field existed reads as what those runs used (1); a saved value is kept', () => {
    const old = { ...DEFAULT_TRAINING_CONFIG, task: 'adding' } as Partial<TrainingConfig>;
    delete (old as { forgetBias?: number }).forgetBias;
    assert.equal(parseConfig(old).forgetBias, 1);
    assert.equal(parseConfig({ ...old, forgetBias: 0 }).forgetBias, 0);
  });

  it('rnn-lab train --forget-bias sets it, and --help lists it with its default', async () => {
    assert.match(trainCommand.help(), /--forget-bias B\s+LSTM: the forget gate's starting bias .*\[default: 1\]/);
    assert.equal(await cliRefusal(['--forget-bias', 'x']), "--forget-bias expects a number, got 'x'");
  });
});
