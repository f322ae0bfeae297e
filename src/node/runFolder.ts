// Node layer: writing a training run's folder (config.json, metrics.jsonl, model.json, summary.json) — the one
// implementation the CLI and the extension's training worker share. A folder belongs to exactly one run; metrics are
// appended as they come so a run cut short keeps what it trained; every other file appears whole or not at all.
import { closeSync, copyFileSync, constants, fsyncSync, ftruncateSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { StepMetrics, TrainingConfig } from '../engine/trainer';
import { RUN_FILES, RunTally, toJson, type RunSummary } from '../shared/runStoreFormat';

/** `20261125-071444-adding-lstm`: local time, task and cell — how both the CLI and the extension name new runs. */
export function runFolderName(config: Pick<TrainingConfig, 'task' | 'cell'>, now: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
  return `${stamp}-${config.task}-${config.cell}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

/**
 * Creates a new, empty run folder under `root` and returns its id and path. Each candidate name is made with a
 * non-recursive mkdir, which fails if the folder exists, so two runs started in the same second (two terminals,
 * Compare Cells) never share a folder: the second gets `…-2`.
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

/** A folder that cannot hold a new run (not empty, a file, taken by another run); the message says which and why. */
export class RunFolderError extends Error {
  override readonly name = 'RunFolderError';

  /** `reason` completes a sentence about the folder: "already holds a run; choose a new folder". */
  constructor(readonly directory: string, readonly reason: string) {
    super(`${directory} ${reason}`);
  }
}

/** A file of the run could not be written (a full disk, a folder made read-only): training should stop, not go on unrecorded. */
export class RunWriteError extends Error {
  override readonly name = 'RunWriteError';
}

/**
 * A unique name beside `path` for a file being written: process, thread and a random part, so two writers (two
 * processes, or the worker threads of one extension host) never share one. Ends in `.tmp`.
 */
export function temporaryName(path: string): string {
  return `${path}.${process.pid}-${threadId}-${Math.random().toString(36).slice(2, 8)}.tmp`;
}

const TEMPORARY_FILE = /\.\d+-\d+-[a-z0-9]*\.tmp$/;

/** Writes a whole temporary file beside `path`, flushed to disk; on any error the temporary file is removed. */
function writeTemporary(path: string, data: string | Uint8Array): string {
  const temporary = temporaryName(path);
  const descriptor = openSync(temporary, 'wx');
  try {
    writeFileSync(descriptor, data);   // loops until everything is written
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(descriptor);
  return temporary;
}

/** Writes a file so that readers see the old content or the new, never half of it: a temporary file, flushed, renamed. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temporary = writeTemporary(path, data);
  try {
    renameSync(temporary, path);
  } catch (error) {
    unlinkQuietly(temporary);
    throw error;
  }
  syncDirectory(dirname(path));
}

/**
 * Creates `path` with `data` only if no file of that name exists — in one step, so of two writers exactly one
 * succeeds and the other gets EEXIST — and only ever whole: the data is written to a temporary file first and then
 * hard-linked to its name. Where the file system has no hard links (FAT), an exclusive copy takes their place.
 */
export function createFileExclusive(path: string, data: string | Uint8Array): void {
  const temporary = writeTemporary(path, data);
  try {
    try {
      linkSync(temporary, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
      copyFileSync(temporary, path, constants.COPYFILE_EXCL);
    }
  } finally {
    unlinkQuietly(temporary);
  }
  syncDirectory(dirname(path));
}

/**
 * Makes `directory` the folder of a new run and writes its config.json. The folder may be new or an existing empty
 * folder; one holding anything else is refused rather than mixed with or overwritten. Two runs given the same folder
 * at the same moment: config.json is created exclusively, so exactly one gets it and the other a RunFolderError.
 */
export function claimRunFolder(directory: string, config: TrainingConfig): void {
  mkdirSync(dirname(directory), { recursive: true });
  try {
    mkdirSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (!statSync(directory).isDirectory()) throw new RunFolderError(directory, 'is a file, not a folder');
    const entries = readdirSync(directory);
    if (entries.some((name) => name === RUN_FILES.config || TEMPORARY_FILE.test(name))) {
      throw new RunFolderError(directory, 'already holds a run (or another run is starting in it); choose a new folder');
    }
    if (entries.length > 0) {
      const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} in all)` : '');
      throw new RunFolderError(directory, `is not empty (it holds ${shown}); a run needs a new or empty folder, so nothing there is overwritten`);
    }
  }
  try {
    createFileExclusive(join(directory, RUN_FILES.config), `${toJson(config, 2)}\n`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new RunFolderError(directory, 'was taken by another run started at the same moment; choose a new folder');
  }
}

