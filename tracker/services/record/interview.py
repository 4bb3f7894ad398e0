"""The first-run questions, asked one at a time and each checked at its own prompt.

Setup used to collect every answer and check them at the end, so a birth date typed
12/06/2019 threw away the four answers after it. Here each question reads its answer
the way people type it, says what is wrong with it there and then, and confirms in words
what could be read two ways ("12 June 2019?"). The command line asks these in a
terminal; the household page will ask the same ones. Nothing is written until every
answer is in (tracker.services.record.setup.create_child), so an interrupted setup leaves
nothing half done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from tracker.domain import glucose, growth, safety, schedule, text, typed
from tracker.domain.actions import Do, act, fill
from tracker.errors import InputError
from tracker.i18n import N_, _, formats

MAX_AGE_YEARS = 25


class Reading(NamedTuple):
    """What an answer was read as, and a yes/no to confirm it in words if needed."""

    value: Any  # of the step's own type: a name (str), a birth date, a weight (float)...
    confirm: str | None = None  # "12 June 2019?": asked before the value is taken
    otherwise: Any = None  # the value (of value's type) if that is answered no (None: ask again)


# the answers so far, by step: each holds its step's Reading.value, of that step's type
Interviewed = dict[str, Any]


class Step(NamedTuple):
    key: str
    question: str
    default: str | None
    read: Callable[[str], Reading]
    hint: str = ""  # shown before the question: the forms an answer can take
    required: bool = True  # without a person to ask: refused if not given, else default


class Asked(NamedTuple):
    """A question's words: asked at setup, and written as init's option help. Each part
    is written in English at import (N_) and said in the reader's language when asked."""

    question: str
    why: str = ""  # said beside it, in brackets
    hint: str = ""  # the forms an answer can take
    enter: str = ""  # what Enter does, at a prompt only

    @property
    def asked(self) -> str:
        """The question in the reader's language."""
        return _(self.question)

    @property
    def hinted(self) -> str:
        """The forms an answer can take, in the reader's language ("" without any)."""
        return _(self.hint) if self.hint else ""

    @property
    def prompt(self) -> str:
        why, enter = (_(self.why) if self.why else ""), (_(self.enter) if self.enter else "")
        inner = "; ".join(filter(None, (why, enter)))
        if why:
            return f"{self.asked} ({inner})"
        return f"{self.asked} {inner}" if inner else self.asked

    @property
    def help(self) -> str:
        said = self.asked + (f" ({_(self.why)})" if self.why else "")
        hint = self.hinted
        if not hint:
            return f"{said}."
        if said.endswith(("?", "؟")):
            return f"{said} {hint[:1].upper()}{hint[1:]}."
        return f"{said}: {hint}."


# TRANSLATORS: said beside a question at setup: pressing Enter skips it for now
LATER = N_("Enter to add it later")
# Every part is marked N_ here and said with _() where asked (Asked.asked, .hinted,
# .prompt, .help): the same words at the prompt and in `tracker init --help`.
ASKED = {
    "name": Asked(N_("Child's name"), N_("as you call them")),
    "birth_date": Asked(N_("Date of birth"),
                        hint=N_("for example 2019-06-12, 12/06/2019 or 12 June 2019")),
    "weight_kg": Asked(N_("Weight in kg"), hint=N_("for example 21.5")),
    "height_cm": Asked(N_("Height in cm"), N_("the report's start of treatment"),
                       N_("for example 118.5"), LATER),
    "sex": Asked(N_("Girl or boy"), N_("for the growth charts"), enter=LATER),
    "dose": Asked(N_("Dose per injection, as the clinic wrote it"),
                  # TRANSLATORS: the units stay as written (mg/kg, mcg/kg, mg, mL, units)
                  hint=N_("for example 0.04 mg/kg, 40 mcg/kg, 0.8 mg, 0.08 mL or 8 units")),
    "times": Asked(N_("Dose times, morning and evening"),
                   hint=N_("two times about 12 hours apart, each with a meal or snack")),
    "treatment_start": Asked(
        N_("When did the injections start?"),
        # TRANSLATORS: "yesterday" and "today" are typed answers the setup understands
        hint=N_("a day (2026-11-20, 20/11/2026, yesterday) or a day and time (today 19:30); "
                "slots from then on that nobody logs are shown as missed"),
        enter=N_("Enter for today")),
    "caregiver": Asked(N_("Your name"), N_("written beside the doses you log")),
    "glucose_unit": Asked(N_("Your glucose meter shows mg/dL or mmol/L")),
}


class Env(NamedTuple):
    """What the questions need to know of the computer they run on."""

    now: datetime
    machine_zone: str
    caregiver: str | None  # a name already known (a setting), else None
    concentration: float = 10.0


