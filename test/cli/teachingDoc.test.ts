// docs/teaching.md followed as written: its assignment.json and lesson, put into an empty folder, verify with the
// output the page shows, release, and a solved copy checks with exactly the output the page shows.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  });
});
