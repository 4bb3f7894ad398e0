"""Looking after the installation: backups, the doctor's checks, the reminder service's
start and lock."""
