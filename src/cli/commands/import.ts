/** `feedctl import`: writes manifests for the feeds an installation made by the runbook registered by hand. */
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { importFeeds, importSummary, topicSampler } from '../../authoring/import/import.js';
import { createProgress } from '../../progress.js';
import { configFor } from '../context.js';

interface Opts {
  dir?: string;
  force?: boolean;
  kafkaConfig?: string;
  sample: number;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number (0: no sample)');
  return n;
}

export function register(program: Command): void {
  program
    .command('import')
    .description(
      'write one manifest per feed registered by hand (feed_registry, its topic and warehouse table), adopting them',
    )
    .option('--dir <folder>', 'where to write the manifests (default: feedsDir from the config)')
    .option('--force', 'overwrite existing manifests')
    .option('--kafka-config <file>', "the runbook's kafka_config.py (read with python3, never executed)")
    .option(
      '--sample <n>',
      'messages read from a topic without warehouse table to infer its fields',
      count,
      200,
    )
    .action(async function (this: Command, opts: Opts) {
      const { config } = configFor(this);
      const progress = createProgress('feedctl import: steps read');
      const result = await importFeeds(config, {
        onStep: () => progress.tick(),
        dir: opts.dir ? path.resolve(opts.dir) : config.feedsDir,
        force: opts.force === true,
        ...(opts.sample > 0 ? { sample: topicSampler(config, opts.sample) } : {}),
        ...(opts.kafkaConfig ? { kafkaConfig: opts.kafkaConfig } : {}),
      });
      progress.done(`${result.written.length} manifest(s) written`);
      process.stdout.write(importSummary(result));
    });
}
