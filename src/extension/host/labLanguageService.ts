// Extension host logic (no vscode; runs in the language worker thread, never on the host's event loop): a TypeScript
// LanguageService over virtual files — the 'rnn-lab' declarations, the ES2022 library, and one file per request built
// from the notebook's cells — answering completion, hover and signature help at an offset in a cell, and naming a
// cell's TypeScript errors.
import ts from 'typescript';
import type {
  CellPosition, CompletionEntry, CompletionList, HoverInfo, SignatureHelpInfo, SymbolDocumentation,
} from './cellLanguageProtocol';
import { CELL_GLOBALS, checkScopeDeclarations, type LabTypes } from './labTypes';
import { notebookSource, spanInCell, type CellText, type NotebookSource } from './notebookSource';

/** The virtual files the service adds to the declarations (the cell being asked about, the kernel's globals). */
const CELL_FILE = '/lesson/cell.ts';
const GLOBALS_FILE = '/lib/labGlobals.d.ts';

/**
 * Compiler options of a cell, as the kernel runs it (src/kernel/compileCell.ts): ES2022, top-level await, modules
 * resolved from node_modules (only 'rnn-lab' is there).
 */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ['lib.es2022.d.ts'],
  types: [],
  strict: true,
  noEmit: true,
  allowJs: false,
  skipLibCheck: true,
};

/**
 * TypeScript's "declared twice" errors, each placed on a declaration's name: Duplicate identifier, Cannot redeclare
 * block-scoped variable, Duplicate function implementation, Import declaration conflicts with local declaration.
 */
const REDECLARATION_CODES: ReadonlySet<number> = new Set([2300, 2451, 2393, 2440]);

const PREFERENCES: ts.UserPreferences = {
  includeCompletionsWithInsertText: true,
  includeCompletionsForModuleExports: false,
  includeCompletionsWithSnippetText: false,
  quotePreference: 'single',
};

/** The signal the service polls while it computes (a newer keystroke made this request pointless). */
export type IsCancelled = () => boolean;

/** A TypeScript error in a cell: where (offsets into the cell's text), TypeScript's code and its message. */
export interface CellError {
  readonly start: number;
  readonly length: number;
  readonly code: number;
  readonly message: string;
}

export class LabLanguageService {
  private readonly files = new Map<string, string>();
  private readonly directories = new Set<string>();
  private readonly service: ts.LanguageService;
  private readonly checkPrelude: string;
  private cellText = '';
  private cellVersion = 0;
  private isCancelled: IsCancelled = () => false;
  private readonly parsesCache = new Map<string, boolean>();

  constructor(types: LabTypes) {
    for (const [path, text] of Object.entries(types.files)) this.addFile(path, text);
    this.addFile(GLOBALS_FILE, CELL_GLOBALS);
    this.checkPrelude = checkScopeDeclarations(types);
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => COMPILER_OPTIONS,
      getScriptFileNames: () => [GLOBALS_FILE, CELL_FILE],
      getScriptVersion: (path) => (path === CELL_FILE ? String(this.cellVersion) : '0'),
      getScriptSnapshot: (path) => {
        const text = path === CELL_FILE ? this.cellText : this.files.get(path);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => '/lesson',
      getDefaultLibFileName: () => types.library,
      fileExists: (path) => path === CELL_FILE || this.files.has(path),
      readFile: (path) => (path === CELL_FILE ? this.cellText : this.files.get(path)),
      directoryExists: (path) => this.directories.has(path.replace(/\/$/, '')),
      getDirectories: (path) => [...this.directories].filter((directory) => directory.startsWith(`${path.replace(/\/$/, '')}/`) && !directory.slice(path.length + 1).includes('/')).map((directory) => directory.slice(directory.lastIndexOf('/') + 1)),
      getCancellationToken: () => ({ isCancellationRequested: () => this.isCancelled() }),
      useCaseSensitiveFileNames: () => true,
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry(true, '/'));
  }

