// Grading layer: an assignment's `assignment.json` read and checked against schemas/assignment.schema.json — the
// schema holds every bound and default, this file enforces them and names the field in each problem:
// `assignment.json: limits.memoryMB must be a number between 64 and 8192, got "lots"`.
import assignmentSchema from '../../schemas/assignment.schema.json';

export const ASSIGNMENT_CONFIG_FILE = 'assignment.json';

export interface AssignmentLimits {
  /** Wall-clock seconds one check may take. */
  readonly checkSeconds: number;
  /** Wall-clock seconds all the checks of one submission may take together. */
  readonly submissionSeconds: number;
  /** Memory, in MB, of the process that runs a student's code. */
  readonly memoryMB: number;
}

export interface AssignmentConfig {
  readonly title: string;
  /** The seed of anything random while grading. */
  readonly seed: number;
  readonly limits: AssignmentLimits;
  /** Text shown to students; empty when not given. */
  readonly due: string;
  /** Text shown to students; empty when not given. */
  readonly latePolicy: string;
  /** The lesson files named in the config, in order; undefined: every *.lesson.md of the folder, in name order. */
  readonly lessons?: readonly string[];
}

export type AssignmentConfigResult =
  | { readonly ok: true; readonly config: AssignmentConfig }
  | { readonly ok: false; readonly problems: readonly string[] };

/** The subset of JSON Schema assignment.schema.json uses; any other keyword there is refused (see {@link schemaProblems}). */
interface Schema {
  readonly type?: 'object' | 'array' | 'string' | 'number' | 'integer';
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: boolean;
  readonly items?: Schema;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
  readonly description?: string;
}

const KNOWN_KEYWORDS = new Set(['type', 'required', 'properties', 'additionalProperties', 'items', 'minItems', 'minLength', 'pattern',
  'minimum', 'maximum', 'default', 'description', 'title', '$schema', '$id']);

const SCHEMA = assignmentSchema as unknown as Schema;

/** What a pattern means, in words, by the field it is on (a path with `[]` for any list item). */
const PATTERN_MEANING: Readonly<Record<string, string>> = {
  'lessons[]': 'the name of a file in this folder ending in .lesson.md (no folder part)',
};

/** The limits when assignment.json gives none: the schema's defaults. */
export const DEFAULT_LIMITS: AssignmentLimits = {
  checkSeconds: defaultOf('limits', 'checkSeconds') as number,
  submissionSeconds: defaultOf('limits', 'submissionSeconds') as number,
  memoryMB: defaultOf('limits', 'memoryMB') as number,
};

/** Reads the text of an assignment.json; every problem found is listed, each naming its field. */
export function parseAssignmentConfig(text: string): AssignmentConfigResult {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, problems: [`${ASSIGNMENT_CONFIG_FILE} is not valid JSON: ${(error as Error).message}`] };
  }
  const problems = schemaProblems(value, SCHEMA, []).map((problem) => `${ASSIGNMENT_CONFIG_FILE}: ${problem}`);
  if (problems.length > 0) return { ok: false, problems };
  const record = value as Record<string, unknown>;
  const limits = (own(record, 'limits') ? record.limits : {}) as Record<string, unknown>;
  const limit = (key: keyof AssignmentLimits): number => (own(limits, key) ? limits[key] as number : DEFAULT_LIMITS[key]);
  const config: AssignmentConfig = {
    title: record.title as string,
    seed: own(record, 'seed') ? record.seed as number : defaultOf('seed') as number,
    limits: { checkSeconds: limit('checkSeconds'), submissionSeconds: limit('submissionSeconds'), memoryMB: limit('memoryMB') },
    due: own(record, 'due') ? record.due as string : defaultOf('due') as string,
    latePolicy: own(record, 'latePolicy') ? record.latePolicy as string : defaultOf('latePolicy') as string,
    ...(own(record, 'lessons') ? { lessons: record.lessons as string[] } : {}),
  };
  return { ok: true, config };
}

function schemaProblems(value: unknown, schema: Schema, path: readonly (string | number)[]): string[] {
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN_KEYWORDS.has(keyword)) throw new Error(`assignment.schema.json uses "${keyword}", which the assignment config loader does not implement`);
  }
  const name = path.length === 0 ? 'the file' : pathText(path);
  const got = `got ${shown(value)}`;
  switch (schema.type) {
    case 'number':
    case 'integer': {
      const whole = schema.type === 'integer';
      const inRange = typeof value === 'number' && Number.isFinite(value) && (!whole || Number.isInteger(value))
        && (schema.minimum === undefined || value >= schema.minimum) && (schema.maximum === undefined || value <= schema.maximum);
      if (inRange) return [];
      const range = schema.minimum !== undefined && schema.maximum !== undefined ? ` between ${schema.minimum} and ${schema.maximum}`
        : schema.minimum !== undefined ? ` of at least ${schema.minimum}` : '';
      return [`${name} must be ${whole ? 'a whole number' : 'a number'}${range}, ${got}`];
    }
    case 'string': {
      if (typeof value !== 'string') return [`${name} must be text in quotes, ${got}`];
      if (schema.minLength !== undefined && [...value].length < schema.minLength) return [`${name} must not be empty`];
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
        return [`${name} must be ${PATTERN_MEANING[patternKey(path)] ?? `text matching ${schema.pattern}`}, ${got}`];
      }
      return [];
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${name} must be a list [ … ], ${got}`];
      const problems: string[] = [];
      if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${name} must list at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
      if (schema.items) value.forEach((item, index) => problems.push(...schemaProblems(item, schema.items!, [...path, index])));
      return problems;
    }
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${name} must be an object { … }, ${got}`];
      const record = value as Record<string, unknown>;
      const properties = schema.properties ?? {};
      const problems: string[] = [];
      for (const key of schema.required ?? []) {
        if (!own(record, key)) problems.push(`${pathText([...path, key])} is missing: ${properties[key]?.description ?? 'add it'}`);
      }
      for (const key of Object.keys(record)) {
        if (own(properties, key)) problems.push(...schemaProblems(record[key], properties[key], [...path, key]));
        else if (schema.additionalProperties === false) {
          const known = Object.keys(properties).filter((property) => property !== '$schema');
          problems.push(`${pathText([...path, key])} is not a known field (the fields${path.length === 0 ? '' : ` of ${pathText(path)}`} are ${known.join(', ')})`);
        }
      }
      return problems;
    }
    default:
      return [];
  }
}

/** `limits.memoryMB`, `lessons[2]`. */
function pathText(path: readonly (string | number)[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

/** `lessons[]` for `lessons[2]`: the key of {@link PATTERN_MEANING}. */
function patternKey(path: readonly (string | number)[]): string {
  return pathText(path.map((part) => (typeof part === 'number' ? -1 : part))).replace(/\[-1\]/g, '[]');
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

function own(record: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

function defaultOf(...path: string[]): unknown {
  let schema: Schema | undefined = SCHEMA;
  for (const key of path) schema = schema?.properties?.[key];
  if (schema?.default === undefined) throw new Error(`assignment.schema.json gives no default for ${path.join('.')}`);
  return schema.default;
}
