"""The clinic's files: the report's figures and each export, for a period."""
