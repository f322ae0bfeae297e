// Kernel layer: the kernel's request loop over an abstract channel — runs cells (compiled by compileCell.ts) one at a
// time in a persistent namespace, streams console output while they run, shows the last value, maps errors to the
// cell's own lines and honours interrupts. Pure: the host (src/node/kernelMain.ts now, a Web Worker later) supplies
// the evaluator, the namespace and the transport.
import { CheckRunInterrupted, runChecks, type CheckEnvironment } from '../lessons/checks/runChecks';
import { localStudentAccess, type StudentAccess } from '../lessons/checks/student';
import type { ColumnMapper } from './cellColumns';
import { CellCompileError, compileCell, LAB_MODULE, type CellRuntime, type CompileOptions } from './compileCell';
import { formatLogArguments, formatValue } from './inspect';
import { INTERRUPT_TIMING, type FromKernel, type KernelError, type OutputItem, type ToKernel } from './protocol';

/** What a display in a cell (display.ts: `show`, `train`) may do while its request runs. */
export interface DisplayHooks {
  /** Adds a rich output to the running request's cell; with a `displayId`, later updates replace it in place. */
  display(items: readonly OutputItem[], displayId?: string): void;
  updateDisplay(displayId: string, items: readonly OutputItem[]): void;
  /** True once the running request was interrupted: training loops poll it and stop at their next step. */
  interrupted(): boolean;
}

/** The 'rnn-lab' module as cells see it (labModule.ts builds it). */
export type LabModule = Readonly<Record<string, unknown>>;

/** What the kernel needs from the place it runs in. */
export interface KernelHost {
  send(message: FromKernel): void;
  /**
   * Evaluates a compiled cell's source (see CompiledCell: line offset −1, `filename` names its stack frames) in the
   * namespace's global scope and calls the function it defines with `args`; returns what the call returns (a
   * promise). Throws `KernelInterrupt` when an interrupt stopped the synchronous part.
   */
  evaluate(source: string, filename: string, args: readonly unknown[]): unknown;
  /**
   * The same for a check, in a global scope of its own: a check sees what it imports and its scope (`student`,
   * `expect`), never the names the learner's cells declared — as where the grader runs it.
   */
  evaluateCheck(source: string, filename: string, args: readonly unknown[]): unknown;
  /** The global object cells run in: their top-level declarations live here. */
  readonly namespace: object;
  /** Builds the 'rnn-lab' module (loading the engine the first time a cell imports it). */
  loadLab(hooks: DisplayHooks): Promise<LabModule>;
}

/** Thrown by a host's `evaluate` when an interrupt (SIGINT) broke the synchronous part of a cell. */
export class KernelInterrupt extends Error {
  override readonly name = 'KernelInterrupt';
}

interface ActiveRequest {
  readonly id: number;
  interrupted: boolean;
  /** Resolves when the request is abandoned after an interrupt. */
  readonly abandoned: Promise<void>;
  abandon(): void;
  /** Characters of output sent so far (the cap is MAX_REQUEST_OUTPUT_CHARS). */
  printed: number;
}

/**
 * The output one request (a cell, a check) may print. Beyond it the output stops with a note saying so, and the code
 * goes on: a loop printing without end would otherwise fill the kernel's memory with output waiting to be sent (the
 * loop never lets it go), until the kernel dies, and the notebook with more text than anyone reads.
 */
export const MAX_REQUEST_OUTPUT_CHARS = 4_000_000;

