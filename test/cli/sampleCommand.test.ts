// `rnn-lab sample`: text from a trained dinosaur model, reproducible by seed, and clear errors for unusable models.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli, temporaryFolder, tinyTrainArgs } from './cliHarness';

describe('rnn-lab sample', () => {
  const folder = temporaryFolder();
  const dinos = join(folder, 'dinos');
  const adding = join(folder, 'adding');

  before(async () => {
    const [a, b] = await Promise.all([
      runCli(tinyTrainArgs(dinos, { cell: 'lstm', hidden: '16', steps: '60', lr: '0.02' })),
      runCli(tinyTrainArgs(adding, { task: 'adding', steps: '3' })),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
  });

  it('prints N names from a trained dinos model, one per line, in the dinosaur alphabet', async () => {
    const result = await runCli(['sample', '--model', join(dinos, 'model.json'), '--n', '4', '--temperature', '0.8', '--max-length', '30']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.equal(lines.length, 4);
    for (const line of lines) assert.match(line, /^[a-z]{0,30}$/);
    assert.ok(new Set(lines).size > 1, `different samples: ${lines.join(', ')}`);
  });

  it('accepts the run folder, starts from --prefix, and repeats itself for the same --seed', async () => {
    const args = ['sample', '--model', dinos, '--n', '3', '--seed', '5', '--prefix', 'tyr', '--top-k', '5'];
    const [first, second] = await Promise.all([runCli(args), runCli(args)]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, second.stdout);
    for (const line of first.stdout.trim().split('\n')) assert.match(line, /^tyr[a-z]*$/);
  });

  it('a model trained on numbers has no vocabulary: a clear error, exit 1', async () => {
    const result = await runCli(['sample', '--model', adding]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /task 'adding'.*no vocabulary/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });

  it('a value the sampler refuses names the flag: exit 2', async () => {
    const [temperature, topK, prefix] = await Promise.all([
      runCli(['sample', '--model', dinos, '--temperature', '0']),
      runCli(['sample', '--model', dinos, '--top-k', '99']),
      runCli(['sample', '--model', dinos, '--prefix', 'T-REX']),
    ]);
    assert.equal(temperature.code, 2);
    assert.match(temperature.stderr, /--temperature must be a positive number, got 0/);
    assert.equal(topK.code, 2);
    assert.match(topK.stderr, /--top-k must be a whole number from 1 to 27, got 99/);
    assert.equal(prefix.code, 2);
    assert.match(prefix.stderr, /--prefix character "T" is not in the model's vocabulary/);
  });

  it('a file that is not a model is exit 1 with the reason', async () => {
    const result = await runCli(['sample', '--model', join(dinos, 'summary.json')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /is not a usable RNN Lab model: format: expected 'rnn-lab-model'/);
  });
});
