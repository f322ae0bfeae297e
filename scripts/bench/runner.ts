// Benchmark (issue #4): the request loop shared by the Node runners (engine, tfjs, brain.js). A runner is a child
// process holding one implementation of one workload; it answers the orchestrator's requests on stdin in order.
import { createInterface } from 'node:readline';
import { encodeReply, FromRunner, ImplementationId, ToRunner } from './protocol';
import { readFixture, type Fixture } from './fixtureFile';
import type { Workload } from './workloads';

/** One implementation, set up on one workload: `step()` trains one step and returns the loss before the update. */
export interface Session {
  /** What exactly runs (kernels, backend, data type), for the report. */
  readonly detail: string;
  readonly versions: Readonly<Record<string, string>>;
  /** Threads the implementation computes on, when the runner knows. */
  readonly threads?: number;
  step(): number;
}

export type CreateSession = (implementation: ImplementationId, workload: Workload, fixture: Fixture) => Session | Promise<Session>;

function reply(message: FromRunner): void {
  process.stdout.write(encodeReply(message));
}

/** Serves requests until 'exit' or the end of stdin. */
export function serve(create: CreateSession): void {
  let session: Session | null = null;
  let baselineRssKiB = 0;
  const handle = async (request: ToRunner): Promise<boolean> => {
    switch (request.op) {
      case 'setup': {
        baselineRssKiB = Math.round(process.memoryUsage().rss / 1024);
        session = await create(request.implementation, request.spec, readFixture(request.fixture));
        reply({ op: 'ready', detail: session.detail, versions: { node: process.version, ...session.versions }, ...(session.threads === undefined ? {} : { threads: session.threads }) });
        return true;
      }
      case 'steps': {
        if (!session) throw new Error('steps before setup');
        const times: number[] = [];
        const losses: number[] = [];
        for (let i = 0; i < request.count; i++) {
          const start = performance.now();
          const loss = session.step();
          times.push(performance.now() - start);
          losses.push(loss);
        }
        reply({ op: 'steps', times, losses });
        return true;
      }
      case 'memory':
        reply({ op: 'memory', peakRssKiB: process.resourceUsage().maxRSS, baselineRssKiB });
        return true;
      case 'exit':
        return false;
    }
  };
  const lines = createInterface({ input: process.stdin });
  let queue: Promise<boolean> = Promise.resolve(true);
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    queue = queue.then(async (open) => {
      if (!open) return false;
      try {
        const keepGoing = await handle(JSON.parse(line) as ToRunner);
        if (!keepGoing) process.exit(0);
        return keepGoing;
      } catch (error) {
        reply({ op: 'error', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) });
        return true;
      }
    });
  });
  lines.on('close', () => void queue.then(() => process.exit(0)));
}
