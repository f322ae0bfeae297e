// The extension host runs no engine code: dist/extension.js, as built, holds neither text corpus, nor the WebAssembly
// kernels, nor the trainer — they live in dist/worker.js, which the host starts as a thread. Checked on the bundles'
// content (each marker is first shown to be in dist/worker.js, so a marker that could never match fails the test).
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import dinosCorpus from '../../src/engine/tasks/corpora/dinos.json';
import { TEXT_CORPUS } from '../../src/engine/tasks/textTask';
import { ensureBuilt, REPOSITORY } from '../cli/cliHarness';

/** A stretch of the prose that any bundler keeps verbatim in a string (letters, spaces and plain punctuation only). */
function proseMarkers(count: number): string[] {
  const markers: string[] = [];
  for (const match of TEXT_CORPUS.matchAll(/[A-Za-z ,;]{60}/g)) {
    if (markers.length === count) break;
    if (match.index! > markers.length * 5000) markers.push(match[0]);
  }
  return markers;
}

/** Pieces of the generated WebAssembly module as its source writes them: quoted base64 strings, one per line. */
function wasmChunks(count: number): string[] {
  const source = readFileSync(join(REPOSITORY, 'src', 'engine', 'wasm', 'kernelsWasm.ts'), 'utf8');
  return [...source.matchAll(/'([A-Za-z0-9+/=]{60,})'/g)].map((match) => match[1]).filter((_, i) => i % 50 === 0).slice(0, count);
}

describe('dist/extension.js: the extension host bundle carries no engine', () => {
  let extension = '';
  let worker = '';
  const markers: { what: string; text: string }[] = [
    ...dinosCorpus.lines.filter((_, i) => i % 300 === 7).map((name) => ({ what: `the dinosaur name ${name}`, text: `"${name}"` })),
    ...proseMarkers(5).map((text) => ({ what: `the prose "${text.slice(0, 30)}…"`, text })),
    ...wasmChunks(3).map((chunk, i) => ({ what: `piece ${i + 1} of the WebAssembly binary (base64)`, text: chunk })),
    { what: 'the trainer', text: 'precisionNote' },
    { what: 'the sampler', text: 'function sampleText(' },
  ];

  before(() => {
    ensureBuilt();
    extension = readFileSync(join(REPOSITORY, 'dist', 'extension.js'), 'utf8');
    worker = readFileSync(join(REPOSITORY, 'dist', 'worker.js'), 'utf8');
    console.log(`      dist/extension.js: ${statSync(join(REPOSITORY, 'dist', 'extension.js')).size} bytes; dist/worker.js: ${statSync(join(REPOSITORY, 'dist', 'worker.js')).size} bytes`);
  });

  it('has markers of the corpora, the WebAssembly binary and the trainer, each found in dist/worker.js', () => {
    assert.ok(markers.length >= 13, `${markers.length} markers`);
    for (const marker of markers) assert.ok(worker.includes(marker.text), `dist/worker.js should hold ${marker.what}`);
  });

  it('holds none of them', () => {
    assert.deepEqual(markers.filter((marker) => extension.includes(marker.text)).map((marker) => marker.what), []);
  });
});
