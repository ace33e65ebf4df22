/**
 * The JSON Schema (draft-07) of a feedctl/v1 manifest. This module is its single source: the loader validates
 * with it, `npm run docs` writes it to schemas/feed.schema.json (for editors, via a
 * `# yaml-language-server: $schema=../schemas/feed.schema.json` line) and renders docs/manifest.md from it.
 * Every object is closed (`additionalProperties: false`) so typos are caught.
 */
import { API_VERSION, DEAD_LETTER_SUFFIX, DEFAULTS, KAFKA_TIMESTAMP, KIND, LIMITS } from './defaults.js';
import { NAME_RULES } from './names.js';
import {
  boolean,
  FIELD_REF,
  fieldSchema,
  integer,
  name,
  object,
  text,
  topicConfigsSchema,
  type JsonSchema,
} from './schema-parts.js';
import { snapshotSchema } from './schema-snapshot.js';

function metadata(): JsonSchema {
  return object(
    'Who the feed is and who owns it.',
    {
      name: name(
        'feed',
        "The feed's unique name: the registry's feed_name and the lake folder. Also the default topic name.",
        ['customer_events'],
      ),
      owner: text('Owning team or person.', ['data-platform']),
      description: text('What the feed carries; used as the warehouse table comment.', ['Customer events']),
      labels: {
        type: 'object',
        description: 'Free-form labels (string values), e.g. for ownership reports.',
        propertyNames: {
          pattern: NAME_RULES.labelKey.pattern.source,
          maxLength: NAME_RULES.labelKey.maxLength,
        },
        additionalProperties: { type: 'string' },
        default: {},
        examples: [{ team: 'growth' }],
      },
    },
    ['name'],
  );
}

function topic(): JsonSchema {
  const t = DEFAULTS.topic;
  return object('The Kafka topic the feed reads.', {
    name: { ...name('topic', 'Topic name.', ['customer_events']), defaultDescription: 'metadata.name' },
    partitions: {
      ...integer('Number of partitions (can grow, never shrink).', LIMITS.partitions, t.partitions),
    },
    replicationFactor: {
      ...integer('Replication factor.', LIMITS.replicationFactor),
      type: ['integer', 'null'],
      default: t.replicationFactor,
      defaultDescription: 'null: the config setting kafka.defaultReplicationFactor',
    },
    configs: { ...topicConfigsSchema(), default: {}, examples: [{ 'retention.ms': 604800000 }] },
    adopt: boolean('Take over an existing topic that feedctl did not create.', t.adopt),
  });
}

function schemaBlock(): JsonSchema {
  return object(
    'The message schema: typed fields, key and event time.',
    {
      fields: {
        type: 'array',
        description: 'The fields, in column order; names are unique case-insensitively.',
        minItems: LIMITS.fields[0],
        maxItems: LIMITS.fields[1],
        items: fieldSchema(),
        examples: [[{ name: 'customer_id', type: 'string', maxLength: 64 }]],
      },
      key: {
        type: ['string', 'array'],
        description:
          'Key field name(s) (their `name`, the message property): the warehouse upsert key (with snapshot_date and snapshot_version). ' +
          'Required when the warehouse is enabled; key fields must be non-nullable and indexable.',
        ...FIELD_REF,
        items: { type: 'string', ...FIELD_REF },
        default: DEFAULTS.key,
        examples: [['customer_id']],
      },
      eventTime: {
        type: 'string',
        description: `Where the event time comes from: a non-nullable timestamp or date field (its \`name\`), or \`${KAFKA_TIMESTAMP}\`.`,
        ...FIELD_REF,
        default: DEFAULTS.eventTime,
        examples: ['occurred_at'],
      },
      invalidUnicode: {
        type: 'string',
        description:
          'Strings that JSON can carry but UTF-8 cannot store (lone UTF-16 surrogates such as `"\\ud83d"`), in ' +
          'string and json fields. `reject`: the message goes to the dead-letter topic with the reason. ' +
          '`replace`: each lone surrogate is stored as U+FFFD (�) in the lake and the warehouse.',
        enum: ['reject', 'replace'],
        default: DEFAULTS.invalidUnicode,
      },
    },
    ['fields'],
  );
}

