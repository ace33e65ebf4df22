DELETE FROM feedctl_inventory WHERE resource_kind = 'view';
ALTER TABLE feedctl_inventory MODIFY resource_kind ENUM('topic', 'table', 'role') NOT NULL;
