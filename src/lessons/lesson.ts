// Lessons layer: what a lesson is once its `*.lesson.md` file is read — front matter, cells, exercises, their checks
// and reference solutions. Pure types, shared by the parser, the check runner, the kernel, the grader and the editor.

/** The front matter every lesson starts with (validated against schemas/lesson.schema.json); unknown keys are kept. */
export interface LessonFrontMatter {
  /** kebab-case, unique among lessons; progress is stored under it. */
  readonly id: string;
  readonly title: string;
  /** Position in the curriculum (the syllabus section's number). */
  readonly order: number;
  readonly goals: readonly string[];
  /** Estimated time in minutes. */
  readonly minutes: number;
  readonly [key: string]: unknown;
}

/** What a fenced `ts` block is, from its info string: ```` ```ts exercise=rnn-cell-forward ```` and so on. */
export type CodeRole =
  | { readonly kind: 'code' }
  | { readonly kind: 'exercise'; readonly exercise: string }
  | { readonly kind: 'check'; readonly exercise: string; readonly name: string; readonly points: number; readonly hidden: boolean };

export interface MarkdownCell {
  readonly kind: 'markdown';
  /** The text shown in the cell: lines joined by `\n`, without the blank lines around it or a `<!-- cell -->` line. */
  readonly source: string;
  /** 1-based line of the file where the cell starts. */
  readonly line: number;
  /** The cell's exact text in the file (separator line, blank lines and line endings included): written back unchanged. */
  readonly raw: string;
}

export interface CodeCell {
  readonly kind: 'code';
  /** The code between the fences: lines joined by `\n`, the fence's indentation removed. */
  readonly source: string;
  readonly role: CodeRole;
  /** 1-based line of the file where the cell's code starts (the line after the opening fence). */
  readonly line: number;
  /** The cell's exact text in the file, from the opening fence to the closing fence's line end (plus any blank lines that follow when no prose does). */
  readonly raw: string;
}

export type LessonCell = MarkdownCell | CodeCell;

/** One check of an exercise: a named test with points, whose code runs in the check scope (see src/lessons/checks). */
export interface CheckSource {
  readonly exercise: string;
  readonly name: string;
  readonly points: number;
  readonly hidden: boolean;
  readonly code: string;
  readonly line: number;
}

export type CheckStatus = 'passed' | 'failed' | 'error';

/** One check's outcome, in words a learner reads: never a stack from inside the checker. */
export interface CheckResult {
  readonly exercise: string;
  readonly name: string;
  readonly points: number;
  /** `points` when passed, else 0. */
  readonly earned: number;
  readonly status: CheckStatus;
  /** What was expected and what was got, e.g. "shape: expected (5, 10), got (10, 5)"; empty when passed. */
  readonly message: string;
  readonly hint?: string;
}

export interface Exercise {
  readonly id: string;
  /** The starting code the student sees. */
  readonly startingCode: string;
  /** The reference solution (a ```` ```ts solution=ID ```` block), when the file has one. */
  readonly solution?: string;
  /** The 1-based file lines of the solution's opening and closing fence (an assignment's release cuts them out). */
  readonly solutionFence?: { readonly open: number; readonly close: number };
  readonly checks: readonly CheckSource[];
  readonly line: number;
}

export type LineEnding = '\n' | '\r\n' | '\r';

/** What a lesson file holds besides its cells, kept so that writing it back changes nothing that was not edited. */
export interface LessonFileLayout {
  /** The file starts with a UTF-8 byte order mark. */
  readonly bom: boolean;
  /** The front matter's exact text: `---` line, YAML, closing `---` line (and blank lines after it when a code cell follows). */
  readonly frontMatterText: string;
  /** The line ending most lines of the file use (`\n` when it has none): edited and new cells are written with it. */
  readonly eol: LineEnding;
}

export interface Lesson {
  readonly frontMatter: LessonFrontMatter;
  readonly cells: readonly LessonCell[];
  /** In the order they appear. */
  readonly exercises: readonly Exercise[];
  readonly file: LessonFileLayout;
}

/** A problem with a lesson file, located: "line 12: the ```ts fence opened here is never closed". */
export interface LessonProblem {
  readonly line: number;
  readonly message: string;
}
