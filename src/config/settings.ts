/** Every setting feedctl reads: dotted key (config file), environment variable, default, description. */

/** One setting: its dotted key, environment variable, default and description (the README table mirrors this). */
export interface SettingDef {
  key: string;
  env: string;
  default: string;
  description: string;
}

export const SETTINGS: readonly SettingDef[] = [
  {
    key: 'kafka.brokers',
    env: 'FEEDCTL_KAFKA_BROKERS',
    default: '127.0.0.1:9092',
    description: 'Comma-separated bootstrap brokers',
  },
  {
    key: 'kafka.clientId',
    env: 'FEEDCTL_KAFKA_CLIENT_ID',
    default: 'feedctl',
    description: 'Kafka client id',
  },
  {
    key: 'kafka.groupPrefix',
    env: 'FEEDCTL_KAFKA_GROUP_PREFIX',
    default: 'feedctl',
    description:
      "Consumer groups are `<prefix>.<feed>.<destination>`; installations sharing a Kafka cluster need different ones (letters, digits, '.', '_', '-')",
  },
  {
    key: 'kafka.defaultReplicationFactor',
    env: 'FEEDCTL_KAFKA_REPLICATION_FACTOR',
    default: '1',
    description: 'Replication factor for manifests that do not set one',
  },
  {
    key: 'kafka.sessionTimeoutMs',
    env: 'FEEDCTL_KAFKA_SESSION_TIMEOUT_MS',
    default: '30000',
    description: 'Consumer group session timeout: how long a dead worker keeps its partitions',
  },
  {
    key: 'mysql.url',
    env: 'FEEDCTL_MYSQL_URL',
    default: 'mysql://root@127.0.0.1:3306',
    description: 'MySQL/MariaDB server URL (user, password, host, port)',
  },
  {
    key: 'mysql.password',
    env: 'FEEDCTL_MYSQL_PASSWORD',
    default: '',
    description: 'Overrides the password of mysql.url; never printed',
  },
  {
    key: 'mysql.database',
    env: 'FEEDCTL_MYSQL_DATABASE',
    default: 'data_warehouse',
    description: 'Warehouse + control-plane database',
  },
  {
    key: 'lake.root',
    env: 'FEEDCTL_LAKE_ROOT',
    default: './data_lake',
    description: 'Root of the Parquet data lake: a folder, or s3://bucket/prefix on S3-compatible storage',
  },
  {
    key: 'lake.s3.endpoint',
    env: 'FEEDCTL_LAKE_S3_ENDPOINT',
    default: '',
    description:
      'S3-compatible endpoint, http(s)://host:port (empty: AWS); a loopback one is the local S3Proxy `stack up` starts',
  },
  {
    key: 'lake.s3.region',
    env: 'FEEDCTL_LAKE_S3_REGION',
    default: 'us-east-1',
    description:
      'Region of the lake bucket (credentials come from the AWS SDK default chain, never from here)',
  },
  {
    key: 'lake.s3.pathStyle',
    env: 'FEEDCTL_LAKE_S3_PATH_STYLE',
    default: 'auto',
    description:
      'Path-style addressing (endpoint/bucket/key): auto (on when an endpoint is set), true or false',
  },
  {
    key: 'runtime.stallSeconds',
    env: 'FEEDCTL_STALL_SECONDS',
    default: '120',
    description: 'A consumer partition with lag and no durable progress for this long is reported stalled',
  },
  {
    key: 'runtime.memoryBudgetMb',
    env: 'FEEDCTL_MEMORY_BUDGET_MB',
    default: '256',
    description:
      "Memory one worker process aims to stay under: sizes its lake buffers (a quarter), its lane threads' heaps and its fetch window",
  },
  {
    key: 'runtime.bufferBudgetMb',
    env: 'FEEDCTL_BUFFER_BUDGET_MB',
    default: 'auto',
    description:
      "Lake buffers of one worker process, all partitions together; past it a partition's buffer is flushed before it fetches more (auto: a quarter of runtime.memoryBudgetMb)",
  },
  {
    key: 'runtime.threads',
    env: 'FEEDCTL_THREADS',
    default: 'auto',
    description:
      'Lane threads that decode, build columns and encode Parquet for stream feeds beside the runtime thread (auto: as many as runtime.memoryBudgetMb allows, about 96 MB each, one per core at most; 0: none)',
  },
  {
    key: 'retention.intervalSeconds',
    env: 'FEEDCTL_RETENTION_INTERVAL_SECONDS',
    default: '3600',
    description: 'How often workers run the retention job (one worker at a time); 0 turns it off in workers',
  },
  {
    key: 'retention.graceSeconds',
    env: 'FEEDCTL_RETENTION_GRACE_SECONDS',
    default: '3600',
    description:
      'A table version that left the kept versions, or a lake day written to, this recently is kept (readers finish)',
  },
  {
    key: 'retention.batchRows',
    env: 'FEEDCTL_RETENTION_BATCH_ROWS',
    default: '5000',
    description: 'Warehouse rows deleted per statement (and transaction) by retention',
  },
  {
    key: 'retention.pauseMs',
    env: 'FEEDCTL_RETENTION_PAUSE_MS',
    default: '50',
    description: "Pause between retention's warehouse delete batches, so writers get the table",
  },
  {
    key: 'warehouse.localInfile',
    env: 'FEEDCTL_WAREHOUSE_LOCAL_INFILE',
    default: 'auto',
    description:
      'Warehouse writes through LOAD DATA LOCAL INFILE: auto (large writes), on (every write) or off; a server that refuses it falls back to multi-row upserts',
  },
  {
    key: 'controller.resyncSeconds',
    env: 'FEEDCTL_RESYNC_SECONDS',
    default: '300',
    description: 'reconcile --watch: how often it reconciles without a manifest change (drift is healed)',
  },
  {
    key: 'controller.refreshSeconds',
    env: 'FEEDCTL_REFRESH_SECONDS',
    default: '30',
    description:
      'reconcile --watch: how often it compares without applying, for the sync states of status and the status page (0: only at reconciles)',
  },
  {
    key: 'controller.breakerMaxShare',
    env: 'FEEDCTL_BREAKER_MAX_SHARE',
    default: '0.25',
    description:
      'reconcile --watch refuses a plan disabling or deleting more than this share of the enabled feeds',
  },
  {
    key: 'controller.breakerMaxFeeds',
    env: 'FEEDCTL_BREAKER_MAX_FEEDS',
    default: '10',
    description: 'reconcile --watch refuses a plan disabling or deleting more feeds than this at once',
  },
  {
    key: 'controller.unreadyAfterSeconds',
    env: 'FEEDCTL_UNREADY_AFTER_SECONDS',
    default: '600',
    description: 'reconcile --watch: /readyz turns unready when reconciles have failed for longer than this',
  },
  {
    key: 'http.host',
    env: 'FEEDCTL_HTTP_HOST',
    default: '127.0.0.1',
    description:
      'run and reconcile --watch: address of the health and metrics server (/metrics, /healthz, /readyz); 0.0.0.0 serves every interface',
  },
  {
    key: 'http.port',
    env: 'FEEDCTL_HTTP_PORT',
    default: '9464',
    description: 'Port of the health and metrics server; 0 picks a free one (the command prints its URL)',
  },
  {
    key: 'http.token',
    env: 'FEEDCTL_HTTP_TOKEN',
    default: '',
    description:
      'Bearer token the status page (/, /feeds/…) and /api/ require; empty: none. /metrics, /healthz, /readyz stay open; never printed',
  },
  { key: 'feedsDir', env: 'FEEDCTL_FEEDS_DIR', default: './feeds', description: 'Folder of feed manifests' },
  {
    key: 'stackHome',
    env: 'FEEDCTL_HOME',
    default: '~/.cache/feedctl',
    description: 'Local stack state: Kafka jars, data, logs',
  },
];
