/**
 * Building blocks of the manifest JSON Schema (schema.ts): names, bounded integers, closed objects, the field
 * definition and the topic configs. Plain JSON values, so the schema can be written to schemas/feed.schema.json.
 *
 * Besides standard draft-07 keywords the schema uses three annotations that editors understand and that the
 * loader turns into messages: `patternErrorMessage`, `errorMessage` (completes `<path> <value> …`) and
 * `defaultDescription` (a default that is derived, e.g. from another field).
 */
import { DECIMAL_MAX_PRECISION, DECIMAL_MAX_SCALE } from './sql-types.js';
import { DEFAULTS, LIMITS } from './defaults.js';
import { NAME_RULES, type NameKind } from './names.js';
import { TOPIC_CONFIGS, type TopicConfig } from './topic-configs.js';

/** A JSON Schema object. */
export type JsonSchema = Record<string, unknown>;

/** Annotation keywords the schema uses beyond draft-07 (registered with ajv as a vocabulary). */
export const ANNOTATIONS = ['patternErrorMessage', 'errorMessage', 'defaultDescription'] as const;

/** Field types of `spec.schema.fields[].type`, in documentation order. */
export const FIELD_TYPES = [
  'string',
  'int',
  'bigint',
  'float',
  'double',
  'decimal',
  'boolean',
  'date',
  'timestamp',
  'json',
] as const;

/** Values of `spec.schema.fields[].collation` (see FieldCollation in types.ts). */
export const FIELD_COLLATIONS = ['exact', 'unicode_ci'] as const;

/** A closed object: unknown properties are errors (they are usually typos). */
export function object(description: string, properties: JsonSchema, required: string[] = []): JsonSchema {
  return {
    type: 'object',
    description,
    additionalProperties: false,
    ...(required.length > 0 ? { required } : {}),
    properties,
  };
}

/** A name of the given kind, with the rule of names.ts. */
export function name(kind: NameKind, description: string, examples: string[]): JsonSchema {
  const rule = NAME_RULES[kind];
  return {
    type: 'string',
    description,
    pattern: rule.pattern.source,
    patternErrorMessage: rule.hint,
    maxLength: rule.maxLength,
    examples,
  };
}

/** An integer within [min, max]. */
export function integer(description: string, range: readonly [number, number], dflt?: number): JsonSchema {
  return {
    type: 'integer',
    description,
    minimum: range[0],
    maximum: range[1],
    ...(dflt === undefined ? {} : { default: dflt }),
  };
}

export function boolean(description: string, dflt: boolean): JsonSchema {
  return { type: 'boolean', description, default: dflt };
}

export function text(description: string, examples: string[]): JsonSchema {
  return { type: 'string', description, examples };
}

/** A property that must not appear (for settings of another field type). */
function onlyFor(type: string): JsonSchema {
  return { not: {}, errorMessage: `is allowed only on ${type} fields` };
}

/** When `type` is (or is not) `value`: `{ if, then }`. */
function whenType(value: string, negate: boolean, then: JsonSchema): JsonSchema {
  const test = negate ? { not: { const: value } } : { const: value };
  return { if: { required: ['type'], properties: { type: test } }, then };
}

/** Longest message property a field may name (the column has its own, shorter limit). */
const PROPERTY_MAX_LENGTH = 255;

/** A field's name that is its column too: the column rule, with the way out for a property that cannot be one. */
function columnName(): JsonSchema {
  const rule = name('column', '', []);
  return {
    pattern: rule.pattern,
    maxLength: rule.maxLength,
    patternErrorMessage: `${NAME_RULES.column.hint}; or keep the property and give the field a column: { name: <property>, column: <column> }`,
  };
}

/** A reference to a field by its `name` (key, event time, snapshot version); the semantic checks resolve it. */
export const FIELD_REF = { minLength: 1, maxLength: PROPERTY_MAX_LENGTH } as const;

/** One entry of `spec.schema.fields`. */
export function fieldSchema(): JsonSchema {
  const base = object(
    'A typed field of the message; it becomes a warehouse column and a Parquet column.',
    fieldProperties(),
    ['name', 'type'],
  );
  return {
    ...base,
    allOf: [
      // Without a `column`, the name is the column too, with the column rule.
      { if: { not: { required: ['column'] } }, then: { properties: { name: columnName() } } },
      whenType('decimal', false, { required: ['precision'], errorMessage: 'is required for decimal fields' }),
      whenType('string', true, {
        properties: { maxLength: onlyFor('string'), collation: onlyFor('string') },
      }),
      whenType('decimal', true, { properties: { precision: onlyFor('decimal'), scale: onlyFor('decimal') } }),
    ],
  };
}

