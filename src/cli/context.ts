/** What every command needs: the loaded configuration, from the global `--config` option. */
import type { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../config/config.js';

/**
 * Loads the configuration named by the root program's `--config` option (or the defaults/env); `overrides` are the
 * command's own flags by setting key (undefined: not given), the highest precedence.
 */
export function configFor(cmd: Command, overrides: Record<string, string | undefined> = {}): LoadedConfig {
  let root = cmd;
  while (root.parent) root = root.parent;
  const opts = root.opts<{ config?: string }>();
  return loadConfig({ ...(opts.config ? { configFile: opts.config } : {}), overrides });
}