  completions(position: CellPosition, isCancelled?: IsCancelled): CompletionList | undefined {
    return this.at(position, isCancelled, (source, offset) => {
      const info = this.service.getCompletionsAtPosition(CELL_FILE, offset, PREFERENCES);
      if (!info) return undefined;
      const entries = info.entries.map((entry): CompletionEntry => {
        const replacement = entry.replacementSpan && spanInCell(source, entry.replacementSpan.start, entry.replacementSpan.length);
        return {
          name: entry.name, kind: entry.kind, kindModifiers: entry.kindModifiers ?? '', sortText: entry.sortText,
          ...(entry.insertText !== undefined ? { insertText: entry.insertText } : {}),
          ...(replacement ? { replacement } : {}),
          ...(entry.source !== undefined ? { source: entry.source } : {}),
        };
      });
      return { entries, isMemberCompletion: info.isMemberCompletion };
    });
  }

  /** The declaration and doc comment of one completion entry (VS Code asks when the entry is selected). */
  completionDetails(position: CellPosition, name: string, entrySource?: string, isCancelled?: IsCancelled): SymbolDocumentation | undefined {
    return this.at(position, isCancelled, (_source, offset) => {
      const details = this.service.getCompletionEntryDetails(CELL_FILE, offset, name, {}, entrySource, PREFERENCES, undefined);
      if (!details) return undefined;
      return { signature: ts.displayPartsToString(details.displayParts), documentation: documentationMarkdown(details.documentation, details.tags) };
    });
  }

  hover(position: CellPosition, isCancelled?: IsCancelled): HoverInfo | undefined {
    return this.at(position, isCancelled, (source, offset) => {
      const info = this.service.getQuickInfoAtPosition(CELL_FILE, offset);
      const span = info && spanInCell(source, info.textSpan.start, info.textSpan.length);
      if (!info || !span) return undefined;
      return { signature: ts.displayPartsToString(info.displayParts), documentation: documentationMarkdown(info.documentation, info.tags), span };
    });
  }

  signatureHelp(position: CellPosition, isCancelled?: IsCancelled): SignatureHelpInfo | undefined {
    return this.at(position, isCancelled, (_source, offset) => {
      const help = this.service.getSignatureHelpItems(CELL_FILE, offset, undefined);
      if (!help) return undefined;
      const signatures = help.items.map((item) => {
        const prefix = ts.displayPartsToString(item.prefixDisplayParts);
        const separator = ts.displayPartsToString(item.separatorDisplayParts);
        let label = prefix;
        const parameters = item.parameters.map((parameter, i) => {
          if (i > 0) label += separator;
          const text = ts.displayPartsToString(parameter.displayParts);
          const start = label.length;
          label += text;
          return { label: [start, label.length] as const, documentation: ts.displayPartsToString(parameter.documentation) };
        });
        label += ts.displayPartsToString(item.suffixDisplayParts);
        return { label, documentation: documentationMarkdown(item.documentation, item.tags), parameters };
      });
      return { signatures, activeSignature: help.selectedItemIndex, activeParameter: help.argumentIndex };
    });
  }

