// Lessons layer: a `*.lesson.md` file read into a Lesson (or the problems that stop it, each on its line) and written
// back. Unedited cells are written exactly as they were read, so opening and saving a lesson changes no byte. Pure.
import MarkdownIt from 'markdown-it';
import { CODE_LANGUAGES, parseFenceInfo, type FenceInfo } from './fenceInfo';
import { parseFrontMatter } from './frontMatter';
import type { CheckSource, CodeCell, CodeRole, Exercise, Lesson, LessonCell, LessonFileLayout, LessonFrontMatter, LessonProblem, LineEnding } from './lesson';

/** Larger files are refused outright: a lesson is prose and code, never data. */
export const MAX_LESSON_BYTES = 5 * 1024 * 1024;

/** The line that separates two markdown cells that follow each other (an HTML comment: invisible on GitHub). */
export const CELL_SEPARATOR = '<!-- cell -->';

/** An exercise id: words of letters, digits and `_` joined by hyphens (`rnn-cell-forward`; `__proto__` too). */
export const EXERCISE_ID = /^[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*$/;

export type LessonParseResult =
  | { readonly ok: true; readonly lesson: Lesson }
  | { readonly ok: false; readonly problems: readonly LessonProblem[] };

/** "line 12: the ```ts fence opened here is never closed …", as shown to a teacher or a student. */
export function formatProblem(problem: LessonProblem): string {
  return `line ${problem.line}: ${problem.message}`;
}

/**
 * Reads a lesson file (see docs/lessons.md for the format). Every problem found is returned, sorted by line; a file
 * with any problem gives no Lesson, so that nothing is ever built from half a file.
 */
export function parseLesson(text: string): LessonParseResult {
  const bytes = utf8Length(text);
  if (bytes > MAX_LESSON_BYTES) {
    return { ok: false, problems: [{ line: 1, message: `the file is ${(bytes / 1024 / 1024).toFixed(1)} MB; a lesson file may be at most 5 MB` }] };
  }
  const bom = text.startsWith('\uFEFF');
  const lines = splitLines(bom ? text.slice(1) : text);
  const problems: LessonProblem[] = [];

  // Front matter: `---`, YAML, `---` at the very top.
  let frontMatter: LessonFrontMatter | undefined;
  let bodyStart = 0;
  if (lines.length === 0 || !/^---[ \t]*$/.test(lines[0].text)) {
    problems.push({ line: 1, message: 'a lesson starts with front matter: a line "---", then id, title, order, goals and minutes (YAML), then a line "---"' });
  } else {
    const close = lines.findIndex((line, index) => index > 0 && /^(?:---|\.\.\.)[ \t]*$/.test(line.text));
    if (close < 0) return { ok: false, problems: [{ line: 1, message: 'the front matter opened here is never closed: end it with a line "---"' }] };
    // YAML reads only `\n` as a line break: lines joined by it keep their numbers.
    const result = parseFrontMatter(lines.slice(1, close).map((line) => line.text).join('\n'), 2);
    if (result.ok) frontMatter = result.frontMatter;
    else problems.push(...result.problems);
    bodyStart = close + 1;
  }

  // Fences, found by a CommonMark parser so that a fence is exactly what GitHub and VS Code's preview show as one.
  const { fences, separators } = scanBody(lines, bodyStart, problems);
  const cellFences = fences.filter((fence) => fence.cell);

  // Cells: each ts fence is a code cell; the text between them is markdown, split at `<!-- cell -->` lines. Blank
  // lines with no prose around them belong to what comes before (the front matter or a code cell).
  let frontMatterText = joinLines(lines, 0, bodyStart);
  const cells: Mutable<LessonCell>[] = [];
  const addMarkdown = (from: number, to: number): void => {
    const starts = [from];
    for (let index = from + 1; index < to; index++) if (separators.has(index)) starts.push(index);
    starts.forEach((start, position) => {
      const end = starts[position + 1] ?? to;
      if (start >= end) return;
      const piece = joinLines(lines, start, end);
      if (isSeparator(lines[start].text) || lines.slice(start, end).some((line) => !isBlank(line.text))) {
        cells.push({ kind: 'markdown', ...markdownParts(lines, start, end), raw: piece });
      } else if (cells.length === 0) {
        frontMatterText += piece;
      } else {
        cells[cells.length - 1].raw += piece;
      }
    });
  };
  let cursor = bodyStart;
  for (const fence of cellFences) {
    addMarkdown(cursor, fence.open);
    const indent = /^ */.exec(lines[fence.open].text)![0].length;
    cells.push({
      kind: 'code',
      source: lines.slice(fence.open + 1, fence.close).map((line) => stripIndent(line.text, indent)).join('\n'),
      role: fence.role!,
      line: fence.open + 2,
      raw: joinLines(lines, fence.open, fence.close + 1),
    });
    cursor = fence.close + 1;
  }
  addMarkdown(cursor, lines.length);

  const exercises = collectExercises(cells, fences, lines, problems);
  if (problems.length > 0 || !frontMatter) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  return {
    ok: true,
    lesson: { frontMatter, cells, exercises, file: { bom, frontMatterText, eol: mostCommonLineEnding(lines) } },
  };
}

/** The file's text again: byte for byte what {@link parseLesson} read. */
export function serializeLesson(lesson: Lesson): string {
  return writeLesson(lesson.file, lesson.cells.map((cell, position) => ({ kind: cell.kind, source: cell.source, raw: cell.raw, position })));
}

/** One cell to write: from the file (with `raw`) or new or edited in the editor. */
export interface CellToWrite {
  /** `verbatim`: text written as it is (the raw text of a file that could not be read as a lesson). */
  readonly kind: 'markdown' | 'code' | 'verbatim';
  /** The cell's text as the editor holds it, in any line endings. */
  readonly source: string;
  /** A code cell's language in the editor (`typescript` unless the student changed it). */
  readonly languageId?: string;
  /** The cell's exact text in the file as it was read. */
  readonly raw?: string;
  /** The cell's index among the file's cells as it was read: an unedited cell right after the cell that preceded it in the file is joined to it as it was. */
  readonly position?: number;
}

/**
 * Writes a lesson: the front matter as it was, then each cell — an unedited one exactly as it was read, an edited
 * one keeping its fence, attributes and surrounding blank lines, a new one as a ```` ```ts ```` fence or prose, in the
 * file's dominant line ending. Cells that did not follow each other in the file (new, edited, moved, or with a cell
 * deleted between them) get a blank line between them, and an indented fence loses its indentation there, so that
 * no list or HTML block before it can take it in; two markdown cells in a row get a `<!-- cell -->` line between
 * them. So the file reads back as the cells the editor showed. A second copy of an exercise or check cell (a pasted
 * duplicate) is written as plain code: one exercise id, one cell.
 */
export function writeLesson(layout: LessonFileLayout, cells: readonly CellToWrite[]): string {
  const eol = layout.eol;
  let text = (layout.bom ? '\uFEFF' : '') + layout.frontMatterText;
  const atLineStart = (): boolean => text === '' || text === '\uFEFF' || /[\r\n]$/.test(text);
  const atBlankLine = (): boolean => {
    if (text === '' || text === '\uFEFF') return true;
    const withoutLastEnding = text.replace(/(?:\r\n|\r|\n)$/, '');
    return withoutLastEnding !== text && isBlank(/[^\r\n]*$/.exec(withoutLastEnding.replace(/^\uFEFF/, ''))![0]);
  };
  const written = new Set<string>();
  let previousKind: CellToWrite['kind'] | undefined;
  // The front matter counts as position -1, so the file's first cell is joined to it as it was.
  let previousPosition: number | undefined = -1;
  for (const cell of cells) {
    const followsAsInFile = previousPosition !== undefined && cell.position === previousPosition + 1;
    const { piece, unchanged } = cellText(cell, eol, written, followsAsInFile);
    if (!atLineStart()) text = concatenate(text, eol);
    const startsBlank = /^[ \t]*(?:\r\n|\r|\n)/.test(piece);
    if (cell.kind === 'markdown' && previousKind === 'markdown' && !startsWithSeparator(piece)) {
      if (!atBlankLine()) text = concatenate(text, eol);
      text = concatenate(text, CELL_SEPARATOR + eol);
      if (!startsBlank) text = concatenate(text, eol);
    } else if (!(unchanged && followsAsInFile) && !startsBlank && !atBlankLine()) {
      text = concatenate(text, eol);
    }
    text = concatenate(text, piece);
    previousKind = cell.kind;
    previousPosition = unchanged ? cell.position : undefined;
  }
  return text;
}

/** The line ending most lines of `text` end with (`\n` when none do; on a tie, `\n` before `\r\n` before `\r`). */
export function dominantLineEnding(text: string): LineEnding {
  return mostCommonLineEnding(splitLines(text));
}

/** Every line ending as `\n`, as an editor's cell holds text. */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n|\r/g, '\n');
}

