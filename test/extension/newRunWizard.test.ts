// New Training Run's steps: Enter at every step trains the adding problem with an LSTM at T = 20; each input box is
// checked with the engine's own messages; choosing a task brings that task's sequence length.
import assert from 'node:assert/strict';
import { resolveTrainingConfig } from '../../src/engine/trainer';
import { acceptAllDefaults, defaultDraft, parseNumber, wizardStep, wizardStepIds } from '../../src/extension/host/newRunWizard';
import { DEFAULT_SETTINGS } from '../../src/extension/host/settingsTable';
import { translate as t } from './extensionHarness';

describe('new training run steps', () => {
  it('Enter at every step gives an LSTM on the adding problem, T = 20, hidden 32, 300 steps, a valid configuration', () => {
    const config = acceptAllDefaults(defaultDraft(DEFAULT_SETTINGS), { chooseCell: true }, t);
    assert.deepEqual(config, {
      task: 'adding', sequenceLength: 20, cell: 'lstm', layers: 1, bidirectional: false, hidden: 32, forgetBias: 1, steps: 300,
      learningRate: 0.01, clipMode: 'norm', clip: 1, optimizer: 'adam', seed: 1,
    });
    assert.doesNotThrow(() => resolveTrainingConfig(config));
  });

  it('has eleven steps with the cell, ten for Compare Cells (which trains all three)', () => {
    assert.equal(wizardStepIds({ chooseCell: true }).length, 11);
    assert.deepEqual(wizardStepIds({ chooseCell: false }).filter((id) => id === 'cell'), []);
    assert.equal(wizardStepIds({ chooseCell: false }).length, 10);
  });

  it('pre-selects the settings\' task and cell', () => {
    const draft = defaultDraft({ defaultTask: 'dinos', defaultCell: 'gru' });
    const task = wizardStep('task', draft, 'T', t);
    const cell = wizardStep('cell', draft, 'T', t);
    assert.ok(task.kind === 'pick' && cell.kind === 'pick');
    assert.equal(task.options[task.defaultIndex].label, 'dinos');
    assert.equal(cell.options[cell.defaultIndex].label, 'GRU');
    assert.equal(draft.sequenceLength, 25, 'dinos keeps its own T');
  });

  it('choosing a task sets its sequence length, so the next box is pre-filled with a valid one', () => {
    const task = wizardStep('task', defaultDraft(DEFAULT_SETTINGS), 'T', t);
    assert.ok(task.kind === 'pick');
    const temporal = task.options.find((option) => option.label === 'temporal-order')!;
    const length = wizardStep('sequenceLength', temporal.set, 'T', t);
    assert.ok(length.kind === 'input');
    assert.equal(length.value, '100');
    assert.equal(length.validate(length.value), undefined);
  });

  it('refuses bad input with the engine\'s rule, named as the step names the field (not the engine\'s field name)', () => {
    const draft = defaultDraft(DEFAULT_SETTINGS);
    const hidden = wizardStep('hidden', draft, 'T', t);
    const rate = wizardStep('learningRate', draft, 'T', t);
    const length = wizardStep('sequenceLength', draft, 'T', t);
    const steps = wizardStep('steps', draft, 'T', t);
    assert.ok(hidden.kind === 'input' && rate.kind === 'input' && length.kind === 'input' && steps.kind === 'input');
    assert.equal(hidden.validate('0'), 'Hidden size must be a whole number from 1 to 4096, got 0');
    assert.equal(hidden.validate('2.5'), 'Hidden size must be a whole number from 1 to 4096, got 2.5');
    assert.equal(hidden.validate('abc'), 'Enter a number.');
    assert.equal(rate.validate('-1'), 'Learning rate must be a number above 0 and at most 1000, got -1');
    assert.equal(rate.validate('2000'), 'Learning rate must be a number above 0 and at most 1000, got 2000');
    assert.equal(steps.validate('0'), 'Training steps must be a whole number from 1 to 10000000, got 0');
    assert.match(length.validate('1') ?? '', /^Sequence length T for task "adding" must be a whole number from 2 to 10000 /);
    for (const message of [hidden.validate('0'), rate.validate('-1'), length.validate('1')]) {
      assert.doesNotMatch(message ?? '', /learningRate|sequenceLength|hidden must/, 'no engine field name reaches the learner');
    }
    // A size that fits every limit but not in memory is refused as the learner types it, before any run folder exists.
    const deepHidden = wizardStep('hidden', { ...draft, layers: 2 }, 'T', t);
    assert.ok(deepHidden.kind === 'input');
    assert.equal(deepHidden.validate('4096')?.startsWith('a 2-layer LSTM with hidden size 4096 training on sequences of 20 steps in batches of 32 needs about '), true, deepHidden.validate('4096'));
    assert.equal(hidden.validate('4096'), undefined, 'one layer of 4096 fits');
    assert.deepEqual(hidden.apply(' 64 '), { ...draft, hidden: 64 });
  });

  it('shows the LSTM\'s forget-gate bias where the cell is chosen: 1 by default, or 0 as PyTorch starts on average', () => {
    const draft = defaultDraft(DEFAULT_SETTINGS);
    const cell = wizardStep('cell', draft, 'T', t);
    assert.ok(cell.kind === 'pick');
    const lstm = cell.options[cell.defaultIndex];
    assert.equal(lstm.label, 'LSTM');
    assert.match(lstm.description ?? '', /forget-gate bias starts at 1/);
    assert.equal(lstm.set.forgetBias, 1);
    const zero = cell.options.find((option) => option.set.cell === 'lstm' && option.set.forgetBias === 0);
    assert.ok(zero, 'an LSTM with forget-gate bias 0 is offered');
    assert.match(zero.label, /forget-gate bias 0/);
    const again = wizardStep('cell', zero.set, 'T', t);
    assert.ok(again.kind === 'pick');
    assert.equal(again.options[again.defaultIndex], again.options.find((option) => option.set.forgetBias === 0 && option.set.cell === 'lstm'), 'Back keeps the choice');
    assert.equal(resolveTrainingConfig(acceptAllDefaults(zero.set, { chooseCell: false }, t)).forgetBias, 0);
  });

  it('reads numbers as typed and nothing else', () => {
    assert.equal(parseNumber('1e-3'), 0.001);
    assert.equal(parseNumber(' .5 '), 0.5);
    for (const text of ['', ' ', '1,5', '0x10', 'Infinity', 'NaN', '1e999']) assert.equal(parseNumber(text), undefined, text);
  });

  it('titles each step "(i/N)" through the given title and offers every optimizer and four clipping choices', () => {
    const optimizer = wizardStep('optimizer', defaultDraft(DEFAULT_SETTINGS), 'New Training Run (10/11)', t);
    const clip = wizardStep('clip', defaultDraft(DEFAULT_SETTINGS), 'x', t);
    assert.ok(optimizer.kind === 'pick' && clip.kind === 'pick');
    assert.equal(optimizer.title, 'New Training Run (10/11)');
    assert.deepEqual(optimizer.options.map((o) => o.label), ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam']);
    assert.equal(optimizer.options[optimizer.defaultIndex].label, 'adam');
    assert.equal(clip.options.length, 4);
    assert.deepEqual(clip.options[clip.defaultIndex].set.clipMode, 'norm');
    assert.equal(clip.options.find((o) => o.set.clipMode === 'none')?.label, 'No clipping');
  });
});
