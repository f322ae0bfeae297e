// expect 0: reads the teacher's source (hidden checks included) and looks for the grader's command line, to echo them back.
const hostProcess = console.log.constructor('return process')();
const fs = hostProcess.mainModule.require('fs');
function tryRead(path: string): string {
  try { return fs.readFileSync(path, 'utf8'); } catch (error) { return `unreadable: ${(error as Error).message}`; }
}
let seen = tryRead('__SOURCE__/rnn-step.lesson.md');
for (const entry of (() => { try { return fs.readdirSync('/proc'); } catch { return []; } })()) seen += tryRead(`/proc/${entry}/cmdline`);
const hostileAnswer = seen;
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): string[] {
  return [seen];
}
