// CLI layer: the files of a training run folder — config.json, metrics.jsonl, model.json, summary.json — written
// atomically and read back with every field checked, so a diverged loss (NaN, ±Infinity) survives the round trip.
// The format itself (encoding and field checks) lives in src/shared/runStoreFormat.ts, shared with the extension.
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../engine/report/reportHtml';
import type { StepMetrics, TrainingConfig } from '../engine/trainer';
import { parseConfig, parseJsonText, parseMetricsLines, parseSummary, RUN_FILES, toJson } from '../shared/runStoreFormat';

export { parseConfig, parseMetricsLines, parseStepMetrics, parseSummary, readNumber, RUN_FILES, toJson } from '../shared/runStoreFormat';

/** Writes a file so that readers see the old content or the new, never half of it: a temporary file, then rename. */
export function writeFileAtomic(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * metrics.jsonl, written one step at a time while training runs (so memory stays flat) into a temporary file that
 * becomes metrics.jsonl on `close()`.
 */
export class MetricsWriter {
  private readonly temporary: string;
  private readonly descriptor: number;
  private closed = false;

  constructor(private readonly path: string) {
    this.temporary = `${path}.${process.pid}.tmp`;
    this.descriptor = openSync(this.temporary, 'w');
  }

  append(metrics: StepMetrics): void {
    writeSync(this.descriptor, `${toJson(metrics)}\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.descriptor);
    renameSync(this.temporary, this.path);
  }
}

/** A run folder read back: what `rnn-lab report` draws. The summary is absent when the run never finished writing. */
export interface RunData {
  readonly config: TrainingConfig;
  readonly metrics: StepMetrics[];
  readonly summary?: RunSummary;
}

export function readRun(directory: string): RunData {
  const configPath = join(directory, RUN_FILES.config);
  const metricsPath = join(directory, RUN_FILES.metrics);
  if (!existsSync(configPath)) throw new Error(`${directory} is not a training run folder (it has no ${RUN_FILES.config})`);
  if (!existsSync(metricsPath)) throw new Error(`${directory} has no ${RUN_FILES.metrics}: the run did not finish saving`);
  const config = parseConfig(parseJsonFile(configPath));
  const metrics = parseMetricsLines(readFileSync(metricsPath, 'utf8'), metricsPath);
  const summaryPath = join(directory, RUN_FILES.summary);
  const summary = existsSync(summaryPath) ? parseSummary(parseJsonFile(summaryPath), summaryPath) : undefined;
  return { config, metrics, ...(summary ? { summary } : {}) };
}

function parseJsonFile(path: string): unknown {
  return parseJsonText(readFileSync(path, 'utf8'), path);
}

