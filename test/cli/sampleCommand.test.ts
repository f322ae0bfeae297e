// `rnn-lab sample`: text from a trained dinosaur model, reproducible by seed, and clear errors for unusable models.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('a model whose weights.bin is missing or cut short is exit 1 naming the file', async () => {
    const copy = temporaryFolder();
    copyFileSync(join(dinos, 'model.json'), join(copy, 'model.json'));
    const missing = await runCli(['sample', '--model', copy]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /weights\.bin cannot be read: there is no such file/);
    writeFileSync(join(copy, 'weights.bin'), readFileSync(join(dinos, 'weights.bin')).subarray(0, 800));
    const short = await runCli(['sample', '--model', copy]);
    assert.equal(short.code, 1);
    assert.match(short.stderr, /model\.json is not a usable RNN Lab model: .*"weights\.bin" holds 800 bytes/);
  });

  it('a model whose vocabulary carries terminal escape sequences prints them inert', async () => {
    const model = JSON.parse(readFileSync(join(dinos, 'model.json'), 'utf8')) as { meta: { task: { vocabulary: string[] } } };
    const hostile = ['\u001b]0;owned\u0007', '\u001b[2J', '\u009b31m', '\u202e', '\r'];
    model.meta.task.vocabulary = model.meta.task.vocabulary.map((character, i) => (character === '\n' ? character : hostile[i % hostile.length]));
    const copy = temporaryFolder();
    const path = join(copy, 'hostile.json');
    writeFileSync(path, JSON.stringify(model));
    copyFileSync(join(dinos, 'weights.bin'), join(copy, 'weights.bin'));
    const result = await runCli(['sample', '--model', path, '--n', '3', '--max-length', '20']);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/, 'nothing a terminal would act on');
    assert.match(result.stdout, /\\x1b|\\x9b|\\u202e|\\x0d/, 'the escapes are shown as text');
    assert.equal(result.stdout.trim().split('\n').length, 3);
  });
});
