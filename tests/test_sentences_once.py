"""A sentence tracker says in many places is written in one (issue 32, part 7): a parent
reads the same words on every front, and a change of wording cannot miss a copy."""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tracker"

# a phrase of the sentence -> the one module that writes it
ONCE = {
    "the normal dose at the next": "domain/safety.py",  # NO_MAKE_UP
    "stays the normal dose": "domain/urgency.py",  # NEXT_NORMAL
    "Reminders are NOT on": "services/operations/reminder_standing.py",  # OFF
    "cannot show notifications right now": "domain/reminders.py",  # CANNOT_SHOW
    "or add --force": "exports/files.py",  # an export's (a backup takes no --force)
    "Do not give this dose": "domain/safety.py",  # do_not_give
    "Ask the child's doctor before giving": "domain/safety.py",  # ask_first
}


@pytest.mark.parametrize("phrase", ONCE)
def test_a_sentence_said_everywhere_is_written_once(phrase: str) -> None:
    found = [str(p.relative_to(PACKAGE)) for p in sorted(PACKAGE.rglob("*.py"))
             for line in p.read_text(encoding="utf-8").splitlines()
             if phrase in line and not line.lstrip().startswith("#")]
    assert found == [ONCE[phrase]], found


def test_init_s_help_says_what_its_questions_say() -> None:
    """The questions `tracker init` asks in a terminal and the options a script gives it
    are the same answers: the help names each in the question's words and examples."""
    import re
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import click

    from tracker.cli import root
    from tracker.services.record import interview

    command = root.get_command(click.Context(root), "init")
    assert command is not None
    helps = {opt: re.sub(r"\s+", " ", p.help or "") for p in command.params
             for opt in p.opts}
    env = interview.Env(datetime(2026, 11, 24, 9, tzinfo=ZoneInfo("Europe/Paris")),
                        "Europe/Paris", None)
    option = {"name": "--child", "birth_date": "--birth-date", "weight_kg": "--weight",
              "height_cm": "--height", "sex": "--sex", "dose": "--dose", "times": "--times",
              "treatment_start": "--since", "caregiver": "--caregiver",
              "glucose_unit": "--meter"}
    answers: dict[str, object] = {}
    asked = []
    while (step := interview.next_step(answers, env)) is not None:
        answers[step.key] = answers.get(step.key)
        if step.key not in option:
            continue  # the time zone's question names this computer's zone
        asked.append(step.key)
        said = helps[option[step.key]]
        words = step.question.split(" (")[0].split("? ")[0]
        assert said.startswith(words), (step.key, said)
        assert step.hint[1:] in said, (step.key, said)  # its first letter may be a capital
    assert asked == list(option)
