// Kernel layer: values as text, the way a learner expects to read them — Node's util.inspect style for JavaScript
// values and numpy's print style for tensors (with their shape). Pure (no `node:util`), so it also runs in a browser.

/** How deep objects and arrays are expanded before they print as [Object] / [Array] (util.inspect's default). */
const MAX_DEPTH = 2;
/** Array items and object entries shown before "... N more items" (util.inspect's default). */
const MAX_ITEMS = 100;
/** util.inspect's breakLength: longer output breaks into one entry (or one row of a grouped array) per line. */
const BREAK_LENGTH = 80;

/** numpy's print options: precision 8, summarise above 1000 elements with 3 at each edge, lines of 75 characters. */
const NUMPY_PRECISION = 8;
const NUMPY_THRESHOLD = 1000;
const NUMPY_EDGE_ITEMS = 3;
const NUMPY_LINE_WIDTH = 75;

/** Node's util.inspect.custom, a registry symbol (the same in every realm and in browsers). */
const INSPECT_CUSTOM = Symbol.for('nodejs.util.inspect.custom');

interface TensorLike {
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array;
}

/** An engine tensor: `{ shape, data }` with a float array whose length is the shape's product. */
export function isTensor(value: unknown): value is TensorLike {
  if (!value || typeof value !== 'object') return false;
  const { shape, data } = value as { shape?: unknown; data?: unknown };
  if (!Array.isArray(shape) || !shape.every((dim) => Number.isInteger(dim) && dim >= 0)) return false;
  if (!(data instanceof Float64Array) && !(data instanceof Float32Array)) return false;
  return shape.reduce((size: number, dim: number) => size * dim, 1) === data.length;
}

