/**
 * Counts requests to Kafka and MySQL by wrapping clients in a Proxy: every call of a request method is one
 * round-trip. Used to prove that observation is batched (the count must not grow with the number of feeds).
 */

/** Round-trips made so far, per service. */
export interface RoundTrips {
  kafka: number;
  mysql: number;
}

const REQUEST_METHODS = new Set([
  // kafkajs admin
  'listTopics',
  'fetchTopicMetadata',
  'describeConfigs',
  'describeCluster',
  'createTopics',
  'createPartitions',
  'alterConfigs',
  'deleteTopics',
  'fetchOffsets',
  'fetchTopicOffsets',
  // mysql2 connection
  'query',
  'execute',
]);

export function countRoundTrips<T extends object>(
  client: T,
  counter: RoundTrips,
  service: keyof RoundTrips,
): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (typeof prop === 'string' && REQUEST_METHODS.has(prop)) {
        return (...args: unknown[]) => {
          counter[service] += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
