// Lessons layer: a lesson file as notebook data and back — the pure half of the editor's NotebookSerializer (the
// vscode half is src/extension/lessons/lessonSerializer.ts). What writing the file back needs rides in metadata under `rnnLab`.
import type { CodeRole, LessonFileLayout, LessonProblem, LineEnding } from './lesson';
import { dominantLineEnding, normalizeLineEndings, parseLesson, writeLesson, type CellToWrite, type LessonParseResult } from './lessonFile';

/** The key of RNN Lab's entry in notebook and cell metadata. */
export const METADATA_KEY = 'rnnLab';

/**
 * What a notebook cell is in the lesson: a code role (plain code, an exercise, a check), prose, or one of the two
 * cells of a file that could not be read as a lesson — the `notice` naming the problem (never saved) and the `raw` text.
 */
export type CellRole = CodeRole | { readonly kind: 'markdown' } | { readonly kind: 'notice' } | { readonly kind: 'raw' };

/** Cell metadata under `rnnLab`. */
export interface LessonCellMetadata {
  readonly role: CellRole;
  /** The cell's exact text in the file as read (absent for a cell added in the editor). */
  readonly raw?: string;
  /** The cell's index among the file's cells as read: tells the writer which cells still follow each other as in the file. */
  readonly position?: number;
}

/** Notebook metadata under `rnnLab`. */
export interface LessonNotebookMetadata {
  readonly bom: boolean;
  readonly eol: LineEnding;
  /** The front matter as read (absent when the file could not be read as a lesson). */
  readonly frontMatterText?: string;
  /** The lesson's id from its front matter. */
  readonly lessonId?: string;
  /** Set when the file could not be read as a lesson: the problems, and the notebook is the notice plus the raw text. */
  readonly problems?: readonly LessonProblem[];
}

/** A notebook cell, as VS Code's NotebookCellData holds it (kind as a word). */
export interface NotebookCellShape {
  readonly kind: 'markdown' | 'code';
  readonly value: string;
  readonly languageId: string;
  readonly metadata?: { readonly [key: string]: unknown };
}

export interface NotebookShape {
  readonly cells: readonly NotebookCellShape[];
  readonly metadata?: { readonly [key: string]: unknown };
}

/**
 * The notebook for a lesson file's text. A file with problems opens as a notice (the text `notice(problems)` makes,
 * localized by the caller) followed by ONE cell with the whole text, so nothing is lost and saving writes it back.
 */
export function notebookFromText(text: string, notice: (problems: readonly LessonProblem[]) => string): NotebookShape {
  return notebookFromParse(text, parseLesson(text), notice);
}

export function notebookFromParse(text: string, parsed: LessonParseResult, notice: (problems: readonly LessonProblem[]) => string): NotebookShape {
  if (!parsed.ok) {
    const bom = text.startsWith('\uFEFF');
    const body = bom ? text.slice(1) : text;
    const metadata: LessonNotebookMetadata = { bom, eol: dominantLineEnding(body), problems: parsed.problems };
    return {
      metadata: { [METADATA_KEY]: metadata },
      cells: [
        { kind: 'markdown', value: notice(parsed.problems), languageId: 'markdown', metadata: cellMetadata({ role: { kind: 'notice' } }) },
        { kind: 'code', value: normalizeLineEndings(body), languageId: 'markdown', metadata: cellMetadata({ role: { kind: 'raw' }, raw: body }) },
      ],
    };
  }
  const { lesson } = parsed;
  const metadata: LessonNotebookMetadata = { ...lesson.file, lessonId: lesson.frontMatter.id };
  return {
    metadata: { [METADATA_KEY]: metadata },
    cells: lesson.cells.map((cell, position) => cell.kind === 'markdown'
      ? { kind: 'markdown', value: cell.source, languageId: 'markdown', metadata: cellMetadata({ role: { kind: 'markdown' }, raw: cell.raw, position }) }
      : { kind: 'code', value: cell.source, languageId: 'typescript', metadata: cellMetadata({ role: cell.role, raw: cell.raw, position }) }),
  };
}