// ---- reading ----

interface Line {
  readonly text: string;
  /** '' on a last line without a line ending. */
  readonly eol: '' | LineEnding;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Fence {
  /** 0-based indexes of the opening and closing lines. */
  readonly open: number;
  readonly close: number;
  readonly info?: FenceInfo;
  /** A ts fence that is a cell (every ts fence at the top level but a solution). */
  readonly cell: boolean;
  readonly role?: CodeRole;
  /** For a solution fence, the exercise it solves. */
  readonly solutionOf?: string;
}

/** Lines split the way CommonMark (and VS Code) split them: at `\r\n`, `\r` or `\n`. */
function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    lines.push({ text: text.slice(start, match.index), eol: match[0] as LineEnding });
    start = match.index + match[0].length;
  }
  if (start < text.length) lines.push({ text: text.slice(start), eol: '' });
  return lines;
}

function joinLines(lines: readonly Line[], from: number, to: number): string {
  let text = '';
  for (let index = from; index < to; index++) text += lines[index].text + lines[index].eol;
  return text;
}

function mostCommonLineEnding(lines: readonly Line[]): LineEnding {
  const counts = new Map<LineEnding, number>([['\n', 0], ['\r\n', 0], ['\r', 0]]);
  for (const line of lines) if (line.eol !== '') counts.set(line.eol, counts.get(line.eol)! + 1);
  let best: LineEnding = '\n';
  for (const [ending, count] of counts) if (count > counts.get(best)!) best = ending;
  return best;
}

