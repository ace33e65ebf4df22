/**
 * Last good state, for the watch controller: one broken manifest never takes anything down and never holds the
 * other feeds hostage. Valid files are planned as they are; the feed of a broken file keeps the spec its file last
 * had when it was valid (remembered per file while the controller runs); when that is unknown (the controller
 * started while the file was broken), the feeds the registry says the file declared are held: left exactly as they
 * are. A broken file that cannot be attributed at all holds every enabled feed without a valid manifest, so nothing
 * is disabled while it is broken.
 */
import path from 'node:path';
import type { Config } from '../config/config.js';
import { isMissingTable, withMysql, type RowDataPacket } from '../clients/mysql.js';
import type { Diagnostic } from '../errors.js';
import type { LoadResult } from '../feeds/load.js';
import type { FeedSpec } from '../feeds/types.js';
import type { FeedSet } from '../reconciler/reconcile.js';

/** An enabled feed the registry knows, with the manifest that declared it. */
export interface RegisteredFeed {
  name: string;
  manifestPath: string;
}

/** A broken manifest and what the controller did about it (plain data: in the run report and `feedctl status`). */
export interface InvalidFile {
  file: string;
  /** The first error, positioned: `line:col message`. */
  error: string;
  /** The feeds it keeps as they were. */
  keeps: string[];
  /** `last valid spec`: planned from the file's last valid version; `held`: left untouched; `unknown`: see above. */
  how: 'last valid spec' | 'held' | 'unknown';
}

export interface Resolved {
  set: FeedSet;
  invalid: InvalidFile[];
}

export class LastGood {
  /** Display path → the feed the file declared when it was last valid. */
  private readonly byFile = new Map<string, FeedSpec>();

  /** The feed set to plan for, from what the loader found now and the registry's enabled feeds. */
  resolve(loaded: LoadResult, registry: RegisteredFeed[]): Resolved {
    const broken = brokenFiles(loaded.diagnostics);
    this.remember(loaded, broken);
    const feeds = [...loaded.feeds];
    const planned = new Set(feeds.map((f) => f.name));
    const held = new Set<string>();
    const invalid: InvalidFile[] = [];
    for (const [file, error] of broken) {
      const last = this.byFile.get(file);
      if (last) {
        if (!planned.has(last.name)) feeds.push(last);
        planned.add(last.name);
        invalid.push({ file, error, keeps: [last.name], how: 'last valid spec' });
        continue;
      }
      const declared = registry.filter((r) => samePath(r.manifestPath, file) && !planned.has(r.name));
      for (const r of declared) held.add(r.name);
      const how = declared.length > 0 ? 'held' : 'unknown';
      invalid.push({ file, error, keeps: declared.map((r) => r.name), how });
    }
    if (invalid.some((i) => i.how === 'unknown')) {
      for (const r of registry) if (!planned.has(r.name)) held.add(r.name);
    }
    return { set: { feeds, held: [...held].sort() }, invalid };
  }

  /** Valid files update their entry; files gone from the folder are forgotten (their feeds are removed). */
  private remember(loaded: LoadResult, broken: Map<string, string>): void {
    for (const f of loaded.feeds) this.byFile.set(f.manifestPath, f);
    const present = new Set([...loaded.files, ...broken.keys()]);
    for (const file of [...this.byFile.keys()]) if (!present.has(file)) this.byFile.delete(file);
  }
}

/** Files with an error diagnostic → their first error. */
function brokenFiles(diagnostics: Diagnostic[]): Map<string, string> {
  const broken = new Map<string, string>();
  for (const d of diagnostics) {
    if (d.severity === 'error' && !broken.has(d.file)) broken.set(d.file, `${d.line}:${d.col} ${d.message}`);
  }
  return broken;
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/** Enabled feeds feedctl manages now (none before the control plane exists; any other failure fails the run). */
export async function enabledFeeds(config: Config): Promise<RegisteredFeed[]> {
  return withMysql(config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>(
      "SELECT feed_name, manifest_path FROM feed_registry WHERE managed_by = 'feedctl' AND enabled",
    );
    return r.map((x) => ({ name: String(x.feed_name), manifestPath: String(x.manifest_path ?? '') }));
  }).catch((err: unknown) => {
    if (isMissingTable(err)) return [];
    throw err;
  });
}