  /**
   * TypeScript's errors in cell `index`, as the cell's file reads when the learner is in it: syntax and type errors,
   * with spans in the cell. An error TypeScript places after the cell's end (an unclosed brace is reported at the end
   * of the file) belongs to the cell, at its end; one placed before its start belongs to an earlier cell (reported
   * with that cell) or to the check scope's declarations.
   */
  errors(cells: readonly CellText[], index: number): CellError[] {
    const source = this.load(cells, index);
    const diagnostics = [...this.service.getSyntacticDiagnostics(CELL_FILE), ...this.service.getSemanticDiagnostics(CELL_FILE)];
    const cell = cells[index].source;
    let declared: Map<string, number> | undefined;
    const errors: CellError[] = [];
    for (const diagnostic of diagnostics) {
      if (diagnostic.category !== ts.DiagnosticCategory.Error || diagnostic.start === undefined || diagnostic.start < source.cellStart) continue;
      const start = Math.min(diagnostic.start - source.cellStart, source.cellLength);
      const length = Math.min(diagnostic.length ?? 0, source.cellLength - start);
      // The kernel lets a cell declare again a name an earlier cell declared (`import { np } from 'rnn-lab'` in every
      // section): only a name declared twice within this cell is an error.
      if (REDECLARATION_CODES.has(diagnostic.code)) {
        declared ??= topLevelDeclarations(cell);
        if ((declared.get(cell.slice(start, start + length)) ?? 0) < 2) continue;
      }
      errors.push({ start, length, code: diagnostic.code, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n') });
    }
    return errors;
  }

  /** Puts the cell's file in place for `position`, then asks; a cancelled request answers undefined. */
  private at<T>(position: CellPosition, isCancelled: IsCancelled | undefined, ask: (source: NotebookSource, offset: number) => T): T | undefined {
    const source = this.load(position.cells, position.index);
    if (position.offset < 0 || position.offset > source.cellLength) {
      throw new RangeError(`offset ${position.offset} is outside cell ${position.index} (${source.cellLength} characters)`);
    }
    this.isCancelled = isCancelled ?? (() => false);
    if (this.isCancelled()) return undefined;
    try {
      return ask(source, source.cellStart + position.offset);
    } catch (error) {
      if (error instanceof ts.OperationCanceledException) return undefined;
      throw error;
    } finally {
      this.isCancelled = () => false;
    }
  }

  /** Makes the cell's file the one for cell `index` of `cells` (a new version only when its text changed). */
  private load(cells: readonly CellText[], index: number): NotebookSource {
    const source = notebookSource(cells, index, this.checkPrelude, (text) => this.parses(text));
    if (source.text !== this.cellText) {
      this.cellText = source.text;
      this.cellVersion++;
    }
    return source;
  }

  /** Whether a cell's code has no syntax error (remembered for the last few hundred texts). */
  private parses(text: string): boolean {
    let result = this.parsesCache.get(text);
    if (result === undefined) {
      const file = ts.createSourceFile('/lesson/parse.ts', text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
      // parseDiagnostics is not in TypeScript's public typings, but every SourceFile has it (the parser's errors).
      result = ((file as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? []).length === 0;
      if (this.parsesCache.size > 500) this.parsesCache.clear();
      this.parsesCache.set(text, result);
    }
    return result;
  }

  private addFile(path: string, text: string): void {
    this.files.set(path, text);
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) this.directories.add(path.slice(0, slash));
  }
}

/** How many times a cell's own code declares each name at its top level (imports, variables, functions, classes…). */
function topLevelDeclarations(code: string): Map<string, number> {
  const counts = new Map<string, number>();
  const count = (name: ts.Node | undefined): void => {
    if (!name) return;
    if (ts.isIdentifier(name)) counts.set(name.text, (counts.get(name.text) ?? 0) + 1);
    else if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) {
      for (const element of name.elements) if (ts.isBindingElement(element)) count(element.name);
    }
  };
  for (const statement of ts.createSourceFile('/lesson/declarations.ts', code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS).statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      count(clause?.name);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) count(bindings.name);
      else if (bindings) for (const element of bindings.elements) count(element.name);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) count(declaration.name);
    } else if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) {
      count(statement.name);
    }
  }
  return counts;
}

/** A doc comment as Markdown: its text, then its tags (`@param xt — …`, `@returns …`) one per paragraph, as VS Code's TypeScript shows them. */
export function documentationMarkdown(documentation: ts.SymbolDisplayPart[] | undefined, tags: readonly ts.JSDocTagInfo[] | undefined): string {
  const parts = [ts.displayPartsToString(documentation ?? [])];
  for (const tag of tags ?? []) {
    const text = ts.displayPartsToString(tag.text ?? []);
    if (tag.name === 'param') {
      const [name, ...rest] = text.split(/\s+/);
      parts.push(`*@param* \`${name}\`${rest.length > 0 ? ` — ${rest.join(' ')}` : ''}`);
    } else {
      parts.push(`*@${tag.name}*${text ? ` — ${text}` : ''}`);
    }
  }
  return parts.filter((part) => part.length > 0).join('\n\n');
}
