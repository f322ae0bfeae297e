// The manifest and the code agree: the command table is exactly package.json's contributes.commands, every title and
// description has its package.nls.json string, the settings match their table, and activation is lazy.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TASK_NAMES } from '../../src/engine/tasks/registry';
import { ALL_COMMANDS, COMMAND_CATEGORY } from '../../src/extension/host/commandTable';
import { CELL_KINDS } from '../../src/engine/configLimits';
import { CELL_TIME_LIMIT_RANGE, DEFAULT_SETTINGS, readSettings, SETTING_KEYS, SETTINGS_SECTION } from '../../src/extension/host/settingsTable';
import { WALKTHROUGH_STEPS } from '../../src/extension/host/walkthroughEvents';
import { l10nBundleText, L10N_BUNDLE } from '../../scripts/extractL10n';
import { REPOSITORY } from './extensionHarness';

interface Manifest {
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: unknown; description: string; restrictedConfigurations?: string[] } };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string }[]>;
    menus: Record<string, { command: string }[]>;
    walkthroughs: { id: string; steps: { id: string; media: { markdown?: string }; completionEvents: string[] }[] }[];
    configuration: { properties: Record<string, { default: unknown; enum?: unknown[] }> };
  };
  scripts: Record<string, string>;
}

const manifestText = readFileSync(join(REPOSITORY, 'package.json'), 'utf8');
const manifest = JSON.parse(manifestText) as Manifest;
const nls = JSON.parse(readFileSync(join(REPOSITORY, 'package.nls.json'), 'utf8')) as Record<string, string>;

