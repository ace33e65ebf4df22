-- Desired consumer state, one row per feed that has consumers to run: written by `feedctl reconcile` (the
-- `consumer` resource kind), read by `feedctl run` workers, which converge to it. `generation` increases whenever
-- `spec_hash` changes; a worker restarts exactly the consumers whose generation changed. No row = no consumer.
CREATE TABLE feedctl_consumers (
  feed_name VARCHAR(64) NOT NULL PRIMARY KEY,
  generation BIGINT NOT NULL,
  spec_hash CHAR(64) NOT NULL COMMENT 'sha256 of the normalized runtime-relevant spec',
  spec JSON NOT NULL COMMENT 'the normalized feed spec the consumers run',
  lake_enabled BOOLEAN NOT NULL,
  warehouse_enabled BOOLEAN NOT NULL,
  updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Consumers feedctl workers must run';
