DROP TABLE IF EXISTS feedctl_consumers;
