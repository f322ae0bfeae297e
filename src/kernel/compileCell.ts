// Kernel layer: turns one notebook cell's TypeScript into a JavaScript async function the kernel can call — types
// stripped by sucrase, then the top level rewritten with acorn so that declarations persist between cells, top-level
// `await` works, imports of 'rnn-lab' become lookups and the last expression's value is returned. Pure: no Node.
import { parse, type Node as AcornNode } from 'acorn';
import { transform } from 'sucrase';
import { cellColumns, typeStripColumns, type ColumnMapper, type CopiedSpan } from './cellColumns';

/** The only module a cell may import from. */
export const LAB_MODULE = 'rnn-lab';

/**
 * 'cell': a notebook cell; its top-level declarations become properties of the kernel's global namespace, so later
 * cells see them and re-running a cell re-declares without "already declared" errors.
 * 'module': a check; its declarations stay in its own scope; the names in `scopeNames` are parameters in scope.
 */
export type CompileMode = 'cell' | 'module';

export interface CompileOptions {
  readonly mode: CompileMode;
  /** Extra names the code sees as parameters (a check's `student` and `expect`); passed after the kernel's own. */
  readonly scopeNames?: readonly string[];
}

/**
 * A compiled cell: `source` is a JavaScript expression, `(async function (__rnnLab, ...scopeNames) { … })`, whose
 * first line is the wrapper alone; the cell's line N is line N + 1 of `source`. Evaluate it with a line offset of −1
 * and stack frames read the cell's own line numbers; `cellColumn` turns their columns into the cell's own.
 */
export interface CompiledCell {
  readonly source: string;
  /** Whether the cell imports 'rnn-lab' (the kernel loads the lab module, lazily, before running such a cell). */
  readonly importsLab: boolean;
  /**
   * A stack frame's column (1-based) on a cell line → the column the learner wrote: types stripped and the rewrite
   * (`return (` before the last expression, `globalThis.` before declared names) shift columns, never lines.
   */
  readonly cellColumn: ColumnMapper;
}

/** The cell's code cannot be compiled; `line` and `column` are the cell's own (1-based line, 0-based column). */
export class CellCompileError extends Error {
  override readonly name = 'SyntaxError';
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}

/** The runtime object every compiled cell receives as its first parameter (named `__rnnLab` in the code). */
export interface CellRuntime {
  /** `import { a as b } from 'rnn-lab'` in a cell: define each `[exported, local]` name in the namespace. */
  importNames(specifier: string, names: readonly (readonly [exported: string, local: string])[]): void;
  /** One named export (a check's imports, which stay local). Throws when the module has no such export. */
  importName(specifier: string, name: string): unknown;
  /** The whole module (`import * as lab from 'rnn-lab'`). */
  importModule(specifier: string): unknown;
}

const RUNTIME = '__rnnLab';
const NAMESPACE = 'globalThis';

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

// acorn's node types are loose unions; the rewrite reads a few known fields of each statement kind.
type AnyNode = AcornNode & { loc: { start: { line: number; column: number }; end: { line: number; column: number } } } & Record<string, any>;

export function compileCell(code: string, options: CompileOptions): CompiledCell {
  const { mode } = options;
  let javascript: string;
  let strippedColumns: (line: number, column: number) => number;
  try {
    // Reference note: in cell mode unused imports are kept (a first cell that only imports for later cells is the
    // common case); names that turn out to be types only are defined lazily by the runtime and throw only if read.
    const stripped = transform(code, {
      transforms: ['typescript'],
      disableESTransforms: true,
      keepUnusedImports: mode === 'cell',
      sourceMapOptions: { compiledFilename: 'cell.js' },
      filePath: 'cell.ts',
    });
    javascript = stripped.code;
    strippedColumns = typeStripColumns(stripped.sourceMap?.mappings ?? '');
  } catch (error) {
    // Reference note: sucrase counts columns from 1 (acorn and CellCompileError from 0).
    throw compileErrorFrom(error, (_line, column) => column - 1);
  }
  let program: AnyNode;
  try {
    program = parse(javascript, { ecmaVersion: 'latest', sourceType: 'module', locations: true }) as AnyNode;
  } catch (error) {
    // acorn reads sucrase's output: its column is mapped back through the type stripping.
    throw compileErrorFrom(error, strippedColumns);
  }

  let rewrite: TopLevelRewrite;
  try {
    rewrite = rewriteTopLevel(program, javascript, mode);
  } catch (error) {
    // The rewrite names positions in sucrase's output: the learner reads their own column.
    if (error instanceof CellCompileError) throw new CellCompileError(error.message, error.line, strippedColumns(error.line, error.column));
    throw error;
  }
  const { edits, hoisted, importsLab } = rewrite;

  const parameters = [RUNTIME, ...(options.scopeNames ?? [])].join(', ');
  const header = `(async function (${parameters}) { 'use strict'; ${hoisted.join(' ')}`;
  const { text: rewritten, copied } = applyEdits(javascript, edits);
  return { source: `${header}\n${rewritten}\n})`, importsLab, cellColumn: cellColumns(rewritten, javascript, copied, strippedColumns) };
}

