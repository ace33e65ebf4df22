/**
 * Retention inside workers: every `retention.intervalSeconds` (first a minute after start, or sooner when the
 * interval is shorter), a run under the cluster-wide lock — a worker that finds another run in progress skips its
 * turn. Runs never overlap in one worker; failures are logged and counted, and the next turn tries again.
 */
import type { Config } from '../../config/config.js';
import type { Pool } from '../../clients/mysql.js';
import { causeText } from '../../errors.js';
import { logger } from '../../log.js';
import type { RuntimeMetrics } from '../metrics.js';
import { runRetention, type RetentionReport } from './job.js';

const FIRST_RUN_MS = 60_000;
const log = logger('retention');

export class RetentionSchedule {
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();

  constructor(
    private readonly config: Config,
    private readonly db: Pool,
    private readonly metrics: RuntimeMetrics,
  ) {}

  start(): void {
    const everyMs = this.config.retention.intervalSeconds * 1000;
    if (everyMs === 0) return;
    this.timers.push(setTimeout(() => this.turn(), Math.min(FIRST_RUN_MS, everyMs)));
    this.timers.push(setInterval(() => this.turn(), everyMs));
  }

  /** No new turn starts; a run in progress stops after its current delete batch. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.abort.abort();
    await this.running;
  }

  private turn(): void {
    if (this.running) return;
    this.running = this.run().finally(() => (this.running = null));
  }

  private async run(): Promise<void> {
    try {
      const report = await runRetention(
        { config: this.config, db: this.db },
        { dryRun: false, signal: this.abort.signal },
      );
      if (report === null) return log.debug({}, 'retention runs in another process; skipped');
      this.count(report);
      this.metrics.retentionLastRun.set({ outcome: 'success' }, Date.now() / 1000);
    } catch (err) {
      this.metrics.retentionLastRun.set({ outcome: 'failure' }, Date.now() / 1000);
      log.error({ err: causeText(err) }, 'retention run failed');
    }
  }

  private count(report: RetentionReport): void {
    for (const f of report.feeds) {
      if (f.error) this.metrics.retentionFailures.inc({ feed: f.feed });
      const gone = f.items.slice(0, f.deleted);
      const sum = (k: 'rows' | 'files' | 'bytes') => gone.reduce((n, i) => n + i[k], 0);
      this.metrics.retentionRows.inc({ feed: f.feed }, sum('rows'));
      this.metrics.retentionFiles.inc({ feed: f.feed }, sum('files'));
      this.metrics.retentionBytes.inc({ feed: f.feed }, sum('bytes'));
    }
  }
}
