DROP TABLE IF EXISTS feedctl_feed_sync;
