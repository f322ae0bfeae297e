// Benchmark (issue #8's budgets), `npm run bench:lessons -- --editor`: the extension host's event-loop lag while a
// lesson cell trains, measured in the real editor — code-server from the vscode test harness, RNN Lab's .vsix and the
// probe extension (editorProbe.ts) that runs the cell and samples the lag inside the extension host.
import { buildSync } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageVsix, processesInGroup, readCommandLine, REPOSITORY, temporaryFolder, VsCode } from '../../test/vscode/harness';
import { testExtensionManifest } from '../../test/vscode/hostTests';
import { PROBE_VARIABLES, type ProbeReport } from './editorProbeProtocol';

/** The lesson whose first `await train(` cell is run: a real lesson's training, with its live chart. */
export const LESSON = lessonFile('vanishing-gradients');

/** lessons/NN-<name>.lesson.md, whatever its number. */
function lessonFile(name: string): string {
  const file = readdirSync(join(REPOSITORY, 'lessons')).find((candidate) => candidate.endsWith(`-${name}.lesson.md`));
  if (!file) throw new Error(`no lesson file lessons/NN-${name}.lesson.md`);
  return join(REPOSITORY, 'lessons', file);
}

/** The source of LESSON's first code cell that calls `await train(` (the cell the probe runs in the editor). */
export function lessonTrainingCell(): string {
  const cells = [...readFileSync(LESSON, 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
  const cell = cells.find((source) => source.includes('await train('));
  if (!cell) throw new Error(`${LESSON} has no \`await train(\` cell`);
  return cell;
}

export interface EditorFigures {
  readonly vscodeVersion: string;
  readonly node: string;
  readonly idleLagP99Ms: number;
  readonly rounds: readonly { lagP99Ms: number; lagMaxMs: number; outputsPerSecond: number; seconds: number; hostCpuShare: number; cpuShares: Record<ProcessKind, number> }[];
}

/** Where the CPU goes in the editor while the cell runs: the session's processes, by what they are. */
type ProcessKind = 'kernel' | 'extension host' | 'code-server' | 'browser';
type CpuSample = { readonly at: number; readonly ticks: Map<number, { readonly kind: ProcessKind; readonly ticks: number }> };

const CLOCK_TICKS_PER_SECOND = 100;   // USER_HZ on Linux

/** CPU ticks (user + system, all threads) of every process descending from `roots`, each with its kind. */
function sampleCpu(roots: { readonly server: number; readonly browser: number | undefined }): CpuSample {
  const table = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended while we looked
    }
  }
  const kindOf = (pid: number, root: 'server' | 'browser'): ProcessKind => {
    if (root === 'browser') return 'browser';
    const commandLine = readCommandLine(pid);
    if (commandLine.includes('kernel.js')) return 'kernel';
    if (commandLine.includes('extensionHost')) return 'extension host';
    return 'code-server';
  };
  const ticks: CpuSample['ticks'] = new Map();
  const visit = (pid: number, root: 'server' | 'browser'): void => {
    const entry = table.get(pid);
    if (!entry || ticks.has(pid)) return;
    ticks.set(pid, { kind: kindOf(pid, root), ticks: entry.ticks });
    for (const [child, candidate] of table) if (candidate.ppid === pid) visit(child, root);
  };
  visit(roots.server, 'server');
  if (roots.browser !== undefined) visit(roots.browser, 'browser');
  return { at: Date.now(), ticks };
}

/** Each kind's share of a core between the samples that bracket [from, to] (processes new in between count from 0). */
function cpuShares(samples: readonly CpuSample[], from: number, to: number): Record<ProcessKind, number> {
  const first = [...samples].reverse().find((sample) => sample.at <= from) ?? samples[0];
  const last = samples.find((sample) => sample.at >= to) ?? samples[samples.length - 1];
  const shares: Record<ProcessKind, number> = { kernel: 0, 'extension host': 0, 'code-server': 0, browser: 0 };
  const seconds = (last.at - first.at) / 1000;
  for (const [pid, { kind, ticks }] of last.ticks) shares[kind] += (ticks - (first.ticks.get(pid)?.ticks ?? 0)) / CLOCK_TICKS_PER_SECOND / seconds;
  return shares;
}