/**
 * The file's text for a notebook: unedited cells exactly as read, edited and new ones in the file's dominant line
 * ending (see writeLesson). The notice cell is never written. A notebook without our metadata (a new file) gets no
 * front matter: reopening it names what is missing.
 */
export function textFromNotebook(notebook: NotebookShape): string {
  const metadata = notebookMetadataOf(notebook.metadata);
  const layout: LessonFileLayout = {
    bom: metadata?.bom ?? false,
    eol: metadata?.eol ?? '\n',
    frontMatterText: metadata?.problems ? '' : metadata?.frontMatterText ?? '',
  };
  const cells: CellToWrite[] = [];
  for (const cell of notebook.cells) {
    const cellMetadata = cellMetadataOf(cell.metadata);
    const role = cellMetadata?.role.kind;
    if (role === 'notice') continue;
    const raw = cellMetadata?.raw;
    const position = cellMetadata?.position;
    if (role === 'raw') cells.push({ kind: 'verbatim', source: cell.value, raw, position: 0 });
    else cells.push({ kind: cell.kind, source: cell.value, languageId: cell.languageId, raw, position });
  }
  return writeLesson(layout, cells);
}

/** A cell's role from its metadata (untrusted: anything not shaped as ours gives undefined). */
export function roleOfCell(metadata: unknown): CellRole | undefined {
  return cellMetadataOf(metadata)?.role;
}

/** The lesson's metadata from a notebook's metadata (untrusted: anything not shaped as ours gives undefined). */
export function notebookMetadataOf(metadata: unknown): LessonNotebookMetadata | undefined {
  const entry = recordOf(recordOf(metadata)?.[METADATA_KEY]);
  if (!entry || typeof entry.bom !== 'boolean' || (entry.eol !== '\n' && entry.eol !== '\r\n' && entry.eol !== '\r')) return undefined;
  const problems = Array.isArray(entry.problems) ? (entry.problems as LessonProblem[]) : undefined;
  return {
    bom: entry.bom,
    eol: entry.eol,
    ...(typeof entry.frontMatterText === 'string' ? { frontMatterText: entry.frontMatterText } : {}),
    ...(typeof entry.lessonId === 'string' ? { lessonId: entry.lessonId } : {}),
    ...(problems ? { problems } : {}),
  };
}

function cellMetadataOf(metadata: unknown): LessonCellMetadata | undefined {
  const entry = recordOf(recordOf(metadata)?.[METADATA_KEY]);
  const role = recordOf(entry?.role);
  if (!entry || !role) return undefined;
  const raw = typeof entry.raw === 'string' ? entry.raw : undefined;
  const position = Number.isInteger(entry.position) ? (entry.position as number) : undefined;
  const withRaw = (cellRole: CellRole): LessonCellMetadata => ({
    role: cellRole,
    ...(raw === undefined ? {} : { raw }),
    ...(position === undefined ? {} : { position }),
  });
  switch (role.kind) {
    case 'markdown': case 'notice': case 'raw': case 'code':
      return withRaw({ kind: role.kind });
    case 'exercise':
      return typeof role.exercise === 'string' ? withRaw({ kind: 'exercise', exercise: role.exercise }) : undefined;
    case 'check':
      if (typeof role.exercise !== 'string' || typeof role.name !== 'string' || typeof role.points !== 'number' || typeof role.hidden !== 'boolean') return undefined;
      return withRaw({ kind: 'check', exercise: role.exercise, name: role.name, points: role.points, hidden: role.hidden });
    default:
      return undefined;
  }
}

function cellMetadata(metadata: LessonCellMetadata): { [key: string]: unknown } {
  return { [METADATA_KEY]: metadata };
}

function recordOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