function isBlank(text: string): boolean {
  return /^[ \t]*$/.test(text);
}

function isSeparator(text: string): boolean {
  return /^[ \t]*<!--[ \t]*cell[ \t]*-->[ \t]*$/.test(text);
}

function startsWithSeparator(piece: string): boolean {
  return isSeparator(/^[^\r\n]*/.exec(piece)![0]);
}

function stripIndent(text: string, indent: number): string {
  const spaces = /^ */.exec(text)![0].length;
  return text.slice(Math.min(spaces, indent));
}

/** A markdown piece's shown text (no separator line, no blank lines around) and the file line it starts on. */
function markdownParts(lines: readonly Line[], from: number, to: number): { source: string; line: number } {
  let start = from + (isSeparator(lines[from].text) ? 1 : 0);
  let end = to;
  while (start < end && isBlank(lines[start].text)) start++;
  while (end > start && isBlank(lines[end - 1].text)) end--;
  return { source: lines.slice(start, end).map((line) => line.text).join('\n'), line: (start < end ? start : from) + 1 };
}

/**
 * The body's fences and `<!-- cell -->` separators, from markdown-it's tokens (a separator is a line CommonMark reads
 * as an HTML comment block of its own at the top level, not such a line inside a fence or another HTML block); problems
 * for unclosed fences and bad attributes on ts fences.
 */
