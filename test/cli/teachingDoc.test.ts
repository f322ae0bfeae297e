// docs/teaching.md followed as written: its assignment.json and lesson, put into an empty folder, verify with the
// output the page shows, release, a solved copy checks with exactly the output the page shows, and grading that copy
// and an untouched one with the page's command gives the progress lines and the gradebook the page shows.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY, runCli, temporaryFolder } from './cliHarness';

const PAGE = readFileSync(join(REPOSITORY, 'docs', 'teaching.md'), 'utf8');

/** The text of the first fenced block with this opening fence after `marker`. */
function blockAfter(marker: string, fence: string): string {
  const start = PAGE.indexOf(marker);
  assert.ok(start >= 0, `docs/teaching.md has "${marker}"`);
  const open = PAGE.indexOf(`\n${fence}\n`, start);
  const bodyStart = open + fence.length + 2;
  const close = PAGE.indexOf(`\n${fence.replace(/[a-z]+$/, '')}\n`, bodyStart);
  return PAGE.slice(bodyStart, close + 1);
}

describe('docs/teaching.md, followed as written', () => {
  it('its assignment verifies with the output shown, releases, and its solved copy checks with the output shown', async () => {
    const work = temporaryFolder();
    const source = join(work, 'rnn-step-assignment');
    mkdirSync(source);
    writeFileSync(join(source, 'assignment.json'), blockAfter('**`assignment.json`**', '```json'));
    const lesson = blockAfter('For example, `01-rnn-step.lesson.md`:', '````markdown');
    writeFileSync(join(source, '01-rnn-step.lesson.md'), lesson);

    const verified = await runCli(['assign', 'rnn-step-assignment', '--verify'], work);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.equal(verified.stdout, blockAfter('pass (a student would get points for writing nothing)', '```'));

    const released = await runCli(['assign', 'rnn-step-assignment', '--out', 'rnn-step-release'], work);
    assert.equal(released.code, 0, released.stdout + released.stderr);
    const copy = join(work, 'rnn-step-release');
    const starting = await runCli(['check'], copy);
    assert.equal(starting.code, 1);
    const solution = /```ts solution=rnn-step\n([\s\S]*?)```/.exec(lesson)![1];
    const starter = /```ts exercise=rnn-step\n([\s\S]*?)```/.exec(lesson)![1];
    const lessonPath = join(copy, '01-rnn-step.lesson.md');
    writeFileSync(lessonPath, readFileSync(lessonPath, 'utf8').replace(starter, solution));
    const solved = await runCli(['check'], copy);
    assert.equal(solved.code, 0, solved.stdout + solved.stderr);
    assert.equal(solved.stdout, blockAfter('more are graded later, and it ends with the visible points', '```'));

    // Grading: ada hands in the solved copy, ben the release as it was; the page's command, its glob expanded as a shell would.
    cpSync(copy, join(work, 'submissions', 'ada'), { recursive: true });
    cpSync(join(work, 'rnn-step-release'), join(work, 'submissions', 'ben'), { recursive: true });
    writeFileSync(join(work, 'submissions', 'ben', '01-rnn-step.lesson.md'), readFileSync(join(work, 'rnn-step-release', '01-rnn-step.lesson.md'), 'utf8').replace(solution, starter));
    const command = blockAfter('folder), then:', '```sh').trim().split(/\s+/);
    assert.deepEqual(command.slice(0, 4), ['rnn-lab', 'grade', '--assignment', 'rnn-step-assignment']);
    const args = command.slice(1).flatMap((arg) => (arg === 'submissions/*' ? ['submissions/ada', 'submissions/ben'] : [arg]));
    const graded = await runCli(args, work);
    assert.equal(graded.code, 0, graded.stdout + graded.stderr);
    // Two at a time, either may finish first: each line is there, after its count.
    for (const line of blockAfter('in a\nlog or CI, one line per submission:', '```text').trim().split('\n')) {
      assert.match(graded.stdout, new RegExp(`^\\d/2 ${line.replace(/^\d\/2 /, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), graded.stdout);
    }
    assert.equal(readFileSync(join(work, 'grades', 'gradebook.csv'), 'utf8').replace(/\r\n/g, '\n'), blockAfter('`grades/gradebook.csv` reads:', '```csv'));
  });
});
