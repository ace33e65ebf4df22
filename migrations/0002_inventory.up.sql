-- Ownership inventory: the topics, tables and roles feedctl created or explicitly adopted. feedctl never alters,
-- prunes or reports drift on a resource that is not listed here.
CREATE TABLE feedctl_inventory (
  resource_kind ENUM('topic', 'table', 'role') NOT NULL,
  resource_id VARCHAR(255) NOT NULL,
  feed_name VARCHAR(64) NULL COMMENT 'owning feed; NULL for shared resources such as roles',
  adopted BOOLEAN NOT NULL DEFAULT FALSE COMMENT 'existed before feedctl and was adopted by a manifest',
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (resource_kind, resource_id),
  KEY idx_feedctl_inventory_feed (feed_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Resources owned by feedctl';
