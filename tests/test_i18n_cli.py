"""The command line and the reminders in the reader's language: nothing left in English.

Under the pseudo-language `qps` every catalog message comes out as ⟦Ţĥîš⟧, so any English
left on the screen (tests/pseudo.py:english_left) was written without the catalog: the
commands' own output, their --help, click's words ("Usage:", "Error: Missing option"), a
reminder's notification, its buttons and a contact's message. French is checked the same
way: the French catalog is still being written, so the test shows that what is said in
French went through the catalog (it is what qps shows, untransformed) and does not assert
French wording.
"""

from __future__ import annotations

import contextlib
import gettext
import importlib
import os
import re
import sys
from datetime import datetime, timedelta

import click
import pytest
from conftest import run_tracker
from pseudo import english_left

from tracker import i18n
from tracker.config import SETTINGS
from tracker.i18n.pseudo import CLOSE, OPEN

CHILD, CAREGIVER = "Mia", "Anna"
# data and syntax, not English: the names, option values as typed (site tokens and
# commands stay English, by design), metavars and placeholders of the usage lines
ALSO = {CHILD, CAREGIVER, "Sam", "PATH", "URL", "NAME", "TEXT", "WHEN", "DATE", "FILE",
        "SITE", "LANG", "OPTIONS", "COMMAND", "ARGS", "KEY", "VALUE", "DOSE", "KIND", "UNIT",
        "MINUTES", "AFTER", "INTEGER", "CHILD", "left-thigh", "right-thigh", "left-abdomen",
        "right-abdomen", "left-upper-arm", "right-upper-arm", "left-buttock",
        "right-buttock", "thigh", "left", "right", "abdomen", "upper-arm", "buttock",
        "NAME'", "HH", "MM", "KG", "CM", "ZONE", "TOPIC", "COUNT", "LEVEL"}
