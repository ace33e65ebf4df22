DROP TABLE IF EXISTS feedctl_inventory;
