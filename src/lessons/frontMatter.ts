// Lessons layer: a lesson's front matter — the YAML between the `---` lines at the top of the file — read and checked
// against schemas/lesson.schema.json, with each problem on the file line of the field it names. Pure.
import { LineCounter, parseDocument } from 'yaml';
import lessonSchema from '../../schemas/lesson.schema.json';
import type { LessonFrontMatter, LessonProblem } from './lesson';

export type FrontMatterResult =
  | { readonly ok: true; readonly frontMatter: LessonFrontMatter }
  | { readonly ok: false; readonly problems: readonly LessonProblem[] };

/**
 * Reads the YAML text between the front matter's `---` lines. `firstLine` is the file line (1-based) of the YAML's first
 * line, so that every problem names a line of the file. Keys the schema does not list are kept as written.
 */
export function parseFrontMatter(yamlText: string, firstLine: number): FrontMatterResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter, prettyErrors: true });
  const fileLine = (offset: number): number => lineCounter.linePos(offset).line + firstLine - 1;
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        line: (error.linePos?.[0].line ?? 1) + firstLine - 1,
        message: `the front matter is not valid YAML: ${error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '')}`,
      })),
    };
  }
  let value: unknown;
  try {
    value = document.toJS();
  } catch (error) {
    return { ok: false, problems: [{ line: firstLine, message: `the front matter is not valid YAML: ${(error as Error).message}` }] };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      problems: [{ line: firstLine, message: 'the front matter must be "key: value" lines (id, title, order, goals, minutes)' }],
    };
  }
  const problems = validateAgainstSchema(value, lessonSchema as JsonSchema).map((error) => {
    const node = error.path.length === 0 ? undefined : document.getIn(error.path, true) as { range?: [number, number, number] } | undefined;
    return { line: node?.range ? fileLine(node.range[0]) : firstLine - 1, message: error.message };
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, frontMatter: value as LessonFrontMatter };
}

/** The subset of JSON Schema (draft 7) that lesson.schema.json uses; {@link validateAgainstSchema} refuses any other keyword. */
export interface JsonSchema {
  readonly type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  readonly required?: readonly string[];
  readonly properties?: { readonly [key: string]: JsonSchema };
  readonly additionalProperties?: boolean;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly description?: string;
  readonly title?: string;
  readonly $schema?: string;
  readonly $id?: string;
}

const KNOWN_KEYWORDS = new Set(['type', 'required', 'properties', 'additionalProperties', 'items', 'minItems', 'minLength', 'pattern',
  'minimum', 'exclusiveMinimum', 'description', 'title', '$schema', '$id']);

export interface SchemaError {
  /** Where in the value: `['goals', 1]`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Checks a value against a schema of the keywords above, naming the field in each error:
 * `"minutes" must be greater than 0, not -5`. A schema using another keyword throws, so the schema file cannot
 * promise a rule this validator does not enforce.
 */
export function validateAgainstSchema(value: unknown, schema: JsonSchema, path: readonly (string | number)[] = []): SchemaError[] {
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN_KEYWORDS.has(keyword)) throw new Error(`lesson.schema.json uses "${keyword}", which the front matter validator does not implement`);
  }
  const name = path.length === 0 ? 'the front matter' : `"${formatPath(path)}"`;
  const explain = schema.description ? ` (${schema.description})` : '';
  const errors: SchemaError[] = [];
  if (schema.type && !hasType(value, schema.type)) {
    return [{ path, message: `${name} must be ${article(schema.type)}, not ${describe(value)}${explain}` }];
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) {
      errors.push({ path, message: `${name} must not be empty${explain}` });
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push({ path, message: `${name} is ${JSON.stringify(value)}, which is not allowed${explain}` });
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && !(value >= schema.minimum)) errors.push({ path, message: `${name} must be at least ${schema.minimum}, not ${value}` });
    if (schema.exclusiveMinimum !== undefined && !(value > schema.exclusiveMinimum)) {
      errors.push({ path, message: `${name} must be greater than ${schema.exclusiveMinimum}, not ${value}` });
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errors.push({ path, message: `${name} must list at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}${explain}` });
    }
    if (schema.items) value.forEach((item, index) => errors.push(...validateAgainstSchema(item, schema.items!, [...path, index])));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);
    for (const key of schema.required ?? []) {
      if (!has(key)) {
        const description = schema.properties?.[key]?.description;
        errors.push({ path, message: `the front matter has no "${key}"${description ? `: add ${key}: … (${description})` : ''}` });
      }
    }
    for (const [key, propertySchema] of Object.entries(schema.properties ?? {})) {
      if (has(key)) errors.push(...validateAgainstSchema(record[key], propertySchema, [...path, key]));
    }
    if (schema.additionalProperties === false) {
      for (const key of Object.keys(record)) {
        if (!schema.properties || !Object.prototype.hasOwnProperty.call(schema.properties, key)) {
          errors.push({ path: [...path, key], message: `"${formatPath([...path, key])}" is not a known field` });
        }
      }
    }
  }
  return errors;
}

function hasType(value: unknown, type: NonNullable<JsonSchema['type']>): boolean {
  switch (type) {
    case 'object': return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array': return Array.isArray(value);
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
  }
}

function article(type: string): string {
  return type === 'array' ? 'a list' : type === 'object' ? 'a mapping of keys to values' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : `${value}`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}
