-- Views feedctl creates (the `<table>_latest` view of each table feed) are owned resources like its tables: feedctl
-- only replaces or drops a view listed here.
ALTER TABLE feedctl_inventory MODIFY resource_kind ENUM('topic', 'table', 'role', 'view') NOT NULL;
