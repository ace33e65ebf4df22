/**
 * The runtime's counters and gauges (prom-client), one registry per worker. The health server of `feedctl run` and
 * `reconcile --watch` (src/health) serves them on /metrics; deploy/prometheus/feedctl-rules.yml alerts on them.
 * Labels are feed, destination and, for lag, partition.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { bulkEnabled } from './warehouse/load-path.js';

export class RuntimeMetrics {
  readonly registry = new Registry();

  constructor() {
    // Process and Node.js metrics (resident memory, heap, event-loop lag, GC), prefixed feedctl_.
    collectDefaultMetrics({ register: this.registry, prefix: 'feedctl_' });
  }

  readonly messages = new Counter({
    name: 'feedctl_messages_total',
    help: 'Kafka messages consumed and handled (stored or dead-lettered)',
    labelNames: ['feed', 'destination'],
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'feedctl_dead_letters_total',
    help: 'Messages sent to the dead-letter topic (or skipped when it is disabled), by failing stage',
    labelNames: ['feed', 'destination', 'stage'],
    registers: [this.registry],
  });
  readonly rows = new Counter({
    name: 'feedctl_rows_written_total',
    help: 'Rows committed to the lake (Parquet) or the warehouse (MySQL)',
    labelNames: ['feed', 'destination'],
    registers: [this.registry],
  });
  readonly files = new Counter({
    name: 'feedctl_lake_files_total',
    help: 'Parquet files committed to the lake',
    labelNames: ['feed'],
    registers: [this.registry],
  });
  readonly commitSeconds = new Histogram({
    name: 'feedctl_sink_commit_seconds',
    help: 'Time to make a batch durable (lake flush or warehouse transaction)',
    labelNames: ['feed', 'destination'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'feedctl_sink_retries_total',
    help: 'Retries after infrastructure failures (MySQL or Kafka unreachable, disk errors)',
    labelNames: ['feed', 'destination'],
    registers: [this.registry],
  });
  readonly lag = new Gauge({
    name: 'feedctl_consumer_lag',
    help: "Messages between the log end offset and the sink's durable offset (buffered lake rows included)",
    labelNames: ['feed', 'destination', 'partition'],
    registers: [this.registry],
  });
  readonly stalled = new Gauge({
    name: 'feedctl_consumer_stalled',
    help: 'Whether a consumer has a partition with lag and no durable progress beyond the stall threshold',
    labelNames: ['feed', 'destination'],
    registers: [this.registry],
  });
  readonly restarts = new Counter({
    name: 'feedctl_consumer_restarts_total',
    help: 'Consumers the worker restarted after the Kafka client gave up on them',
    labelNames: ['feed', 'destination'],
    registers: [this.registry],
  });
  readonly heartbeat = new Gauge({
    name: 'feedctl_worker_heartbeat_timestamp_seconds',
    help: 'When this worker last wrote its heartbeat to feedctl_workers (unix seconds; 0 before the first): it stops moving while MySQL is unreachable or the process is stuck',
    registers: [this.registry],
  });
  readonly warehouseLoadData = new Gauge({
    name: 'feedctl_warehouse_load_data',
    help: "1 while this process's warehouse sinks write large batches with LOAD DATA LOCAL INFILE, 0 when they use multi-row upserts only (warehouse.localInfile=off, or the server refused it)",
    registers: [this.registry],
    collect() {
      this.set(bulkEnabled());
    },
  });
  readonly consumers = new Gauge({
    name: 'feedctl_consumers_running',
    help: 'Consumers this worker runs',
    registers: [this.registry],
  });
  readonly snapshotsPublished = new Counter({
    name: 'feedctl_snapshots_published_total',
    help: 'Table feed snapshot versions published (lake: renamed into place; warehouse: the _latest view switched)',
    labelNames: ['feed', 'destination'],
    registers: [this.registry],
  });
  readonly snapshotsIncomplete = new Counter({
    name: 'feedctl_snapshots_incomplete_total',
    help: 'Snapshot versions marked incomplete (row counts differ from the end markers, or superseded unsealed)',
    labelNames: ['feed', 'destination'],
    registers: [this.registry],
  });
  readonly snapshotVersion = new Gauge({
    name: 'feedctl_snapshot_published_version',
    help: 'The latest published snapshot version of a table feed',
    labelNames: ['feed', 'destination'],
    registers: [this.registry],
  });
  readonly retentionRows = new Counter({
    name: 'feedctl_retention_rows_deleted_total',
    help: 'Warehouse rows deleted by retention',
    labelNames: ['feed'],
    registers: [this.registry],
  });
  readonly retentionFiles = new Counter({
    name: 'feedctl_retention_files_deleted_total',
    help: 'Lake files deleted by retention',
    labelNames: ['feed'],
    registers: [this.registry],
  });
  readonly retentionBytes = new Counter({
    name: 'feedctl_retention_bytes_deleted_total',
    help: 'Lake bytes deleted by retention',
    labelNames: ['feed'],
    registers: [this.registry],
  });
  readonly retentionFailures = new Counter({
    name: 'feedctl_retention_failures_total',
    help: 'Feeds whose retention failed in a run',
    labelNames: ['feed'],
    registers: [this.registry],
  });
  readonly retentionLastRun = new Gauge({
    name: 'feedctl_retention_last_run_timestamp_seconds',
    help: "When this worker's last retention run ended, by outcome (success, failure)",
    labelNames: ['outcome'],
    registers: [this.registry],
  });
}
