-- Runtime state of `feedctl run` workers.

-- Exactly-once progress of the warehouse sink: the next offset to read per topic partition, written in the same
-- transaction as the rows it covers. Consumers seek to it when a partition is assigned.
CREATE TABLE feedctl_offsets (
  feed_name VARCHAR(64) NOT NULL,
  destination VARCHAR(16) NOT NULL,
  topic VARCHAR(249) NOT NULL,
  partition_id INT NOT NULL,
  next_offset BIGINT NOT NULL,
  generation BIGINT NOT NULL COMMENT 'consumer generation that wrote it',
  updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (feed_name, destination, topic, partition_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Committed consumer offsets';

-- Worker heartbeats: what each running worker runs and how far it got. Status only, never a plan diff.
CREATE TABLE feedctl_workers (
  instance_id VARCHAR(64) NOT NULL PRIMARY KEY,
  host VARCHAR(255) NOT NULL,
  pid INT NOT NULL,
  destinations VARCHAR(32) NOT NULL COMMENT 'lake, warehouse or all',
  started_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  heartbeat_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  stopped_at TIMESTAMP(3) NULL,
  status JSON NOT NULL COMMENT '{"consumers": [{feed, destination, generation, state, messages, lag, lastProgressAt}]}',
  KEY idx_feedctl_workers_heartbeat (heartbeat_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Running feedctl workers';
