"""Every error a user can meet, each with its own exit code.

Services raise these; only the command line turns them into a message. The codes
let scripts tell a refused dose (4) from a typo (2) or a broken database (5).
"""

from __future__ import annotations


class TrackerError(Exception):
    """A problem the user can understand and act on: shown as one line, never a traceback."""

    exit_code = 1


class InputError(TrackerError):
    """The user typed something we cannot accept (bad date, unknown site, negative weight)."""

    exit_code = 2


class NotFound(TrackerError):
    """A child, entry or prescription that the user named does not exist."""

    exit_code = 3


class Refused(TrackerError):
    """A safety rule said no. Most can be overridden with --force and a reason."""

    exit_code = 4


class StorageError(TrackerError):
    """The database cannot be used: locked, corrupt, read-only, or from a newer version."""

    exit_code = 5
