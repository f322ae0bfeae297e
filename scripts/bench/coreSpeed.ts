// Bench: how fast each core of this machine runs the engine's kernels, one process pinned to one core at a time
// (`taskset`), cores taken in turn — what showed that the two virtual cores of the project's machine do not always run
// SIMD code at the same speed (docs/performance.md, "Why two threads were slower than one"). Beside each step time, a
// scalar loop pinned the same way: a core that is slow only for the kernels is slow for the memory and the vector units
// it shares with other tenants of the physical machine. Prints figures; asserts nothing. Linux only (taskset).
//   npx tsx scripts/bench/coreSpeed.ts [--rounds 4] [gru|lstm|rnn]
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';

const REPOSITORY = resolve(__dirname, '..', '..');
const SCALAR_LOOP = 'const t0 = performance.now(); let x = 0; for (let i = 0; i < 3e8; i++) x = (x + i * 7) % 1000003; console.log((performance.now() - t0).toFixed(0));';

const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(process.argv[roundsAt + 1]) : 4;
const cell = process.argv.find((argument) => ['gru', 'lstm', 'rnn'].includes(argument)) ?? 'gru';
const cores = availableParallelism();

function pinned(core: number, args: string[]): string {
  return execFileSync('taskset', ['-c', String(core), process.execPath, ...args], { cwd: REPOSITORY, encoding: 'utf8' });
}

console.log(`W2-${cell} step (1 thread, wasm kernels) and a scalar loop, each process pinned to one core, ${rounds} rounds, cores in turn`);
console.log('| round | core | ms/step | scalar loop ms |');
console.log('|---:|---:|---:|---:|');
for (let round = 1; round <= rounds; round++) {
  for (let core = 0; core < cores; core++) {
    const step = pinned(core, ['--import', 'tsx', join('scripts', 'measureStep.ts'), cell, '--wasm-only']);
    const ms = /median ([\d.]+) ms\/step/.exec(step)?.[1] ?? '?';
    const scalar = pinned(core, ['-e', SCALAR_LOOP]).trim();
    console.log(`| ${round} | ${core} | ${ms} | ${scalar} |`);
  }
}