export class KernelRuntime {
  private active: ActiveRequest | undefined;
  private lastId = 0;
  /** Output written when no request was running (a timer's console.log, a callback's error): shown with the next. */
  private readonly pendingOutput: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  private pendingChars = 0;
  private labModule: Promise<LabModule> | undefined;
  /**
   * File names of everything evaluated, each with its columns: a stack frame in one of these is the learner's own.
   * Reference note: a label run again with new code maps with the newest code's columns (lines are always right).
   */
  private readonly cellLabels = new Map<string, ColumnMapper>();
  private queue: Promise<void> = Promise.resolve();
  private readonly hooks: DisplayHooks = {
    display: (items, displayId) => this.host.send({ type: 'display', id: this.currentId(), items, ...(displayId === undefined ? {} : { displayId }) }),
    updateDisplay: (displayId, items) => this.host.send({ type: 'updateDisplay', id: this.currentId(), displayId, items }),
    interrupted: () => this.active?.interrupted ?? false,
  };
  private readonly cellRuntime: CellRuntime = {
    importNames: (specifier, names) => {
      const lab = this.loadedLab(specifier);
      for (const [exported, local] of names) defineImport(this.host.namespace, local, exported, lab);
    },
    importName: (specifier, name) => {
      const lab = this.loadedLab(specifier);
      if (!Object.prototype.hasOwnProperty.call(lab, name)) throw noSuchExport(name);
      return lab[name];
    },
    importModule: (specifier) => this.loadedLab(specifier),
  };
  private loadedLabValue: LabModule | undefined;

  constructor(private readonly host: KernelHost) {}

  /** The console cells see: each call streams one line to the running request's output. */
  readonly console = {
    log: (...args: unknown[]) => this.write('stdout', args),
    info: (...args: unknown[]) => this.write('stdout', args),
    debug: (...args: unknown[]) => this.write('stdout', args),
    warn: (...args: unknown[]) => this.write('stderr', args),
    error: (...args: unknown[]) => this.write('stderr', args),
    trace: (...args: unknown[]) => this.write('stderr', args),
    table: (...args: unknown[]) => this.write('stdout', args),
    dir: (value: unknown) => this.write('stdout', [formatValue(value)]),
  };

  /** The display hooks of the running request (for display.ts through labModule.ts). */
  get displayHooks(): DisplayHooks {
    return this.hooks;
  }

  /** Handles one message from the driver; run and check requests are processed one at a time, in order. */
  receive(message: unknown): void {
    if (!isToKernel(message)) return;
    if (message.type === 'interrupt') {
      this.interrupt();
      return;
    }
    this.queue = this.queue.then(() => {
      switch (message.type) {
        case 'run': return this.run(message.id, message.code, message.label);
        case 'check': return this.check(message);
        default: return this.answerStudent(message);
      }
    });
  }

  /** Stops the running request (from an 'interrupt' message or the host's SIGINT handler). */
  interrupt(): void {
    const active = this.active;
    if (!active || active.interrupted) return;
    active.interrupted = true;
    setTimeout(() => active.abandon(), INTERRUPT_TIMING.graceMs);
  }

  /**
   * An error nothing caught (a throw in a timer callback, an unhandled rejection): reported on stderr of the running
   * request, or of the next one when none runs. The kernel keeps going.
   */
  reportBackgroundError(error: unknown): void {
    const kernelError = this.kernelErrorOf(error);
    const where = this.active ? '' : ' (after its cell had finished)';
    this.emit('stderr', `Uncaught error in a callback${where}:\n${kernelError.stack || `${kernelError.name}: ${kernelError.message}`}\n`);
  }

  /** Wraps a host timer so that a callback's throw is reported instead of ending the kernel. */
  guardCallback<Arguments extends unknown[]>(callback: (...args: Arguments) => unknown): (...args: Arguments) => void {
    return (...args: Arguments) => {
      try {
        const result = callback(...args);
        if (result instanceof Promise || (result && typeof (result as PromiseLike<unknown>).then === 'function')) {
          Promise.resolve(result).catch((error: unknown) => this.reportBackgroundError(error));
        }
      } catch (error) {
        this.reportBackgroundError(error);
      }
    };
  }