/** Bundles the probe into an extension folder (activated at startup; idle unless the bench's variables are set). */
function buildProbe(folder: string): string {
  mkdirSync(folder, { recursive: true });
  buildSync({
    entryPoints: [join(__dirname, 'editorProbe.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    outfile: join(folder, 'index.js'),
    logLevel: 'error',
  });
  const manifest = testExtensionManifest('rnn-lab-bench-probe', 'RNN Lab benchmark probe',
    'Measures the extension host while a lesson cell trains (benchmark infrastructure, never published).');

  writeFileSync(join(folder, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(folder, 'README.md'), '# RNN Lab benchmark probe\n\nBenchmark infrastructure; see docs/kernel.md.\n');
  writeFileSync(join(folder, 'LICENSE'), 'MIT\n');
  return folder;
}

/** Launches code-server with RNN Lab (from the current dist/) and the probe, and returns what the probe measured. */
export async function measureEditor(options: { readonly rounds: number; readonly profile?: string }): Promise<EditorFigures> {
  const folder = temporaryFolder('rnn-lab-bench-editor-');
  const extensionVsix = packageVsix(REPOSITORY, join(folder, 'rnn-lab.vsix'));
  const probeVsix = packageVsix(buildProbe(join(folder, 'probe')), join(folder, 'rnn-lab-bench-probe.vsix'));
  const workspace = join(folder, 'workspace');
  mkdirSync(workspace);
  const lesson = join(workspace, 'lesson.lesson.md');
  copyFileSync(LESSON, lesson);
  const resultsFile = join(folder, 'results.json');

  const vscode = await VsCode.launch({
    name: 'bench-editor',
    vsix: [extensionVsix, probeVsix],
    workspace,
    env: { [PROBE_VARIABLES.results]: resultsFile, [PROBE_VARIABLES.lesson]: lesson, [PROBE_VARIABLES.rounds]: String(options.rounds), ...(options.profile ? { [PROBE_VARIABLES.profile]: options.profile } : {}) },
  });
  const [server, browser] = vscode.processGroups();
  const samples: CpuSample[] = [];
  try {
    const deadline = Date.now() + 180_000 * options.rounds;
    while (!existsSync(resultsFile)) {
      samples.push(sampleCpu({ server, browser }));
      if (Date.now() > deadline) {
        await vscode.captureFailure('bench-editor-no-report');
        throw new Error('the editor probe wrote no report in time (see test-artifacts/vscode/bench-editor)');
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    samples.push(sampleCpu({ server, browser }));
  } finally {
    const groups = vscode.processGroups();
    await vscode.close();
    const left = groups.flatMap((group) => processesInGroup(group));
    if (left.length > 0) console.warn(`processes left after closing code-server: ${left.join(', ')}`);
  }
  const report = JSON.parse(readFileSync(resultsFile, 'utf8')) as ProbeReport;
  if (report.error) throw new Error(`the editor probe failed: ${report.error}`);
  console.log(`editor: VS Code ${report.vscodeVersion} (code-server), extension host on Node ${report.node}; idle lag p99 ${report.idleLagP99Ms.toFixed(1)} ms`);
  const shares = report.rounds.map((round) => cpuShares(samples, round.startedAt, round.endedAt));
  for (const [index, round] of report.rounds.entries()) {
    console.log(`  round ${index + 1}: CPU in cores — ${Object.entries(shares[index]).map(([kind, share]) => `${kind} ${share.toFixed(2)}`).join(', ')}`);
    console.log(`  round ${index + 1}: ${round.seconds.toFixed(1)} s, lag p50 ${round.lagP50Ms.toFixed(1)} ms, p99 ${round.lagP99Ms.toFixed(1)} ms, max ${round.lagMaxMs.toFixed(1)} ms, ${round.outputChanges} output changes, extension host CPU ${(round.hostCpuMs / 1000).toFixed(1)} s${round.stalls.length > 0 ? `; held up ${round.stalls.map(([at, milliseconds]) => `${milliseconds.toFixed(0)} ms at ${at.toFixed(1)} s`).join(', ')}` : ''}`);
  }
  return {
    vscodeVersion: report.vscodeVersion,
    node: report.node,
    idleLagP99Ms: report.idleLagP99Ms,
    rounds: report.rounds.map((round, index) => ({ lagP99Ms: round.lagP99Ms, lagMaxMs: round.lagMaxMs, outputsPerSecond: round.outputChanges / round.seconds, seconds: round.seconds, hostCpuShare: round.hostCpuMs / 1000 / round.seconds, cpuShares: shares[index] })),
  };
}
