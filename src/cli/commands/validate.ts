/**
 * `feedctl validate [paths...]`: checks the manifests without touching Kafka or MySQL.
 *
 * Exit 0 when every manifest is valid (warnings allowed), 1 otherwise, whatever the format. `-o text` (default),
 * `-o json` and `-o github` (GitHub Actions annotations, paths relative to `$GITHUB_WORKSPACE`, else to the
 * current directory) are described in src/feeds/report.ts. All output goes to stdout.
 */
import { Option, type Command } from 'commander';
import { loadFeeds, type LoadResult } from '../../feeds/load.js';
import {
  isValid,
  renderValidateGithub,
  renderValidateJson,
  renderValidateText,
  VALIDATE_FORMATS,
  type ValidateFormat,
} from '../../feeds/report.js';
import { configFor } from '../context.js';
import { ExitCode } from '../exit.js';

interface Opts {
  output: ValidateFormat;
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('check feed manifests (schema, names, cross-file duplicates); needs no Kafka or MySQL')
    .argument('[paths...]', 'manifest files or folders (default: feedsDir from the config)')
    .addOption(
      new Option('-o, --output <format>', 'text, json, or github (annotations in GitHub Actions)')
        .choices(VALIDATE_FORMATS)
        .default('text'),
    )
    .action(async function (this: Command, paths: string[], opts: Opts) {
      const result = await loadFeeds(paths.length > 0 ? paths : [configFor(this).config.feedsDir]);
      process.stdout.write(render(result, opts.output));
      if (!isValid(result)) throw new ExitCode(1);
    });
}

function render(result: LoadResult, format: ValidateFormat): string {
  if (format === 'json') return renderValidateJson(result);
  if (format === 'text') return renderValidateText(result);
  const cwd = process.cwd();
  return renderValidateGithub(result, { cwd, root: process.env.GITHUB_WORKSPACE || cwd });
}
