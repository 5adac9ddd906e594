"""Running SILABU as a service (issue 14): request log, security headers, health, the worker's heartbeat, the Admin's
status page, and the storage commands' helpers (buckets, backups, integrity). Core layer: reads kinerja's models;
backups walk every installed app through the app registry, so nothing here imports a later app."""
