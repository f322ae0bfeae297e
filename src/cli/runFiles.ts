// CLI layer: a run folder read back for `rnn-lab report` — config.json, metrics.jsonl and summary.json, every field
// checked, including a run that ended before it could finish saving. The files are written by src/node/runFolder.ts
// (shared with the extension's training worker); their format is src/shared/runStoreFormat.ts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepMetrics, TrainingConfig } from '../engine/trainer';
import { parseConfig, parseJsonText, parseMetricsLines, parseSummary, RUN_FILES, type RunSummary } from '../shared/runStoreFormat';

/** A run folder read back: what `rnn-lab report` draws. */
export interface RunData {
  readonly config: TrainingConfig;
  readonly metrics: StepMetrics[];
  /** Absent when the run ended before it wrote summary.json (killed, a full disk) or is still training. */
  readonly summary?: RunSummary;
  /** True when metrics.jsonl ends in a line cut off mid-write (the process died while writing it); that line is left out. */
  readonly tornLastLine?: boolean;
}

export function readRun(directory: string): RunData {
  const configPath = join(directory, RUN_FILES.config);
  const metricsPath = join(directory, RUN_FILES.metrics);
  if (!existsSync(configPath)) throw new Error(`${directory} is not a training run folder (it has no ${RUN_FILES.config})`);
  const config = parseConfig(parseJsonFile(configPath));
  if (!existsSync(metricsPath)) throw new Error(`${directory} has no ${RUN_FILES.metrics}: the run ended before its first step was written`);
  let text = readFileSync(metricsPath, 'utf8');
  // Only whole lines are ever appended, so a last line without its newline was cut off by the end of the process.
  const lastNewline = text.lastIndexOf('\n');
  const tornLastLine = lastNewline < text.length - 1 && !parsesAsJson(text.slice(lastNewline + 1));
  if (tornLastLine) text = text.slice(0, lastNewline + 1);
  const metrics = parseMetricsLines(text, metricsPath);
  const summaryPath = join(directory, RUN_FILES.summary);
  const summary = existsSync(summaryPath) ? parseSummary(parseJsonFile(summaryPath), summaryPath) : undefined;
  return { config, metrics, ...(summary ? { summary } : {}), ...(tornLastLine ? { tornLastLine } : {}) };
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function parseJsonFile(path: string): unknown {
  return parseJsonText(readFileSync(path, 'utf8'), path);
}
