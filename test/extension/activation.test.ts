// Activation does no work: loading dist/extension.js and calling activate() registers the table's commands, the
// dashboard's serializer, the lesson notebooks' serializer and controller, their cells' language providers and the
// Lessons view, and nothing else — no output channel, no worker thread, no kernel, no file read. Run against a stand-in
// for the 'vscode' module that records what is called and refuses anything unexpected.
import assert from 'node:assert/strict';
import Module from 'node:module';
import { join } from 'node:path';
import { ALL_COMMANDS } from '../../src/extension/host/commandTable';
import { ensureWorkerBuilt, REPOSITORY, temporaryFolder } from './extensionHarness';

interface Recorded {
  commands: Map<string, (...args: unknown[]) => unknown>;
  serializers: string[];
  notebookSerializers: string[];
  /** 'CompletionItem', 'Hover', 'SignatureHelp', each with its document selector as JSON. */
  languageProviders: string[];
  treeViews: string[];
  controllers: string[];
  calls: string[];
}

/** A 'vscode' whose every namespace is a Proxy: a member that is not stubbed here throws, naming itself. */
function fakeVscode(recorded: Recorded): unknown {
  const strict = (name: string, members: Record<string, unknown>): unknown => new Proxy(members, {
    get(target, key) {
      if (typeof key === 'symbol' || key === 'then' || key === '__esModule') return undefined;
      if (!(key in target)) throw new Error(`activation touched vscode.${name}.${key}`);
      return target[key];
    },
  });
  const disposable = { dispose: () => undefined };
  return strict('', {
    commands: strict('commands', {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        recorded.commands.set(id, handler);
        return disposable;
      },
    }),
    window: strict('window', {
      registerWebviewPanelSerializer: (viewType: string) => {
        recorded.serializers.push(viewType);
        return disposable;
      },
      createTreeView: (viewId: string) => {
        recorded.treeViews.push(viewId);
        return disposable;
      },
      showInformationMessage: (message: string) => {
        recorded.calls.push(`showInformationMessage: ${message}`);
        return Promise.resolve(undefined);
      },
    }),
    workspace: strict('workspace', {
      registerNotebookSerializer: (notebookType: string) => {
        recorded.notebookSerializers.push(notebookType);
        return disposable;
      },
      onDidOpenTextDocument: () => disposable,
      onDidChangeTextDocument: () => disposable,
      onDidCloseTextDocument: () => disposable,
      onDidOpenNotebookDocument: () => disposable,
      onDidSaveNotebookDocument: () => disposable,
      onDidCloseNotebookDocument: () => disposable,
      textDocuments: [],
      notebookDocuments: [],
    }),
    languages: strict('languages', {
      createDiagnosticCollection: () => disposable,
      ...Object.fromEntries((['CompletionItem', 'Hover', 'SignatureHelp'] as const).map((kind) => [`register${kind}Provider`, (selector: unknown) => {
        recorded.languageProviders.push(`${kind}: ${JSON.stringify(selector)}`);
        return disposable;
      }])),
    }),
    Uri: strict('Uri', { joinPath: (base: { fsPath: string }, ...parts: string[]) => ({ fsPath: join(base.fsPath, ...parts) }) }),
    notebooks: strict('notebooks', {
      createNotebookController: (id: string, notebookType: string) => {
        recorded.controllers.push(`${id} for ${notebookType}`);
        return { ...disposable, updateNotebookAffinity: () => undefined, onDidChangeSelectedNotebooks: () => disposable };
      },
      registerNotebookCellStatusBarItemProvider: () => disposable,
    }),
    NotebookControllerAffinity: { Preferred: 2 },
    Disposable: strict('Disposable', { from: () => disposable }),
    EventEmitter: class {
      event = () => disposable;
      fire(): void {}
      dispose(): void {}
    },
    l10n: strict('l10n', { t: (message: string) => message }),
  });
}

describe('extension activation', () => {
  it('registers the commands, the dashboard serializer, the lesson notebook serializer and controller, completion, hover and signature help for lesson cells and the Lessons view, and starts nothing', async () => {
    ensureWorkerBuilt();
    const recorded: Recorded = { commands: new Map(), serializers: [], notebookSerializers: [], languageProviders: [], treeViews: [], controllers: [], calls: [] };
    const vscode = fakeVscode(recorded);
    const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const originalLoad = moduleWithLoad._load;
    moduleWithLoad._load = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? vscode : originalLoad.call(this, request, ...rest);
    };
    // The real module object (a namespace import would be a read-only copy), as the bundle's require sees it.
    const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads');
    const OriginalWorker = workerThreads.Worker;
    let workers = 0;
    (workerThreads as { Worker: unknown }).Worker = class extends OriginalWorker {
      constructor(...args: ConstructorParameters<typeof OriginalWorker>) {
        super(...args);
        workers++;
      }
    };
    try {
      const storage = temporaryFolder();
      const context = {
        subscriptions: [] as { dispose(): void }[],
        extensionUri: { fsPath: REPOSITORY },
        globalStorageUri: { fsPath: storage },
        globalState: { get: () => undefined },
        extension: { packageJSON: { version: '0.0.0-test' } },
      };
      const loadStarted = performance.now();
      const extension = require(join(REPOSITORY, 'dist', 'extension.js')) as { activate(context: unknown): void; deactivate(): Promise<void> };
      const loadMs = performance.now() - loadStarted;
      const activateStarted = performance.now();
      extension.activate(context);
      const activateMs = performance.now() - activateStarted;
      console.log(`      loading dist/extension.js: ${loadMs.toFixed(1)} ms; activate(): ${activateMs.toFixed(2)} ms`);
      assert.deepEqual([...recorded.commands.keys()], ALL_COMMANDS.map((c) => c.id));
      assert.deepEqual(recorded.serializers, ['rnnLab.dashboard']);
      assert.deepEqual(recorded.notebookSerializers, ['rnn-lab-lesson']);
      const lessonCells = JSON.stringify({ notebookType: 'rnn-lab-lesson', language: 'typescript' });
      assert.deepEqual(recorded.languageProviders, ['CompletionItem', 'Hover', 'SignatureHelp'].map((kind) => `${kind}: ${lessonCells}`));
      assert.deepEqual(recorded.treeViews, ['rnnLab.lessons']);
      assert.deepEqual(recorded.controllers, ['rnn-lab-lesson-kernel for rnn-lab-lesson'], 'one controller, and no kernel process until a cell runs');
      assert.equal(context.subscriptions.length, 5);
      assert.ok(activateMs < 50, `activate() took ${activateMs} ms`);
      // Stop Training with nothing running answers without creating the run manager or the output channel.
      assert.equal(await recorded.commands.get('rnnLab.stopTraining')!(), 0);
      assert.deepEqual(recorded.calls, ['showInformationMessage: No training run is running.']);
      await extension.deactivate();
      assert.equal(workers, 0, 'no worker thread was started');
    } finally {
      moduleWithLoad._load = originalLoad;
      (workerThreads as { Worker: unknown }).Worker = OriginalWorker;
    }
  });
});