describe('extension manifest', () => {
  it('contributes exactly the commands of the command table, in its order, under the RNN Lab category', () => {
    assert.deepEqual(
      manifest.contributes.commands.map((c) => ({ command: c.command, title: c.title, category: c.category })),
      ALL_COMMANDS.map((c) => ({ command: c.id, title: `%${c.titleKey}%`, category: COMMAND_CATEGORY })),
    );
  });

  it('has each command title in package.nls.json as the table says', () => {
    for (const command of ALL_COMMANDS) assert.equal(nls[command.titleKey], command.title, command.id);
    for (const command of ALL_COMMANDS) assert.match(command.id, /^rnnLab\.[a-zA-Z]+$/);
  });

  it('finds every %key% of package.json in package.nls.json, and no unused key there', () => {
    const used = new Set([...manifestText.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
    for (const key of used) assert.ok(key in nls, `package.nls.json lacks ${key}`);
    for (const key of Object.keys(nls)) assert.ok(used.has(key), `package.nls.json has the unused key ${key}`);
  });

  it('activates only on a command, the dashboard being restored, a lesson notebook opening or a folder of lessons: no "*", no start-up event', () => {
    assert.equal(manifest.main, './dist/extension.js');
    // A folder of lessons: Open Lesson with no folder open reloads the window into the lessons folder it made, and the
    // lesson it was opening opens there (src/extension/lessons/lessonsFeature.ts).
    assert.deepEqual(manifest.activationEvents, ['onWebviewPanel:rnnLab.dashboard', 'onNotebook:rnn-lab-lesson', 'workspaceContains:rnn-lab-lessons/*.lesson.md', 'workspaceContains:*.lesson.md']);
    // Commands activate implicitly from VS Code 1.74 on.
    const [major, minor] = manifest.engines.vscode.replace(/^[\^~>=]+/, '').split('.').map(Number);
    assert.ok(major > 1 || minor >= 74, manifest.engines.vscode);
  });

  it('declares limited support for untrusted workspaces, with a reason, and restricts the runs folder setting', () => {
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    assert.match(nls[trust.description.slice(1, -1)], /Restricted Mode/);
    assert.deepEqual(trust.restrictedConfigurations, [`${SETTINGS_SECTION}.runsFolder`]);
  });

  it('contributes the settings of the settings table with the same defaults; the task list is the engine\'s', () => {
    const properties = manifest.contributes.configuration.properties;
    const keyOf = (key: string): string => `${SETTINGS_SECTION}.${SETTING_KEYS[key as keyof typeof SETTING_KEYS]}`;
    assert.deepEqual(Object.keys(properties).sort(), Object.keys(DEFAULT_SETTINGS).map(keyOf).sort());
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) assert.deepEqual(properties[keyOf(key)].default, value, key);
    const limit = properties['rnnLab.lessons.cellTimeLimitSeconds'] as { minimum?: number; maximum?: number };
    assert.deepEqual([limit.minimum, limit.maximum], [CELL_TIME_LIMIT_RANGE.minimum, CELL_TIME_LIMIT_RANGE.maximum]);
    assert.deepEqual(properties['rnnLab.defaultTask'].enum, TASK_NAMES);
    assert.deepEqual(properties['rnnLab.defaultCell'].enum, CELL_KINDS, 'the cells are the engine\'s (src/engine/configLimits.ts)');
  });

  it('reads settings defensively: a wrong type or unknown task falls back to the default', () => {
    const raw: Record<string, unknown> = { runsFolder: 42, defaultTask: 'chess', defaultCell: 'transformer', metricsPerSecond: 1000, 'lessons.cellTimeLimitSeconds': 0 };
    assert.deepEqual(readSettings((key) => raw[key]), { ...DEFAULT_SETTINGS, metricsPerSecond: 60 });
    assert.equal(readSettings((key) => (key === 'lessons.cellTimeLimitSeconds' ? 30 : undefined)).cellTimeLimitSeconds, 30);
    assert.equal(readSettings((key) => (key === 'lessons.cellTimeLimitSeconds' ? '30' : undefined)).cellTimeLimitSeconds, 300);
    assert.deepEqual(readSettings(() => undefined), DEFAULT_SETTINGS);
  });

  it('has every runtime string in l10n/bundle.l10n.json (regenerate with npm run l10n), each given as a literal', () => {
    assert.equal(readFileSync(L10N_BUNDLE, 'utf8'), l10nBundleText(), 'l10n/bundle.l10n.json is stale: run npm run l10n');
    assert.ok(Object.keys(JSON.parse(l10nBundleText()) as object).length > 50);
    const extension = join(REPOSITORY, 'src', 'extension');
    const glue = [
      ...readdirSync(extension).filter((name) => name.endsWith('.ts')),
      ...readdirSync(join(extension, 'lessons')).filter((name) => name.endsWith('.ts')).map((name) => join('lessons', name)),
    ];
    assert.ok(glue.includes('commands.ts') && glue.includes(join('lessons', 'lessonCommands.ts')), glue.join(', '));
    for (const file of glue) {
      const text = readFileSync(join(extension, file), 'utf8');
      assert.deepEqual([...text.matchAll(/l10n\.t\(\s*[^'\s]/g)].map((m) => m[0]), [], `${file}: a message that is not a literal cannot be translated`);
    }
  });

  it('has an RNN Lab activity-bar container with the Lessons view, whose icon ships', () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((entry) => entry.id === 'rnnLab');
    assert.ok(container, 'no rnnLab view container');
    assert.ok(existsSync(join(REPOSITORY, container.icon)), container.icon);
    assert.deepEqual(manifest.contributes.views.rnnLab.map((view) => view.id), ['rnnLab.lessons']);
  });

  it('names only commands of the table in its menus', () => {
    const ids = new Set(ALL_COMMANDS.map((command) => command.id));
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries) assert.ok(ids.has(entry.command), `${menu}: ${entry.command}`);
    }
  });

  it('has a Getting Started walkthrough whose steps complete on the events the extension sets, with their pages shipped', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.deepEqual(walkthrough.steps.map((step) => [step.id, step.completionEvents]), WALKTHROUGH_STEPS.map(({ step, event }) => [step, [`onContext:${event}`]]));
    for (const step of walkthrough.steps) assert.ok(step.media.markdown && existsSync(join(REPOSITORY, step.media.markdown)), step.id);
  });

  it('keeps the existing scripts and adds packaging', () => {
    for (const script of ['build', 'typecheck', 'start', 'test', 'fixtures']) assert.ok(manifest.scripts[script], script);
    assert.match(manifest.scripts.package, /vsce package --no-dependencies/);
  });
});