interface TopLevelRewrite {
  readonly edits: Edit[];
  /** Statements for the wrapper's first line (function declarations hoist, so their namespace entries do too). */
  readonly hoisted: string[];
  readonly importsLab: boolean;
}

/** The edits that make a cell's top level persist, import and return its last expression (see compileCell). */
function rewriteTopLevel(program: AnyNode, javascript: string, mode: CompileMode): TopLevelRewrite {
  const edits: Edit[] = [];
  const hoisted: string[] = [];
  let importsLab = false;
  const body: AnyNode[] = program.body;
  forbidDynamicImports(program);
  for (const [index, statement] of body.entries()) {
    switch (statement.type) {
      case 'ImportDeclaration':
        importsLab = true;
        edits.push({ start: statement.start, end: statement.end, text: rewriteImport(statement, mode) });
        break;
      case 'ExportNamedDeclaration':
        if (!statement.declaration) throw located(statement, `a cell cannot export names; declare them and later cells see them`);
        // `export const x = 1` in a cell is just `const x = 1`: drop the keyword.
        edits.push({ start: statement.start, end: statement.declaration.start, text: '' });
        if (mode === 'cell') persistDeclaration(statement.declaration, javascript, edits, hoisted);
        break;
      case 'ExportDefaultDeclaration':
      case 'ExportAllDeclaration':
        throw located(statement, `a cell cannot export; declare names with const, let, function or class and later cells see them`);
      case 'ExpressionStatement':
        if (index === body.length - 1) {
          // The last expression's value is the cell's result (also a lone string, which JavaScript reads as a directive).
          edits.push({ start: statement.expression.start, end: statement.expression.start, text: 'return (' });
          edits.push({ start: statement.expression.end, end: statement.expression.end, text: ')' });
        }
        break;
      default:
        if (mode === 'cell') persistDeclaration(statement, javascript, edits, hoisted);
    }
  }
  return { edits, hoisted, importsLab };
}

/**
 * A top-level declaration of a cell, rewritten into assignments to the namespace:
 *   const a = 1, { b, c: [d] } = o;   →   (globalThis.a = 1), ({ b: globalThis.b, c: [globalThis.d] } = o);
 *   class A {}                        →   globalThis.A = class A {};
 *   function f() {}                   →   unchanged, plus `globalThis.f = f;` before the body (declarations hoist).
 * Line breaks inside the declaration are kept, so every line stays where it was.
 */
function persistDeclaration(statement: AnyNode, source: string, edits: Edit[], hoisted: string[]): void {
  switch (statement.type) {
    case 'VariableDeclaration': {
      const declarators: AnyNode[] = statement.declarations;
      const keyword = source.slice(statement.start, declarators[0].start);
      edits.push({ start: statement.start, end: declarators[0].start, text: lineBreaksOf(keyword) });
      for (const declarator of declarators) {
        edits.push({ start: declarator.start, end: declarator.start, text: '(' });
        rewritePattern(declarator.id, edits);
        if (!declarator.init) edits.push({ start: declarator.id.end, end: declarator.id.end, text: ' = undefined' });
        edits.push({ start: declarator.end, end: declarator.end, text: ')' });
      }
      break;
    }
    case 'FunctionDeclaration':
      hoisted.push(`${NAMESPACE}.${statement.id.name} = ${statement.id.name};`);
      break;
    case 'ClassDeclaration':
      edits.push({ start: statement.start, end: statement.start, text: `${NAMESPACE}.${statement.id.name} = ` });
      edits.push({ start: statement.end, end: statement.end, text: ';' });
      break;
    default:
      // Statements that declare nothing at the top level (loops, blocks, if…) keep their own scopes.
      break;
  }
}

/** Binding identifiers of a declaration pattern become namespace properties (valid assignment targets). */
function rewritePattern(pattern: AnyNode, edits: Edit[]): void {
  switch (pattern.type) {
    case 'Identifier':
      edits.push({ start: pattern.start, end: pattern.start, text: `${NAMESPACE}.` });
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties as AnyNode[]) {
        if (property.type === 'RestElement') rewritePattern(property.argument, edits);
        else if (property.shorthand) {
          // `{ a }` / `{ a = 1 }` → `{ a: globalThis.a }` / `{ a: globalThis.a = 1 }`
          edits.push({ start: property.start, end: property.start, text: `${property.key.name}: ${NAMESPACE}.` });
        } else rewritePattern(property.value, edits);
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements as (AnyNode | null)[]) if (element) rewritePattern(element, edits);
      break;
    case 'AssignmentPattern':
      rewritePattern(pattern.left, edits);
      break;
    case 'RestElement':
      rewritePattern(pattern.argument, edits);
      break;
    default:
      throw located(pattern, `cannot declare ${pattern.type} at the top level of a cell`);
  }
}

