// expect 1: prints without end, through console.log and straight to the process's stdout and stderr.
const hostProcess = console.log.constructor('return process')();
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  const line = 'flood '.repeat(20000);
  for (;;) {
    console.log(line);
    hostProcess.stdout.write(line);
    hostProcess.stderr.write(line);
  }
}
