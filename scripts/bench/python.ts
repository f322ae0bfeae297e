// Benchmark (issue #4): the Python that runs PyTorch and numpy beside our engine — which interpreter, and the
// environment it gets: a set number of threads, and OpenBLAS where it is installed (see docs/performance.md).
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';
const OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-pthread';

/** What the Python runner needs: one thread, and OpenBLAS when it is installed (see docs/performance.md). */
export function pythonEnvironment(notes: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...threadVariables(1) };
  // These two slow a current OpenBLAS down (they exist for older builds); unset together, for this child only.
  for (const name of ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']) {
    if (env[name] !== undefined) notes.push(`${name}=${env[name]} was set; unset for the Python runner`);
    delete env[name];
  }
  let systemBlas = '';
  try {
    systemBlas = realpathSync('/usr/lib/x86_64-linux-gnu/libblas.so.3');
  } catch {
    // no system BLAS link
  }
  if (!systemBlas.includes('openblas') && existsSync(join(OPENBLAS_DIR, 'libblas.so.3'))) {
    env.LD_LIBRARY_PATH = [OPENBLAS_DIR, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
    notes.push(`Python runner: the system BLAS is ${systemBlas || 'unknown'}; OpenBLAS loaded for the runner through LD_LIBRARY_PATH=${OPENBLAS_DIR}`);
  } else if (!systemBlas.includes('openblas')) {
    notes.push(`WARNING: OpenBLAS is not installed, so PyTorch and numpy run on ${systemBlas || 'the system BLAS'} — about 10× slower than the PyTorch issue #4 measured ` +
      'PyTorch, which makes every "time ÷ PyTorch" ratio look better than it is. Install it: apt-get install -y libopenblas0-pthread');
  }
  return env;
}

/** The thread counts of OpenMP, OpenBLAS and MKL, which the Python runner's libraries read when they load. */
export function threadVariables(threads: number): NodeJS.ProcessEnv {
  return { OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
}
