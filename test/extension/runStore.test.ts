// Run folders on disk: atomic writes, fresh folders for every run, and a corrupt file reported by name while
// nothing is deleted or overwritten; CSV export; histories bounded for the dashboard's replay.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepMetrics } from '../../src/engine/trainer';
import { resolveTrainingConfig } from '../../src/engine/trainer';
import { CSV_COLUMNS } from '../../src/extension/host/csv';
import { RunHistory } from '../../src/shared/runHistory';
import { exportMetricsCsv, listSavedRuns, readMetrics } from '../../src/extension/host/runStore';
import { createRunFolder, MetricsWriter, writeFileAtomic } from '../../src/node/runFolder';
import { RUN_FILES, toJson } from '../../src/shared/runStoreFormat';
import { temporaryFolder } from './extensionHarness';

const CONFIG = resolveTrainingConfig({ task: 'adding', cell: 'lstm', hidden: 4, steps: 3, sequenceLength: 5 });

function step(n: number, extra: Partial<StepMetrics> = {}): StepMetrics {
  return {
    step: n, loss: 1 / n, gradientNorm: 2, clippedGradientNorm: 1, clipped: true,
    gradientNorms: [{ layer: 0, direction: 'forward', hidden: [0.1, 0.2, 0.3] }],
    gates: [{ layer: 0, direction: 'forward', gates: [{ gate: 'f', mean: [0.5, 0.5, 0.5], saturated: [0, 0, 0] }] }],
    milliseconds: 3, ...extra,
  };
}

/** A finished run folder as the training worker leaves it. */
function writeRun(root: string, id: string, steps: StepMetrics[]): string {
  const directory = join(root, id);
  mkdirSync(directory, { recursive: true });
  writeFileAtomic(join(directory, RUN_FILES.config), `${toJson(CONFIG, 2)}\n`);
  const metrics = new MetricsWriter(join(directory, RUN_FILES.metrics));
  metrics.append(steps);
  metrics.close();
  writeFileAtomic(join(directory, RUN_FILES.summary), `${toJson({
    stepsRequested: 3, stepsCompleted: steps.length, stoppedEarly: false, stopReason: 'completed', finalLoss: steps[steps.length - 1].loss,
    skippedSteps: 0, millisecondsPerStep: 3, stepsPerSecond: 300, wallSeconds: 0.01, startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z', version: '0.1.0',
  }, 2)}\n`);
  return directory;
}

/** Every file under a folder with its bytes, to prove nothing changed. */
function snapshot(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else files[`${prefix}${entry.name}`] = readFileSync(join(dir, entry.name), 'latin1');
    }
  };
  walk(folder, '');
  return files;
}