/** A shape in numpy's notation: (5, 10), (3,), (). */
export function formatShapeTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** A value as the last expression of a cell shows it (strings quoted, as Node's REPL does). */
export function formatValue(value: unknown): string {
  return inspectValue(value, 0, new Set(), '');
}

/** console.log's arguments as one line: strings as they are, other values inspected; %s %d %i %f %j %o %O %% as util.format. */
export function formatLogArguments(args: readonly unknown[]): string {
  const rest = [...args];
  let head = '';
  if (typeof rest[0] === 'string' && rest.length > 1 && /%[sdifjoO%c]/.test(rest[0])) {
    const template = rest.shift() as string;
    head = template.replace(/%([sdifjoO%c])/g, (match, letter: string) => {
      if (letter === '%') return '%';
      if (rest.length === 0) return match;
      const argument = rest.shift();
      switch (letter) {
        case 's': return typeof argument === 'string' ? argument : inspectValue(argument, 1, new Set(), '');
        case 'd': case 'i': {
          const number = Number(argument);
          return String(letter === 'i' ? Math.trunc(number) : number);
        }
        case 'f': return String(Number(argument));
        case 'j': try { return JSON.stringify(argument); } catch { return '[Circular]'; }
        case 'c': return '';
        default: return formatValue(argument);
      }
    });
    if (rest.length === 0) return head;
  }
  const pieces = rest.map((argument) => (typeof argument === 'string' ? argument : formatValue(argument)));
  return head ? [head, ...pieces].join(' ') : pieces.join(' ');
}

function inspectValue(value: unknown, depth: number, seen: Set<object>, indent: string): string {
  switch (typeof value) {
    case 'string': return quote(value);
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint': return `${value}n`;
    case 'boolean': case 'undefined': return String(value);
    case 'symbol': return value.toString();
    case 'function': return formatFunction(value);
  }
  if (value === null) return 'null';
  const object = value as object;
  if (isTensor(object)) return formatTensor(object).split('\n').join(`\n${indent}`);
  if (seen.has(object)) return '[Circular]';
  const custom = (object as { [INSPECT_CUSTOM]?: unknown })[INSPECT_CUSTOM];
  if (typeof custom === 'function') {
    // An object that says how it prints (Node's convention, e.g. a training run that holds a whole model).
    const shown: unknown = custom.call(object, MAX_DEPTH - depth, {}, formatValue);
    if (typeof shown === 'string') return shown.split('\n').join(`\n${indent}`);
    if (shown !== object) return inspectValue(shown, depth, seen, indent);
  }
  // Tags, not instanceof: a cell's values come from the kernel's vm context, whose built-ins are not this realm's.
  const tag = Object.prototype.toString.call(object).slice(8, -1);
  if (tag === 'Date') return Number.isNaN((object as Date).getTime()) ? 'Invalid Date' : (object as Date).toISOString();
  if (tag === 'RegExp') return String(object);
  if (tag === 'Error') return (String((object as Error).stack ?? '') || `${(object as Error).name}: ${(object as Error).message}`).split('\n').join(`\n${indent}`);
  if (tag === 'Promise') return 'Promise { … }';
  if (tag === 'WeakMap' || tag === 'WeakSet') return `${tag} { <items unknown> }`;
  const isMap = tag === 'Map';
  const isSet = tag === 'Set';

  const isArray = Array.isArray(object);
  if (depth > MAX_DEPTH) return isArray ? '[Array]' : `[${constructorName(object) ?? 'Object'}]`;
  seen.add(object);
  try {
    const inner = `${indent}  `;
    const entries: string[] = [];
    let prefix = '';
    let open = '{';
    let close = '}';
    if (isArray || ArrayBuffer.isView(object)) {
      const items = object as ArrayLike<unknown>;
      if (!isArray) prefix = `${constructorName(object)}(${items.length}) `;
      else if (constructorName(object) !== 'Array') prefix = `${constructorName(object)}(${items.length}) `;
      open = '[';
      close = ']';
      const shown = Math.min(items.length, MAX_ITEMS);
      for (let i = 0; i < shown; i++) entries.push(i in (items as object) ? inspectValue(items[i], depth + 1, seen, inner) : '<empty item>');
      if (items.length > shown) entries.push(`... ${items.length - shown} more item${items.length - shown === 1 ? '' : 's'}`);
    } else if (isMap) {
      prefix = `Map(${(object as Map<unknown, unknown>).size}) `;
      for (const [key, item] of object as Map<unknown, unknown>) {
        if (entries.length === MAX_ITEMS) break;
        entries.push(`${inspectValue(key, depth + 1, seen, inner)} => ${inspectValue(item, depth + 1, seen, inner)}`);
      }
    } else if (isSet) {
      prefix = `Set(${(object as Set<unknown>).size}) `;
      for (const item of object as Set<unknown>) {
        if (entries.length === MAX_ITEMS) break;
        entries.push(inspectValue(item, depth + 1, seen, inner));
      }
    } else {
      const name = constructorName(object);
      if (name === undefined) prefix = '[Object: null prototype] ';
      else if (name !== 'Object') prefix = `${name} `;
    }
    if (!isMap && !isSet) {
      const keys = Reflect.ownKeys(object).filter((key) => {
        if (isArray || ArrayBuffer.isView(object)) return typeof key !== 'string' || !/^(0|[1-9]\d*)$/.test(key);
        return true;
      });
      for (const key of keys) {
        const descriptor = Object.getOwnPropertyDescriptor(object, key);
        if (!descriptor || !descriptor.enumerable || (isArray && key === 'length')) continue;
        // Getters are never called: reading a value must not run a learner's code or a lazy import.
        const shown = 'value' in descriptor ? inspectValue(descriptor.value, depth + 1, seen, inner) : descriptor.set ? '[Getter/Setter]' : '[Getter]';
        entries.push(`${formatKey(key)}: ${shown}`);
      }
    }
    if (entries.length === 0) return `${prefix}${open}${close}`;
    let lines: readonly string[] = entries;
    if ((isArray || ArrayBuffer.isView(object)) && entries.length > 6) {
      const items = object as ArrayLike<unknown>;
      const numeric = Array.from({ length: Math.min(items.length, MAX_ITEMS) }, (_, i) => items[i]).every((item) => typeof item === 'number' || typeof item === 'bigint');
      lines = groupArrayElements(entries, indent.length, numeric, items.length > MAX_ITEMS);
    }
    if (lines === entries) {
      // util.inspect's test: the entries, two characters each between them, the braces and 10 more fit in 80.
      const total = entries.reduce((sum, entry) => sum + entry.length, 0) + 2 * entries.length + indent.length + prefix.length + open.length + 10;
      const joined = entries.join(', ');
      if (total <= BREAK_LENGTH && !joined.includes('\n')) return `${prefix}${open} ${joined} ${close}`;
    }
    return `${prefix}${open}\n${lines.map((line) => `${inner}${line}`).join(',\n')}\n${indent}${close}`;
  } finally {
    seen.delete(object);
  }
}

/**
 * util.inspect's groupArrayElements: more than 6 short entries are set in aligned columns (numbers right-aligned),
 * about as many columns as make a square block, at most 15 and within 80 characters.
 */
function groupArrayElements(entries: readonly string[], indentation: number, numeric: boolean, hasMoreItems: boolean): readonly string[] {
  const separatorSpace = 2;
  const count = hasMoreItems ? entries.length - 1 : entries.length;
  const lengths = entries.slice(0, count).map((entry) => entry.length);
  const totalLength = lengths.reduce((sum, length) => sum + length + separatorSpace, 0);
  const maxLength = Math.max(...lengths);
  const actualMax = maxLength + separatorSpace;
  if (!(actualMax * 3 + indentation < BREAK_LENGTH && (totalLength / actualMax > 5 || maxLength <= 6))) return entries;
  const averageBias = Math.sqrt(actualMax - totalLength / entries.length);
  const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
  const columns = Math.min(
    Math.round(Math.sqrt(2.5 * biasedMax * count) / biasedMax),
    Math.floor((BREAK_LENGTH - indentation) / actualMax),
    12,
    15,
  );
  if (columns <= 1) return entries;
  const columnWidths: number[] = [];
  for (let column = 0; column < columns; column++) {
    let width = 0;
    for (let j = column; j < count; j += columns) width = Math.max(width, lengths[j]);
    columnWidths.push(width + separatorSpace);
  }
  const rows: string[] = [];
  for (let i = 0; i < count; i += columns) {
    const end = Math.min(i + columns, count);
    let row = '';
    for (let j = i; j < end - 1; j++) row += numeric ? `${entries[j]}, `.padStart(columnWidths[j - i]) : `${entries[j]}, `.padEnd(columnWidths[j - i]);
    row += numeric ? entries[end - 1].padStart(columnWidths[end - 1 - i] - separatorSpace) : entries[end - 1];
    rows.push(row);
  }
  if (hasMoreItems) rows.push(entries[entries.length - 1]);
  return rows;
}

function constructorName(object: object): string | undefined {
  const prototype = Object.getPrototypeOf(object);
  if (prototype === null) return undefined;
  const name = prototype?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'Object';
}

function formatFunction(fn: Function): string {
  const source = Function.prototype.toString.call(fn);
  if (/^class[\s{]/.test(source)) return `[class ${fn.name || '(anonymous)'}]`;
  return fn.name ? `[Function: ${fn.name}]` : '[Function (anonymous)]';
}

function formatKey(key: string | symbol): string {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

function quote(text: string): string {
  const escaped = text.replace(/[\\\n\r\t\x00-\x1f]/g, (character) => {
    switch (character) {
      case '\\': return '\\\\';
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
    }
  });
  if (!escaped.includes("'")) return `'${escaped}'`;
  if (!escaped.includes('"')) return `"${escaped}"`;
  return `'${escaped.replace(/'/g, "\\'")}'`;
}

/**
 * A tensor as numpy prints it, after a line with its shape:
 *   shape (2, 3)
 *   [[ 1.62434536 -0.61175641 -0.52817175]
 *    [-1.07296862  0.86540763 -2.3015387 ]]
 * Reference note: numpy's own rules (precision 8, trailing zeros trimmed, columns aligned on the decimal point,
 * scientific notation when the values span more than 1e3 or go below 1e-4 or above 1e8, summarised with "..."
 * above 1000 elements, lines of 75 characters), so printed values compare directly with the course's notebooks.
 */
export function formatTensor(tensor: TensorLike): string {
  const header = `shape ${formatShapeTuple(tensor.shape)}`;
  if (tensor.shape.length === 0) return `${header}\n${formatFloats([tensor.data[0]])[0]}`;
  const summarise = tensor.data.length > NUMPY_THRESHOLD;
  const shown = summarise ? summarisedValues(tensor) : Array.from(tensor.data);
  const formatted = formatFloats(shown);
  const width = Math.max(0, ...formatted.map((text) => text.length));
  let cursor = 0;
  const next = (): string => formatted[cursor++];

  const indices = (length: number): (number | null)[] =>
    summarise && length > 2 * NUMPY_EDGE_ITEMS
      ? [...Array.from({ length: NUMPY_EDGE_ITEMS }, (_, i) => i), null, ...Array.from({ length: NUMPY_EDGE_ITEMS }, (_, i) => length - NUMPY_EDGE_ITEMS + i)]
      : Array.from({ length }, (_, i) => i);

  const render = (axis: number, indent: string): string => {
    const last = axis === tensor.shape.length - 1;
    const items = indices(tensor.shape[axis]);
    if (last) {
      const words = items.map((index) => (index === null ? '...' : next().padStart(width)));
      const lines: string[] = [];
      let line = '';
      for (const word of words) {
        const candidate = line === '' ? word : `${line} ${word}`;
        if (line !== '' && indent.length + candidate.length + 2 > NUMPY_LINE_WIDTH) {
          lines.push(line.trimEnd());
          line = word;
        } else line = candidate;
      }
      lines.push(line);
      return `[${lines.join(`\n${indent} `)}]`;
    }
    const separator = `\n${'\n'.repeat(tensor.shape.length - axis - 2)}${indent} `;
    const parts = items.map((index) => (index === null ? '...' : render(axis + 1, `${indent} `)));
    return `[${parts.join(separator)}]`;
  };
  return `${header}\n${render(0, '')}`;
}

/** The values numpy shows of a large tensor: the first and last few along every axis, in print order. */
function summarisedValues(tensor: TensorLike): number[] {
  const values: number[] = [];
  const visit = (axis: number, offset: number): void => {
    const length = tensor.shape[axis];
    const stride = tensor.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const chosen = length > 2 * NUMPY_EDGE_ITEMS
      ? [...Array.from({ length: NUMPY_EDGE_ITEMS }, (_, i) => i), ...Array.from({ length: NUMPY_EDGE_ITEMS }, (_, i) => length - NUMPY_EDGE_ITEMS + i)]
      : Array.from({ length }, (_, i) => i);
    for (const index of chosen) {
      if (axis === tensor.shape.length - 1) values.push(tensor.data[offset + index]);
      else visit(axis + 1, offset + index * stride);
    }
  };
  visit(0, 0);
  return values;
}

/** numpy's FloatingFormat (floatmode 'maxprec'): one shared layout for all values, aligned on the decimal point. */
export function formatFloats(values: readonly number[]): string[] {
  const finite = values.filter((value) => Number.isFinite(value)).map(Math.abs);
  const nonZero = finite.filter((value) => value !== 0);
  const maximum = finite.length > 0 ? Math.max(...finite) : 0;
  const minimum = nonZero.length > 0 ? Math.min(...nonZero) : 0;
  const scientific = maximum >= 1e8 || (nonZero.length > 0 && (minimum < 1e-4 || maximum / minimum > 1e3));
  const pieces = values.map((value) => {
    if (Number.isNaN(value)) return { whole: 'nan', fraction: '', exponent: '' };
    if (!Number.isFinite(value)) return { whole: value < 0 ? '-inf' : 'inf', fraction: '', exponent: '' };
    if (scientific) {
      const [mantissa, exponent] = value.toExponential(NUMPY_PRECISION).split('e');
      const [whole, fraction] = mantissa.split('.');
      const sign = exponent.startsWith('-') ? '-' : '+';
      return { whole: `${whole}.`, fraction: fraction.replace(/0+$/, ''), exponent: `e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}` };
    }
    const [whole, fraction] = value.toFixed(NUMPY_PRECISION).split('.');
    return { whole: `${Object.is(value, -0) || (value < 0 && whole === '0') ? '-' : ''}${whole}.`, fraction: fraction.replace(/0+$/, ''), exponent: '' };
  });
  const numbers = pieces.filter((piece) => piece.whole.endsWith('.'));
  const fractionWidth = Math.max(0, ...numbers.map((piece) => piece.fraction.length));
  const exponentWidth = Math.max(0, ...numbers.map((piece) => piece.exponent.length));
  // nan and inf are right-aligned to the numbers' full width, which widens the whole part if needed (numpy's pad_left).
  const wholeWidth = Math.max(
    ...numbers.map((piece) => piece.whole.length),
    ...pieces.filter((piece) => !piece.whole.endsWith('.')).map((piece) => piece.whole.length - fractionWidth - exponentWidth),
  );
  return pieces.map((piece) => {
    if (!piece.whole.endsWith('.')) return piece.whole.padStart(wholeWidth + fractionWidth + exponentWidth);
    // Scientific mantissas are padded with zeros (1.0e+09), positional fractions with spaces (1.  2.5).
    const fraction = scientific ? piece.fraction.padEnd(fractionWidth, '0') : piece.fraction.padEnd(fractionWidth);
    return `${piece.whole.padStart(wholeWidth)}${fraction}${piece.exponent}`;
  });
}