# under qps, dates are written by Babel's English (CLDR): names of days and months
ALSO |= {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Jan", "Feb", "Mar", "Apr", "May",
         "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
NOW = "2026-11-24T19:35:00+01:00"
SETUP = ("init", "--child", CHILD, "--birth-date", "2019-06-12", "--weight", "21.5",
         "--dose", "0.04 mg/kg", "--times", "07:30,19:30", "--timezone", "Europe/Paris")

COMMANDS = [
    ("status",), ("give", "--site", "left-thigh", "--meal"), ("history",),
    ("skip", "--at", "07:30", "--reason", "not eating"),
    ("info",),
    ("vial", "status"),
    ("remind", "status"),
    ("config",), ("config", "language"), ("remind", "contact", "list"), ("child",), (),
]
HELPS = [(), ("init",), ("give",), ("skip",), ("status",), ("history",), ("info",),
         ("vial",), ("vial", "open"), ("remind",), ("remind", "status"),
         ("remind", "contact"), ("remind", "contact", "add"), ("config",)]
MISTAKES = [("give", "--bogus"), ("frobnicate",), ("remind", "contact", "add")]


def _env(language: str) -> dict[str, str]:
    env = {"LANGUAGE": language, "TRACKER_FAKE_NOW": NOW, "TRACKER_CAREGIVER": CAREGIVER}
    for name in ("TRACKER_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        os.environ.pop(name, None)
    return env


def _said(*args: str, language: str = i18n.PSEUDO) -> str:
    r = run_tracker(*args, env=_env(language))
    assert r.returncode in (0, 1, 2), (args, r.stderr)
    return r.stdout + r.stderr


def _left(text: str) -> list[str]:
    for key in SETTINGS:  # `tracker config`'s keys: identifiers, typed as written
        text = text.replace(key, " ")
    # an option's values as typed, in its metavar: [csv|json], female|male, who|uk-who|cdc
    text = re.sub(r"[\w/-]+(?:\|[\w/-]+)+", " ", text)
    return english_left(text, also=ALSO)


@pytest.fixture
def child(isolated):
    r = run_tracker(*SETUP, env=_env(i18n.PSEUDO))
    assert r.returncode == 0, r.stderr
    assert _left(r.stdout + r.stderr) == []


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_commands_leave_no_english_under_the_pseudo_language(child, args):
    assert _left(_said(*args)) == []


@pytest.mark.parametrize("args", HELPS, ids=" ".join)
def test_every_help_leaves_no_english(child, args):
    said = _said(*args, "--help")
    assert OPEN in said
    assert _left(said) == []


def _every_command() -> list[object]:
    from tracker.cli import COMMANDS as LISTED
    from tracker.cli import root

    ctx, paths = click.Context(root), []
    for name in LISTED:
        command = root.get_command(ctx, name)
        paths.append((name,))
        if isinstance(command, click.Group):
            for sub, inner in command.commands.items():
                paths.append((name, sub))
                if isinstance(inner, click.Group):
                    paths += [(name, sub, leaf) for leaf in inner.commands]
    return paths


@pytest.mark.parametrize("args", _every_command(), ids=" ".join)
def test_every_commands_help_in_the_language(isolated, args):
    said = _said(*args, "--help")
    assert OPEN in said and _left(said) == []


@pytest.mark.parametrize("args", MISTAKES, ids=" ".join)
def test_clicks_own_words_are_in_the_language(child, args):
    said = _said(*args)
    assert OPEN in said and _left(said) == []


def test_the_caregivers_setting_decides_over_the_terminal(child):
    r = run_tracker("config", "language", "qps", env=_env("en"))
    # qps is no language to choose: a person chooses among the ones tracker speaks
    assert r.returncode != 0
    assert run_tracker("config", "language", "fr", env=_env("en")).returncode == 0
    shown = run_tracker("config", env=_env("en")).stdout
    assert "language = fr" in shown
    # the terminal says qps, the caregiver said French: French (no ⟦⟧), help and errors too
    for args in [("--help",), ("give", "--help"), ("give", "--bogus"), ("status",)]:
        assert OPEN not in _said(*args)
    assert run_tracker("config", "language", "--unset", env=_env("en")).returncode == 0
    assert OPEN in _said("--help")


def test_french_goes_through_the_catalog(child):
    """Until the French catalog is finished, the words must be the ones qps transforms:
    every sentence said in French was looked up in a catalog."""
    french, pseudo = _said("--help", language="fr"), _said("--help")
    assert french != pseudo and OPEN not in french
    for args in [("status",), ("give", "--help"), ("give", "--bogus")]:
        assert _left(_said(*args)) == []
        assert OPEN not in _said(*args, language="fr")


def test_every_click_module_that_binds_gettext_is_pointed_at_our_catalog():
    from tracker.cli.click_words import MODULES, UNTRANSLATED, speak

    for name in UNTRANSLATED:
        with contextlib.suppress(ImportError, AssertionError):  # Windows' only on Windows
            importlib.import_module(name)
    bound = {name for name, module in list(sys.modules.items())
             if name.startswith("click") and module is not None
             and getattr(module, "_", None) is gettext.gettext}
    assert bound <= set(MODULES) | set(UNTRANSLATED)
    speak()
    with i18n.speaking(i18n.PSEUDO):
        assert click.formatting._("Usage:") == f"{OPEN}Ûšàĝé:{CLOSE}"
        text = click.Command("x", help="y").get_help(click.Context(click.Command("x")))
    assert OPEN in text


def test_a_reminder_and_a_contacts_message_under_the_pseudo_language():
    from tracker.domain.actions import Do, act  # noqa: F401
    from tracker.reminders import messages, presses
    from tracker.services.record import reminder_answers as ra

    with i18n.speaking(i18n.PSEUDO):
        title, body = messages.compose_contact(CHILD, "19:30", 30, "20:30", None)
        words = [presses.button(k) for k in (ra.GIVEN, ra.WITHHELD, ra.SNOOZE, ra.UNDO)]
    assert _left("\n".join([title, body, *words])) == []
    assert all(w.startswith(OPEN) for w in words)


def test_a_contact_reads_their_own_language(isolated):
    from tracker import config
    from tracker.db import migrate
    from tracker.db.session import make_engine, transaction
    from tracker.reminders import due
    from tracker.services.record import contacts

    assert run_tracker(*SETUP, env=_env("en")).returncode == 0
    r = run_tracker("remind", "contact", "add", "Sam", "json://localhost/x", "--language",
                    "qps", env=_env("en"))
    assert r.returncode != 0  # no one reads the pseudo-language
    r = run_tracker("remind", "contact", "add", "Sam", "json://localhost/x", "--language",
                    "Français", env=_env("en"))
    assert r.returncode == 0, r.stderr
    listed = run_tracker("remind", "contact", "list", env=_env("en")).stdout
    assert "Français" in listed
    target = config.database_target()
    migrate.prepare(target)
    engine = make_engine(target.url)
    with transaction(engine, write=True) as session:
        contacts.find(session, "Sam").language = i18n.PSEUDO  # to see what it reads
    late = datetime.fromisoformat("2026-11-24T20:05:00+01:00")
    with i18n.speaking("en"), transaction(engine, write=False) as session:
        planned = due.due(session, late, timedelta(minutes=15), None)
    engine.dispose()
    told = [p for p in planned if p.to_url]
    assert told and told[0].to_language == i18n.PSEUDO
    assert told[0].title.startswith(OPEN) and _left(told[0].title + told[0].body) == []
    here = [p for p in planned if not p.to_url]
    assert here and OPEN not in here[0].title  # the caregiver's notification: English


@pytest.mark.parametrize(("moment", "kind"), [("2026-11-24T19:30:30+01:00", "due"),
                                              ("2026-11-24T19:50:00+01:00", "follow-up"),
                                              ("2026-11-24T23:35:00+01:00", "missed")])
def test_this_computers_reminders_speak_the_caregivers_language(isolated, monkeypatch, moment,
                                                                kind):
    """The desktop notification is composed in config.language() (here the pseudo-language,
    as a caregiver's setting would choose French), whatever the process speaks."""
    from tracker import config
    from tracker.db import migrate
    from tracker.db.session import make_engine, transaction
    from tracker.reminders import due

    env = {**_env("en"), "TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
    assert run_tracker(*SETUP, env=env).returncode == 0
    monkeypatch.setenv("TRACKER_LANGUAGE", i18n.PSEUDO)
    target = config.database_target()
    migrate.prepare(target)
    engine = make_engine(target.url)
    with i18n.speaking("en"), transaction(engine, write=False) as session:
        planned = due.due(session, datetime.fromisoformat(moment), timedelta(minutes=15), None)
    engine.dispose()
    assert [p.kind for p in planned if p.slot_at] == [kind]
    for p in planned:
        assert p.title.startswith(OPEN), p.title
        assert _left(f"{p.title}\n{p.body}") == [], (p.title, p.body)