def _day_first(zone: str) -> bool:
    from tracker.domain.timeparse import day_first

    return day_first(zone)  # month first in the United States


def read_name(answer: str) -> Reading:
    return Reading(text.clean_name(answer, _("the child's name")))


def read_birth_date(answer: str, today: date, zone: str) -> Reading:
    found = typed.some_dates(answer, today, day_first=_day_first(zone))
    for d in found:
        if d > today:
            raise InputError(_("{day} is in the future: check the year").format(
                                 day=typed.in_words(d)))
        if (today - d).days > MAX_AGE_YEARS * 366:
            raise InputError(
                _("{day} makes the child over {years}: check the year").format(
                    day=typed.in_words(d), years=MAX_AGE_YEARS)
            )
    if len(found) == 2:
        return Reading(found[0], confirm=f"{typed.in_words(found[0])}?", otherwise=found[1])
    return Reading(found[0])


def read_weight(answer: str) -> Reading:
    return Reading(safety.check_weight(typed.number(answer, _("weight"), "kg")))


def read_height(answer: str) -> Reading:
    if not answer.strip():
        return Reading(None)
    return Reading(safety.check_height(typed.number(answer, _("height"), "cm")))


def read_dose(answer: str, weight_kg: float, concentration: float = 10.0) -> Reading:
    """The dose as the clinic wrote it; mL and units are shown back in mg and mg/kg."""
    d = typed.dose(answer)
    mg = d.mg(concentration, weight_kg)
    assert mg is not None
    per_kg = d.amount if d.unit == "mg/kg" else None
    problems = safety.prescription_problems(per_kg, None if per_kg else mg, weight_kg)
    if problems:
        raise InputError(fill(
            # TRANSLATORS: {command}: how to give the doctor's reason (an option or a button)
            _("{problem}: check the clinic's sheet (a dose above the label needs {command}, "
              "and the doctor's word)"), problem=problems[0], command=act(Do.INIT_FORCE)))
    if d.needs_reading_back:  # a volume or micrograms: confirmed in mg and mg/kg
        return Reading(
            d,
            # TRANSLATORS: {dose}: the dose typed, read back in mg and mg/kg
            confirm=_("{dose}. Right?").format(dose=d.shown_in_mg(concentration, weight_kg)),
        )
    return Reading(d)


def read_times(answer: str) -> Reading:
    times = schedule.parse_times(answer.replace(" and ", ",").replace(";", ","))
    findings = safety.times_findings(times)
    refused = [f.text for f in findings if f.action == safety.REFUSE]
    if refused:
        raise InputError(refused[0])
    asked = [f.text for f in findings if f.action == safety.CONFIRM]
    value = schedule.format_times(times)
    if not asked:
        return Reading(value)
    # TRANSLATORS: {finding}: what is unusual about the times; {times}: "07:30,19:30"
    keep = _("{finding}. Keep {times}?").format(finding=asked[0], times=value)
    return Reading(value, confirm=keep[:1].upper() + keep[1:])


def find_zone(answer: str) -> str:
    """An IANA zone from its name or a city in it ("paris", "New York", "los angeles")."""
    name = answer.strip()
    try:
        return schedule.zone_named(name).key
    except InputError:
        pass
    from zoneinfo import available_timezones

    wanted = name.lower().replace(" ", "_")
    matches = sorted(
        z
        for z in available_timezones()
        if z.lower().rsplit("/", 1)[-1] == wanted
        and "/" in z
        and not z.startswith(("Etc/", "SystemV/", "US/"))
    )
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise InputError(_("{name} is in several zones: type one of {zones}").format(
                             name=repr(name), zones=', '.join(matches)))
    raise InputError(
        # TRANSLATORS: the city and zone names are typed as they are
        _("no time zone called {name}: type the nearest big city (Paris, New York, Sydney) or "
          "a zone name such as Europe/Paris").format(name=repr(name))
    )


def describe_zone(zone: str, now: datetime) -> str:
    """Europe/Paris (07:31 there now): a zone a person can check against the clock."""
    local = now.astimezone(ZoneInfo(zone))
    return _("{zone} (it is {time} there now)").format(zone=zone, time=formats.clock(local))


def read_zone(answer: str, env: Env) -> Reading:
    """A zone typed (a city, a name) is confirmed with its time now; Enter keeps the one
    shown, whose time the question already gave."""
    zone = find_zone(answer)
    if zone == env.machine_zone:
        return Reading(zone)
    return Reading(zone, confirm=f"{describe_zone(zone, env.now)}?")


