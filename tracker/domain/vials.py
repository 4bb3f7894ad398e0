"""The medicine supply: the open vial's discard day, what is left, and how long it lasts.

The label: a 40 mg / 4 mL vial, discarded 30 days after opening; unopened vials are
discarded after their expiry date. "30 days" is counted on the calendar where the child
lives (opened 08:00 on 20 March, discarded 08:00 on 19 April, whatever DST did between).
Every figure is a plain function of its inputs, including `now`, so that the reminder
service can ask the same questions at any moment.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from tracker.domain.actions import Do, act, fill
from tracker.domain.dosing import format_ml
from tracker.domain.schedule import format_span, localize
from tracker.i18n import N_, _, ngettext, pgettext
from tracker.i18n.formats import clock, day_short, decimal
from tracker.i18n.formats import day as shown_day

VIAL_ML = 4.0
DISCARD_AFTER_DAYS = 30
DISCARD_SOON = timedelta(days=3)
LOW_SUPPLY_DAYS = 10  # warn when the medicine at home lasts fewer days than this


def discard_at(opened_at: datetime, expires_on: date | None, zone: ZoneInfo) -> datetime:
    """When the open vial must be thrown away: 30 calendar days, or the end of its expiry day."""
    local = opened_at.astimezone(zone)
    day30 = localize(local.date() + timedelta(days=DISCARD_AFTER_DAYS), local.time(), zone)
    if expires_on is None:
        return day30
    end_of_expiry = localize(expires_on + timedelta(days=1), time(0), zone)
    return min(day30, end_of_expiry)


def remaining_ml(volume_ml: float, used_ml: list[float]) -> float:
    return max(0.0, volume_ml - sum(used_ml))


def doses_left(remaining: float, dose_ml: float) -> int:
    return int(remaining / dose_ml + 1e-9) if dose_ml > 0 else 0


def days_of_supply(
    open_remaining_ml: float,
    open_usable_until: datetime | None,
    unopened: int,
    dose_ml: float,
    doses_per_day: int,
    now: datetime,
) -> float:
    """Days the medicine at home lasts at the current dose.

    The open vial counts only until its discard day; each unopened vial gives what can be
    drawn from it in whole doses before its own 30 days run out.
    """
    daily = dose_ml * doses_per_day
    if daily <= 0:
        return float("inf")
    open_days = open_remaining_ml / daily
    if open_usable_until is not None:
        open_days = min(open_days, max(0.0, (open_usable_until - now).total_seconds() / 86400))
    per_vial = min(doses_left(VIAL_ML, dose_ml) * dose_ml / daily, float(DISCARD_AFTER_DAYS))
    return open_days + unopened * per_vial


class VialState(NamedTuple):
    remaining_ml: float
    discard_at: datetime
    doses_left: int


def vial_warnings(
    state: VialState | None, dose_ml: float, now: datetime, zone: ZoneInfo
) -> list[str]:
    """What a parent must know before drawing the next dose."""
    if state is None:
        return [fill(_("no vial is recorded as open: when you open one, {command}"),
                     command=act(Do.VIAL_OPEN))]
    warnings: list[str] = []
    local = state.discard_at.astimezone(zone)
    # TRANSLATORS: a day and a time (Sat 05 Dec 08:00)
    when = _("{day} {time}").format(day=day_short(local), time=clock(local))
    if now >= state.discard_at:
        warnings.append(
            fill(_("the open vial had to be discarded on {when}: open a new vial ({command})"),
                 when=when, command=act(Do.VIAL_OPEN))
        )
    elif state.discard_at - now <= DISCARD_SOON:
        left = round((state.discard_at - now).total_seconds() / 60)
        warnings.append(_("the open vial must be discarded in {left} ({when})").format(
            left=format_span(left), when=when))
    if state.remaining_ml + 1e-9 < dose_ml:
        warnings.append(
            _("the open vial holds about {remaining} mL, less than one dose ({dose} mL): "
              "open a new vial").format(
                remaining=decimal(format_ml(state.remaining_ml)), dose=decimal(format_ml(dose_ml)))
        )
    return warnings


def past_use(opened_at: datetime, expires_on: date | None, at: datetime,
             zone: ZoneInfo) -> str | None:
    """The flag of a dose drawn from a vial that should no longer have been used."""
    limit = discard_at(opened_at, expires_on, zone)
    if at < limit:
        return None
    if expires_on is not None and limit == localize(expires_on + timedelta(days=1), time(0),
                                                    zone):  # the expiry came first
        return _("drawn from a vial past its expiry date ({day})").format(
            day=_expiry_day(expires_on))
    local = limit.astimezone(zone)
    return _("drawn from a vial past its discard day, {days} days after opening ({when})").format(
        days=DISCARD_AFTER_DAYS, when=_discard_when(local))


def _expiry_day(day: date) -> str:
    """"05 Dec 2026" in English, as the flags always said; the locale's date elsewhere."""
    from tracker import i18n

    if i18n.language() == i18n.ENGLISH:
        return f"{day:%d %b %Y}"
    return shown_day(day)


