// Benchmark (issue #8's budgets), `npm run bench:lessons -- --editor`: the extension host's event-loop lag while a
// lesson cell trains, measured in the real editor — code-server from the vscode test harness, RNN Lab's .vsix and the
// probe extension (editorProbe.ts) that runs the cell and samples the lag inside the extension host.
import { buildSync } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageVsix, processesInGroup, REPOSITORY, temporaryFolder, VsCode } from '../../test/vscode/harness';
import { PROBE_VARIABLES, type ProbeReport } from './editorProbeProtocol';

/** The lesson whose first `await train(` cell is run: a real lesson's training, with its live chart. */
export const LESSON = join(REPOSITORY, 'lessons', '08-vanishing-gradients.lesson.md');

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
  readonly rounds: readonly { lagP99Ms: number; lagMaxMs: number; outputsPerSecond: number; seconds: number; hostCpuShare: number }[];
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
  const manifest = {
    name: 'rnn-lab-bench-probe',
    displayName: 'RNN Lab benchmark probe',
    description: 'Measures the extension host while a lesson cell trains (benchmark infrastructure, never published).',
    version: '0.0.1',
    publisher: 'rnn-lab-test',
    license: 'MIT',
    engines: { vscode: '^1.90.0' },
    main: './index.js',
    activationEvents: ['onStartupFinished'],
  };
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
  try {
    const deadline = Date.now() + 180_000 * options.rounds;
    while (!existsSync(resultsFile)) {
      if (Date.now() > deadline) {
        await vscode.captureFailure('bench-editor-no-report');
        throw new Error('the editor probe wrote no report in time (see test-artifacts/vscode/bench-editor)');
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    const groups = vscode.processGroups();
    await vscode.close();
    const left = groups.flatMap((group) => processesInGroup(group));
    if (left.length > 0) console.warn(`processes left after closing code-server: ${left.join(', ')}`);
  }
  const report = JSON.parse(readFileSync(resultsFile, 'utf8')) as ProbeReport;
  if (report.error) throw new Error(`the editor probe failed: ${report.error}`);
  console.log(`editor: VS Code ${report.vscodeVersion} (code-server), extension host on Node ${report.node}; idle lag p99 ${report.idleLagP99Ms.toFixed(1)} ms`);
  for (const [index, round] of report.rounds.entries()) {
    console.log(`  round ${index + 1}: ${round.seconds.toFixed(1)} s, lag p50 ${round.lagP50Ms.toFixed(1)} ms, p99 ${round.lagP99Ms.toFixed(1)} ms, max ${round.lagMaxMs.toFixed(1)} ms, ${round.outputChanges} output changes, extension host CPU ${(round.hostCpuMs / 1000).toFixed(1)} s${round.stalls.length > 0 ? `; held up ${round.stalls.map(([at, milliseconds]) => `${milliseconds.toFixed(0)} ms at ${at.toFixed(1)} s`).join(', ')}` : ''}`);
  }
  return {
    vscodeVersion: report.vscodeVersion,
    node: report.node,
    idleLagP99Ms: report.idleLagP99Ms,
    rounds: report.rounds.map((round) => ({ lagP99Ms: round.lagP99Ms, lagMaxMs: round.lagMaxMs, outputsPerSecond: round.outputChanges / round.seconds, seconds: round.seconds, hostCpuShare: round.hostCpuMs / 1000 / round.seconds })),
  };
}
