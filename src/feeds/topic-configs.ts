/**
 * The topic-level configs of Kafka 3.9 (as a 3.9.1 broker describes them) that a manifest may set under
 * `spec.topic.configs`, with the rule each value must follow. Values may be written as strings, numbers or
 * booleans; the loader normalizes them to the strings Kafka uses.
 */

/** What a config's value must look like. Integer bounds are inclusive; `max` defaults to Long.MAX_VALUE. */
export type ConfigRule =
  | { type: 'integer'; min: number; max?: number }
  | { type: 'boolean' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'ratio' }
  | { type: 'string' };

/** A topic-level config: its value rule and Kafka's default (documentation only: unset configs stay unmanaged). */
export type TopicConfig = ConfigRule & { kafkaDefault: string };

const INT_MAX = 2147483647;
const LONG_MAX = 9223372036854775807n;
const NEVER = String(LONG_MAX);

const int = (min: number, kafkaDefault: string, max = INT_MAX): TopicConfig => ({
  type: 'integer',
  min,
  max,
  kafkaDefault,
});
const long = (min: number, kafkaDefault: string): TopicConfig => ({ type: 'integer', min, kafkaDefault });
const bool = (kafkaDefault: string): TopicConfig => ({ type: 'boolean', kafkaDefault });
const oneOf = (values: string[], kafkaDefault: string): TopicConfig => ({
  type: 'enum',
  values,
  kafkaDefault,
});
const text = (kafkaDefault: string): TopicConfig => ({ type: 'string', kafkaDefault });

/** Every topic-level config of Kafka 3.9, by name (sorted). */
export const TOPIC_CONFIGS: Readonly<Record<string, TopicConfig>> = {
  'cleanup.policy': oneOf(['delete', 'compact', 'delete,compact', 'compact,delete'], 'delete'),
  'compression.gzip.level': int(-1, '-1', 9),
  'compression.lz4.level': int(1, '9', 17),
  'compression.type': oneOf(['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'], 'producer'),
  'compression.zstd.level': int(-131072, '3', 22),
  'delete.retention.ms': long(0, '86400000'),
  'file.delete.delay.ms': long(0, '60000'),
  'flush.messages': long(1, NEVER),
  'flush.ms': long(0, NEVER),
  'follower.replication.throttled.replicas': text(''),
  'index.interval.bytes': int(0, '4096'),
  'leader.replication.throttled.replicas': text(''),
  'local.retention.bytes': long(-2, '-2'),
  'local.retention.ms': long(-2, '-2'),
  'max.compaction.lag.ms': long(1, NEVER),
  'max.message.bytes': int(0, '1048588'),
  'message.downconversion.enable': bool('true'),
  'message.format.version': text('3.0-IV1'),
  'message.timestamp.after.max.ms': long(0, NEVER),
  'message.timestamp.before.max.ms': long(0, NEVER),
  'message.timestamp.difference.max.ms': long(0, NEVER),
  'message.timestamp.type': oneOf(['CreateTime', 'LogAppendTime'], 'CreateTime'),
  'min.cleanable.dirty.ratio': { type: 'ratio', kafkaDefault: '0.5' },
  'min.compaction.lag.ms': long(0, '0'),
  'min.insync.replicas': int(1, '1'),
  preallocate: bool('false'),
  'remote.log.copy.disable': bool('false'),
  'remote.log.delete.on.disable': bool('false'),
  'remote.storage.enable': bool('false'),
  'retention.bytes': long(-1, '-1'),
  'retention.ms': long(-1, '604800000'),
  'segment.bytes': int(14, '1073741824'),
  'segment.index.bytes': int(4, '10485760'),
  'segment.jitter.ms': long(0, '0'),
  'segment.ms': long(1, '604800000'),
  'unclean.leader.election.enable': bool('false'),
};

/**
 * Why `value` is not acceptable for config `name` (completing `<path> <value> …`), or null when it is.
 * Unknown names are the schema's business and pass here.
 */
export function configValueProblem(name: string, value: string | number | boolean): string | null {
  const rule = TOPIC_CONFIGS[name];
  if (rule === undefined) return null;
  const text = String(value);
  switch (rule.type) {
    case 'integer':
      return integerProblem(rule.min, rule.max, value, text);
    case 'boolean':
      return text === 'true' || text === 'false' ? null : 'must be true or false';
    case 'enum':
      return rule.values.includes(text) ? null : `must be one of: ${rule.values.join(', ')}`;
    case 'ratio':
      return /^\d*\.?\d+$/.test(text) && Number(text) <= 1 ? null : 'must be a number between 0 and 1';
    case 'string':
      return null;
  }
}

function integerProblem(
  min: number,
  max: number | undefined,
  value: string | number | boolean,
  text: string,
): string | null {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value)) {
    return 'is too large to be read exactly from YAML: quote it as a string';
  }
  if (!/^-?\d+$/.test(text)) return 'must be an integer';
  const n = BigInt(text);
  const upper = max === undefined ? LONG_MAX : BigInt(max);
  if (n < BigInt(min) || n > upper) return `must be between ${min} and ${upper}`;
  return null;
}
