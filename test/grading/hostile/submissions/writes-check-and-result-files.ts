// expect 1: writes over its own copy's checks, the teacher's lesson and the results file, then answers wrongly.
const hostProcess = console.log.constructor('return process')();
const fs = hostProcess.mainModule.require('fs');
const fakeResult = JSON.stringify({ schema: 'rnn-lab-grade-result', version: 1, student: 'writes-check-and-result-files', earned: 8, possible: 8, status: 'graded' });
for (const [path, text] of [['rnn-step.lesson.md', 'pwned'], ['__SOURCE__/rnn-step.lesson.md', 'pwned'], ['__OUT__/writes-check-and-result-files/result.json', fakeResult], ['__OUT__/gradebook.csv', 'pwned']]) {
  try { fs.mkdirSync(`${path}/..`, { recursive: true }); } catch {}
  try { fs.writeFileSync(path, text); } catch {}
}
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  return [1, 2, 3];
}
