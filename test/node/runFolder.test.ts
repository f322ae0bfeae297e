// The run-folder writer the CLI and the extension's worker share: fresh folders that never collide, a folder that
// belongs to one run only, whole files, and metrics that survive a run cut short.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRun } from '../../src/cli/runFiles';
import { resolveTrainingConfig, type StepMetrics } from '../../src/engine/trainer';
import { claimRunFolder, createFileExclusive, createRunFolder, MetricsWriter, RunFolderError, RunRecorder, runFolderName, writeFileAtomic } from '../../src/node/runFolder';
import { parseMetricsLines, RUN_FILES } from '../../src/shared/runStoreFormat';
import { temporaryFolder } from '../cli/cliHarness';

const CONFIG = resolveTrainingConfig({ task: 'adding', cell: 'lstm', hidden: 4, steps: 3, sequenceLength: 5 });

function step(n: number, extra: Partial<StepMetrics> = {}): StepMetrics {
  return {
    step: n, loss: 1 / n, gradientNorm: 2, clippedGradientNorm: 1, clipped: true,
    gradientNorms: [{ layer: 0, direction: 'forward', hidden: [0.1, 0.2, 0.3] }],
    gates: [], milliseconds: 3, ...extra,
  };
}

describe('run folder (src/node)', () => {
  it('writes files atomically and leaves no temporary file', () => {
    const folder = temporaryFolder();
    writeFileAtomic(join(folder, 'a.json'), '{"a": 1}\n');
    writeFileAtomic(join(folder, 'a.json'), new TextEncoder().encode('{"a": 2}\n'));
    assert.deepEqual(readdirSync(folder), ['a.json']);
    assert.equal(readFileSync(join(folder, 'a.json'), 'utf8'), '{"a": 2}\n');
    assert.throws(() => writeFileAtomic(join(folder, 'missing', 'b.json'), 'x'), /ENOENT/);
    assert.deepEqual(readdirSync(folder), ['a.json']);
  });

  it('creates a file exclusively: of two writers one wins, the loser gets EEXIST and the first file is untouched', () => {
    const folder = temporaryFolder();
    createFileExclusive(join(folder, 'config.json'), 'first\n');
    assert.throws(() => createFileExclusive(join(folder, 'config.json'), 'second\n'), { code: 'EEXIST' });
    assert.equal(readFileSync(join(folder, 'config.json'), 'utf8'), 'first\n');
    assert.deepEqual(readdirSync(folder), ['config.json'], 'the loser leaves no temporary file');
  });

  it('names folders by time, task and cell, and never reuses one, even for runs started in the same second', () => {
    const root = join(temporaryFolder(), 'nested', 'runs');
    const now = new Date(2026, 0, 2, 3, 4, 5);
    assert.equal(runFolderName({ task: 'copy-memory', cell: 'gru' }, now), '20260102-030405-copy-memory-gru');
    const ids = [1, 2, 3].map(() => createRunFolder(root, { task: 'adding', cell: 'lstm' }, now).id);
    assert.deepEqual(ids, ['20260102-030405-adding-lstm', '20260102-030405-adding-lstm-2', '20260102-030405-adding-lstm-3']);
  });

  it('claims a new or empty folder; refuses one that holds a run or anything else, and changes nothing there', () => {
    const root = temporaryFolder();
    claimRunFolder(join(root, 'new', 'deeper'), CONFIG);
    assert.deepEqual(readdirSync(join(root, 'new', 'deeper')), [RUN_FILES.config]);
    mkdirSync(join(root, 'empty'));
    claimRunFolder(join(root, 'empty'), CONFIG);
    assert.throws(() => claimRunFolder(join(root, 'empty'), CONFIG), (error: RunFolderError) => error instanceof RunFolderError && /already holds a run/.test(error.reason));
    mkdirSync(join(root, 'notes'));
    writeFileSync(join(root, 'notes', 'thesis.tex'), 'months of work');
    assert.throws(() => claimRunFolder(join(root, 'notes'), CONFIG), /notes is not empty \(it holds thesis\.tex\); a run needs a new or empty folder/);
    assert.deepEqual(readdirSync(join(root, 'notes')), ['thesis.tex']);
    assert.equal(readFileSync(join(root, 'notes', 'thesis.tex'), 'utf8'), 'months of work');
    writeFileSync(join(root, 'a-file'), '');
    assert.throws(() => claimRunFolder(join(root, 'a-file'), CONFIG), /a-file is a file, not a folder/);
  });

  it('metrics are in metrics.jsonl from the first step on, whole lines only, so a run that never closes keeps them', () => {
    const folder = temporaryFolder();
    const writer = new MetricsWriter(join(folder, 'metrics.jsonl'), 0);
    writer.append([step(1), step(2, { loss: NaN })]);
    writer.append([]);
    writer.append([step(3)]);
    const text = readFileSync(join(folder, 'metrics.jsonl'), 'utf8');
    assert.ok(text.endsWith('\n'));
    assert.deepEqual(parseMetricsLines(text).map((m) => m.step), [1, 2, 3], 'readable before close, as after a kill -9');
    assert.match(text, /"loss":"NaN"/);
    writer.close();
    writer.close();
    assert.throws(() => writer.append([step(4)]), /already closed/);
    assert.throws(() => new MetricsWriter(join(folder, 'metrics.jsonl')), { code: 'EEXIST' }, 'never appends to another run\'s metrics');
  });

  it('a recorder writes the CLI\'s run folder: config at the start, metrics as they come, model and summary at the end', () => {
    const directory = join(temporaryFolder(), 'run');
    const recorder = RunRecorder.start(directory, CONFIG);
    assert.deepEqual(readdirSync(directory).sort(), [RUN_FILES.config, RUN_FILES.metrics]);
    recorder.record([step(1), step(2)]);
    recorder.record([step(3, { validationLoss: 0.25 })]);
    const summarize = (): ReturnType<RunRecorder['tally']['summary']> => recorder.tally.summary({
      config: CONFIG, wallSeconds: 1, startedAt: new Date(0), finishedAt: new Date(1000), version: 'test',
    });
    const { summary, problems } = recorder.finish(() => ({ json: '{"model": true}' }), summarize);
    assert.deepEqual(problems, []);
    assert.equal(summary.stepsCompleted, 3);
    assert.equal(summary.finalValidationLoss, 0.25);
    assert.deepEqual(readdirSync(directory).sort(), [RUN_FILES.config, RUN_FILES.metrics, RUN_FILES.model, RUN_FILES.summary].sort());
    const run = readRun(directory);
    assert.deepEqual(run.metrics.map((m) => m.step), [1, 2, 3]);
    assert.equal(run.summary?.stopReason, 'completed');
  });

  it('a model that cannot be encoded is a problem reported by name; the metrics and the summary are still saved', () => {
    const directory = join(temporaryFolder(), 'run');
    const recorder = RunRecorder.start(directory, CONFIG);
    recorder.record([step(1)]);
    const { problems } = recorder.finish(() => {
      throw new RangeError('Invalid string length');
    }, () => recorder.tally.summary({ config: CONFIG, wallSeconds: 1, startedAt: new Date(0), finishedAt: new Date(1000), version: 'test' }));
    assert.deepEqual(problems, ['model.json: Invalid string length']);
    assert.deepEqual(readdirSync(directory).sort(), [RUN_FILES.config, RUN_FILES.metrics, RUN_FILES.summary].sort());
    assert.equal(readRun(directory).summary?.stepsCompleted, 1);
  });
});
