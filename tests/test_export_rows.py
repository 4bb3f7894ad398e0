"""The export's fast slot walk against the plain definition of a slot, on random logs.

`rows.walk` streams one query and computes local times with integers and string joins,
which is what makes a million-row export fast; this checks it against the obvious
per-day computation (schedule.localize for every slot, a dictionary of every entry) over
random zones (DST, half-hour and 45-minute offsets), prescription changes, entries
logged in another zone, forced extra doses and clocks.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tracker.db.models import Base, Child, Dose, Prescription
from tracker.db.session import make_engine
from tracker.domain import schedule
from tracker.exports import rows

ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
         "America/St_Johns", "Pacific/Chatham", "Europe/London", "Pacific/Apia"]
TIMES = ["07:30,19:30", "08:00,20:00", "02:30,14:30", "01:30,13:30", "06:00,12:00,18:00",
         "00:00,12:00"]


def reference(session, child, start, end, now):
    """Every slot, one day at a time, the way the schedule defines it."""
    zone = ZoneInfo(child.timezone)
    lo, hi = schedule.day_bounds(start, end, zone)
    prescriptions = sorted(session.query(Prescription).all(), key=lambda p: (p.starts_at, p.id))
    doses = session.query(Dose).filter(Dose.voided_at.is_(None)).all()
    labels = {(d.slot_date, d.slot_time) for d in doses if not d.extra}
    out = [(d.scheduled_at, d.status, d.id) for d in doses
           if (lo <= d.scheduled_at < hi if d.extra else start <= d.slot_date <= end)]
    day = start
    while day <= end:
        noon = schedule.localize(day, time(12), zone)
        current = [p for p in prescriptions if p.starts_at <= noon]
        times = schedule.parse_times(current[-1].times) if current else ()
        for slot in schedule.slots_on(day, times, zone):
            if (slot.day, slot.label) in labels or slot.at < child.created_at or slot.at > now:
                continue
            closes = schedule.closes_at(slot, schedule.next_slot_after(slot, times, zone))
            out.append((slot.at, "missed" if now >= closes else "due", 0))
        day += timedelta(days=1)
    out.sort(key=lambda r: (r[0], r[2]))
    return [(int(at.timestamp()), status, i) for at, status, i in out]


@functools.cache
def changes(zone: str) -> list[date]:
    """The days, 2024 to 2027, on which the zone's UTC offset changes."""
    z, day, found = ZoneInfo(zone), date(2024, 1, 1), []
    while day < date(2028, 1, 1):
        if z.utcoffset(datetime.combine(day, time(0))) != z.utcoffset(
                datetime.combine(day + timedelta(days=1), time(0))):
            found.append(day)
        day += timedelta(days=1)
    return found or [date(2026, 1, 1)]


@st.composite
def logs(draw):
    zone = draw(st.sampled_from(ZONES))
    # random days rarely hold an offset change, so most periods are drawn around one
    near_change = st.sampled_from(changes(zone)).flatmap(
        lambda d: st.integers(-6, 1).map(lambda k: d + timedelta(days=k)))
    start = draw(st.one_of(st.dates(date(2024, 1, 1), date(2027, 12, 1)), near_change))
    end = start + timedelta(days=draw(st.integers(0, 45)))
    instant = st.integers(-10 * 86400, (end - start).days * 86400 + 86400).map(
        lambda s: datetime.combine(start, time(0), tzinfo=UTC) + timedelta(seconds=s))
    prescriptions = draw(st.lists(st.tuples(instant, st.sampled_from(TIMES)), min_size=1,
                                  max_size=3))
    # tracking mostly began before the period and `now` mostly lies after it, so that
    # most slots are listed; sometimes either falls inside it
    created = draw(st.one_of(instant, instant.map(lambda at: at - timedelta(days=60))))
    now = draw(st.one_of(instant, instant.map(lambda at: at + timedelta(days=60))))
    # entries: each drawn slot label once (the index allows one live entry per slot), in
    # the child's zone or in the zone of a trip; and a few forced extra doses
    picks = draw(st.lists(st.tuples(st.integers(-2, (end - start).days + 2),
                                    st.sampled_from(["07:30", "19:30", "08:00", "02:30",
                                                     "01:30", "13:30", "12:00"]),
                                    st.sampled_from(["given", "withheld", "extra"]),
                                    st.sampled_from([zone, "Asia/Tokyo", "America/Denver"]),
                                    st.integers(-90, 240)),
                          max_size=40, unique_by=lambda p: (p[0], p[1], p[2] == "extra")))
    return zone, start, end, prescriptions, created, now, picks


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(log=logs())
def test_the_walk_matches_the_schedule_slot_by_slot(tmp_path_factory, log):
    zone_name, start, end, prescriptions, created, now, picks = log
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('walk') / 'log.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        child = Child(name="Mia", birth_date=date(2018, 1, 1), timezone=zone_name,
                      created_at=created)
        session.add(child)
        session.flush()
        for at, times in prescriptions:
            session.add(Prescription(child_id=child.id, starts_at=at, dose_mg=0.8, times=times,
                                     created_at=at))
        for offset, label, kind, where, late in picks:
            day = start + timedelta(days=offset)
            hh, mm = map(int, label.split(":"))
            at = schedule.localize(day, time(hh, mm), ZoneInfo(where))
            given_at = at + timedelta(minutes=late)
            session.add(Dose(
                child_id=child.id, slot_date=day, slot_time=label, scheduled_at=at,
                status="withheld" if kind == "withheld" else "given",
                given_at=None if kind == "withheld" else given_at,
                dose_mg=None if kind == "withheld" else 0.8,
                reason="ill" if kind == "withheld" else None,
                extra=kind == "extra", created_at=given_at))
        session.commit()
        zone = ZoneInfo(zone_name)
        walked = list(rows.walk(session, child, start, end, now))
        assert [(ts, status, e[5] if e else 0) for ts, _, status, e, _, _ in walked] == (
            reference(session, child, start, end, now))
        for ts, local, _, e, day, label in walked:  # local times as text, offsets included
            assert local == datetime.fromtimestamp(ts, zone).isoformat()
            # each row names its slot: an entry's own, else the schedule's, by the one rule
            if e is not None:
                assert (day, label) == (e[3], e[4])
            else:
                hh, mm = map(int, label.split(":"))
                at = schedule.localize(date.fromisoformat(day), time(hh, mm), zone)
                assert int(at.timestamp()) == ts
    engine.dispose()
