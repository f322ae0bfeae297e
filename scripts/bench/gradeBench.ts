// Bench: `rnn-lab grade` on a class of simulated students (issue #10: 200 submissions on 2 cores) — builds, releases
// test/fixtures/assignment with `rnn-lab assign`, makes N copies (half correct, a quarter partly correct, a quarter as
// released), grades them with the real CLI and `--jobs`, then prints the total time, the time per submission and the
// overhead per submission (starting the sandboxed process, measured alone). Prints figures; asserts nothing.
//   npm run bench:grade -- [--students 200] [--jobs 2]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Sandbox } from '../../src/grading/sandbox';
import { detectIsolation } from '../../src/grading/isolation';

const REPOSITORY = resolve(__dirname, '..', '..');
const CLI = join(REPOSITORY, 'dist', 'cli.js');
const FIXTURE = join(REPOSITORY, 'test', 'fixtures', 'assignment');

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const CORRECT: Record<string, [string, string]> = {
  '01-rnn-step.lesson.md': ['rnn-step', 'function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {\n  return aPrev.map((state, index) => Math.tanh(waa * state + wax * x[index] + ba));\n}'],
  '02-loss.lesson.md': ['mean-squared-error', 'function meanSquaredError(predicted: number[], target: number[]): number {\n  return predicted.reduce((sum, value, index) => sum + (value - target[index]) ** 2, 0) / predicted.length;\n}'],
};

function withExercise(text: string, exercise: string, code: string): string {
  return text.replace(new RegExp(`(\`\`\`ts exercise=${exercise}\\n)[\\s\\S]*?\\n(\`\`\`)`), (_match, open: string, close: string) => `${open}${code}\n${close}`);
}

async function sandboxStartMs(rounds: number): Promise<number[]> {
  const folder = mkdtempSync(join(tmpdir(), 'rnn-lab-bench-start-'));
  const times: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      const sandbox = await Sandbox.start({ kernelScript: join(REPOSITORY, 'dist', 'kernel.js'), isolation: detectIsolation(), memoryMB: 512, workFolder: folder, homeFolder: folder, hidden: [], token: `bench-${process.pid}` });
      await sandbox.run('1 + 1', 'Cell 1');
      times.push(performance.now() - started);
      sandbox.kill();
      await sandbox.exited;
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return times;
}

/** How many of the first `students` have one of these kinds (index % 4). */
function kinds(students: number, wanted: readonly number[]): number {
  return Array.from({ length: students }, (_, index) => index % 4).filter((kind) => wanted.includes(kind)).length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const students = flag('students', 200);
  const jobs = flag('jobs', 2);
  execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'build.mjs')], { cwd: REPOSITORY, stdio: 'ignore' });
  const work = mkdtempSync(join(tmpdir(), 'rnn-lab-bench-grade-'));
  try {
    const release = join(work, 'release');
    const assigned = spawnSync(process.execPath, [CLI, 'assign', FIXTURE, '--out', release], { encoding: 'utf8' });
    if (assigned.status !== 0) throw new Error(`rnn-lab assign failed:\n${assigned.stdout}${assigned.stderr}`);
    const classFolder = join(work, 'class');
    for (let index = 0; index < students; index++) {
      const folder = join(classFolder, `student-${String(index).padStart(3, '0')}`);
      cpSync(release, folder, { recursive: true });
      const kind = index % 4;   // 0, 1: correct; 2: the loss divides by 2; 3: as released
      if (kind === 3) continue;
      for (const [file, [exercise, code]] of Object.entries(CORRECT)) {
        const path = join(folder, file);
        writeFileSync(path, withExercise(readFileSync(path, 'utf8'), exercise, kind === 2 ? code.replace('/ predicted.length', '/ 2') : code));
      }
    }
    mkdirSync(join(work, 'grades'));
    const started = performance.now();
    const graded = spawnSync(process.execPath, [CLI, 'grade', '--assignment', FIXTURE, classFolder, '--out', join(work, 'grades'), '--jobs', String(jobs)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const totalSeconds = (performance.now() - started) / 1000;
    if (graded.status !== 0) throw new Error(`rnn-lab grade failed:\n${graded.stdout}${graded.stderr}`);
    const [header, ...rows] = readFileSync(join(work, 'grades', 'gradebook.csv'), 'utf8').trim().split('\r\n');
    const checks = header.split(',').length - 5;   // student,score,possible,status,tampering, then one column per check
    const scores = new Map<string, number>();
    for (const row of rows) {
      const [, score, possible] = row.split(',');
      scores.set(`${score} of ${possible}`, (scores.get(`${score} of ${possible}`) ?? 0) + 1);
    }
    const starts = await sandboxStartMs(10);
    const lessons = Object.keys(CORRECT).length;
    const perSubmission = totalSeconds / students;
    console.log(`rnn-lab grade: ${students} submissions of test/fixtures/assignment (${lessons} lessons, ${checks} checks in all), --jobs ${jobs}, on ${require('node:os').cpus().length} cores, load average ${require('node:os').loadavg()[0].toFixed(1)}`);
    console.log(`  total                          ${totalSeconds.toFixed(1)} s`);
    console.log(`  per submission (wall / N)      ${(perSubmission * 1000).toFixed(0)} ms`);
    console.log(`  per submission, one job's time ${(perSubmission * jobs * 1000).toFixed(0)} ms`);
    console.log(`  overhead per submission        ${(median(starts) * lessons).toFixed(0)} ms: ${lessons} sandbox starts (median ${median(starts).toFixed(0)} ms each, fork to a cell's answer, isolation: ${JSON.stringify(detectIsolation())})`);
    const histogram = [...scores].sort(([a], [b]) => Number.parseFloat(b) - Number.parseFloat(a)).map(([score, count]) => `${count} × ${score}`).join(', ');
    console.log(`  scores: ${histogram} (the class: ${kinds(students, [0, 1])} correct, ${kinds(students, [2])} dividing the loss by 2, ${kinds(students, [3])} as released)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
