/**
 * `feedctl new <name> --type stream|table`: writes a commented manifest for a new feed to `<feedsDir>/<name>.yaml`
 * (never overwriting one), from `--field` flags or from a sample of an existing topic (`--from-topic`), then
 * validates it. Exit 1 when the file exists, a flag is wrong, or the written manifest does not validate.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseFieldSpec } from '../../authoring/field-spec.js';
import { newFeed, renderNewResult } from '../../authoring/new.js';
import type { FieldDraft } from '../../authoring/draft.js';
import { isValid, renderValidateText } from '../../feeds/report.js';
import type { FeedType } from '../../feeds/types.js';
import { configFor } from '../context.js';
import { ExitCode } from '../exit.js';

interface Opts {
  type: FeedType;
  field: FieldDraft[];
  key: string[];
  warehouseTable?: string;
  fromTopic?: string;
  sample: number;
  dir?: string;
}

const collectField = (spec: string, all: FieldDraft[]): FieldDraft[] => [...all, parseFieldSpec(spec)];
const collectKey = (value: string, all: string[]): string[] => [...all, ...value.split(',').filter(Boolean)];
const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

export function register(program: Command): void {
  program
    .command('new')
    .description('write a commented manifest for a new feed, from flags or a sample of an existing topic')
    .argument('<name>', 'feed name (the file is <dir>/<name>.yaml)')
    .addOption(new Option('--type <type>', 'feed type').choices(['stream', 'table']).makeOptionMandatory())
    .option(
      '--field <name:type[?]>',
      'a field (repeatable): type string, string(len), int, bigint, float, double, decimal(p,s), boolean, date, timestamp or json; ? = nullable',
      collectField,
      [],
    )
    .option('--key <field>', 'key field (repeatable, or comma-separated)', collectKey, [])
    .option('--warehouse-table <table>', 'also load the feed into this warehouse table')
    .option('--from-topic <topic>', 'infer the fields from messages of this existing topic (adopted)')
    .option('--sample <n>', 'messages to read with --from-topic', positive, 200)
    .option('--dir <dir>', 'folder to write to (default: feedsDir from the config)')
    .action(async function (this: Command, name: string, opts: Opts) {
      const { config } = configFor(this);
      const result = await newFeed(config, {
        name,
        type: opts.type,
        fields: opts.field,
        key: opts.key,
        sample: opts.sample,
        dir: opts.dir ?? config.feedsDir,
        ...(opts.warehouseTable ? { warehouseTable: opts.warehouseTable } : {}),
        ...(opts.fromTopic ? { fromTopic: opts.fromTopic } : {}),
      });
      const valid = isValid(result.validation);
      process.stdout.write(renderNewResult(result, valid, renderValidateText(result.validation)));
      if (!valid) throw new ExitCode(1);
    });
}
