/**
 * Schema validation of one manifest's data with ajv, reduced to one issue per mistake: wrapper errors (`if`,
 * `propertyNames`) are dropped, several errors about the same value keep the most telling one, and a wrong
 * `apiVersion` or `kind` (or a root that is not a mapping) hides everything else — the file is then not a feed
 * manifest at all, and its other "errors" would be noise.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Issue } from './issue.js';
import { ANNOTATIONS } from './schema-parts.js';
import { feedSchema } from './schema.js';
import { shapeError } from './shape.js';
import { closest } from './suggest.js';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strictTypes: false });
    ajv.addVocabulary([...ANNOTATIONS]);
    compiled = ajv.compile(feedSchema());
  }
  return compiled;
}

/** Schema issues of a manifest's data (empty when it conforms). */
export function schemaIssues(data: unknown): Issue[] {
  const validate = validator();
  if (validate(data)) return [];
  const errors = gate(onePerValue((validate.errors ?? []).filter((e) => !WRAPPERS.has(e.keyword))));
  return withoutTypoEchoes(errors).map(shapeError);
}

const WRAPPERS = new Set(['if', 'propertyNames', 'allOf', 'anyOf', 'oneOf']);

/** Most telling first: a wrong type makes range or pattern errors on the same value pointless. */
const PRIORITY = ['type', 'const', 'enum', 'not', 'pattern', 'minLength', 'maxLength'];

function onePerValue(errors: ErrorObject[]): ErrorObject[] {
  const best = new Map<string, ErrorObject>();
  for (const e of errors) {
    const id = [
      e.instancePath,
      e.propertyName ?? '',
      String(e.params.missingProperty ?? ''),
      String(e.params.additionalProperty ?? ''),
    ].join('\0');
    const seen = best.get(id);
    if (!seen || rank(e) < rank(seen)) best.set(id, e);
  }
  return [...best.values()];
}

function rank(e: ErrorObject): number {
  const i = PRIORITY.indexOf(e.keyword);
  return i === -1 ? PRIORITY.length : i;
}

/** A misspelled required property (`specs:`) also makes it "missing": report the misspelling only. */
function withoutTypoEchoes(errors: ErrorObject[]): ErrorObject[] {
  const misspelled = new Set(
    errors
      .filter((e) => e.keyword === 'additionalProperties')
      .map((e) => {
        const known = Object.keys(((e.parentSchema ?? {}) as { properties?: object }).properties ?? {});
        return `${e.instancePath}\0${closest(String(e.params.additionalProperty), known) ?? ''}`;
      }),
  );
  return errors.filter(
    (e) =>
      e.keyword !== 'required' || !misspelled.has(`${e.instancePath}\0${String(e.params.missingProperty)}`),
  );
}

/** Only the identity errors when there are any (see the module comment). */
function gate(errors: ErrorObject[]): ErrorObject[] {
  const identity = errors.filter(
    (e) =>
      (e.instancePath === '' && e.keyword === 'type') ||
      e.instancePath === '/apiVersion' ||
      e.instancePath === '/kind' ||
      (e.instancePath === '' && e.keyword === 'required' && IDENTITY.has(String(e.params.missingProperty))),
  );
  return identity.length > 0 ? identity : errors;
}

const IDENTITY = new Set(['apiVersion', 'kind']);