  private async run(id: number, code: string, label: string): Promise<void> {
    const request = this.begin(id);
    try {
      const value = await this.execute(request, code, label, { mode: 'cell' }, []);
      if (request.interrupted && value === ABANDONED) this.sendInterrupted(id);
      else this.host.send({ type: 'done', id, ok: true, ...(value === undefined || value === ABANDONED ? {} : { value: outputItemsOf(value) }) });
    } catch (error) {
      if (request.interrupted || error instanceof KernelInterrupt) this.sendInterrupted(id);
      else this.host.send({ type: 'done', id, ok: false, error: this.kernelErrorOf(error, label) });
    } finally {
      this.active = undefined;
    }
  }

  /** Runs checks (src/lessons/checks) in module mode against the functions the namespace defines now. */
  private async check(message: Extract<ToKernel, { type: 'check' }>): Promise<void> {
    const { id } = message;
    const request = this.begin(id);
    try {
      const environment: CheckEnvironment = {
        evaluateCheck: async (code, label, scope) => {
          const names = Object.keys(scope) as (keyof typeof scope)[];
          const value = await this.execute(request, code, label, { mode: 'module', scopeNames: names }, names.map((name) => scope[name]), 'check');
          if (value === ABANDONED) throw new KernelInterrupt('interrupted');
          return value;
        },
        lookup: (name) => this.lookup(name),
        interrupted: () => request.interrupted,
        seed: message.seed,
      };
      const results = await runChecks(message.checks, environment);
      this.host.send({ type: 'checkResults', id, results });
    } catch (error) {
      if (request.interrupted || error instanceof KernelInterrupt || error instanceof CheckRunInterrupted) this.sendInterrupted(id);
      else this.host.send({ type: 'done', id, ok: false, error: this.kernelErrorOf(error) });
    } finally {
      this.active = undefined;
    }
  }

  /** A 'call' or 'read' from a grader whose checks run in its own process: the learner's function, called here. */
  private async answerStudent(message: Extract<ToKernel, { type: 'call' | 'read' }>): Promise<void> {
    const { id } = message;
    this.begin(id);
    try {
      const access: StudentAccess = localStudentAccess({ lookup: (name) => this.lookup(name) });
      const outcome = message.type === 'call' ? await access.call(message.name, message.args) : await access.read(message.name);
      this.host.send({ type: 'student', id, outcome });
    } catch (error) {
      this.host.send({ type: 'done', id, ok: false, error: this.kernelErrorOf(error) });
    } finally {
      this.active = undefined;
    }
  }

  /** What the namespace holds under `name`: own properties only, so `__proto__` and `toString` are plain names. */
  private lookup(name: string): { found: boolean; value?: unknown } {
    const namespace = this.host.namespace;
    if (!Object.prototype.hasOwnProperty.call(namespace, name)) return { found: false };
    return { found: true, value: (namespace as Record<string, unknown>)[name] };
  }

  private begin(id: number): ActiveRequest {
    let abandon = (): void => undefined;
    const abandoned = new Promise<void>((resolve) => (abandon = resolve));
    const request: ActiveRequest = { id, interrupted: false, abandoned, abandon, printed: 0 };
    this.active = request;
    this.lastId = id;
    for (const { stream, text } of this.pendingOutput.splice(0)) this.print(request, stream, text);
    this.pendingChars = 0;
    return request;
  }

  /** Compiles and runs one piece of code; resolves with its value, or ABANDONED when an interrupt gave up on it. */
  private async execute(request: ActiveRequest, code: string, label: string, options: CompileOptions, scope: readonly unknown[], realm: 'cell' | 'check' = 'cell'): Promise<unknown> {
    const compiled = compileCell(code, options);
    this.cellLabels.set(label, compiled.cellColumn);
    if (compiled.importsLab) await this.lab();
    if (request.interrupted) return ABANDONED;
    let result: unknown;
    try {
      const args = [this.cellRuntime, ...scope];
      result = realm === 'check' ? this.host.evaluateCheck(compiled.source, label, args) : this.host.evaluate(compiled.source, label, args);
    } catch (error) {
      // SIGINT can stop the code before the 'interrupt' message is read: the request is interrupted all the same.
      if (error instanceof KernelInterrupt) request.interrupted = true;
      throw error;
    }
    return Promise.race([Promise.resolve(result), request.abandoned.then(() => ABANDONED)]);
  }

