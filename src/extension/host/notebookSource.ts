// Extension host logic (no vscode): the one TypeScript file the language service reads for a lesson notebook, built
// from its code cells, and the mapping between an offset in that file and an offset in one cell.
import { roleOfCell } from '../../lessons/lessonNotebook';

/** A code cell as the language service needs it: its text, and whether it is a check (its own scope, see DESIGN.md). */
export interface CellText {
  readonly source: string;
  readonly kind: 'code' | 'check';
}

/** A notebook cell as VS Code holds it, in the words the language service needs. */
export interface NotebookCellView {
  readonly isCode: boolean;
  readonly languageId: string;
  readonly source: string;
  readonly metadata: unknown;
}

/**
 * What the language service reads of a notebook cell: a TypeScript code cell's text and whether it is a check (by
 * its lesson role); undefined for prose, a lesson file that could not be read (its raw text), or another language.
 */
export function cellText(cell: NotebookCellView): CellText | undefined {
  if (!cell.isCode || cell.languageId !== 'typescript') return undefined;
  return { source: cell.source, kind: roleOfCell(cell.metadata)?.kind === 'check' ? 'check' : 'code' };
}

/** The virtual file for one cell: the cell's text sits at `cellStart` in `text`, unchanged. */
export interface NotebookSource {
  readonly text: string;
  readonly cellStart: number;
  readonly cellLength: number;
}

/** Ends every virtual file: it makes the file a module, so the cells' names never collide with the library's globals. */
const MODULE_MARKER = '\nexport {};\n';

/**
 * The file TypeScript sees when the learner is in cell `index`.
 *
 * A code cell: the code cells before it and the cell itself, in notebook order, one after the other — as the kernel
 * runs them, so a name an earlier cell defined completes in a later one (cells below are left out: their names do
 * not exist yet when the cells run top to bottom, and their half-typed code cannot disturb this one). An earlier cell
 * with a syntax error is left out too: the kernel cannot run it, so it defines nothing — and an unclosed comment or
 * string in it would swallow the cell being typed.
 * A check cell: its own file (checks run in their own scope), opened by `checkPrelude` (the declarations of `student`
 * and `expect`).
 */
export function notebookSource(cells: readonly CellText[], index: number, checkPrelude: string, parses: (source: string) => boolean): NotebookSource {
  const cell = cells[index];
  if (!cell) throw new RangeError(`cell ${index} does not exist (the notebook has ${cells.length} cells)`);
  if (cell.kind === 'check') {
    return { text: checkPrelude + cell.source + MODULE_MARKER, cellStart: checkPrelude.length, cellLength: cell.source.length };
  }
  let text = '';
  for (let earlier = 0; earlier < index; earlier++) {
    const { kind, source } = cells[earlier];
    if (kind === 'code' && parses(source)) text += `${source}\n`;
  }
  return { text: text + cell.source + MODULE_MARKER, cellStart: text.length, cellLength: cell.source.length };
}

/** A span of the virtual file as a span of the cell, or undefined when it lies outside the cell (e.g. in an earlier one). */
export function spanInCell(source: NotebookSource, start: number, length: number): { start: number; length: number } | undefined {
  const cellStart = start - source.cellStart;
  if (cellStart < 0 || cellStart + length > source.cellLength) return undefined;
  return { start: cellStart, length };
}