describe('extension run store', () => {
  it('lists runs newest first with their status, skipping folders that are not runs', async () => {
    const root = temporaryFolder();
    writeRun(root, 'run-a', [step(1), step(2), step(3)]);
    mkdirSync(join(root, 'notes'));
    mkdirSync(join(root, 'has spaces'));
    const { runs, unreadable } = await listSavedRuns(root);
    assert.deepEqual(unreadable, []);
    assert.deepEqual(runs.map((r) => [r.id, r.status, r.hasMetrics, r.hasModel]), [['run-a', 'done', true, false]]);
    assert.deepEqual(await listSavedRuns(join(root, 'missing')), { runs: [], unreadable: [] });
  });

  it('a corrupt config.json or summary.json: a clear error naming the file, the folder left exactly as it was', async () => {
    const root = temporaryFolder();
    writeRun(root, 'good', [step(1)]);
    const bad = writeRun(root, 'bad-config', [step(1)]);
    writeFileSync(join(bad, RUN_FILES.config), '{"task": "adding", "hidden": ');
    const badSummary = writeRun(root, 'bad-summary', [step(1)]);
    const summary = JSON.parse(readFileSync(join(badSummary, RUN_FILES.summary), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(badSummary, RUN_FILES.summary), JSON.stringify({ ...summary, stepsRequested: 'many' }));
    const badValue = writeRun(root, 'bad-value', [step(1)]);
    writeFileSync(join(badValue, RUN_FILES.config), JSON.stringify({ ...CONFIG, hidden: -3 }));
    const before = snapshot(root);
    const { runs, unreadable } = await listSavedRuns(root);
    assert.deepEqual(runs.map((r) => r.id), ['good']);
    const errors = Object.fromEntries(unreadable.map((u) => [u.id, u.error]));
    assert.match(errors['bad-config'], new RegExp(`^${escape(join(bad, 'config.json'))} is not valid JSON`));
    assert.match(errors['bad-summary'], new RegExp(`^${escape(join(badSummary, 'summary.json'))}\\.stepsRequested: expected a number`));
    assert.match(errors['bad-value'], new RegExp(`^${escape(join(badValue, 'config.json'))}: config: hidden must be a whole number`));
    // A new run goes into a new folder; nothing of the unreadable runs is touched.
    createRunFolder(root, CONFIG);
    const after = snapshot(root);
    assert.deepEqual(after, before);
  });

  it('a corrupt metrics.jsonl: reading stops at the bad line, naming file and line; CSV export writes nothing', async () => {
    const root = temporaryFolder();
    const directory = writeRun(root, 'torn', [step(1), step(2)]);
    const path = join(directory, RUN_FILES.metrics);
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"step": 3, "loss": [}\n`);
    const before = snapshot(root);
    const seen: number[] = [];
    await assert.rejects(readMetrics(directory, (m) => {
      seen.push(m.step);
    }), new RegExp(`^Error: ${escape(path)}:3: not valid JSON`));
    assert.deepEqual(seen, [1, 2]);
    const target = join(temporaryFolder(), 'out.csv');
    writeFileSync(target, 'an earlier export\n');
    await assert.rejects(exportMetricsCsv(directory, target), /metrics\.jsonl:3: not valid JSON/);
    assert.equal(readFileSync(target, 'utf8'), 'an earlier export\n', 'the existing file is not overwritten');
    assert.deepEqual(readdirSync(join(target, '..')), ['out.csv'], 'no temporary file is left');
    assert.deepEqual(snapshot(root), before);
  });

  it('a run that died mid-write: its last, cut-off line is left out; every whole step is read and exported', async () => {
    const root = temporaryFolder();
    const directory = writeRun(root, 'killed', [step(1), step(2)]);
    const path = join(directory, RUN_FILES.metrics);
    writeFileSync(path, `${readFileSync(path, 'utf8')}${toJson(step(3)).slice(0, 30)}`);
    const seen: number[] = [];
    assert.equal(await readMetrics(directory, (m) => {
      seen.push(m.step);
    }), 2);
    assert.deepEqual(seen, [1, 2]);
    assert.equal(await exportMetricsCsv(directory, join(temporaryFolder(), 'out.csv')), 2);
  });

  it('exports CSV with a header, one row per step, NaN and Infinity as such, and a formula-looking note defused', async () => {
    const root = temporaryFolder();
    const directory = writeRun(root, 'diverged', [step(1), step(2, { loss: NaN, gradientNorm: Infinity, skipped: '=HYPERLINK("x"), really', validationLoss: 0.5 })]);
    const target = join(temporaryFolder(), 'metrics.csv');
    assert.equal(await exportMetricsCsv(directory, target), 2);
    const lines = readFileSync(target, 'utf8').split('\r\n');
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    assert.equal(lines[1], '1,1,,2,1,true,,3');
    assert.equal(lines[2], `2,NaN,0.5,Infinity,1,true,"'=HYPERLINK(""x""), really",3`);
    assert.equal(lines[3], '');
  });
});

describe('run history for the dashboard replay', () => {
  it('stays bounded over a long run, keeps the first, the last and the validation steps, and a divergence', () => {
    const history = new RunHistory({ maxScalars: 1000, maxSeries: 10, maxReplayed: 300 });
    for (let n = 1; n <= 50_000; n++) {
      const diverged = n === 31_337;
      history.add(step(n, { loss: diverged ? NaN : 1 + Math.sin(n / 500), ...(n % 5000 === 0 ? { validationLoss: 0.25 } : {}) }));
    }
    const replay = history.replay();
    assert.ok(replay.length <= 300 + 10 + 10 + 1, `${replay.length} steps replayed`);
    assert.equal(replay[0].step, 1);
    assert.equal(replay[replay.length - 1].step, 50_000);
    assert.deepEqual(replay.filter((s) => s.validationLoss !== undefined).map((s) => s.step), [5000, 10000, 15000, 20000, 25000, 30000, 35000, 40000, 45000, 50000]);
    const series = replay.filter((s) => s.gradientNorms !== undefined);
    assert.ok(series.length >= 5 && series.length <= 11, `${series.length} steps with series`);
    assert.ok(replay.every((s, i) => i === 0 || s.step > replay[i - 1].step), 'ascending, no duplicates');
    assert.deepEqual(replay.filter((s) => s.loss === 'NaN').map((s) => s.step), [31_337], 'the divergence survives thinning');
  });

  it('encodes non-finite numbers for JSON and replays every step of a short run', () => {
    const history = new RunHistory();
    history.add(step(1, { loss: Infinity }));
    history.add(step(2, { loss: NaN, gradientNorms: [{ layer: 0, direction: 'forward', hidden: [NaN, -Infinity] }] }));
    const replay = JSON.parse(JSON.stringify(history.replay())) as { loss: unknown; gradientNorms?: { hidden: unknown[] }[] }[];
    assert.deepEqual(replay.map((s) => s.loss), ['Infinity', 'NaN']);
    assert.deepEqual(replay[1].gradientNorms?.[0].hidden, ['NaN', '-Infinity']);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
