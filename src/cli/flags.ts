// CLI layer: the flag parser every `rnn-lab` command uses — typed flags declared once, parsed strictly, and listed
// with their defaults in `--help`. A flag's name on the command line is its key in kebab case (`clipMode` → `--clip-mode`).

/** A mistake on the command line: printed as one line naming the flag, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A flag that takes a value (`--hidden 64`, `--hidden=64`) or a switch that takes none (`--bidirectional`). */
export interface FlagSpec<T> {
  readonly description: string;
  /** Shown after the flag in `--help` (`--hidden H`); absent for a switch. */
  readonly placeholder?: string;
  readonly defaultValue: T;
  /** How `--help` shows the default; absent means "no default" for an optional flag. */
  readonly defaultText?: string;
  /** Turns the text after the flag into a value; throws an Error whose message completes "--flag …". */
  readonly parse: (text: string) => T;
}

export type FlagSpecs = Record<string, FlagSpec<unknown>>;

export type ParsedFlags<S extends FlagSpecs> = { -readonly [K in keyof S]: S[K] extends FlagSpec<infer T> ? T : never };

/** `clipMode` → `--clip-mode`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

// Value parsers. Each error message continues the flag's name: "--hidden expects a whole number, got 'abc'".

export function wholeNumber(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new Error(`expects a whole number, got '${text}'`);
  return Number(text);
}

export function realNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`expects a number, got '${text}'`);
  return value;
}

export function oneOf<C extends string>(choices: readonly C[]): (text: string) => C {
  return (text) => {
    const match = choices.find((choice) => choice === text);
    if (match === undefined) throw new Error(`must be one of ${choices.join(', ')}; got '${text}'`);
    return match;
  };
}

export function anyText(text: string): string {
  return text;
}

// Flag constructors.

/** A flag with a value and a default. */
export function option<T>(placeholder: string, parse: (text: string) => T, defaultValue: T, description: string): FlagSpec<T> {
  return { description, placeholder, defaultValue, defaultText: String(defaultValue), parse };
}

/** A flag with a value and no fixed default (`undefined` when absent); `defaultText` says what happens then. */
export function optional<T>(placeholder: string, parse: (text: string) => T, description: string, defaultText?: string): FlagSpec<T | undefined> {
  return { description, placeholder, defaultValue: undefined, ...(defaultText !== undefined ? { defaultText } : {}), parse };
}

/** A switch: true when present. */
export function toggle(description: string): FlagSpec<boolean> {
  return { description, defaultValue: false, parse: () => true };
}

/** True when the arguments ask for help (before any `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/**
 * Parses `args` strictly: unknown flags, a flag given twice, a missing or malformed value, and positionals
 * beyond `maxPositionals` are UsageErrors naming the flag. A value may start with '-' (`--lr -1`), so a
 * negative number reaches the range check that explains it; a value that looks like a flag (`--lr --steps`) does not.
 */
export function parseFlags<S extends FlagSpecs>(args: readonly string[], specs: S, maxPositionals = 0): { flags: ParsedFlags<S>; positionals: string[] } {
  const byName = new Map(Object.keys(specs).map((key) => [flagName(key), key]));
  const values: Record<string, unknown> = {};
  const seen = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals >= 0 ? arg.slice(0, equals) : arg;
    const key = byName.get(name);
    if (key === undefined) throw new UsageError(`unknown flag ${name}`);
    if (seen.has(key)) throw new UsageError(`${name} is given twice`);
    seen.add(key);
    const spec = specs[key];
    if (spec.placeholder === undefined) {
      if (equals >= 0) throw new UsageError(`${name} is a switch and takes no value`);
      values[key] = spec.parse('');
      continue;
    }
    let text: string;
    if (equals >= 0) {
      text = arg.slice(equals + 1);
    } else {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${name} needs a value (${name} ${spec.placeholder})`);
      text = next;
      i++;
    }
    try {
      values[key] = spec.parse(text);
    } catch (error) {
      throw new UsageError(`${name} ${(error as Error).message}`);
    }
  }
  if (positionals.length > maxPositionals) {
    throw new UsageError(maxPositionals === 0 ? `unexpected argument '${positionals[0]}'` : `unexpected extra argument '${positionals[maxPositionals]}'`);
  }
  const flags: Record<string, unknown> = {};
  for (const key of Object.keys(specs)) flags[key] = key in values ? values[key] : specs[key].defaultValue;
  return { flags: flags as ParsedFlags<S>, positionals };
}

/** The flag table of `--help`: one line per flag, descriptions aligned, defaults in brackets. */
export function formatFlagHelp(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([key, spec]) => {
    const left = spec.placeholder === undefined ? flagName(key) : `${flagName(key)} ${spec.placeholder}`;
    const fallback = spec.defaultText === undefined ? '' : ` [default: ${spec.defaultText}]`;
    return { left, right: `${spec.description}${fallback}` };
  });
  rows.push({ left: '--help', right: 'Show this help.' });
  const width = Math.max(...rows.map((row) => row.left.length));
  return rows.map((row) => `  ${row.left.padEnd(width)}  ${row.right}`).join('\n');
}
