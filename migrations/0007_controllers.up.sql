-- Watch controllers (`feedctl reconcile --watch`): each one's last run — trigger, outcome, changes, and why its
-- blast-radius breaker tripped — for `feedctl status`. Status only, never a plan diff.
CREATE TABLE feedctl_controllers (
  instance_id VARCHAR(64) NOT NULL PRIMARY KEY,
  host VARCHAR(255) NOT NULL,
  pid INT NOT NULL,
  updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  last_run JSON NOT NULL COMMENT '{trigger, at, outcome, changes, reasons, retryInMs}',
  KEY idx_feedctl_controllers_updated (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Watch controllers and their last run';
