"""The one place that reads the wall clock.

Everything below the command line takes `now` as an argument; the command line gets it
from here. TRACKER_FAKE_NOW (an ISO 8601 instant with offset) lets tests and demos that
run tracker as a subprocess control time; it is never meant for real logging, so the
command line says when it is in use.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

from tracker.errors import InputError
from tracker.i18n import _


def fake_now() -> datetime | None:
    value = os.environ.get("TRACKER_FAKE_NOW")
    if not value:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(_("TRACKER_FAKE_NOW={value!r} is not an ISO 8601 instant").format(
                             value=value)) from None
    if at.tzinfo is None:
        raise InputError(_("TRACKER_FAKE_NOW needs a UTC offset, e.g. 2026-11-24T07:30:00+01:00"))
    return at.astimezone(UTC)


_STARTED = time.monotonic()


def now() -> datetime:
    """Real UTC time; or TRACKER_FAKE_NOW (frozen); or TRACKER_CLOCK_START (a running clock
    that starts there: for testing the reminder service at any date)."""
    fixed = fake_now()
    if fixed is not None:
        return fixed
    start = os.environ.get("TRACKER_CLOCK_START")
    if start:
        try:
            origin = datetime.fromisoformat(start).astimezone(UTC)
        except ValueError:
            raise InputError(_("TRACKER_CLOCK_START={start!r} is not an ISO 8601 instant").format(
                                 start=start)) from None
        return origin + timedelta(seconds=time.monotonic() - _STARTED)
    return datetime.now(UTC)


def machine_zone() -> str:
    """The machine's IANA zone name, or UTC when it cannot be told."""
    try:
        from tzlocal import get_localzone_name

        return get_localzone_name() or "UTC"
    except Exception:  # tzlocal raises several kinds on odd setups; UTC is a safe answer
        return "UTC"