def read_treatment_start(answer: str, env: Env, zone: str, birth_date: date) -> Reading:
    """When the injections started: a day (its start), or a day and a time."""
    from tracker.domain.timeparse import parse_when

    start = parse_when(answer, env.now, ZoneInfo(zone), past=False, date_alone=True)
    day = start.astimezone(ZoneInfo(zone)).date()
    if day > env.now.astimezone(ZoneInfo(zone)).date():
        raise InputError(_("{day} is in the future: give the day the injections started, or "
                           "today").format(day=typed.in_words(day)))
    if day < birth_date:
        raise InputError(_("{day} is before the birth date: check the year").format(
                             day=typed.in_words(day)))
    return Reading(start)


def read_sex(answer: str) -> Reading:
    return Reading(growth.normalise_sex(answer) if answer.strip() else None)


def read_caregiver(answer: str) -> Reading:
    return Reading(text.clean_name(answer, _("your name")))


def read_meter(answer: str) -> Reading:
    return Reading(glucose.normalise_unit(answer))


def zone_and_caregiver(answers: Interviewed, env: Env) -> tuple[str, str]:
    """The child's zone and who sets up, as answered or as this computer says."""
    from tracker import config

    return (answers["timezone"] or env.machine_zone,
            answers["caregiver"] or config.caregiver())


def keep_settings(answers: Interviewed, zone: str) -> None:
    """This computer's settings, once the child is set up (an interrupted setup leaves
    none): the caregiver's name as answered, and the meter's unit as answered, else (a
    script, no setting yet) the one usual in the child's zone, as the questions offer."""
    from tracker import config
    from tracker.services.views.meter import zone_default

    if answers["caregiver"]:
        config.set_setting("caregiver", answers["caregiver"])
    meter = answers["glucose_unit"] or (
        None if config.glucose_unit_setting() else zone_default(zone))
    if meter:
        config.set_setting("glucose_unit", meter)


def next_step(answers: Interviewed, env: Env) -> Step | None:
    """The first question not answered yet, or None when setup has what it needs."""
    today = env.now.astimezone(ZoneInfo(answers.get("timezone") or env.machine_zone)).date()
    zone_guess = answers.get("timezone") or env.machine_zone
    if "name" not in answers:
        return Step("name", ASKED["name"].prompt, None, read_name)
    if "birth_date" not in answers:
        return Step(
            "birth_date",
            ASKED["birth_date"].prompt,
            None,
            lambda a: read_birth_date(a, today, zone_guess),
            ASKED["birth_date"].hinted,
        )
    if "weight_kg" not in answers:
        return Step("weight_kg", ASKED["weight_kg"].prompt, None, read_weight,
                    ASKED["weight_kg"].hinted)
    if "height_cm" not in answers:
        return Step("height_cm", ASKED["height_cm"].prompt, "", read_height,
                    ASKED["height_cm"].hinted, required=False)
    if "sex" not in answers:
        return Step("sex", ASKED["sex"].prompt, "", read_sex, required=False)
    if "dose" not in answers:
        weight = answers["weight_kg"]
        return Step(
            "dose",
            ASKED["dose"].prompt,
            None,
            lambda a: read_dose(a, weight, env.concentration),
            ASKED["dose"].hinted,
        )
    if "times" not in answers:
        return Step("times", ASKED["times"].prompt, schedule.DEFAULT_TIMES, read_times,
                    ASKED["times"].hinted, required=False)
    if "timezone" not in answers:
        return Step(
            "timezone",
            # TRANSLATORS: {zone}: "Europe/Paris (it is 07:31 there now)"
            _("Time zone: {zone}. Press Enter if right, or type a city").format(
                zone=describe_zone(env.machine_zone, env.now)),
            env.machine_zone,
            lambda a: read_zone(a, env),
            required=False,
        )
    if "treatment_start" not in answers:
        zone = answers["timezone"] or env.machine_zone
        born = answers["birth_date"]
        return Step(
            "treatment_start",
            ASKED["treatment_start"].prompt,
            "today",
            lambda a: read_treatment_start(a, env, zone, born),
            ASKED["treatment_start"].hinted,
            required=False,
        )
    if "caregiver" not in answers:
        return Step("caregiver", ASKED["caregiver"].prompt, env.caregiver, read_caregiver,
                    required=False)
    if "glucose_unit" not in answers:
        from tracker.services.views.meter import zone_default

        # the unit usual in the child's country is offered; where that is not known
        # (both in use, or no source), there is no default: the person says which
        return Step("glucose_unit", ASKED["glucose_unit"].prompt,
                    zone_default(zone_guess), read_meter,
                    required=False)
    return None
