// Test helper for the lesson kernel: the built dist/kernel.js (what ships), a kernel started with test options (or one
// per suite), and an output sink that records what a cell streamed and displayed, in order and with the time it arrived.
import { join } from 'node:path';
import { ensureBuilt } from '../cli/cliHarness';
import { KernelProcess, type KernelProcessOptions, type OutputSink } from '../../src/node/kernelProcess';
import type { OutputItem } from '../../src/kernel/protocol';

export const KERNEL_SCRIPT = join(__dirname, '..', '..', 'dist', 'kernel.js');

export function startKernel(options: Partial<KernelProcessOptions> = {}): Promise<KernelProcess> {
  ensureBuilt();
  return KernelProcess.start({ kernelScript: KERNEL_SCRIPT, cellTimeLimitMs: 120_000, ...options });
}

/** One kernel for the tests of the enclosing `describe`: started before them, disposed after them. */
export function kernelForSuite(options: Partial<KernelProcessOptions> = {}): { readonly kernel: KernelProcess } {
  const suite: { kernel?: KernelProcess } = {};
  before(async () => {
    suite.kernel = await startKernel(options);
  });
  after(() => suite.kernel?.dispose());
  return {
    get kernel(): KernelProcess {
      if (!suite.kernel) throw new Error('the suite\'s kernel has not started (kernelForSuite is for use inside describe)');
      return suite.kernel;
    },
  };
}

export type SinkEvent =
  | { readonly kind: 'stream'; readonly stream: 'stdout' | 'stderr'; readonly text: string; readonly at: number }
  | { readonly kind: 'display'; readonly items: readonly OutputItem[]; readonly displayId?: string; readonly at: number }
  | { readonly kind: 'update'; readonly displayId: string; readonly items: readonly OutputItem[]; readonly at: number };

export interface RecordingSink extends OutputSink {
  readonly events: SinkEvent[];
  /** Everything streamed to stdout / stderr, joined. */
  text(stream?: 'stdout' | 'stderr'): string;
  /** Resolves when a stream event contains `text`. */
  seen(text: string): Promise<void>;
}

export function recordingSink(): RecordingSink {
  const events: SinkEvent[] = [];
  const waiters: { text: string; resolve: () => void }[] = [];
  const notify = (): void => {
    for (const waiter of [...waiters]) {
      if (sink.text().includes(waiter.text) || sink.text('stderr').includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const sink: RecordingSink = {
    events,
    stream(stream, text) {
      events.push({ kind: 'stream', stream, text, at: Date.now() });
      notify();
    },
    display(items, displayId) {
      events.push({ kind: 'display', items, ...(displayId === undefined ? {} : { displayId }), at: Date.now() });
    },
    updateDisplay(displayId, items) {
      events.push({ kind: 'update', displayId, items, at: Date.now() });
    },
    text(stream = 'stdout') {
      return events.flatMap((event) => (event.kind === 'stream' && event.stream === stream ? [event.text] : [])).join('');
    },
    seen(text) {
      return new Promise((resolve) => {
        waiters.push({ text, resolve });
        notify();
      });
    },
  };
  return sink;
}
