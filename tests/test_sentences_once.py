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
    "Reminders are NOT on": "services/reminder_standing.py",  # OFF
    "cannot show notifications right now": "domain/reminders.py",  # CANNOT_SHOW
    "or add --force": "files.py",
    "Do not give this dose": "domain/safety.py",  # do_not_give
    "Ask the child's doctor before giving": "domain/safety.py",  # ask_first
}


@pytest.mark.parametrize("phrase", ONCE)
def test_a_sentence_said_everywhere_is_written_once(phrase: str) -> None:
    found = [str(p.relative_to(PACKAGE)) for p in sorted(PACKAGE.rglob("*.py"))
             for line in p.read_text(encoding="utf-8").splitlines()
             if phrase in line and not line.lstrip().startswith("#")]
    assert found == [ONCE[phrase]], found
