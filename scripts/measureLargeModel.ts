// Measures saving and loading the largest models the limits allow (issue #7): writes model.json + weights.bin as a
// run does, reads them back, checks every weight bit for bit, and shows that the old all-JSON format cannot hold them.
// Run: npx tsx scripts/measureLargeModel.ts [hidden] [layers] [cell]   (default: 4096 1 lstm, the dinos task's sizes)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeModel } from '../src/engine/io/modelJson';
import { SequenceModel } from '../src/engine/model';
import { RandomState } from '../src/engine/random/randomState';
import type { CellKind } from '../src/engine/cells/cell';
import { modelFiles, readModelFile } from '../src/node/modelFile';
import { writeFileAtomic } from '../src/node/runFolder';
import { RUN_FILES } from '../src/shared/runStoreFormat';

const hidden = Number(process.argv[2] ?? 4096);
const layers = Number(process.argv[3] ?? 1);
const cell = (process.argv[4] ?? 'lstm') as CellKind;
const VOCABULARY = 27;   // the dinos task: 26 letters and the end-of-name character

const seconds = (start: number): string => `${((performance.now() - start) / 1000).toFixed(2)} s`;
const megabytes = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

const model = new SequenceModel({
  stack: { cell, inputSize: VOCABULARY, hiddenSize: hidden, numLayers: layers, bidirectional: false },
  outputSize: VOCABULARY, mode: 'many-to-many', loss: 'softmax-cross-entropy',
}, new RandomState(1));
const weights = model.parameters().reduce((n, p) => n + p.value.data.length, 0);
console.log(`${layers}-layer ${cell.toUpperCase()}, hidden ${hidden}, input and output ${VOCABULARY}: ${weights.toLocaleString('en')} weights`);

try {
  JSON.stringify(serializeModel(model));
  console.log('old format (weights inline in model.json): saved');
} catch (error) {
  console.log(`old format (weights inline in model.json): ${(error as Error).name}: ${(error as Error).message}`);
}

const folder = mkdtempSync(join(tmpdir(), 'rnn-lab-large-model-'));
try {
  let start = performance.now();
  const files = modelFiles(model, { task: { name: 'dinos', sequenceLength: 25 } });
  writeFileAtomic(join(folder, RUN_FILES.weights), files.weights!);
  writeFileAtomic(join(folder, RUN_FILES.model), files.json);
  console.log(`save: ${seconds(start)} (model.json ${statSync(join(folder, RUN_FILES.model)).size} bytes, weights.bin ${megabytes(statSync(join(folder, RUN_FILES.weights)).size)})`);
  start = performance.now();
  const loaded = readModelFile(join(folder, RUN_FILES.model)).model;
  console.log(`load: ${seconds(start)}`);
  const original = model.parameters();
  const same = loaded.parameters().every((p, i) => p.value.data.every((v, j) => Object.is(v, original[i].value.data[j])));
  console.log(`every weight read back bit for bit: ${same}`);
  if (!same) process.exitCode = 1;
} finally {
  rmSync(folder, { recursive: true, force: true });
}