function scanBody(lines: readonly Line[], bodyStart: number, problems: LessonProblem[]): { fences: Fence[]; separators: Set<number> } {
  const body = joinLines(lines, bodyStart, lines.length);
  const fences: Fence[] = [];
  const separators = new Set<number>();
  for (const token of new MarkdownIt('commonmark').parse(body, {})) {
    if (!token.map) continue;
    if (token.type === 'html_block' && token.level === 0 && token.map[1] === token.map[0] + 1 && isSeparator(lines[bodyStart + token.map[0]].text)) {
      separators.add(bodyStart + token.map[0]);
    }
    if (token.type !== 'fence') continue;
    const open = bodyStart + token.map[0];
    const lineNumber = open + 1;
    const parsed = parseFenceInfo(token.info);
    const isCode = parsed.ok && CODE_LANGUAGES.has(parsed.info.language);
    const roleKeys = parsed.ok ? ['exercise', 'check', 'solution'].filter((key) => parsed.info.attributes.has(key)) : [];
    if (token.level > 0) {
      if (isCode && roleKeys.length > 0) {
        problems.push({ line: lineNumber, message: `this ${token.markup}ts ${roleKeys[0]}=… fence is inside a list or a quote, so it cannot be a cell: start it at the beginning of a line, outside the list` });
      }
      continue;
    }
    const close = bodyStart + token.map[1] - 1;
    if (close <= open || !isClosingFence(lines[close].text, token.markup)) {
      problems.push({ line: lineNumber, message: `the ${token.markup} fence opened here is never closed: close it with a line of ${token.markup}` });
      continue;
    }
    if (!parsed.ok) {
      if (/^\s*(?:ts|typescript)(?:\s|$)/i.test(token.info)) problems.push({ line: lineNumber, message: `in this fence's attributes, ${parsed.message}` });
      fences.push({ open, close, cell: false });
      continue;
    }
    if (!isCode) {
      fences.push({ open, close, info: parsed.info, cell: false });
      continue;
    }
    if (roleKeys.length > 1) {
      problems.push({ line: lineNumber, message: `a fence is one of exercise=, check= or solution=, not ${roleKeys.join(' and ')} together` });
      fences.push({ open, close, info: parsed.info, cell: true, role: { kind: 'code' } });
      continue;
    }
    const attributes = parsed.info.attributes;
    const target = roleKeys.length === 1 ? exerciseIdOf(roleKeys[0], attributes.get(roleKeys[0])!, lineNumber, problems) : undefined;
    if (roleKeys[0] === 'solution') {
      fences.push({ open, close, info: parsed.info, cell: false, solutionOf: target ?? '' });
    } else if (roleKeys[0] === 'exercise') {
      fences.push({ open, close, info: parsed.info, cell: true, role: { kind: 'exercise', exercise: target ?? '' } });
    } else if (roleKeys[0] === 'check') {
      fences.push({ open, close, info: parsed.info, cell: true, role: checkRole(target ?? '', attributes, lineNumber, problems) });
    } else {
      fences.push({ open, close, info: parsed.info, cell: true, role: { kind: 'code' } });
    }
  }
  return { fences, separators };
}

