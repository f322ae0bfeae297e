// Node layer: a model on disk — model.json with its weights in weights.bin beside it (format version 2), or an older
// model.json with the weights inline (version 1) — written by runs, read by `rnn-lab sample` and the extension's worker.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseModel, serializeModelWithWeights, weightsFileOf, type ModelMeta } from '../engine/io/modelJson';
import type { SequenceModel } from '../engine/model';
import { RUN_FILES, toJson } from '../shared/runStoreFormat';
import type { ModelFiles } from './runFolder';

/** The files that save `model`: model.json's text and the bytes of weights.bin (RunRecorder.finish writes both). */
export function modelFiles(model: SequenceModel, meta: ModelMeta): ModelFiles {
  const { json, weights } = serializeModelWithWeights(model, meta, RUN_FILES.weights);
  return { json: `${toJson(json, 2)}\n`, weights };
}

/** A model file that could not be used; the message names the file and what is wrong with it. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
}

/**
 * Reads the model saved at `path` (a model.json), with its weights file when it has one. A missing or unreadable
 * file, invalid JSON or an unusable model is a ModelFileError that names the file: "… is not valid JSON: …",
 * "… is not a usable RNN Lab model: …".
 */
export function readModelFile(path: string): { model: SequenceModel; meta: ModelMeta } {
  const text = readOrExplain(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    const weightsFile = weightsFileOf(json);
    const weights = weightsFile !== undefined ? readOrExplain(join(dirname(path), weightsFile)) : undefined;
    return parseModel(json, weights);
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(`${path} is not a usable RNN Lab model: ${(error as Error).message}`);
  }
}

function readOrExplain(path: string): Buffer;
function readOrExplain(path: string, encoding: 'utf8'): string;
function readOrExplain(path: string, encoding?: 'utf8'): Buffer | string {
  try {
    return encoding ? readFileSync(path, encoding) : readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(`${path} cannot be read: ${code === 'ENOENT' ? 'there is no such file' : (error as Error).message}`);
  }
}