function destinations(): JsonSchema {
  const { lake: l, warehouse: w } = DEFAULTS;
  const flush = object('A Parquet file is written when any threshold is reached.', {
    maxRows: integer('Rows per file at most.', LIMITS.flushMaxRows, l.flush.maxRows),
    maxBytes: integer(
      'Buffered bytes per file at most (1 MiB to 1 GiB).',
      LIMITS.flushMaxBytes,
      l.flush.maxBytes,
    ),
    idleSeconds: integer(
      'Flush after this many seconds without messages.',
      LIMITS.flushIdleSeconds,
      l.flush.idleSeconds,
    ),
  });
  const lake = object('The Parquet data lake: streams by event date, tables by snapshot version.', {
    enabled: boolean('Write the feed to the lake.', l.enabled),
    compression: {
      type: 'string',
      description: 'Parquet compression.',
      enum: ['snappy', 'zstd', 'gzip', 'lz4', 'none'],
      default: l.compression,
    },
    flush,
  });
  const warehouse = {
    ...object('The MySQL warehouse table.', {
      enabled: boolean('Write the feed to a MySQL table.', w.enabled),
      table: name(
        'table',
        'Table name; required when enabled. A table feed also gets a `<table>_latest` view.',
        ['fact_customer_events'],
      ),
      adopt: boolean('Take over an existing table that feedctl did not create.', w.adopt),
    }),
    if: { required: ['enabled'], properties: { enabled: { const: true } } },
    then: { required: ['table'], errorMessage: 'is required when the warehouse is enabled' },
  };
  return object('Where the feed is written.', { lake, warehouse });
}

function retention(): JsonSchema {
  const r = DEFAULTS.retention;
  return object('How long data is kept in the lake and warehouse.', {
    days: integer('Streams only: days of data to keep.', LIMITS.retentionDays, r.days),
    versions: integer('Tables only: snapshot versions to keep.', LIMITS.retentionVersions, r.versions),
    autoDelete: boolean('Delete expired data automatically.', r.autoDelete),
  });
}

function spec(): JsonSchema {
  return object(
    'The desired state of the feed.',
    {
      type: {
        type: 'string',
        description:
          '`stream`: append-only, partitioned by date. `table`: full snapshots, partitioned by version.',
        enum: ['stream', 'table'],
        examples: ['stream'],
      },
      enabled: boolean('Run consumers for this feed.', DEFAULTS.enabled),
      topic: topic(),
      schema: schemaBlock(),
      destinations: destinations(),
      retention: retention(),
      snapshot: snapshotSchema(),
      access: object('Who may read the warehouse table.', {
        roles: {
          type: 'array',
          description: 'MySQL roles granted SELECT on the table (and its view).',
          items: name('role', 'A MySQL role.', ['analyst']),
          default: [],
          examples: [['analyst']],
        },
      }),
      deadLetter: object('Where undecodable or invalid messages go.', {
        enabled: boolean('Send bad messages to a dead-letter topic.', DEFAULTS.deadLetter.enabled),
        topic: {
          ...name('topic', 'Dead-letter topic name.', ['customer_events-dlq']),
          defaultDescription: `the topic name + "${DEAD_LETTER_SUFFIX}"`,
        },
      }),
    },
    ['type', 'schema'],
  );
}

/** The manifest schema (a fresh object on each call). */
export function feedSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'feedctl Feed manifest',
    ...object(
      'One Kafka data feed: its topic, message schema, destinations, retention and access.',
      {
        apiVersion: {
          type: 'string',
          description: 'Format version.',
          const: API_VERSION,
          errorMessage: `is not supported: this feedctl reads apiVersion ${API_VERSION}`,
        },
        kind: {
          type: 'string',
          description: 'Resource kind.',
          const: KIND,
          errorMessage: `is not supported: expected kind ${KIND}`,
        },
        metadata: metadata(),
        spec: spec(),
      },
      ['apiVersion', 'kind', 'metadata', 'spec'],
    ),
  };
}