/** Flushes a folder's entries (a rename or a new file) to disk where the platform allows opening a folder. */
function syncDirectory(directory: string): void {
  let descriptor: number;
  try {
    descriptor = openSync(directory, 'r');
  } catch {
    return;   // Windows cannot open a folder; its renames are durable without this
  }
  try {
    fsyncSync(descriptor);
  } catch {
    // Some file systems refuse fsync on a folder; the rename itself has happened.
  } finally {
    closeSync(descriptor);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * metrics.jsonl while a run trains: each batch of steps is appended to the file itself, whole lines only, and flushed
 * to disk at most every `syncEveryMs` — so a run killed, cut off by a full disk or by a folder made read-only keeps
 * every step written before. A write that fails is cut back to the last whole line, and the writer then refuses
 * further steps (the error says why), so the file never holds a torn line followed by more steps.
 */
export class MetricsWriter {
  private readonly descriptor: number;
  private length = 0;
  private lastSync = performance.now();
  private failure: Error | undefined;
  private closed = false;

  constructor(readonly path: string, private readonly syncEveryMs = 1000) {
    this.descriptor = openSync(path, 'wx');
  }

  append(steps: readonly StepMetrics[]): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error(`${this.path} is already closed`);
    if (steps.length === 0) return;
    let text = '';
    for (const step of steps) text += `${toJson(step)}\n`;
    try {
      writeFileSync(this.descriptor, text);
      this.length += Buffer.byteLength(text);
      if (performance.now() - this.lastSync >= this.syncEveryMs) {
        fsyncSync(this.descriptor);
        this.lastSync = performance.now();
      }
    } catch (error) {
      try {
        ftruncateSync(this.descriptor, this.length);
      } catch {
        // The reader drops a torn last line anyway.
      }
      this.failure = new RunWriteError(`could not write ${this.path}: ${(error as Error).message}`);
      throw this.failure;
    }
  }

  /** Flushes and closes the file; safe to call twice. An error here means the last steps may not be on disk. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      fsyncSync(this.descriptor);
    } finally {
      closeSync(this.descriptor);
    }
  }
}

/** A saved model's files: model.json, and the binary weights beside it when the model keeps them there. */
export interface ModelFiles {
  readonly json: string;
  readonly weights?: Uint8Array;
}

/** How a run's files ended up: what was saved and, for each file that could not be, why. */
export interface RunSaveReport {
  readonly summary: RunSummary;
  /** One line per file that could not be written, naming it and the reason; empty when everything was saved. */
  readonly problems: readonly string[];
}

/**
 * One run's folder from the first step to the last: claims the folder and writes config.json, appends metrics step by
 * step while keeping the tally for summary.json, and at the end saves the model and the summary. The CLI and the
 * extension's training worker both record their runs with it, so their folders are the same.
 */
export class RunRecorder {
  readonly tally = new RunTally();
  private readonly metrics: MetricsWriter;

  private constructor(readonly directory: string) {
    this.metrics = new MetricsWriter(join(directory, RUN_FILES.metrics));
  }

  /** Claims `directory` (see claimRunFolder) and starts metrics.jsonl; a RunFolderError when the folder is taken. */
  static start(directory: string, config: TrainingConfig): RunRecorder {
    claimRunFolder(directory, config);
    return new RunRecorder(directory);
  }

  /** Appends steps to metrics.jsonl and the tally. Throws when they cannot be written: the caller should stop training. */
  record(steps: readonly StepMetrics[]): void {
    for (const step of steps) this.tally.add(step);
    this.metrics.append(steps);
  }

  /**
   * Saves the rest of the run, each file on its own so one that fails does not lose the others: the model (if
   * `model` gives one; it is asked only now, so a model too large to encode is a problem reported, not a crash),
   * metrics.jsonl closed, then summary.json from `summarize`.
   */
  finish(model: (() => ModelFiles) | undefined, summarize: () => RunSummary): RunSaveReport {
    const problems: string[] = [];
    const attempt = (file: string, work: () => void): void => {
      try {
        work();
      } catch (error) {
        problems.push(`${file}: ${(error as Error).message}`);
      }
    };
    if (model) {
      attempt(RUN_FILES.model, () => {
        const files = model();
        if (files.weights) writeFileAtomic(join(this.directory, RUN_FILES.weights), files.weights);
        writeFileAtomic(join(this.directory, RUN_FILES.model), files.json);
      });
    }
    attempt(RUN_FILES.metrics, () => this.metrics.close());
    const summary = summarize();
    attempt(RUN_FILES.summary, () => writeFileAtomic(join(this.directory, RUN_FILES.summary), `${toJson(summary, 2)}\n`));
    return { summary, problems };
  }
}
