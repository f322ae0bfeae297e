// Extension host (Node, no vscode): the run folders under the workspace read back — listed with their status,
// metrics streamed, exported as CSV. They are written by src/node/runFolder.ts, as the CLI writes its own, so
// `rnn-lab report` reads what the extension saves. Nothing here deletes or overwrites a file of an existing run;
// a file that cannot be read is an Error that names it.
import { createReadStream, existsSync } from 'node:fs';
import { readdir, readFile, rename, stat, unlink, open as openFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunSummary } from '../../shared/runStoreFormat';
import type { StepMetrics, TrainingConfig } from '../../engine/trainer';
import { RUN_ID_PATTERN, type RunStatus } from '../../shared/protocol';
import { parseConfig, parseJsonText, parseStepMetrics, parseSummary, RUN_FILES } from '../../shared/runStoreFormat';
import { temporaryName } from '../../node/runFolder';
import { csvHeader, csvRow } from './csv';
import { statusOfSummary } from '../../shared/runInfo';

/** Run ids are folder names the dashboard may send back: the protocol's rule, so none can be a path. */
export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
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
  /** Whether metrics.jsonl exists (it is written step by step from a run's first step). */
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
  return { ...base, status: 'error', message: `${join(directory, missing)} is missing: the run is still training elsewhere, or it ended before it finished saving${hasMetrics ? ' (the steps it recorded can be shown)' : ''}` };
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
 * A last line cut off mid-write (no newline: the training process died while writing it) is left out, not an error.
 */
export async function readMetrics(directory: string, onStep: (metrics: StepMetrics) => void | Promise<void>): Promise<number> {
  const path = join(directory, RUN_FILES.metrics);
  if (!existsSync(path)) throw new Error(`${directory} has no ${RUN_FILES.metrics}: the run ended before its first step was written`);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  let count = 0;
  /** A line that is not JSON: an error, unless it turns out to be the torn last line. */
  let pending: Error | undefined;
  try {
    for await (const line of lines) {
      if (pending) throw pending;
      lineNumber++;
      if (line.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (error) {
        pending = new Error(`${path}:${lineNumber}: not valid JSON (${(error as Error).message})`);
        continue;
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
  if (pending && (await endsWithNewline(path))) throw pending;
  return count;
}

async function endsWithNewline(path: string): Promise<boolean> {
  const file = await openFile(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    await file.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await file.close();
  }
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
