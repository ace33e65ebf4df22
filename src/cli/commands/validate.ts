/**
 * `feedctl validate [paths...]`: checks the manifests without touching Kafka or MySQL.
 *
 * Exit 0 when every manifest is valid: warnings (if any), then `N feed(s) valid in M file(s)`. Exit 1 otherwise:
 * every diagnostic as `file:line:col: message`, then `E error(s), W warning(s) in M file(s)`. With `-o json`,
 * one object `{valid, files, feeds, diagnostics}` either way. All output goes to stdout.
 */
import type { Command } from 'commander';
import { formatDiagnostic } from '../../errors.js';
import { loadFeeds, type LoadResult } from '../../feeds/load.js';
import { configFor } from '../context.js';
import { ExitCode } from '../exit.js';

interface Opts {
  output: string;
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('check feed manifests (schema, names, cross-file duplicates); needs no Kafka or MySQL')
    .argument('[paths...]', 'manifest files or folders (default: feedsDir from the config)')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async function (this: Command, paths: string[], opts: Opts) {
      if (opts.output !== 'text' && opts.output !== 'json') {
        this.error(`error: --output must be text or json (got "${opts.output}")`);
      }
      const result = await loadFeeds(paths.length > 0 ? paths : [configFor(this).config.feedsDir]);
      const valid = !result.diagnostics.some((d) => d.severity === 'error');
      process.stdout.write(opts.output === 'json' ? renderJson(result, valid) : renderText(result, valid));
      if (!valid) throw new ExitCode(1);
    });
}

/** The text report (see the module comment). */
export function renderText(result: LoadResult, valid: boolean): string {
  const lines = result.diagnostics.map(formatDiagnostic);
  const files = `${result.files.length} file(s)`;
  if (valid) return [...lines, `${result.feeds.length} feed(s) valid in ${files}`, ''].join('\n');
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  return [...lines, `${errors} error(s), ${warnings} warning(s) in ${files}`, ''].join('\n');
}

/** The JSON report: `feeds` lists the names of the valid feeds. */
export function renderJson(result: LoadResult, valid: boolean): string {
  const report = {
    valid,
    files: result.files,
    feeds: result.feeds.map((f) => f.name),
    diagnostics: result.diagnostics,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
