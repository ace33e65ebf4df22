/**
 * Reads the runbook's `kafka_config.py` (`KAFKA_TOPICS`, `MESSAGE_SCHEMAS`) without executing it: a small python3
 * script parses the module with `ast.parse` and evaluates only the literal values of those two top-level
 * assignments with `ast.literal_eval`, then prints them as JSON; this module runs it (execFile, no shell) and
 * checks the shape of what comes back.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { FeedctlError } from '../../errors.js';
import type { FeedType } from '../../feeds/types.js';

/** One entry of `KAFKA_TOPICS["streams"]` or `KAFKA_TOPICS["tables"]`. */
export interface KafkaTopicEntry {
  topic: string;
  /** `feed_type`, else the list the entry is in. */
  feedType: FeedType;
  destination: 'data_lake' | 'data_warehouse' | 'both';
  mysqlTable: string | null;
  enabled: boolean;
}

/** One entry of `MESSAGE_SCHEMAS`, by topic. */
export interface MessageSchema {
  fields: string[];
  keyField: string | null;
}

export interface KafkaConfigFile {
  topics: KafkaTopicEntry[];
  schemas: Record<string, MessageSchema>;
}

/** Never executes the module: only literals assigned at its top level are evaluated. */
export const READER_SCRIPT = `
import ast, json, sys
WANTED = ("KAFKA_TOPICS", "MESSAGE_SCHEMAS")
tree = ast.parse(open(sys.argv[1], encoding="utf-8").read(), sys.argv[1])
out = {}
for node in tree.body:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
    for t in targets:
        if isinstance(t, ast.Name) and t.id in WANTED and node.value is not None:
            out[t.id] = ast.literal_eval(node.value)
json.dump(out, sys.stdout)
`;

const ENTRY = {
  type: 'object',
  required: ['topic'],
  properties: {
    topic: { type: 'string', minLength: 1 },
    feed_type: { enum: ['stream', 'table'] },
    destination: { enum: ['data_lake', 'data_warehouse', 'both'] },
    mysql_table: { type: ['string', 'null'] },
    enabled: { type: 'boolean' },
  },
};

const SHAPE = {
  type: 'object',
  properties: {
    KAFKA_TOPICS: {
      type: 'object',
      properties: { streams: { type: 'array', items: ENTRY }, tables: { type: 'array', items: ENTRY } },
    },
    MESSAGE_SCHEMAS: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: {
          fields: { type: 'array', items: { type: 'string' } },
          key_field: { type: ['string', 'null'] },
        },
      },
    },
  },
};

interface RawEntry {
  topic: string;
  feed_type?: FeedType;
  destination?: KafkaTopicEntry['destination'];
  mysql_table?: string | null;
  enabled?: boolean;
}

interface RawConfig {
  KAFKA_TOPICS?: { streams?: RawEntry[]; tables?: RawEntry[] };
  MESSAGE_SCHEMAS?: Record<string, { fields?: string[]; key_field?: string | null }>;
}

const validate = new Ajv({ allErrors: true }).compile<RawConfig>(SHAPE);

const fail = (file: string, detail: string, cause?: unknown) =>
  new FeedctlError('CONFIG_INVALID', detail, {
    subsystem: 'authoring.import',
    action: 'read kafka config',
    id: file,
    cause,
  });

/** The parsed, checked contents of the reader script's JSON output (pure). */
export function parseKafkaConfig(json: unknown, file: string): KafkaConfigFile {
  if (!validate(json)) {
    const where = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    throw fail(file, `unexpected KAFKA_TOPICS / MESSAGE_SCHEMAS shape: ${where.join('; ')}`);
  }
  const entry = (list: FeedType) => (e: RawEntry) => ({
    topic: e.topic,
    feedType: e.feed_type ?? list,
    destination: e.destination ?? 'data_lake',
    mysqlTable: e.mysql_table ?? null,
    enabled: e.enabled ?? true,
  });
  const schemas = Object.entries(json.MESSAGE_SCHEMAS ?? {}).map(
    ([topic, s]) => [topic, { fields: s.fields ?? [], keyField: s.key_field ?? null }] as const,
  );
  return {
    topics: [
      ...(json.KAFKA_TOPICS?.streams ?? []).map(entry('stream')),
      ...(json.KAFKA_TOPICS?.tables ?? []).map(entry('table')),
    ],
    schemas: Object.fromEntries(schemas),
  };
}

const execFileP = promisify(execFile);

/** Reads `file` through python3 (which must be on PATH). */
export async function readKafkaConfig(file: string, python = 'python3'): Promise<KafkaConfigFile> {
  let stdout: string;
  try {
    ({ stdout } = await execFileP(python, ['-c', READER_SCRIPT, file], { maxBuffer: 16 * 1024 * 1024 }));
  } catch (err) {
    const e = err as { code?: unknown; stderr?: string };
    if (e.code === 'ENOENT') {
      throw fail(file, `${python} is not installed: --kafka-config needs python3 on PATH to read the file`);
    }
    const last = (e.stderr ?? '').trim().split('\n').at(-1) ?? '';
    throw fail(file, `python3 could not read it as literals: ${last}`, err);
  }
  return parseKafkaConfig(JSON.parse(stdout) as unknown, file);
}
