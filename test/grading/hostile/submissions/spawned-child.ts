// expect 1: starts processes meant to outlive the grader — a new session (setsid), an empty environment — then answers wrongly.
const hostProcess = console.log.constructor('return process')();
const childProcess = hostProcess.mainModule.require('child_process');
childProcess.spawn('sleep', ['6017'], { detached: true, stdio: 'ignore', env: {} }).unref();
childProcess.spawn(hostProcess.execPath, ['-e', 'setInterval(() => {}, 1000); /* 6017 */'], { detached: true, stdio: 'ignore', env: {} }).unref();
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  childProcess.spawn('sleep', ['6017'], { detached: true, stdio: 'ignore', env: {} }).unref();
  return [];
}
