// Kernel layer: maps a column of a compiled cell back to the column the learner wrote. Two steps shift columns:
// sucrase strips types (its source map says where each token came from) and compileCell.ts's rewrite inserts text
// (`return (` before the last expression, `globalThis.` before declared names). Lines never move. Pure.

/** A stretch of text copied unchanged by the rewrite: `length` characters at `original` now start at `generated`. */
export interface CopiedSpan {
  readonly generated: number;
  readonly original: number;
  readonly length: number;
}

/** Where a stretch of a line of sucrase's output came from: from `generatedColumn` on, `originalColumn` on. */
interface TypeStripSegment {
  readonly generatedColumn: number;
  readonly originalLine: number;
  readonly originalColumn: number;
}

/** Cell line (1-based) and column (1-based, as stack frames count) → the learner's own column on that line. */
export type ColumnMapper = (line: number, column: number) => number;

/**
 * Columns through the type stripping alone (0-based columns, 1-based lines), from sucrase's source map: for
 * positions of compileCell's parse errors, which acorn reports in sucrase's output.
 */
export function typeStripColumns(mappings: string): (line: number, column: number) => number {
  const lines = decodeMappings(mappings);
  return (line, column) => {
    const segments = lines[line - 1] ?? [];
    let found: TypeStripSegment | undefined;
    for (const segment of segments) {
      if (segment.generatedColumn > column) break;
      found = segment;
    }
    // Sucrase keeps every token on its line; a segment on another line would be a map we do not understand.
    if (!found || found.originalLine !== line - 1) return column;
    return found.originalColumn + (column - found.generatedColumn);
  };
}

/**
 * The learner's column of a position in the rewritten body (`rewritten` made from `stripped` by copying `spans`
 * and inserting text between them; `strippedColumns` undoes the type stripping). A position inside inserted text
 * belongs to the code that follows it (`return (` to the expression it returns).
 */
export function cellColumns(rewritten: string, stripped: string, spans: readonly CopiedSpan[], strippedColumns: (line: number, column: number) => number): ColumnMapper {
  const rewrittenLines = lineStarts(rewritten);
  const strippedLines = lineStarts(stripped);
  return (line, column) => {
    const lineStart = rewrittenLines[line - 1];
    if (lineStart === undefined || column < 1) return column;
    const offset = lineStart + column - 1;
    const span = spans.find((candidate) => offset < candidate.generated + candidate.length);
    if (!span) return column;
    const original = span.original + Math.max(0, offset - span.generated);
    const originalLine = lastIndexAtOrBefore(strippedLines, original);
    // Inserted text before a line break would map onto the next line: keep the frame's column then.
    if (originalLine !== line - 1) return column;
    return strippedColumns(line, original - strippedLines[originalLine]) + 1;
  };
}

/** Offsets where each line of `text` starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function lastIndexAtOrBefore(sorted: readonly number[], value: number): number {
  let index = 0;
  while (index + 1 < sorted.length && sorted[index + 1] <= value) index++;
  return index;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Source map v3 `mappings`: per generated line, its segments (fields are deltas, VLQ in base64). */
function decodeMappings(mappings: string): TypeStripSegment[][] {
  const lines: TypeStripSegment[][] = [];
  let originalLine = 0;
  let originalColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments: TypeStripSegment[] = [];
    let generatedColumn = 0;
    for (const segmentText of lineText.split(',')) {
      if (!segmentText) continue;
      const fields = decodeVlq(segmentText);
      generatedColumn += fields[0];
      if (fields.length < 4) continue;
      originalLine += fields[2];
      originalColumn += fields[3];
      segments.push({ generatedColumn, originalLine, originalColumn });
    }
    lines.push(segments);
  }
  return lines;
}

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const character of text) {
    const digit = BASE64.indexOf(character);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}
