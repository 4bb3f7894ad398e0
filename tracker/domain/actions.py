"""What a message asks the person to do, said by each front in its own controls.

A rule knows that a second dose needs the doctor's reason, or that a reading needs its
unit; it does not know whether the person holds a terminal, a phone on the household page
or a notification. So a sentence that asks for something is a `Line`: its words, with an
`Action` where the doing goes. Each front names the action its own way (the command line
as its flag, the page as its field or button, a notification as its own words) with
`said`; `plain` gives the plain-words form, which names no command-line flag. A test walks
the modules every front reaches (`tracker/services`, `tracker/domain`, `tracker/reminders`,
`tracker/exports`, `tracker/files.py`) and refuses any flag or command written in their
text, so the phone never hears "--force".

Only what crosses fronts is a kind here: what a module reached by the page or the
notifications may ask. A module only the command line reaches (the check of the log, the
autostart, backups, the service lock, the reminders' standing) says its commands itself,
as the command line's words; tests/test_actions.py holds both halves.

A Line is a str, so that it goes wherever a message goes; but formatted into another string
(an f-string, `format`) its actions would silently become plain words, so that raises
`LostActions`. Words are added with `+` (a Line again), Lines joined with
`Line(sep).join(...)`, and a whole message is rendered by a front's `said`. `str()` stays
the plain words: an error carrying a Line is said by str() in the last-resort paths (a
crash report, the reminder service outliving a failure), which must never fail themselves;
`str.join` cannot be stopped at run time. The fronts' tests check what each shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from tracker.i18n import N_, _


class Do(StrEnum):
    """Everything a message may ask a person to do. Each front names every one."""

    FORCE = "force"  # record it anyway, with the doctor's reason
    AT = "at"  # {at}: log it with the time it was given
    DOSE_MG = "dose-mg"  # log the amount that was really given
    REASON = "reason"  # say why the dose is withheld
    UNIT = "unit"  # {unit}: the reading is in that unit
    SET_METER = "set-meter"  # {unit}: set the meter's unit once
    UNDO = "undo"  # {ref}
    EDIT_TIME = "edit-time"  # {ref}: correct the time of an entry
    EDIT_DAY = "edit-day"  # {ref} {day}: correct the day of a measurement
    VIAL_OPEN = "vial-open"  # {at} (may be ""): record the vial opened then
    VIAL_STOCK = "vial-stock"  # count the unopened vials
    SYRINGE = "syringe"  # {child} {key}: set the child's syringe
    SKIP = "skip"  # withhold this dose with a reason
    MEASURE_WEIGHT = "measure-weight"  # record the child's weight
    PRESCRIBE = "prescribe"  # {dose} (may be ""): record the prescription
    UPDATE_DOSE = "update-dose"  # recompute the mg dose from the new weight
    CHOOSE_CHILD = "choose-child"  # {names}
    SINCE = "since"  # {child} {day}: the day treatment started
    RESTORE = "restore"  # restore a backup
    REVOKE = "revoke"  # {name}: take a device's pairing back
    INIT_FORCE = "init-force"  # set up with a dose above the label, with a reason
    INIT = "init"  # set up the child and the prescription
    FIX = "fix"  # let tracker put right what is the user's own: modes, its own files
    HISTORY = "history"  # look at the log
    RESTORE_ENTRY = "restore-entry"  # {ref}: make an undone entry count again
    GIVE = "give"  # {at} (may be absent): log the injection, given then
    SEX = "sex"  # {child}: record the child's sex (for the growth charts)
    EDIT = "edit"  # {ref}: correct an entry


# The plain-words form of each action: what a notification and anything else without a
# control of its own says. Written to be read aloud by a tired parent; translated when
# said (Action.plain). The placeholders: {unit} mg/dL or mmol/L, {ref} an entry (D12),
# {day} a date, {child} and {name} a person's name, {names} a list of names.
PLAIN: dict[Do, str] = {
    Do.FORCE: N_("needs the doctor's reason, recorded on the computer that keeps the log"),
    Do.AT: N_("log it with the time it was given"),
    Do.DOSE_MG: N_("log the amount that was given"),
    Do.REASON: N_("say why the dose is withheld (for example: not eating)"),
    Do.UNIT: N_("in {unit}"),
    Do.SET_METER: N_("set the meter's unit to {unit} once in the settings"),
    Do.UNDO: N_("undo {ref} in the history"),
    Do.EDIT_TIME: N_("correct the time of {ref}"),
    Do.EDIT_DAY: N_("correct the day of {ref} to {day}"),
    Do.VIAL_OPEN: N_("record the vial that was opened"),
    Do.VIAL_STOCK: N_("count the unopened vials"),
    Do.SYRINGE: N_("set it as {child}'s syringe"),
    Do.SKIP: N_("withhold it and log why"),
    Do.MEASURE_WEIGHT: N_("record the child's weight"),
    Do.PRESCRIBE: N_("record the prescription"),
    Do.UPDATE_DOSE: N_("record the weight again and update the dose"),
    Do.CHOOSE_CHILD: N_("choose the child ({names})"),
    Do.SINCE: N_("set the day {child}'s treatment started ({day})"),
    Do.RESTORE: N_("restore a backup"),
    Do.REVOKE: N_("take back {name}'s pairing"),
    Do.INIT_FORCE: N_("set it up with the doctor's reason"),
    Do.INIT: N_("set up the child and the prescription first"),
    Do.FIX: N_("let tracker put it right, in the check of the log on the computer that keeps "
               "it"),
    Do.HISTORY: N_("look at the history"),
    Do.RESTORE_ENTRY: N_("restore {ref}"),
    Do.GIVE: N_("log the injection"),
    Do.SEX: N_("record {child}'s sex"),
    Do.EDIT: N_("correct {ref}"),
}


@dataclass(frozen=True)
class Action:
    """One thing to do, with what the front needs to name it (an entry, a unit...)."""

    do: Do
    args: Mapping[str, str] = field(default_factory=dict)

    def plain(self) -> str:
        return _(PLAIN[self.do]).format(**self.args)


def act(do: Do, **args: object) -> Action:
    return Action(do, {k: str(v) for k, v in args.items()})


Part = str | Action


class LostActions(TypeError):
    """A Line with actions was formatted into a plain string: its actions would be lost."""


class Line(str):
    """A sentence with actions in it; `plain(line)` (or `str()`) is its plain-words form.

    A str, so that a Line goes wherever a message goes; a front calls `said` with its own
    names for the actions. Formatting a Line that has actions (an f-string, `format`)
    raises LostActions: add words with `+`, join with `Line(sep).join(...)`.
    """

    parts: tuple[Part, ...]

    def __new__(cls, *parts: Part) -> Line:
        self = super().__new__(cls, "".join(p if isinstance(p, str) else p.plain()
                                            for p in parts))
        self.parts = parts
        return self

    def __add__(self, other: str) -> Line:
        return Line(*self.parts, *(other.parts if isinstance(other, Line) else (other,)))

    def __radd__(self, other: str) -> Line:
        return Line(other, *self.parts)

    def __format__(self, spec: str) -> str:
        if self.actions():
            raise LostActions(f"an f-string or format() would lose the actions of "
                              f"{str.__str__(self)!r}: add words with +, join with "
                              "Line(sep).join, render with a front's said()")
        return super().__format__(spec)

    def join(self, parts: Iterable[str]) -> Line:
        """The parts with this Line between them, every part's actions kept."""
        out: list[Part] = []
        for i, part in enumerate(parts):
            if i:
                out += self.parts
            out += part.parts if isinstance(part, Line) else (part,)
        return Line(*out)

    def actions(self) -> tuple[Action, ...]:
        return tuple(p for p in self.parts if isinstance(p, Action))


def fill(template: str, **parts: object) -> Line:
    """A translated sentence with actions (or Lines that carry them) at its placeholders:
    `fill(_("Start them with {command}."), command=act(Do.REMIND_START))`. The catalog
    may move a placeholder anywhere in the sentence; the action goes where it is."""
    from string import Formatter

    out: list[Part] = []
    for literal, name, spec, conversion in Formatter().parse(template):
        if literal:
            out.append(literal)
        if name is None:
            continue
        value = parts[name]
        if isinstance(value, Action):
            out.append(value)
        elif isinstance(value, Line):
            out.extend(value.parts)
        else:
            shown = repr(value) if conversion == "r" else value
            out.append(format(shown, spec or ""))
    return Line(*out)


def said(message: object, name: Callable[[Action], str]) -> str:
    """A message in a front's words: each action named by `name`, the rest as written."""
    if isinstance(message, Line):
        return "".join(p if isinstance(p, str) else name(p) for p in message.parts)
    if isinstance(message, BaseException) and message.args:
        return said(message.args[0], name)
    return str(message)


def plain(message: object) -> str:
    """A message in plain words: what anything without controls of its own shows (a
    document, a log file), and what a front shows for an action it has no control for."""
    return said(message, Action.plain)
