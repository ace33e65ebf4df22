/**
 * `spec.snapshot` of the manifest JSON Schema (schema.ts): the snapshot contract of a table feed — where each
 * record carries its version and how a version ends. Semantic rules the schema cannot express (table feeds only,
 * the version field's type) are in semantic-snapshot.ts; the contract itself is documented in docs-snapshot.ts.
 */
import { DEFAULTS, HEADER_NAME, LIMITS } from './defaults.js';
import { FIELD_REF, integer, object, type JsonSchema } from './schema-parts.js';
import { MAX_SNAPSHOT_VERSION, SNAPSHOT_HEADERS } from './types.js';

/** Seal modes written as a plain string (the idle seal is a mapping). */
export const SEAL_MODES = ['marker', 'nextVersion'] as const;

function version(): JsonSchema {
  return {
    ...object(
      `Where each record carries its snapshot version, a positive integer ≤ ${MAX_SNAPSHOT_VERSION}; versions ` +
        'increase per feed. Name exactly one of `header` or `field`.',
      {
        header: {
          type: 'string',
          description:
            'A Kafka record header holding the version as decimal text, e.g. `snapshot_version: 3`. ' +
            `Not one of the contract's other headers (${SNAPSHOT_HEADERS.end}, ${SNAPSHOT_HEADERS.rows}, ${SNAPSHOT_HEADERS.date}).`,
          minLength: 1,
          maxLength: HEADER_NAME.maxLength,
          pattern: HEADER_NAME.pattern.source,
          patternErrorMessage: 'is not a valid header name: use printable ASCII characters without spaces',
          examples: [SNAPSHOT_HEADERS.version],
        },
        field: {
          type: 'string',
          ...FIELD_REF,
          description:
            'A field of `spec.schema.fields` (its `name`) holding the version: a non-nullable `int` or `bigint` ' +
            `field (a value outside 1–${MAX_SNAPSHOT_VERSION} sends its record to the dead-letter topic).`,
          examples: ['catalog_version'],
        },
      },
    ),
    minProperties: 1,
    maxProperties: 1,
    errorMessage: `must name exactly one of header or field, e.g. { header: ${SNAPSHOT_HEADERS.version} }`,
    default: { header: DEFAULTS.snapshot.versionHeader },
  };
}

function seal(): JsonSchema {
  return {
    type: ['string', 'object'],
    description:
      'When a version is complete (sealed) and can be published. `marker`: an end-marker record on every ' +
      `partition (header \`${SNAPSHOT_HEADERS.end}\` = the version, empty value). \`nextVersion\`: a record of a ` +
      'higher version on every partition. `{ idleSeconds: N }`: no record on any partition for N seconds ' +
      `(${LIMITS.snapshotIdleSeconds[0]}–${LIMITS.snapshotIdleSeconds[1]}); the least safe, as a slow producer ` +
      'publishes half a snapshot.',
    if: { type: 'string' },
    then: { enum: [...SEAL_MODES], errorMessage: 'or a mapping { idleSeconds: N }' },
    properties: {
      idleSeconds: integer(
        'Seconds without any record that seal the open version.',
        LIMITS.snapshotIdleSeconds,
      ),
    },
    required: ['idleSeconds'],
    additionalProperties: false,
    default: DEFAULTS.snapshot.seal,
    examples: [DEFAULTS.snapshot.seal, { idleSeconds: 300 }],
  };
}

/** `spec.snapshot`. */
export function snapshotSchema(): JsonSchema {
  return object(
    'Table feeds only: how producers mark the snapshot version of each record and end a version (see "Table ' +
      'feeds: the snapshot contract"). Omitted: the version in header `snapshot_version`, sealed by end markers.',
    { version: version(), seal: seal() },
  );
}