  private lab(): Promise<LabModule> {
    this.labModule ??= this.host.loadLab(this.hooks).then((module) => (this.loadedLabValue = module));
    return this.labModule;
  }

  private loadedLab(specifier: string): LabModule {
    if (specifier !== LAB_MODULE || !this.loadedLabValue) throw new Error(`cannot import '${specifier}': a cell can import only from '${LAB_MODULE}'`);
    return this.loadedLabValue;
  }

  private sendInterrupted(id: number): void {
    this.host.send({
      type: 'done', id, ok: false, interrupted: true,
      error: { name: 'Interrupted', message: 'Interrupted: the cell was stopped. Variables defined so far are kept.', stack: '' },
    });
  }

  private write(stream: 'stdout' | 'stderr', args: readonly unknown[]): void {
    this.emit(stream, `${formatLogArguments(args)}\n`);
  }

  private emit(stream: 'stdout' | 'stderr', text: string): void {
    if (this.active) {
      this.print(this.active, stream, text);
    } else if (this.pendingChars <= MAX_REQUEST_OUTPUT_CHARS) {
      this.pendingOutput.push({ stream, text });
      this.pendingChars += text.length;
    }
  }

  /** Sends `text` as output of `request`, up to MAX_REQUEST_OUTPUT_CHARS: the text that reaches it is cut there, with a note. */
  private print(request: ActiveRequest, stream: 'stdout' | 'stderr', text: string): void {
    const room = MAX_REQUEST_OUTPUT_CHARS - request.printed;
    if (room <= 0) return;
    request.printed += text.length;
    const shown = text.length <= room ? text
      : `${text.slice(0, room)}\n… The output stops here: this run printed more than ${MAX_REQUEST_OUTPUT_CHARS / 1e6} million characters, and the rest is not shown (the code goes on running).\n`;
    this.host.send({ type: 'stream', id: request.id, stream, text: shown });
  }

  private currentId(): number {
    return this.active?.id ?? this.lastId;
  }

  /** An error as the learner reads it: their cells' frames with their own lines, engine frames as `(rnn-lab)`. */
  private kernelErrorOf(error: unknown, label?: string): KernelError {
    if (error instanceof CellCompileError) {
      return { name: 'SyntaxError', message: error.message, stack: `SyntaxError: ${error.message}\n    at ${label ?? 'cell'}:${error.line}:${error.column + 1}` };
    }
    if (!isErrorLike(error)) return { name: 'Uncaught', message: formatValue(error), stack: `Uncaught ${formatValue(error)}` };
    const name = typeof error.name === 'string' ? error.name : 'Error';
    return { name, message: error.message, stack: learnerStack(error, this.cellLabels) };
  }
}

const ABANDONED: unique symbol = Symbol('abandoned');

/** Output items for a cell's value: a display object's own items, else text in the style of Node's inspect. */
export function outputItemsOf(value: unknown): OutputItem[] {
  const rich = richItemsOf(value);
  return rich ?? [{ mime: 'text/plain', data: formatValue(value) }];
}

/**
 * A value that shows itself richly (a chart, a table) has a method under this symbol returning its output items;
 * display.ts's `show.*` return such values, so `show.loss(run)` as a cell's last line displays the chart.
 */
export const RICH_OUTPUT = Symbol.for('rnnLab.richOutput');

