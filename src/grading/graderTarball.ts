// Grading layer: the grader's tarball that a release's workflow installs — this rnn-lab package made into a .tgz by
// `npm pack` (what goes in: .npmignore), or a tarball the teacher already has.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { GraderTarball } from './release';

/** What the tarball must hold for `rnn-lab check` to run: the command line, the kernel and what the kernel loads. */
const NEEDED = ['dist/cli.js', 'dist/kernel.js', 'dist/kernelLab.js'];

/** The folder of the rnn-lab package this code runs from (the one holding its package.json). */
export function packageRoot(from: string = __dirname): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'rnn-lab') return folder;
      } catch {
        // not ours: keep looking up
      }
    }
    if (dirname(folder) === folder) throw new Error(`cannot find the rnn-lab package above ${from}`);
  }
}

/** Packs this rnn-lab package with `npm pack` (npm must be on the PATH; no network is needed). */
export async function packGrader(root: string = packageRoot()): Promise<GraderTarball> {
  const missing = NEEDED.filter((file) => !existsSync(join(root, file)));
  if (missing.length > 0) throw new Error(`the grader cannot be packed: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing in ${root} (run npm run build there)`);
  const destination = mkdtempSync(join(tmpdir(), 'rnn-lab-pack-'));
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
        cwd: root, shell: process.platform === 'win32', maxBuffer: 16 * 1024 * 1024,
      }, (error, out, errorOutput) => (error ? reject(new Error(`npm pack failed: ${errorOutput.trim() || error.message}`)) : resolve(out)));
    });
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    return { name: basename(packed.filename), bytes: readFileSync(join(destination, basename(packed.filename))) };
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}

/** A tarball the teacher gives (`--grader-tarball FILE`), e.g. one packed once for a whole course. */
export function readGraderTarball(path: string): GraderTarball {
  if (!/\.tgz$/.test(path)) throw new Error(`the grader tarball must be a .tgz made by npm pack, not ${path}`);
  return { name: basename(path), bytes: readFileSync(path) };
}
