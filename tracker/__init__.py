"""tracker: a local-first log for a child's Increlex (mecasermin) injections."""

__version__ = "0.1.0"
