/**
 * Turns one ajv error into one {@link Issue} a person can act on: the dotted path of the thing concerned, the
 * offending value, what is expected, and a "did you mean" where a typo is likely. Names that fail their pattern
 * are explained with the rules of names.ts (and the first offending character).
 */
import type { ErrorObject } from 'ajv';
import { formatPath, issueAt, showValue, type Issue, type Path } from './issue.js';
import { lengthProblem, patternProblem, ruleForSchema } from './names.js';
import { closest } from './suggest.js';

type SchemaNode = Record<string, unknown>;

/** The data path of an ajv instance path (`/spec/fields/0` → `['spec', 'fields', 0]`). */
export function toPath(instancePath: string): Path {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** The issue for one ajv error (which must come from a `verbose: true` validator). */
export function shapeError(e: ErrorObject): Issue {
  const base = toPath(e.instancePath);
  const schema = (e.parentSchema ?? {}) as SchemaNode;
  const custom = typeof schema.errorMessage === 'string' ? schema.errorMessage : undefined;
  if (e.propertyName !== undefined) return propertyNameIssue(e, [...base, e.propertyName]);
  const p = formatPath(base);
  const v = showValue(e.data);
  switch (e.keyword) {
    case 'required':
      return requiredIssue(base, String(e.params.missingProperty), schema, custom);
    case 'additionalProperties':
      return unknownPropertyIssue(base, String(e.params.additionalProperty), schema);
    case 'type':
      return issueAt(base, typeMessage(base, String(e.params.type), e.data));
    case 'const':
      return issueAt(base, `${p} ${v} ${custom ?? `must be ${showValue(e.params.allowedValue)}`}`);
    case 'enum':
      return issueAt(base, enumMessage(p, e.data, e.params.allowedValues as unknown[], custom));
    case 'pattern':
      return issueAt(base, `${p} ${v} ${patternMessage(schema, String(e.data))}`);
    case 'maxLength':
      return issueAt(base, `${p} ${v} ${maxLengthMessage(schema, String(e.data), Number(e.params.limit))}`);
    case 'minLength':
      return issueAt(base, `${p} must not be empty`);
    case 'minimum':
    case 'maximum':
      return issueAt(base, `${p} ${v} ${rangeMessage(schema)}`);
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return issueAt(base, `${p} ${countMessage(e, custom)}`);
    case 'not':
      return issueAt(base, `${p} ${custom ?? 'is not allowed here'}`, 'key');
    default:
      return issueAt(base, `${p} ${e.message ?? 'is invalid'}`);
  }
}

/** Too few or too many list items or mapping entries. */
function countMessage(e: ErrorObject, custom: string | undefined): string {
  const limit = String(e.params.limit);
  if (custom) return custom;
  if (e.keyword === 'minItems') return `must have at least ${limit} item(s)`;
  if (e.keyword === 'maxItems')
    return `has ${(e.data as unknown[]).length} items; at most ${limit} are allowed`;
  return e.message ?? 'is invalid';
}

function requiredIssue(base: Path, missing: string, schema: SchemaNode, custom: string | undefined): Issue {
  if (custom) return issueAt(base, `${formatPath([...base, missing])} ${custom}`, 'key');
  const only = ((schema.properties ?? {}) as Record<string, SchemaNode>)[missing]?.const;
  const hint = only === undefined ? '' : ` (${missing}: ${String(only)})`;
  return issueAt(base, `${formatPath(base)}: missing required property '${missing}'${hint}`, 'key');
}

function unknownPropertyIssue(base: Path, name: string, schema: SchemaNode): Issue {
  const known = Object.keys((schema.properties ?? {}) as SchemaNode);
  const guess = closest(name, known);
  const hint = guess
    ? ` — did you mean '${guess}'?`
    : known.length <= 10
      ? ` (expected one of: ${known.join(', ')})`
      : '';
  return issueAt([...base, name], `${formatPath(base)}: unknown property '${name}'${hint}`, 'key');
}

function propertyNameIssue(e: ErrorObject, at: Path): Issue {
  const key = String(e.propertyName);
  const schema = (e.parentSchema ?? {}) as SchemaNode;
  const rule = ruleForSchema(schema.pattern, schema.maxLength);
  const problem =
    rule === undefined
      ? (e.message ?? 'is invalid')
      : e.keyword === 'maxLength'
        ? lengthProblem(rule, key)
        : patternProblem(rule, key);
  return issueAt(at, `${formatPath(at.slice(0, -1))} key ${JSON.stringify(key)} ${problem}`, 'key');
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function typeMessage(base: Path, types: string, data: unknown): string {
  if (base.length === 0) {
    return `manifest must be a mapping with apiVersion, kind, metadata and spec (got ${showValue(data)})`;
  }
  const expected = types
    .split(',')
    .map((t) => TYPE_NAMES[t] ?? t)
    .join(' or ');
  return `${formatPath(base)} must be ${expected} (got ${showValue(data)})`;
}

/** `custom` (the schema's errorMessage) completes the list of values, e.g. `or a mapping …`. */
function enumMessage(p: string, data: unknown, allowed: unknown[], custom: string | undefined): string {
  const values = allowed
    .filter((a, i) => allowed.findIndex((b) => String(b) === String(a)) === i)
    .map(String);
  const guess = typeof data === 'string' ? closest(data, values) : undefined;
  const more = custom ? `, ${custom}` : '';
  return `${p} ${showValue(data)} must be one of: ${values.join(', ')}${more}${guess ? ` — did you mean '${guess}'?` : ''}`;
}

function patternMessage(schema: SchemaNode, value: string): string {
  const rule = ruleForSchema(schema.pattern, schema.maxLength);
  const custom = schema.patternErrorMessage;
  // A rule's problem names the offending character; a custom message may add a way out after the rule's hint.
  if (rule) {
    const more =
      typeof custom === 'string' && custom.startsWith(rule.hint) ? custom.slice(rule.hint.length) : '';
    return `${patternProblem(rule, value)}${more}`;
  }
  return typeof custom === 'string' ? custom : `must match ${String(schema.pattern)}`;
}

function maxLengthMessage(schema: SchemaNode, value: string, limit: number): string {
  const rule = ruleForSchema(schema.pattern, schema.maxLength);
  return rule
    ? lengthProblem(rule, value)
    : `is ${value.length} characters long; at most ${limit} are allowed`;
}

function rangeMessage(schema: SchemaNode): string {
  const { minimum: min, maximum: max } = schema;
  if (typeof min === 'number' && typeof max === 'number') return `must be between ${min} and ${max}`;
  return typeof min === 'number' ? `must be at least ${min}` : `must be at most ${String(max)}`;
}
