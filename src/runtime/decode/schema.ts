/**
 * A feed's schema as JSON Schema, compiled by ajv once per (feed, generation) and cached.
 *
 * Rules (one property per field):
 * - non-nullable fields are `required` and refuse null; nullable fields accept null or absence;
 * - unknown extra properties are ignored: producers add fields before manifests catch up, and refusing them would
 *   send every message to the dead-letter topic until the manifest is updated;
 * - string: `maxLength` counts code points (ajv's `unicode` mode), as MySQL VARCHAR(n) counts utf8mb4
 *   characters;
 * - string and json: lone UTF-16 surrogates (`"\ud800"`), in values or keys, are refused since they cannot be
 *   stored as UTF-8, unless `spec.schema.invalidUnicode` is `replace` (the coercer then writes U+FFFD);
 * - boolean: `true`/`false` only; json: any JSON value;
 * - int, bigint, float, double, decimal, date, timestamp: the `feedctlType` keyword (see kinds.ts), which
 *   understands the lossless parser's numbers.
 */
import { createHash } from 'node:crypto';
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import type { FeedSpec, FieldSpec } from '../../feeds/types.js';
import { Invalid, converterFor, type ExactType } from './kinds.js';
import { hasLoneSurrogate } from './unicode.js';

/** The `feedctlType` keyword's schema: an exact field type and whether null is allowed. */
type ExactTypeSchema = ExactType & { nullable: boolean };
/** A custom keyword's check; on failure it leaves its errors on itself, as ajv expects. */
type DataValidateFunction = ((data: unknown) => boolean) & { errors?: Partial<ErrorObject>[] };

/** Compiled validators kept; a feed normally has one or two live generations. */
const CACHE_MAX = 256;
const cache = new Map<string, ValidateFunction>();

function keywordError(validate: DataValidateFunction, keyword: string, message: string): false {
  validate.errors = [{ keyword, message, params: {} }];
  return false;
}

/** Builds `validate` for one `feedctlType` schema. */
function compileExactType(schema: ExactTypeSchema): DataValidateFunction {
  const convert = converterFor(schema);
  const validate: DataValidateFunction = (data: unknown) => {
    if (data === null) return schema.nullable || keywordError(validate, 'feedctlType', 'must not be null');
    const out = convert(data);
    return !(out instanceof Invalid) || keywordError(validate, 'feedctlType', out.problem);
  };
  return validate;
}

function compileWellFormed(): DataValidateFunction {
  const validate: DataValidateFunction = (data: unknown) =>
    !hasLoneSurrogate(data) ||
    keywordError(validate, 'wellFormed', 'must not contain a lone UTF-16 surrogate');
  return validate;
}

function fieldSchema(f: FieldSpec, reject: boolean): SchemaObject {
  const t = f.type;
  const wellFormed = reject ? { wellFormed: true } : {};
  switch (t.kind) {
    case 'string':
      return {
        type: f.nullable ? ['string', 'null'] : 'string',
        ...(t.maxLength === null ? {} : { maxLength: t.maxLength }),
        ...wellFormed,
      };
    case 'boolean':
      return { type: f.nullable ? ['boolean', 'null'] : 'boolean' };
    case 'json':
      return f.nullable ? wellFormed : { not: { type: 'null' }, ...wellFormed };
    default:
      return { feedctlType: { ...t, nullable: f.nullable } satisfies ExactTypeSchema };
  }
}

/** The JSON Schema of a feed's messages (pure; see the module doc for the rules). */
export function feedJsonSchema(spec: FeedSpec): SchemaObject {
  const fields = spec.schema.fields;
  const reject = spec.schema.invalidUnicode === 'reject';
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.property, fieldSchema(f, reject)])),
    required: fields.filter((f) => !f.nullable).map((f) => f.property),
  };
}

function compile(schema: SchemaObject, fields: FieldSpec[]): ValidateFunction {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    allowUnionTypes: true,
    // A field named like an Object.prototype member (`constructor`) must not be found on the prototype.
    ownProperties: fields.some((f) => f.property in Object.prototype),
    keywords: [
      { keyword: 'feedctlType', schemaType: 'object', errors: true, compile: compileExactType },
      {
        keyword: 'wellFormed',
        schemaType: 'boolean',
        errors: true,
        compile: compileWellFormed,
      },
    ],
  });
  return ajv.compile(schema);
}

/**
 * The validator of a feed's messages. Compiled once per (feed, generation, schema): the same arguments return the
 * same function, a new generation or a changed schema compiles anew. The cache keeps the {@link CACHE_MAX} most
 * recently compiled validators.
 */
export function compileFeedSchema(spec: FeedSpec, generation: number): ValidateFunction {
  const schema = feedJsonSchema(spec);
  const hash = createHash('sha256').update(JSON.stringify(schema)).digest('hex');
  const key = `${spec.name}\u0000${generation}\u0000${hash}`;
  let validate = cache.get(key);
  if (validate === undefined) {
    validate = compile(schema, spec.schema.fields);
    cache.set(key, validate);
    const oldest = cache.keys().next().value;
    if (cache.size > CACHE_MAX && oldest !== undefined) cache.delete(oldest);
  }
  return validate;
}
