DROP TABLE IF EXISTS feedctl_controllers;
