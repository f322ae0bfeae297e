// Benchmark (issue #4): where our engine's time goes. Runs the bundled engine runner under `node --cpu-prof` for a
// number of training steps of one workload and prints the functions by self time and by total (inclusive) time.
// Run: npx tsx scripts/bench/profile.ts [W1] [--steps 20] [--keep DIR]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleRunners } from './bundle';
import { makeFixture } from './makeFixtures';
import { formatTable } from './report';
import { RunnerProcess } from './runnerProcess';
import { workloadById } from './workloads';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FunctionTime { readonly name: string; readonly selfMs: number; readonly totalMs: number }

/**
 * Which source file a line of an esbuild bundle came from: esbuild starts each module's code with a
 * `// src/engine/math.ts` comment line. Returns the line → file lookup for one bundle's text.
 */
export function bundleSources(bundleText: string): (line: number) => string | undefined {
  const starts: Array<[number, string]> = [];
  bundleText.split('\n').forEach((text, i) => {
    const match = /^\/\/ ((?:src|scripts)\/\S+\.ts)$/.exec(text);
    if (match) starts.push([i + 1, match[1]]);
  });
  return (line) => {
    let found: string | undefined;
    for (const [start, path] of starts) if (start <= line) found = path;
    return found;
  };
}

/** Self and inclusive time per function (name + source file, or file:line outside the bundle), from a V8 .cpuprofile. */
export function functionTimes(profile: CpuProfile, sourceOf: (url: string, line: number) => string | undefined = () => undefined): FunctionTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const key = (n: ProfileNode): string => {
    const { functionName, url, lineNumber } = n.callFrame;
    if (!url) return functionName;
    const source = sourceOf(url, lineNumber + 1);
    return `${functionName || '(anonymous)'} ${source ?? `${basename(url)}:${lineNumber + 1}`}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  // Walk from the root; a function counts once per stack even when it recurses.
  const walk = (id: number, onStack: Set<string>): number => {
    const node = byId.get(id)!;
    const k = key(node);
    const own = selfUs.get(id) ?? 0;
    self.set(k, (self.get(k) ?? 0) + own);
    const nested = new Set(onStack).add(k);
    let inclusive = own;
    for (const child of node.children ?? []) inclusive += walk(child, nested);
    if (!onStack.has(k)) total.set(k, (total.get(k) ?? 0) + inclusive);
    return inclusive;
  };
  walk(profile.nodes[0].id, new Set());
  return [...total.keys()].map((name) => ({ name, selfMs: (self.get(name) ?? 0) / 1000, totalMs: (total.get(name) ?? 0) / 1000 }));
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { steps: { type: 'string' }, keep: { type: 'string' } } });
  const workload = workloadById(positionals[0] ?? 'W1');
  const steps = Number(values.steps ?? (workload.id === 'W4' ? 2 : workload.id === 'W3' ? 2000 : 20));
  const bundles = await bundleRunners();
  const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'rnn-lab-profile-'));
  const fixture = join(dir, workload.id);
  makeFixture(workload, fixture);
  const runner = new RunnerProcess(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, bundles.engine], process.env, `engine/${workload.id}`, false);
  await runner.request({ op: 'setup', implementation: 'engine', workload: workload.id, spec: workload, fixture }, 60_000);
  const reply = await runner.request({ op: 'steps', count: steps }, 60 * 60_000);
  await runner.close();
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  const lookup = bundleSources(readFileSync(bundles.engine, 'utf8'));
  const times = functionTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile,
    (url, line) => (url.endsWith(basename(bundles.engine)) ? lookup(line) : undefined));
  const stepMs = reply.op === 'steps' ? reply.times.reduce((a, b) => a + b, 0) : Number.NaN;
  const all = times.reduce((sum, t) => sum + t.selfMs, 0);
  const table = (sorted: FunctionTime[]): string => formatTable(['function', 'self ms', 'self %', 'total ms', 'total %'],
    sorted.slice(0, 18).map((t) => [t.name, t.selfMs.toFixed(0), (100 * t.selfMs / all).toFixed(1), t.totalMs.toFixed(0), (100 * t.totalMs / all).toFixed(1)]),
    [false, true, true, true, true]);
  console.log(`${workload.title}: ${steps} steps, ${stepMs.toFixed(0)} ms in steps, ${all.toFixed(0)} ms profiled (process total, setup included)\n`);
  console.log(`by self time:\n${table([...times].sort((a, b) => b.selfMs - a.selfMs))}\n`);
  console.log(`by total time:\n${table([...times].sort((a, b) => b.totalMs - a.totalMs))}`);
  if (values.keep) console.log(`\nprofile kept in ${join(dir, file)}`);
  else rmSync(dir, { recursive: true, force: true });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
  });
}
