/**
 * Records one compare's sync states (sync.ts) in the control plane — the watch controller's, or a one-off apply's: reads the states recorded before and the
 * manifests' text (a broken file's current text, for the feed it keeps), classifies, upserts. Never fails the run:
 * a failure to record is logged and the next compare records again.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/config.js';
import { isMissingTable, withMysql } from '../clients/mysql.js';
import { readFeedStates, saveFeedSyncs } from '../control/feed-sync.js';
import { causeText } from '../errors.js';
import { logger } from '../log.js';
import type { ApplyOutcome } from '../reconciler/reconcile.js';
import { syncStates, type CompareInput } from './sync.js';

const log = logger('controller');

/** The manifests a page may show: at most this many bytes each. */
const MAX_MANIFEST_BYTES = 256 * 1024;

/** What a compare found; the rest of {@link CompareInput} is read here. */
export type Compared = Pick<CompareInput, 'plan' | 'feeds' | 'invalid' | 'outcome' | 'reasons'>;

export async function recordSync(config: Config, compared: Compared, recordedBy: string): Promise<void> {
  if (!compared.plan.complete) return; // an incomplete observation says nothing about drift
  try {
    const manifests = await manifestTexts(compared);
    await withMysql(config, async (db) => {
      const previous = new Map((await readFeedStates(db)).map((s) => [s.feed, s]));
      const at = new Date().toISOString();
      await saveFeedSyncs(db, syncStates({ ...compared, previous, manifests, at, recordedBy }));
    });
  } catch (err) {
    if (isMissingTable(err)) return; // not migrated yet: the next run records
    log.warn({ err: causeText(err) }, 'sync state not recorded');
  }
}

/**
 * A one-off `feedctl reconcile` that applied its plan (or stopped at a failed change): its feeds' sync states, so a
 * setup without a watch controller (CI applies, workers serve the page) shows them too. Recorded by `reconcile`.
 */
export async function recordApply(config: Config, applied: ApplyOutcome): Promise<void> {
  if (!applied.plan.applyable) return;
  const failed = applied.results.filter((r) => r.outcome === 'failed').map((r) => r.error ?? 'failed');
  const outcome = failed.length > 0 ? 'failed' : 'applied';
  await recordSync(
    config,
    { plan: applied.plan, feeds: applied.feeds, invalid: [], outcome, reasons: failed },
    'reconcile',
  );
}

async function manifestTexts(c: Compared): Promise<Map<string, string | null>> {
  const fileOf = new Map(c.feeds.map((f) => [f.name, f.manifestPath]));
  for (const i of c.invalid) for (const feed of i.keeps) fileOf.set(feed, i.file);
  const texts = await Promise.all(
    [...fileOf].map(async ([feed, file]) => {
      const text = await readFile(file, 'utf8').catch(() => null);
      return [
        feed,
        text && text.length > MAX_MANIFEST_BYTES ? `${text.slice(0, MAX_MANIFEST_BYTES)}\n…` : text,
      ] as const;
    }),
  );
  return new Map(texts);
}
