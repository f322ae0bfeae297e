// The process the benches use to keep one core busy (scripts/bench/busyCore.ts): it runs until stopped and then is
// gone, and it ends by itself when the process that started it dies, so no bench leaves a spinning orphan behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startBusyCore } from '../../scripts/bench/busyCore';

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`gave up waiting: ${what}`);
}

describe('bench: the busy core', () => {
  it('runs until stopped, and is gone once stop() resolves', async () => {
    const busy = startBusyCore();
    assert.ok(isRunning(busy.pid));
    await busy.stop();
    assert.equal(isRunning(busy.pid), false);
  });

  it('ends by itself when the process that started it is killed', async () => {
    const script = `const { startBusyCore } = require(${JSON.stringify(join(__dirname, '../../scripts/bench/busyCore'))});
      console.log(startBusyCore().pid); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))));
    assert.ok(isRunning(pid));
    parent.kill('SIGKILL');
    await waitFor(() => !isRunning(pid), `busy process ${pid} to end after its parent was killed`);
  });
});