function isClosingFence(text: string, markup: string): boolean {
  const match = /^ {0,3}(`+|~+)[ \t]*$/.exec(text);
  return match !== null && match[1][0] === markup[0] && match[1].length >= markup.length;
}

function exerciseIdOf(key: string, value: string | true, line: number, problems: LessonProblem[]): string | undefined {
  if (value === true || !EXERCISE_ID.test(value)) {
    const shown = value === true ? 'nothing' : JSON.stringify(value);
    problems.push({ line, message: `${key}= needs an exercise id (letters, digits, _ and -, like ${key}=rnn-cell-forward), not ${shown}` });
    return undefined;
  }
  return value;
}

function checkRole(exercise: string, attributes: ReadonlyMap<string, string | true>, line: number, problems: LessonProblem[]): CodeRole {
  const name = attributes.get('name');
  if (typeof name !== 'string' || name.trim() === '') {
    problems.push({ line, message: 'a check needs a name that tells the student what it checks: name="a_next on the seed-1 inputs"' });
  }
  const pointsText = attributes.get('points');
  let points = 1;
  if (pointsText !== undefined) {
    points = typeof pointsText === 'string' && /^\d+(?:\.\d+)?$/.test(pointsText) ? Number(pointsText) : NaN;
    if (Number.isNaN(points)) problems.push({ line, message: `points= must be a number of points like points=2, not ${pointsText === true ? 'nothing' : JSON.stringify(pointsText)}` });
  }
  const hiddenValue = attributes.get('hidden');
  if (hiddenValue !== undefined && hiddenValue !== true && hiddenValue !== 'true' && hiddenValue !== 'false') {
    problems.push({ line, message: `hidden is a flag: write hidden (or hidden=true / hidden=false), not hidden=${JSON.stringify(hiddenValue)}` });
  }
  const hidden = hiddenValue === true || hiddenValue === 'true';
  return { kind: 'check', exercise, name: typeof name === 'string' ? name : '', points: Number.isNaN(points) ? 0 : points, hidden };
}

/** Exercises in order, each with its checks and solution; problems for duplicates and references to unknown exercises. */
function collectExercises(cells: readonly LessonCell[], fences: readonly Fence[], lines: readonly Line[], problems: LessonProblem[]): Exercise[] {
  const exercises = new Map<string, { id: string; startingCode: string; line: number; checks: CheckSource[]; solution?: string; solutionLine?: number; solutionClose?: number }>();
  const codeCells = cells.filter((cell): cell is CodeCell => cell.kind === 'code');
  for (const cell of codeCells) {
    if (cell.role.kind !== 'exercise' || cell.role.exercise === '') continue;
    const earlier = exercises.get(cell.role.exercise);
    if (earlier) {
      problems.push({ line: cell.line - 1, message: `the exercise id "${cell.role.exercise}" is used twice (first on line ${earlier.line - 1}): give each exercise its own id` });
      continue;
    }
    exercises.set(cell.role.exercise, { id: cell.role.exercise, startingCode: cell.source, line: cell.line, checks: [] });
  }
  for (const cell of codeCells) {
    if (cell.role.kind !== 'check' || cell.role.exercise === '') continue;
    const exercise = exercises.get(cell.role.exercise);
    if (!exercise) {
      problems.push({ line: cell.line - 1, message: `this check is for the exercise "${cell.role.exercise}", but no fence has exercise=${cell.role.exercise}` });
      continue;
    }
    const { name, points, hidden } = cell.role;
    if (name !== '' && exercise.checks.some((check) => check.name === name)) {
      problems.push({ line: cell.line - 1, message: `the exercise "${exercise.id}" has two checks named ${JSON.stringify(name)}: give each check its own name` });
    }
    exercise.checks.push({ exercise: exercise.id, name, points, hidden, code: cell.source, line: cell.line });
  }
  for (const fence of fences) {
    if (fence.solutionOf === undefined || fence.solutionOf === '') continue;
    const exercise = exercises.get(fence.solutionOf);
    if (!exercise) {
      problems.push({ line: fence.open + 1, message: `this solution is for the exercise "${fence.solutionOf}", but no fence has exercise=${fence.solutionOf}` });
    } else if (exercise.solution !== undefined) {
      problems.push({ line: fence.open + 1, message: `the exercise "${exercise.id}" already has a solution (line ${exercise.solutionLine}): keep one` });
    } else {
      const indent = /^ */.exec(lines[fence.open].text)![0].length;
      exercise.solution = lines.slice(fence.open + 1, fence.close).map((line) => stripIndent(line.text, indent)).join('\n');
      exercise.solutionLine = fence.open + 1;
      exercise.solutionClose = fence.close + 1;
    }
  }
  return [...exercises.values()].map(({ id, startingCode, line, checks, solution, solutionLine, solutionClose }) => (solution === undefined
    ? { id, startingCode, line, checks }
    : { id, startingCode, line, checks, solution, solutionFence: { open: solutionLine!, close: solutionClose! } }));
}

// ---- writing ----

/**
 * The text of one cell: its raw text when unedited (`unchanged`), else rebuilt from its raw text's fence and blank
 * lines, or new. `keepIndent`: an indented fence may stay indented (it follows what it followed in the file).
 */
function cellText(cell: CellToWrite, eol: LineEnding, written: Set<string>, keepIndent: boolean): { piece: string; unchanged: boolean } {
  const source = normalizeLineEndings(cell.source);
  const raw = cell.raw;
  if (cell.kind === 'verbatim') {
    const unchanged = raw !== undefined && normalizeLineEndings(raw) === source;
    return { piece: unchanged ? raw : withEol(source, eol), unchanged };
  }
  if (cell.kind === 'markdown') {
    const parts = raw !== undefined ? rawMarkdownParts(raw) : undefined;
    if (!parts) return { piece: withEol(source, eol) + eol, unchanged: false };
    if (parts.source === source) return { piece: raw!, unchanged: true };
    return { piece: concatenate(parts.head, withEol(source, eol), parts.blankOnly ? eol : parts.tail), unchanged: false };
  }
  const parts = raw !== undefined ? rawCodeParts(raw) : undefined;
  const language = cell.languageId === undefined || cell.languageId === 'typescript' ? 'ts' : cell.languageId;
  let duplicate = false;
  if (parts && parts.info.ok) {
    const attributes = parts.info.info.attributes;
    const exercise = attributes.get('exercise');
    const check = attributes.get('check');
    const key = typeof exercise === 'string' ? `exercise\u0000${exercise}` : typeof check === 'string' ? `check\u0000${check}\u0000${String(attributes.get('name'))}` : undefined;
    if (key !== undefined) {
      duplicate = written.has(key);
      written.add(key);
    }
  }
  const sameLanguage = parts !== undefined && (cell.languageId === undefined || cell.languageId === 'typescript') === parts.isCode;
  if (!parts || duplicate || !sameLanguage) {
    const fence = '`'.repeat(Math.max(3, longestRun(source, '`') + 1));
    return { piece: fence + language + eol + (source === '' ? '' : withEol(source, eol) + eol) + fence + eol, unchanged: false };
  }
  if (parts.source === source && (keepIndent || parts.indent === 0)) return { piece: raw!, unchanged: true };
  // Edited or moved: keep the fence line (attributes and all), unless the new code holds a line that would close it.
  const indent = keepIndent ? parts.indent : 0;
  const indentText = ' '.repeat(indent);
  const indented = source === '' ? '' : withEol(source.split('\n').map((line) => (line === '' ? '' : indentText + line)).join('\n'), eol) + eol;
  const fenceChar = parts.fence[0];
  if (indent === parts.indent && longestRun(source, fenceChar) < parts.fence.length) {
    return { piece: concatenate(parts.openLine, indented, parts.closeLine, parts.tail), unchanged: false };
  }
  const fence = fenceChar.repeat(Math.max(parts.fence.length, longestRun(source, fenceChar) + 1));
  return { piece: concatenate(`${indentText}${fence}${parts.infoText}${eol}`, indented, `${indentText}${fence}${eol}`, parts.tail), unchanged: false };
}

/**
 * Joins texts without merging line endings: a text ending in a lone `\r` followed by one starting with `\n` would make
 * one `\r\n` (a line lost), so a `\n` goes between them and the `\r` becomes a `\r\n`.
 */
function concatenate(...texts: string[]): string {
  return texts.reduce((joined, text) => (joined.endsWith('\r') && text.startsWith('\n') ? `${joined}\n${text}` : joined + text), '');
}

function withEol(source: string, eol: LineEnding): string {
  return eol === '\n' ? source : source.replace(/\n/g, eol);
}

/** The longest run of `character` at the start of a line (after spaces): a fence must be longer to hold the text. */
function longestRun(source: string, character: string): number {
  let longest = 0;
  for (const line of source.split('\n')) {
    const run = /^[ \t]*/.exec(line)![0].length;
    let length = 0;
    while (line[run + length] === character) length++;
    longest = Math.max(longest, length);
  }
  return longest;
}

/** A markdown cell's raw text in three parts: separator line and blank lines, the prose, the line end and blank lines. */
function rawMarkdownParts(raw: string): { head: string; source: string; tail: string; blankOnly: boolean } | undefined {
  const lines = splitLines(raw);
  if (lines.length === 0) return undefined;
  let start = isSeparator(lines[0].text) ? 1 : 0;
  let end = lines.length;
  while (start < end && isBlank(lines[start].text)) start++;
  while (end > start && isBlank(lines[end - 1].text)) end--;
  if (start === end) return { head: raw, source: '', tail: '', blankOnly: true };
  return {
    blankOnly: false,
    head: joinLines(lines, 0, start),
    source: lines.slice(start, end).map((line) => line.text).join('\n'),
    tail: lines[end - 1].eol + joinLines(lines, end, lines.length),
  };
}

/** A code cell's raw text in parts: opening line, code, closing line, blank lines after. */
function rawCodeParts(raw: string): {
  openLine: string; fence: string; infoText: string; info: ReturnType<typeof parseFenceInfo>; isCode: boolean;
  indent: number; source: string; closeLine: string; tail: string;
} | undefined {
  const lines = splitLines(raw);
  const open = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(lines[0]?.text ?? '');
  if (!open) return undefined;
  let close = lines.length - 1;
  while (close > 0 && isBlank(lines[close].text)) close--;
  if (close === 0 || !isClosingFence(lines[close].text, open[2])) return undefined;
  const indent = open[1].length;
  const info = parseFenceInfo(open[3]);
  return {
    openLine: lines[0].text + lines[0].eol,
    fence: open[2],
    infoText: open[3],
    info,
    isCode: info.ok && CODE_LANGUAGES.has(info.info.language),
    indent,
    source: lines.slice(1, close).map((line) => stripIndent(line.text, indent)).join('\n'),
    closeLine: lines[close].text + lines[close].eol,
    tail: joinLines(lines, close + 1, lines.length),
  };
}

function utf8Length(text: string): number {
  let bytes = text.length;
  if (bytes * 3 <= MAX_LESSON_BYTES) return bytes;  // cannot be over: at most 3 bytes per UTF-16 unit
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x800 && (code < 0xd800 || code > 0xdfff)) bytes += 2;
    else if (code >= 0x80 && code < 0x800) bytes += 1;
    // a surrogate pair is 2 units for 4 bytes: +1 each
    else if (code >= 0xd800 && code <= 0xdfff) bytes += 1;
  }
  return bytes;
}
