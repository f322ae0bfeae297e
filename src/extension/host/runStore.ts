// Extension host (Node, no vscode — the training worker imports it too): run folders on disk, in exactly the CLI's
// format (config.json, metrics.jsonl, model.json, summary.json), so `rnn-lab report` reads what the extension saves.
// Every write is atomic (a temporary file, then rename) and goes into a fresh folder; nothing here deletes or
// overwrites a file of an existing run. A file that cannot be read is an Error that names it.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rename, stat, unlink, open as openFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { threadId } from 'node:worker_threads';
import type { RunSummary } from '../../engine/report/reportHtml';
import type { StepMetrics, TrainingConfig } from '../../engine/trainer';
import { RUN_ID_PATTERN, type RunStatus } from '../../shared/protocol';
import { parseConfig, parseJsonText, parseStepMetrics, parseSummary, RUN_FILES, toJson } from '../../shared/runStoreFormat';
import { csvHeader, csvRow } from './csv';
import { statusOfSummary } from './runInfo';

/** Run ids are folder names the dashboard may send back: the protocol's rule, so none can be a path. */
export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}

/** `20261125-071444-adding-lstm`, as `rnn-lab train` names its folders (local time). */
export function runFolderName(config: Pick<TrainingConfig, 'task' | 'cell'>, now: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
  return `${stamp}-${config.task}-${config.cell}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

/**
 * Creates a new, empty run folder under `root` and returns its id and path. The folder is made with a non-recursive
 * mkdir, which fails if it exists, so two runs started in the same second (Compare Cells) never share a folder.
 */
export function createRunFolder(root: string, config: Pick<TrainingConfig, 'task' | 'cell'>, now = new Date()): { id: string; directory: string } {
  mkdirSync(root, { recursive: true });
  const base = runFolderName(config, now);
  for (let n = 1; n < 10_000; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    const directory = join(root, id);
    try {
      mkdirSync(directory);
      return { id, directory };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`${root} already holds 10000 runs named ${base}; choose another runs folder`);
}

function temporaryName(path: string): string {
  return `${path}.${process.pid}-${threadId}-${Math.random().toString(36).slice(2, 8)}.tmp`;
}

/** Writes a file so that readers see the old content or the new, never half of it: a temporary file, flushed, renamed. */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const temporary = temporaryName(path);
  const descriptor = openSync(temporary, 'wx');
  try {
    writeFileSync(descriptor, text);   // loops until everything is written
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(descriptor);
  renameSync(temporary, path);
}

/**
 * metrics.jsonl while a run trains: lines are appended to a temporary file in batches (one write per batch), which
 * becomes metrics.jsonl on `close()` — as the CLI does, a reader never sees a half-written metrics file.
 */
export class MetricsFile {
  private readonly temporary: string;
  private readonly descriptor: number;
  private closed = false;

  constructor(private readonly path: string) {
    this.temporary = temporaryName(path);
    this.descriptor = openSync(this.temporary, 'wx');
  }

  append(steps: readonly StepMetrics[]): void {
    if (steps.length === 0) return;
    let text = '';
    for (const step of steps) text += `${toJson(step)}\n`;
    writeFileSync(this.descriptor, text);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fsyncSync(this.descriptor);
    closeSync(this.descriptor);
    renameSync(this.temporary, this.path);
  }
}

/** A run folder as listed: its configuration, its summary when it finished, and a status for the dashboard. */
export interface SavedRun {
  readonly id: string;
  readonly directory: string;
  readonly config: TrainingConfig;
  readonly summary?: RunSummary;
  readonly startedAt: string;
  readonly status: Exclude<RunStatus, 'running'>;
  readonly message?: string;
  /** Whether metrics.jsonl exists (it appears when a run finishes saving). */
  readonly hasMetrics: boolean;
  readonly hasModel: boolean;
}

/** A folder that looks like a run (it has config.json) but could not be read; `error` names the file. */
export interface UnreadableRun {
  readonly id: string;
  readonly directory: string;
  readonly error: string;
}

async function readJsonFile(path: string): Promise<unknown> {
  return parseJsonText(await readFile(path, 'utf8'), path);
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Reads one run folder's config.json and summary.json; an Error names the file and the field. */
export async function readSavedRun(directory: string, id: string): Promise<SavedRun> {
  const configPath = join(directory, RUN_FILES.config);
  const summaryPath = join(directory, RUN_FILES.summary);
  if (!(await exists(configPath))) throw new Error(`${directory} is not a training run folder (it has no ${RUN_FILES.config})`);
  let config: TrainingConfig;
  try {
    config = parseConfig(await readJsonFile(configPath));
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.startsWith(configPath) ? message : `${configPath}: ${message}`);
  }
  const summary = (await exists(summaryPath)) ? parseSummary(await readJsonFile(summaryPath), summaryPath) : undefined;
  const hasMetrics = await exists(join(directory, RUN_FILES.metrics));
  const hasModel = await exists(join(directory, RUN_FILES.model));
  const startedAt = summary?.startedAt ?? (await stat(configPath)).mtime.toISOString();
  const base = { id, directory, config, startedAt, hasMetrics, hasModel, ...(summary ? { summary } : {}) };
  if (summary && hasMetrics) return { ...base, ...statusOfSummary(summary) };
  const missing = hasMetrics ? RUN_FILES.summary : RUN_FILES.metrics;
  return { ...base, status: 'error', message: `${join(directory, missing)} is missing: the run is still training elsewhere, or it stopped before it finished saving` };
}

/**
 * Every run folder under `root`, newest first. A folder without config.json is not a run and is skipped; one whose
 * files cannot be read is reported in `unreadable` with the file named, and left exactly as it is.
 */
export async function listSavedRuns(root: string): Promise<{ runs: SavedRun[]; unreadable: UnreadableRun[] }> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { runs: [], unreadable: [] };
    throw error;
  }
  const runs: SavedRun[] = [];
  const unreadable: UnreadableRun[] = [];
  await Promise.all(entries.filter((entry) => entry.isDirectory() && isRunId(entry.name)).map(async (entry) => {
    const directory = join(root, entry.name);
    if (!(await exists(join(directory, RUN_FILES.config)))) return;
    try {
      runs.push(await readSavedRun(directory, entry.name));
    } catch (error) {
      unreadable.push({ id: entry.name, directory, error: (error as Error).message });
    }
  }));
  runs.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.id < b.id ? 1 : -1));
  unreadable.sort((a, b) => (a.id < b.id ? 1 : -1));
  return { runs, unreadable };
}

/**
 * Streams metrics.jsonl step by step (the file can be tens of megabytes; reading it in chunks keeps the extension
 * host's event loop free). An Error names the file and line: `…/metrics.jsonl:17: loss: expected a number, got "x"`.
 */
export async function readMetrics(directory: string, onStep: (metrics: StepMetrics) => void | Promise<void>): Promise<number> {
  const path = join(directory, RUN_FILES.metrics);
  if (!existsSync(path)) throw new Error(`${directory} has no ${RUN_FILES.metrics}: the run did not finish saving`);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  let count = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (error) {
        throw new Error(`${path}:${lineNumber}: not valid JSON (${(error as Error).message})`);
      }
      let metrics: StepMetrics;
      try {
        metrics = parseStepMetrics(json);
      } catch (error) {
        throw new Error(`${path}:${lineNumber}: ${(error as Error).message}`);
      }
      await onStep(metrics);
      count++;
    }
  } finally {
    lines.close();
  }
  return count;
}

/**
 * Writes a run's metrics as CSV to `target` (a file the user chose). Written to a temporary file beside it and
 * renamed at the end, so a corrupt metrics.jsonl leaves no half CSV behind and an existing `target` untouched.
 */
export async function exportMetricsCsv(directory: string, target: string): Promise<number> {
  const temporary = temporaryName(target);
  const file = await openFile(temporary, 'wx');
  let rows = 0;
  try {
    let chunk = csvHeader();
    await readMetrics(directory, async (metrics) => {
      chunk += csvRow(metrics);
      rows++;
      if (chunk.length >= 1 << 20) {
        await file.write(chunk);
        chunk = '';
      }
    });
    await file.write(chunk);
    await file.sync();
    await file.close();
  } catch (error) {
    await file.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await rename(temporary, target);
  return rows;
}
