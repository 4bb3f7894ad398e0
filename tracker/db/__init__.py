"""Storage: models, engine and migrations. Imported only by commands that touch the log."""
