DROP TABLE IF EXISTS feedctl_snapshot_partitions;
DROP TABLE IF EXISTS feedctl_snapshots;
DROP TABLE IF EXISTS feedctl_snapshot_versions;
