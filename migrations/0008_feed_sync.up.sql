-- Each feed's sync state as the watch controller last saw it (in sync, changes pending, drift, blocked, invalid
-- manifest, failed), with why, the feed's part of the last plan and its manifest text, for `feedctl status` and the
-- status page. Status only, never a plan diff. `applied_hash` is the manifest hash last applied or found in sync: a
-- plan with changes for an unchanged manifest is drift.
CREATE TABLE feedctl_feed_sync (
  feed_name VARCHAR(64) NOT NULL PRIMARY KEY,
  state VARCHAR(20) NOT NULL,
  detail TEXT NULL,
  plan JSON NOT NULL COMMENT 'the feed''s changes and errors, as plan data',
  manifest_path VARCHAR(512) NULL,
  manifest MEDIUMTEXT NULL,
  manifest_hash CHAR(64) NULL,
  applied_hash CHAR(64) NULL,
  summary JSON NOT NULL COMMENT '{type, owner, description, labels, topic, destinations, retention}',
  observed_at TIMESTAMP(3) NOT NULL,
  since TIMESTAMP(3) NOT NULL,
  recorded_by VARCHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Feeds and their last sync state';