/** `import { course as c } from 'rnn-lab'` → a call of the runtime, on the import's own lines. */
function rewriteImport(statement: AnyNode, mode: CompileMode): string {
  const specifier: string = statement.source.value;
  if (specifier !== LAB_MODULE) {
    throw located(statement, `cannot import '${specifier}': a cell can import only from '${LAB_MODULE}', e.g. import { course, np } from '${LAB_MODULE}'`);
  }
  const quoted = JSON.stringify(specifier);
  const pieces: string[] = [];
  const named: [string, string][] = [];
  for (const item of statement.specifiers as AnyNode[]) {
    const local: string = item.local.name;
    if (item.type === 'ImportDefaultSpecifier') {
      throw located(item, `'${LAB_MODULE}' has no default export: write import { course } from '${LAB_MODULE}' or import * as lab from '${LAB_MODULE}'`);
    }
    if (item.type === 'ImportNamespaceSpecifier') {
      pieces.push(mode === 'cell' ? `${NAMESPACE}.${local} = ${RUNTIME}.importModule(${quoted});` : `const ${local} = ${RUNTIME}.importModule(${quoted});`);
    } else {
      const exported: string = item.imported.type === 'Identifier' ? item.imported.name : item.imported.value;
      if (mode === 'cell') named.push([exported, local]);
      else pieces.push(`const ${local} = ${RUNTIME}.importName(${quoted}, ${JSON.stringify(exported)});`);
    }
  }
  if (named.length > 0) pieces.push(`${RUNTIME}.importNames(${quoted}, ${JSON.stringify(named)});`);
  if (pieces.length === 0) pieces.push(`${RUNTIME}.importModule(${quoted});`);
  // Keep the statement's line count: its line breaks follow the generated code.
  const lines = statement.loc.end.line - statement.loc.start.line;
  return pieces.join(' ') + '\n'.repeat(lines);
}

function forbidDynamicImports(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const candidate = node as AnyNode;
  if (candidate.type === 'ImportExpression') {
    throw located(candidate, `import() is not available in a cell: import from '${LAB_MODULE}' at the top, e.g. import { course } from '${LAB_MODULE}'`);
  }
  for (const [key, value] of Object.entries(candidate)) {
    if (key === 'loc') continue;
    if (Array.isArray(value)) value.forEach(forbidDynamicImports);
    else if (value && typeof value === 'object' && typeof (value as AnyNode).type === 'string') forbidDynamicImports(value);
  }
}

/**
 * Applies non-overlapping edits; edits at the same position apply in the order they were made. Also returns the
 * stretches of `source` copied unchanged, for mapping columns back.
 */
function applyEdits(source: string, edits: readonly Edit[]): { text: string; copied: CopiedSpan[] } {
  const ordered = edits.map((edit, order) => ({ ...edit, order })).sort((a, b) => a.start - b.start || a.order - b.order);
  let text = '';
  let position = 0;
  const copied: CopiedSpan[] = [];
  const copy = (end: number): void => {
    if (end > position) copied.push({ generated: text.length, original: position, length: end - position });
    text += source.slice(position, end);
  };
  for (const edit of ordered) {
    copy(edit.start);
    text += edit.text;
    position = Math.max(position, edit.end);
  }
  copy(source.length);
  return { text, copied };
}

function lineBreaksOf(text: string): string {
  return text.replace(/[^\n]/g, '');
}

function located(node: AnyNode, message: string): CellCompileError {
  return new CellCompileError(`line ${node.loc.start.line}: ${message}`, node.loc.start.line, node.loc.start.column);
}

/**
 * Sucrase and acorn both end their messages with "(line:column)"; `cellColumn` turns that column into the cell's own,
 * counted from 0.
 */
function compileErrorFrom(error: unknown, cellColumn: (line: number, column: number) => number): CellCompileError {
  const message = error instanceof Error ? error.message : String(error);
  const location = /\((\d+):(\d+)\)\s*$/.exec(message);
  if (!location) return new CellCompileError(message, 1, 0);
  const line = Number(location[1]);
  const column = cellColumn(line, Number(location[2]));
  const reason = message.slice(0, location.index).trim();
  return new CellCompileError(`line ${line}: ${reason}`, line, column);
}
