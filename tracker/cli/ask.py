"""Putting a use case's questions to the person at the terminal.

The use case runs in its own short transaction; when it needs an answer it raises a
`Question`, which rolls that transaction back. Only then is the person asked, with no
lock held, and the use case runs again with the answer. Each answer is checked at its
own prompt (click asks again on a bad value), so nothing already answered is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from tracker.i18n import _, pgettext

if TYPE_CHECKING:
    from tracker.cli.app import App
    from tracker.services.record.interview import Step
    from tracker.services.record.questions import Answers, Question

T = TypeVar("T")
# setup's answers by question (tracker.services.record.interview): each as its question
# read it (a name, a date, a number, a zone) or None where left to its default
Interview = dict[str, object]


def confirm(text: str, default: bool | None = None) -> bool:
    """click.confirm in the reader's language: click reads only "y" and "yes". The
    language's own answer words are accepted, and the English ones always are (a script,
    or a parent who types y by habit)."""
    # TRANSLATORS: the one-letter answers of a yes/no question ([y/n])
    y, n = pgettext("answer", "y"), pgettext("answer", "n")
    yes = {"y", "yes", y.casefold(), pgettext("answer", "yes").casefold()}
    no = {"n", "no", n.casefold(), pgettext("answer", "no").casefold()}
    shown = f"{y}/{n}" if default is None else (f"{y.upper()}/{n}" if default else
                                                f"{y}/{n.upper()}")
    while True:
        typed = click.prompt(text, default="", show_default=False,
                             prompt_suffix=f" [{shown}]: ").strip().casefold()
        if not typed and default is not None:
            return default
        if typed in yes:
            return True
        if typed in no:
            return False
        click.echo(_("Answer {yes} or {no}.").format(yes=y, no=n), err=True)


def run(app: App, work: Callable[[Answers], T], given: dict[str, bool] | None = None) -> T:
    """Run `work` until it stops asking; each question is asked once."""
    from tracker.services.record.questions import Answers, Question

    answers = Answers(given, can_ask=app.is_interactive())
    while True:
        try:
            return work(answers)
        except Question as question:
            if question.key in answers.given:  # asked again: a bug, not a loop forever
                raise RuntimeError(f"question {question.key!r} was asked twice") from None
            answers.given[question.key] = prompt(question)


def _choose(question: Question, text: str) -> str:
    """Ask until the answer is one of the choices; a wrong one is said, not an error."""
    from tracker.errors import InputError

    while True:
        default = question.default
        if isinstance(default, str):  # shown by its name; read back by its name
            default = question.shown(default)
        raw = click.prompt(text, default=default)
        try:
            return question.read_choice(raw)
        except InputError as exc:
            from tracker.cli.say import text as said

            click.secho(f"  {said(exc)}", fg="yellow")


def numbered(choices: tuple[str, ...], suggested: str | None,
             name: Callable[[str], str] | None = None) -> list[str]:
    """The choices in two columns, numbered by name, the suggested one marked."""
    # TRANSLATORS: after the choice a menu suggests ("left thigh  (suggested)")
    mark = "  " + _("(suggested)")
    cells = [
        f"{i:>2}  {name(c) if name else c}{mark if c == suggested else ''}"
        for i, c in enumerate(choices, 1)
    ]
    half = (len(cells) + 1) // 2
    width = max(len(c) for c in cells[:half]) + 3
    return [
        cells[i].ljust(width) + (cells[i + half] if i + half < len(cells) else "")
        for i in range(half)
    ]


def prompt(question: Question) -> bool | str:
    """Show what comes first (the dose to draw, a warning), then ask."""
    import sys
    import textwrap

    from tracker.cli.app import HeldOutput
    from tracker.services.record.questions import CHOICE, YESNO

    if isinstance(sys.stdout, HeldOutput):  # a question inside a write would hold the lock
        raise RuntimeError(f"question {question.key!r} asked inside a write transaction")

    from tracker.cli.say import text as said

    for line in map(said, question.before):
        if line.startswith("! "):
            click.secho(textwrap.fill(line, 80, subsequent_indent="  "), fg="yellow")
        else:
            click.echo(textwrap.fill(line, 80, subsequent_indent="  "))
    text = said(question.text)
    text = text[:1].upper() + text[1:]
    if question.kind == YESNO:
        return confirm(text, default=question.default)
    if question.kind == CHOICE:
        marked = question.default if len(question.choices) > 2 else None
        for row in numbered(question.choices, marked, question.shown):
            click.echo(row.rstrip())
        return _choose(question, _("{text} (a number or a name)").format(text=text))
    return click.prompt(text)


# The option of `tracker init` that answers each setup question without asking it.
FLAGS = {
    "name": "--child", "birth_date": "--birth-date", "weight_kg": "--weight",
    "height_cm": "--height", "sex": "--sex", "dose": "--dose", "times": "--times",
    "timezone": "--timezone", "treatment_start": "--since", "caregiver": "--caregiver",
    "glucose_unit": "--meter",
}


def interview(
    app: App,
    options: dict[str, str | None],
    next_step: Callable[[Interview], Step | None],
) -> Interview:
    """Answers to a service's questions (tracker.services.record.interview): from the options
    given, else asked one at a time in a terminal, each checked at its own prompt.

    A wrong answer is said in one plain line and asked again; nothing answered before is
    lost. Without a terminal a missing required answer is refused naming its option, and
    an optional one is left to its default (None here)."""
    from tracker.errors import InputError

    answers: Interview = {}
    while (step := next_step(answers)) is not None:
        given = options.get(step.key)
        if given is not None:
            reading = step.read(given)
            if reading.confirm and reading.otherwise is not None:  # two readings
                if not app.is_interactive():
                    raise InputError(
                        _("{FLAGS} {given!r} could be read two ways: {rstrip} or another day; "
                          "write it as year-month-day").format(
                            FLAGS=FLAGS[step.key], given=given,
                            rstrip=reading.confirm.rstrip('?'))
                    )
                answers[step.key] = (
                    reading.value if confirm(reading.confirm, default=True)
                    else reading.otherwise
                )
            else:
                answers[step.key] = reading.value
            continue
        if not app.is_interactive():
            if step.required:
                raise InputError(
                    _("missing {FLAGS} (run 'tracker init' in a terminal to be asked, or see "
                      "'tracker init --help')").format(
                        FLAGS=FLAGS[step.key])
                )
            answers[step.key] = None
            continue
        answers[step.key] = _ask_step(step)
    return answers


def _ask_step(step: Step) -> object:
    from tracker.errors import InputError

    if step.hint:
        click.secho(f"  ({step.hint})", dim=True)
    while True:
        raw = click.prompt(
            step.question,
            default=step.default,
            show_default=bool(step.default),
        )
        try:
            reading = step.read(raw)
        except InputError as exc:
            from tracker.cli.say import text as said

            click.secho(f"  {said(exc)}", fg="yellow")
            continue
        if reading.confirm and not confirm(reading.confirm, default=True):
            if reading.otherwise is None:
                continue
            return reading.otherwise
        return reading.value
