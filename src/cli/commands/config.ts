/** `feedctl config`: prints the effective configuration and where each value came from, passwords masked. */
import type { Command } from 'commander';
import { describeConfig } from '../../config/describe.js';
import { configFor } from '../context.js';

export function register(program: Command): void {
  program
    .command('config')
    .description('show the effective configuration (passwords masked)')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(function (this: Command, opts: { output: string }) {
      const loaded = configFor(this);
      const rows = describeConfig(loaded);
      if (opts.output === 'json') {
        process.stdout.write(`${JSON.stringify({ file: loaded.file ?? null, settings: rows }, null, 2)}\n`);
        return;
      }
      const width = Math.max(...rows.map((r) => r.key.length));
      if (loaded.file) process.stdout.write(`config file: ${loaded.file}\n`);
      for (const r of rows) process.stdout.write(`${r.key.padEnd(width)}  ${r.value}  (${r.source})\n`);
    });
}
