/**
 * Reads a topic with kcat, a client independent of kafkajs, so the dead-letter tests do not check kafkajs with
 * itself. Install: `apt-get install -y kcat`.
 */
import { execFileSync } from 'node:child_process';
import type { Config } from '../../src/config/config.js';

/** One message as kcat's JSON envelope (-J) shows it; `headers` alternates names and values. */
export interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  ts: number;
  headers?: (string | null)[];
  key: string | null;
  payload: string | null;
}

function kcat(config: Config, args: string[]): Buffer {
  const broker = config.kafka.brokers.join(',');
  return execFileSync('kcat', ['-b', broker, '-C', '-e', '-q', ...args], {
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Every message of partition 0 of `topic`, from the beginning. */
export function readTopic(config: Config, topic: string): KcatMessage[] {
  const out = kcat(config, ['-t', topic, '-p', '0', '-o', 'beginning', '-J']).toString('utf8');
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as KcatMessage);
}

/** The exact bytes of one message's key or value (kcat's `%k` / `%s` print them raw). */
export function readBytes(config: Config, topic: string, offset: number, what: 'key' | 'value'): Buffer {
  return kcat(config, [
    '-t',
    topic,
    '-p',
    '0',
    '-o',
    String(offset),
    '-c',
    '1',
    '-f',
    what === 'key' ? '%k' : '%s',
  ]);
}

/** `headers` as [name, value] pairs, in order. */
export function headerPairs(m: KcatMessage): [string, string | null][] {
  const h = m.headers ?? [];
  const pairs: [string, string | null][] = [];
  for (let i = 0; i < h.length; i += 2) pairs.push([String(h[i]), h[i + 1] ?? null]);
  return pairs;
}