def _discard_when(local: datetime) -> str:
    """"Sat 05 Dec 2026 08:00" in English, as the flags always said; the locale's elsewhere."""
    from tracker import i18n

    if i18n.language() == i18n.ENGLISH:
        return f"{local:%a %d %b %Y %H:%M}"
    # TRANSLATORS: a date and a time (5 déc. 2026 08:00)
    return _("{day} {time}").format(day=shown_day(local), time=clock(local))


def shortfall(remaining: float, dose_ml: float) -> str | None:
    """The flag of a dose bigger than what the open vial held (no new vial was opened)."""
    if remaining + 1e-9 >= dose_ml:
        return None
    return _("drawn {dose} mL from a vial that held about {remaining} mL: the dose may have "
             "been short").format(dose=decimal(format_ml(dose_ml)),
                                  remaining=decimal(format_ml(remaining)))


# Why a vial is taken out of use, and what to do then (label section 16: refrigerate at
# 2-8 C, do not freeze, protect from light; no label statement allows a vial that was
# frozen or left out: a question for the pharmacist or clinic, clinical-facts.md).
# The advice is N_: translated where it is said (discard_reason).
DISCARD_REASONS: dict[str, str] = {
    "left out": N_("a vial left out of the refrigerator is not used again unless the "
                   "pharmacist or clinic says it may be"),
    "frozen": N_("a vial that was frozen is not used, even once thawed"),
    "dropped": N_("a dropped or cracked vial is not used: its sterility cannot be trusted"),
    "cloudy": N_("a solution that does not look as the label describes (particles, clouding, "
                 "a colour change) is not used"),
    "expired": N_("an expired vial is not used"),
    "contaminated": N_("a vial whose stopper was touched or whose contents may be "
                       "contaminated is not used"),
    "other": N_("ask the pharmacist or clinic when in doubt about a vial"),
}


def discard_reason(text: str) -> tuple[str, str]:
    """A reason as typed ("left out of the fridge", "Frozen"), and what to do about it."""
    advice = DISCARD_REASONS.get(reason_key(text))
    return text.strip(), (_(advice) if advice is not None
                          else _("a vial used to the end is simply thrown away"))


def reason_key(text: str | None) -> str:
    """The kind of a discard reason as typed: a key of DISCARD_REASONS ("frozen"), or
    "finished" for a vial used to the end."""
    if not text:
        return "other"
    wanted = " ".join(text.lower().split())
    if wanted.startswith(("finished", "empty", "used up")):
        return "finished"  # nothing wrong with it: used to the end
    for key in DISCARD_REASONS:
        if wanted == key or wanted.startswith(key):
            return key
    aliases = {"warm": "left out", "not refrigerated": "left out", "fridge": "left out",
               "broken": "dropped", "cracked": "dropped", "particles": "cloudy",
               "discoloured": "cloudy", "discolored": "cloudy", "out of date": "expired",
               "freez": "frozen", "touched": "contaminated"}
    for word, key in aliases.items():
        if word in wanted:
            return key
    return "other"


def ended(discard_reason: str | None, closed_at: datetime | None,
          limit: datetime) -> str | None:
    """Why a vial is no longer in use, in a few words: its discard reason, or, closed by
    the next vial, "finished" (in its time) or "past its discard day" (compared in code, as
    reason_key reads them: `ended_shown` says them to a person)."""
    if closed_at is None:
        return None
    if discard_reason:
        return discard_reason
    return "finished" if closed_at < limit else "past its discard day"


def ended_shown(why: str) -> str:
    """What `ended` returned, for a person: its two words of tracker's own in the reader's
    language ("finished", "past its discard day"); a reason the parent typed as typed."""
    if why == "finished":
        # TRANSLATORS: a vial used to the end
        return pgettext("vial", "finished")
    if why == "past its discard day":
        return _("past its discard day")
    return why


def supply_warning(days: float, unopened: int) -> str | None:
    if days < LOW_SUPPLY_DAYS:
        # TRANSLATORS: {days} how many days the medicine lasts
        return ngettext("medicine at home lasts about {days} days ({n} unopened vial): "
                        "order more",
                        "medicine at home lasts about {days} days ({n} unopened vials): "
                        "order more", unopened).format(days=f"{days:.0f}", n=unopened)
    return None
