"""The reminder planner: what fires when, across DST, sleep, snoozes and logged doses."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tracker.domain import schedule
from tracker.domain.reminders import SlotInfo, due_now, key_for, next_wakeup, schedule_for

PARIS = ZoneInfo("Europe/Paris")
BERLIN = ZoneInfo("Europe/Berlin")
TIMES = schedule.parse_times("07:30,19:30")


def infos(day: date, zone=PARIS, times=TIMES, logged=()):
    slots = schedule.slots_around(schedule.localize(day, time(12), zone), times, zone,
                                  range(-1, 2))
    slots.sort()
    out = []
    for slot, following in itertools.pairwise(slots):
        out.append(SlotInfo(slot, schedule.closes_at(slot, following), slot.label in logged
                            and slot.day == day))
    return out


def local(text: str, zone=PARIS) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(UTC)


def fire(slots, sent, now):
    """Run the planner like the service does: send, remember, return kinds."""
    got = due_now(slots, sent, now)
    sent.update(r.key for r in got)
    return [(r.slot.label, r.kind) for r in got]


def test_a_day_of_reminders_fires_each_once():
    slots = infos(date(2026, 11, 24))
    sent: set[str] = set()
    fired = []
    t = local("2026-11-24T07:00")
    while t < local("2026-11-24T23:59"):
        fired += fire(slots, sent, t)
        t += timedelta(minutes=1)
    assert fired == [("07:30", "due"), ("07:30", "follow-up"), ("07:30", "follow-up-2"),
                     ("07:30", "missed"), ("19:30", "due"), ("19:30", "follow-up"),
                     ("19:30", "follow-up-2"), ("19:30", "missed")]


def test_logged_slot_gets_nothing():
    slots = infos(date(2026, 11, 24), logged=("07:30",))
    assert due_now(slots, set(), local("2026-11-24T08:10")) == []


def test_slept_through_the_dose_time_one_coalesced_reminder_on_wake():
    slots = infos(date(2026, 11, 24))
    sent: set[str] = set()
    assert fire(slots, sent, local("2026-11-24T08:45")) == [("07:30", "follow-up-2")]
    assert fire(slots, sent, local("2026-11-24T08:46")) == []


def test_slept_past_the_window_sends_nothing_for_the_closed_slot():
    slots = infos(date(2026, 11, 24))
    assert fire(slots, set(), local("2026-11-24T13:00")) == []
    # ...but the missed notice goes out if we wake within its grace
    assert fire(slots, set(), local("2026-11-24T11:40")) == [("07:30", "missed")]


def test_snooze_quiets_follow_ups_only():
    slots = infos(date(2026, 11, 24))
    sent = {key_for(slots[2].slot, "due")}
    quiet = local("2026-11-24T08:20")
    assert due_now(slots, sent, local("2026-11-24T08:05"), quiet_until=quiet) == []
    got = due_now(slots, sent, local("2026-11-24T08:21"), quiet_until=quiet)
    assert [r.kind for r in got] == ["follow-up"]


def test_dst_skipped_hour_fires_once_at_the_shifted_time():
    times = schedule.parse_times("02:30,14:30")
    slots = infos(date(2026, 3, 29), zone=BERLIN, times=times)
    sent: set[str] = set()
    fired = []
    t = local("2026-03-29T00:00", BERLIN)
    end = t + timedelta(hours=5)
    while t < end:
        for label, kind in fire(slots, sent, t):
            if kind == "due":
                fired.append((label, t.astimezone(BERLIN).strftime("%H:%M")))
        t += timedelta(minutes=1)
    assert fired == [("02:30", "03:30")]


def test_dst_repeated_hour_fires_once():
    times = schedule.parse_times("02:30,14:30")
    slots = infos(date(2026, 10, 25), zone=BERLIN, times=times)
    sent: set[str] = set()
    fired = []
    t = datetime(2026, 10, 24, 23, 0, tzinfo=UTC)  # 01:00 CEST
    while t < datetime(2026, 10, 25, 3, 0, tzinfo=UTC):
        fired += [k for k in fire(slots, sent, t) if k[1] == "due"]
        t += timedelta(minutes=1)
    assert fired == [("02:30", "due")]


def test_next_wakeup():
    slots = infos(date(2026, 11, 24))
    now = local("2026-11-24T07:00")
    assert next_wakeup(slots, set(), now) == local("2026-11-24T07:30")
    sent = {key_for(slots[2].slot, "due")}
    assert next_wakeup(slots, sent, local("2026-11-24T07:31")) == local("2026-11-24T08:00")


def test_follow_ups_stop_at_the_window():
    times = schedule.parse_times("08:00,10:00,20:00")
    slot = schedule.slots_on(date(2026, 11, 24), times, PARIS)[0]
    nxt = schedule.next_slot_after(slot, times, PARIS)
    kinds = [k for k, _ in schedule_for(SlotInfo(slot, schedule.closes_at(slot, nxt), False))]
    assert kinds == ["due", "follow-up", "missed"]  # closes at 09:00, halfway to 10:00


def test_contacts_are_told_their_delay_after_the_dose_time_while_the_slot_is_open():
    from tracker.domain import reminders as planner
    from tracker.domain.schedule import Slot

    at = datetime(2026, 11, 24, 18, 30, tzinfo=UTC)
    open_slot = planner.SlotInfo(Slot(at, date(2026, 11, 24), time(19, 30)),
                                 at + timedelta(hours=4), False)
    logged = open_slot._replace(logged=True)
    told = planner.contacts_to_tell([open_slot, logged], {1: 30, 2: 240, 3: 239}, set())
    # 240 minutes is the slot's closing time: nobody is sent to give a missed dose
    assert [(c, when) for _, c, when in told] == [(1, at + timedelta(minutes=30)),
                                                  (3, at + timedelta(minutes=239))]
    sent = {planner.contact_key(open_slot.slot, 1)}
    assert [c for _, c, _ in planner.contacts_to_tell([open_slot], {1: 30}, sent)] == []
    assert planner.contact_key(open_slot.slot, 7) == "2026-11-24/19:30/contact7"


def test_a_heads_up_comes_that_long_before_the_dose_and_first():
    slots = infos(date(2026, 11, 24))
    morning = slots[2]
    assert (morning.slot.day, morning.slot.label) == (date(2026, 11, 24), "07:30")
    fifteen = timedelta(minutes=15)
    assert schedule_for(morning, heads_up=fifteen)[0] == ("heads-up", local("2026-11-24T07:15"))
    assert [k for k, _ in schedule_for(morning)] == ["due", "follow-up", "follow-up-2",
                                                     "missed"]
    (r,) = due_now(slots, set(), local("2026-11-24T07:15"), heads_up=fifteen)
    assert (r.kind, r.at, r.key) == ("heads-up", local("2026-11-24T07:15"),
                                     "2026-11-24/07:30/heads-up")
    assert due_now(slots, set(), local("2026-11-24T07:14"), heads_up=fifteen) == []
    assert next_wakeup(slots, set(), local("2026-11-24T07:00"), heads_up=fifteen) == local(
        "2026-11-24T07:15")


def test_a_reminder_says_when_it_was_meant_to_fire():
    slots = infos(date(2026, 11, 24))
    (r,) = due_now(slots, set(), local("2026-11-24T08:07"))
    assert (r.kind, r.at) == ("follow-up", local("2026-11-24T08:00"))


def test_a_snooze_ends_on_its_minute_and_never_holds_the_dose_time_reminder():
    slots = infos(date(2026, 11, 24))
    quiet = local("2026-11-24T08:00")
    sent = {key_for(slots[2].slot, "due")}
    assert due_now(slots, sent, quiet, quiet_until=quiet)[0].kind == "follow-up"
    # dose-time reminders still come while follow-ups are quiet
    (r,) = due_now(slots, set(), local("2026-11-24T07:31"), quiet_until=quiet)
    assert r.kind == "due"


def test_a_logged_or_sent_slot_does_not_hide_the_next_ones():
    slots = infos(date(2026, 11, 24), logged=("07:30",))
    assert [(r.slot.label, r.kind) for r in due_now(slots, set(), local("2026-11-24T19:31"))
            ] == [("19:30", "due")]
    # two slots with something due at once: the first one's sent already
    times = schedule.parse_times("08:00,10:00")
    day = schedule.slots_on(date(2026, 11, 24), times, PARIS)
    pair = [SlotInfo(s, schedule.closes_at(s, schedule.next_slot_after(s, times, PARIS)),
                     False) for s in day]
    sent = {key_for(pair[0].slot, "follow-up")}
    got = due_now(pair, sent, local("2026-11-24T08:45"), heads_up=timedelta(minutes=90))
    assert [(r.slot.label, r.kind) for r in got] == [("10:00", "heads-up")]


def test_the_missed_notice_is_sent_up_to_its_grace_and_not_after():
    slots = infos(date(2026, 11, 24))  # the 07:30 dose closes at 11:30
    assert fire(slots, set(), local("2026-11-24T11:45")) == [("07:30", "missed")]
    assert fire(slots, set(), local("2026-11-24T11:45:01")) == []


def test_the_next_wakeup_skips_what_was_sent_and_what_is_now():
    slots = infos(date(2026, 11, 24))
    due = {key_for(slots[2].slot, "due")}
    assert next_wakeup(slots, due, local("2026-11-24T07:00")) == local("2026-11-24T08:00")
    assert next_wakeup(slots, set(), local("2026-11-24T07:30")) == local("2026-11-24T08:00")
    everything = infos(date(2026, 11, 24), logged=("07:30", "19:30"))
    assert next_wakeup(everything[2:4], set(), local("2026-11-24T07:00")) is None


def test_a_logged_dose_sends_no_contact_while_the_open_one_does():
    from tracker.domain import reminders as planner

    slots = infos(date(2026, 11, 24), logged=("07:30",))
    told = planner.contacts_to_tell(slots[2:4], {1: 30}, set())
    assert [(i.slot.label, c) for i, c, _ in told] == [("19:30", 1)]


def test_the_order_the_slots_come_in_does_not_matter():
    slots = infos(date(2026, 11, 24))
    now = local("2026-11-24T19:31")
    assert due_now(list(reversed(slots)), set(), now) == due_now(slots, set(), now) != []