function richItemsOf(value: unknown): OutputItem[] | undefined {
  if (!value || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  const method = (value as { [RICH_OUTPUT]?: unknown })[RICH_OUTPUT];
  if (typeof method !== 'function') return undefined;
  const items = method.call(value);
  return Array.isArray(items) ? items.filter(isOutputItem) : undefined;
}

function isOutputItem(item: unknown): item is OutputItem {
  return !!item && typeof (item as OutputItem).mime === 'string' && typeof (item as OutputItem).data === 'string';
}

/**
 * The stack a learner reads: the header, then only the frames up to the last one in a cell; frames in a cell keep
 * their line and read the column the learner wrote, frames of the engine between them read `at name (rnn-lab)`,
 * frames of the kernel itself (which called the cell) are dropped.
 */
export function learnerStack(error: { stack?: unknown; name?: unknown; message: string }, cellLabels: ReadonlyMap<string, ColumnMapper>): string {
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
  const header = firstFrame < 0 ? (stack || `${String(error.name)}: ${error.message}`) : lines.slice(0, firstFrame).join('\n');
  const frames = firstFrame < 0 ? [] : lines.slice(firstFrame);
  const cellOf = (frame: string): string | undefined => [...cellLabels.keys()].find((cell) => frame.includes(`(${cell}:`) || new RegExp(`at (async )?${escapeRegExp(cell)}:\\d`).test(frame));
  const lastCell = frames.map((frame) => cellOf(frame) !== undefined).lastIndexOf(true);
  const kept: string[] = [];
  for (const frame of frames.slice(0, lastCell + 1)) {
    const cell = cellOf(frame);
    if (cell !== undefined) kept.push(withCellColumn(frame, cell, cellLabels.get(cell)!));
    else if (/\((node:|<anonymous>)/.test(frame) || /at (node:|<anonymous>)/.test(frame)) continue;
    else {
      const name = /^\s+at (?:async )?(.+?) \(/.exec(frame)?.[1];
      const shown = `    at ${name ?? 'rnn-lab'}${name ? ' (rnn-lab)' : ''}`;
      if (kept[kept.length - 1] !== shown) kept.push(shown);
    }
  }
  return [header, ...kept].join('\n');
}

/** `at f (Cell 3:4:17)` → `at f (Cell 3:4:9)`: the frame's column as the learner wrote it. */
function withCellColumn(frame: string, cell: string, cellColumn: ColumnMapper): string {
  return frame.replace(new RegExp(`${escapeRegExp(cell)}:(\\d+):(\\d+)`), (_match, line: string, column: string) => `${cell}:${line}:${cellColumn(Number(line), Number(column))}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isErrorLike(value: unknown): value is { stack?: unknown; name?: unknown; message: string } {
  return !!value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string';
}

/**
 * `import { exported as local } from 'rnn-lab'` in a cell. A name the module does not have (a type such as Tensor,
 * which exists only for the type checker, or a misspelling) is defined lazily: reading it says what is wrong.
 */
function defineImport(namespace: object, local: string, exported: string, lab: LabModule): void {
  if (Object.prototype.hasOwnProperty.call(lab, exported)) {
    Object.defineProperty(namespace, local, { value: lab[exported], writable: true, enumerable: true, configurable: true });
    return;
  }
  Object.defineProperty(namespace, local, {
    get: () => { throw noSuchExport(exported); },
    // A later cell's `const local = …` replaces it with an ordinary value.
    set: (value: unknown) => Object.defineProperty(namespace, local, { value, writable: true, enumerable: true, configurable: true }),
    enumerable: false,
    configurable: true,
  });
}

function noSuchExport(name: string): Error {
  return new ReferenceError(`'${LAB_MODULE}' has no value named '${name}' (a type such as Tensor can only be used in type annotations)`);
}

function isToKernel(message: unknown): message is ToKernel {
  if (!message || typeof message !== 'object') return false;
  const candidate = message as Record<string, unknown>;
  switch (candidate.type) {
    case 'interrupt': return true;
    case 'run': return typeof candidate.id === 'number' && typeof candidate.code === 'string' && typeof candidate.label === 'string';
    case 'check': return typeof candidate.id === 'number' && Array.isArray(candidate.checks) && Number.isInteger(candidate.seed);
    case 'call': return typeof candidate.id === 'number' && typeof candidate.name === 'string' && Array.isArray(candidate.args);
    case 'read': return typeof candidate.id === 'number' && typeof candidate.name === 'string';
    default: return false;
  }
}