function fieldProperties(): JsonSchema {
  return {
    name: {
      type: 'string',
      description:
        "The message's JSON property; also the field's column unless `column` is set, and then a column name " +
        '(lower-case letters, digits, underscores). Key, event time and snapshot version name fields by it.',
      minLength: 1,
      maxLength: PROPERTY_MAX_LENGTH,
      examples: ['customer_id'],
    },
    column: {
      ...name('column', 'The warehouse and lake column, when the property cannot be one.', ['source_id']),
      defaultDescription:
        '`name`. Set it when the property is a column feedctl adds (`id`, `created_at`…), a MySQL reserved ' +
        'word or not a lower-case identifier: `{ name: id, column: source_id }`',
    },
    type: { type: 'string', description: 'Field type.', enum: [...FIELD_TYPES], examples: ['string'] },
    maxLength: {
      ...integer(
        'Strings only: maximum length in characters; unset means unbounded (MEDIUMTEXT).',
        LIMITS.maxLength,
      ),
      defaultDescription: 'unbounded',
      examples: [64],
    },
    precision: {
      ...integer('Decimals only (required for them): total number of digits.', [1, DECIMAL_MAX_PRECISION]),
      examples: [15],
    },
    scale: {
      ...integer('Decimals only: digits after the point, at most the precision.', [0, DECIMAL_MAX_SCALE]),
      default: DEFAULTS.field.scale,
      examples: [2],
    },
    collation: {
      type: 'string',
      description:
        'Strings only: how the warehouse column compares. `exact`: byte by byte, so keys that differ only by ' +
        'case, accents or trailing spaces stay distinct rows. `unicode_ci`: ignores case, accents and trailing ' +
        'spaces, for case-insensitive search; on a key field such values become one row (the lake keeps them all).',
      enum: [...FIELD_COLLATIONS],
      defaultDescription: '`exact` for key fields, `unicode_ci` for the others',
      examples: ['unicode_ci'],
    },
    nullable: boolean('Whether the field may be null or absent.', DEFAULTS.field.nullable),
    description: text('What the field means.', ['Customer identifier']),
  };
}

/** `spec.topic.configs`: every Kafka 3.9 topic-level config, each with its value rule. */
export function topicConfigsSchema(): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(TOPIC_CONFIGS).map(([key, rule]) => [key, configSchema(key, rule)]),
  );
  return object(
    'Kafka topic-level configs to manage (Kafka 3.9 names). Values may be strings, numbers or booleans. ' +
      'Configs not named here are left at the broker default and never reported as drift.',
    properties,
  );
}

function configSchema(key: string, rule: TopicConfig): JsonSchema {
  const description = `Kafka topic config \`${key}\`${rule.kafkaDefault === '' ? '' : ` (Kafka's default: ${rule.kafkaDefault})`}.`;
  return {
    ...configValueSchema(rule),
    description,
    ...(rule.kafkaDefault === '' ? {} : { examples: [example(rule)] }),
  };
}

/** Kafka's default as a YAML author would write it. */
function example(rule: TopicConfig): string | number | boolean {
  const n = Number(rule.kafkaDefault);
  if (rule.type === 'boolean') return rule.kafkaDefault === 'true';
  if ((rule.type === 'integer' && Number.isSafeInteger(n)) || rule.type === 'ratio') return n;
  return rule.kafkaDefault;
}

function configValueSchema(rule: TopicConfig): JsonSchema {
  switch (rule.type) {
    case 'integer':
      return {
        type: ['integer', 'string'],
        pattern: '^-?[0-9]+$',
        patternErrorMessage: 'must be an integer',
        minimum: rule.min,
        ...(rule.max === undefined ? {} : { maximum: rule.max }),
      };
    case 'boolean':
      return { type: ['boolean', 'string'], enum: [true, false, 'true', 'false'] };
    case 'enum':
      return { type: 'string', enum: [...rule.values] };
    case 'ratio':
      return {
        type: ['number', 'string'],
        pattern: '^[0-9]*\\.?[0-9]+$',
        patternErrorMessage: 'must be a number between 0 and 1',
        minimum: 0,
        maximum: 1,
      };
    case 'string':
      return { type: 'string' };
  }
}
