-- The snapshot ledger of table feeds: one row per (feed, version) fixing the version's snapshot date, one row per
-- (feed, version, destination) with its publication state, and one per (feed, version, destination, partition)
-- with the rows written and the seal. Each destination publishes on its own. The warehouse's `<table>_latest` view
-- reads `feedctl_snapshots` (state `published`), so it switches in the transaction that publishes.

-- A version's identity: its snapshot date is fixed when it is first seen, so every partition and worker uses it.
CREATE TABLE feedctl_snapshot_versions (
  feed_name VARCHAR(64) NOT NULL,
  version BIGINT NOT NULL,
  snapshot_date DATE NOT NULL,
  first_seen_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (feed_name, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Snapshot versions of table feeds';

-- State per destination: open -> sealed -> published (-> expired), or incomplete (never published).
CREATE TABLE feedctl_snapshots (
  feed_name VARCHAR(64) NOT NULL,
  version BIGINT NOT NULL,
  destination VARCHAR(16) NOT NULL,
  state VARCHAR(16) NOT NULL,
  partitions INT NOT NULL COMMENT 'topic partitions that must seal the version',
  rows_total BIGINT NULL COMMENT 'rows written, set when sealed',
  lake_path VARCHAR(1024) NULL,
  reason VARCHAR(1024) NULL COMMENT 'why a version is incomplete',
  opened_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  sealed_at TIMESTAMP(3) NULL,
  published_at TIMESTAMP(3) NULL,
  updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (feed_name, destination, version),
  KEY idx_feedctl_snapshots_state (feed_name, destination, state, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Snapshot versions per destination';

-- Per partition: rows written (exactly once: the warehouse counts in its write transaction, the lake copies its
-- commit records' counts at the seal), the producer's count from the end marker, and when the partition sealed.
CREATE TABLE feedctl_snapshot_partitions (
  feed_name VARCHAR(64) NOT NULL,
  version BIGINT NOT NULL,
  destination VARCHAR(16) NOT NULL,
  partition_id INT NOT NULL,
  rows_written BIGINT NOT NULL DEFAULT 0,
  rows_expected BIGINT NULL COMMENT 'snapshot_rows of the end marker, when sent',
  sealed_at TIMESTAMP(3) NULL,
  PRIMARY KEY (feed_name, destination, version, partition_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Snapshot progress per partition';
