/**
 * Kafka consumer group ids of feedctl's consumers: `<groupPrefix>.<feed>.<destination>`, one group per feed and
 * destination. The prefix (setting `kafka.groupPrefix`) keeps two installations on one Kafka cluster apart; the
 * runtime, benches and tests all build ids here.
 */
import { DESTINATIONS, type Destination } from '../feeds/types.js';

/** Characters of a group prefix: Kafka's topic alphabet, without leading, trailing or doubled dots. */
export const GROUP_PREFIX_PATTERN = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9._-]+$/;

/** Longest group prefix: with a feed name (≤ 64) and a destination, a group id stays within 255 characters. */
export const GROUP_PREFIX_MAX = 180;

/** Why `prefix` cannot be a group prefix, or null when it can. */
export function groupPrefixProblem(prefix: string): string | null {
  if (prefix === '') return 'kafka.groupPrefix must not be empty';
  if (prefix.length > GROUP_PREFIX_MAX)
    return `kafka.groupPrefix must be at most ${GROUP_PREFIX_MAX} characters, got ${prefix.length}`;
  if (!GROUP_PREFIX_PATTERN.test(prefix)) {
    return (
      `kafka.groupPrefix ${JSON.stringify(prefix)} must use letters, digits, '.', '_' and '-' only, ` +
      "without a leading, trailing or doubled '.'"
    );
  }
  return null;
}

/** The consumer group id of one feed's consumer for one destination. */
export function consumerGroupId(
  config: { kafka: { groupPrefix: string } },
  feed: string,
  destination: Destination,
): string {
  return `${config.kafka.groupPrefix}.${feed}.${destination}`;
}

/** The consumer group ids of every destination of a feed, in {@link DESTINATIONS} order. */
export function feedGroupIds(config: { kafka: { groupPrefix: string } }, feed: string): string[] {
  return DESTINATIONS.map((d) => consumerGroupId(config, feed, d));
}
