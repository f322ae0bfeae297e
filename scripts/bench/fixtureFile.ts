// Benchmark (issue #4): the file every runner starts from — the same initial weights (PyTorch state_dict names and
// layouts) and the same data for every implementation of a workload. `NAME.json` lists the tensors; `NAME.bin` holds
// them as little-endian float64, one after another. torchRunner.py reads the same two files.
import { readFileSync, writeFileSync } from 'node:fs';
import type { WorkloadId } from './workloads';

export interface FixtureTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** Offset in float64 values from the start of the .bin file. */
  readonly offset: number;
}

export interface FixtureHeader {
  readonly workload: WorkloadId;
  readonly seed: number;
  readonly tensors: readonly FixtureTensor[];
  /** W3 only: the corpus's characters, index = class id. */
  readonly vocabulary?: string;
}

export interface Fixture {
  readonly header: FixtureHeader;
  /** The tensor's values (a view into the file's buffer). */
  get(name: string): Float64Array;
  shape(name: string): readonly number[];
}

export function writeFixture(path: string, header: Omit<FixtureHeader, 'tensors'>, tensors: ReadonlyArray<{ name: string; shape: readonly number[]; data: Float64Array }>): void {
  const entries: FixtureTensor[] = [];
  let offset = 0;
  for (const t of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new RangeError(`fixture tensor ${t.name}: shape [${t.shape.join(', ')}] holds ${size} values, got ${t.data.length}`);
    entries.push({ name: t.name, shape: t.shape, offset });
    offset += size;
  }
  const values = new Float64Array(offset);
  tensors.forEach((t, i) => values.set(t.data, entries[i].offset));
  writeFileSync(`${path}.bin`, new Uint8Array(values.buffer));
  writeFileSync(`${path}.json`, JSON.stringify({ ...header, tensors: entries }, null, 1));
}

export function readFixture(path: string): Fixture {
  const header = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as FixtureHeader;
  const bytes = readFileSync(`${path}.bin`);
  const values = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(values.buffer).set(bytes);  // a copy: Buffer offsets need not be 8-byte aligned
  const find = (name: string): FixtureTensor => {
    const entry = header.tensors.find((t) => t.name === name);
    if (!entry) throw new Error(`fixture ${path} has no tensor '${name}'`);
    return entry;
  };
  return {
    header,
    get(name) {
      const entry = find(name);
      return values.subarray(entry.offset, entry.offset + entry.shape.reduce((a, b) => a * b, 1));
    },
    shape: (name) => find(name).shape,
  };
}
