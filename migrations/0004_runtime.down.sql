DROP TABLE IF EXISTS feedctl_workers;
DROP TABLE IF EXISTS feedctl_offsets;
