"""Every command a message suggests works when typed as written (issue 22).

Two halves. First, every `tracker ...` command written anywhere in tracker's messages is
collected from the source and checked against the real command tree: the command
exists, and every option it names is one that command takes. Second, the suggestions a
parent meets most are followed for real, in their situation: the message is produced,
the command is taken from it and run, and it must do what the message promised.
"""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import click
import pytest
from conftest import MIA

from tracker.cli import root

SOURCE = Path(__file__).resolve().parent.parent / "tracker"
# A command in a message ends where the sentence goes on: a quote, a bracket, a comma
# before other words, a semicolon, a colon, or the end of the string.
_COMMAND = re.compile(r"tracker((?: (?:--?[a-z][a-z0-9-]*|[A-Za-z0-9_.@/'|%{}!-]+|\"[^\"]*\"))+)")


def _text(node: ast.AST) -> str | None:
    """A string literal, with the parts an f-string fills in written as X."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)
    return None


def suggestions() -> list[tuple[str, str]]:
    """(where, command) for every `tracker ...` in a message of the package."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef,
                                        ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr)}
        for node in ast.walk(tree):
            text = _text(node)
            if text is None or id(node) in docstrings or "tracker " not in text:
                continue
            for m in _COMMAND.finditer(text):
                words = m.group(1).split()
                if words and words[0][0].isalpha() and words[0] in root.list_commands(
                        click.Context(root)):
                    found.append((f"{path.relative_to(SOURCE.parent)}:{node.lineno}",
                                  m.group(0)))
    return found


def check(command: str) -> None:
    """The command's path exists and each option it names is one that command takes."""
    try:
        words = shlex.split(command)[1:]
    except ValueError:
        words = command.split()[1:]
    group: click.Command = root
    ctx = click.Context(root, info_name="tracker")
    while words and isinstance(group, click.Group) and not words[0].startswith("-"):
        sub = group.get_command(ctx, words[0])
        if sub is None:
            if group is root:
                raise AssertionError(f"no command {words[0]!r}")
            break  # an argument of the group's own command (tracker child Mia)
        group, words = sub, words[1:]
        ctx = click.Context(group, info_name=group.name, parent=ctx)
    names = {o for p in group.params if isinstance(p, click.Option) for o in p.opts}
    names |= {"--help", "-h"}
    for word in words:
        if word.startswith("--"):
            option = word.split("=", 1)[0]
            assert option in names, f"{group.name} takes no {option} (it takes {sorted(names)})"


def test_messages_suggest_commands_at_all():
    """The collector finds the messages' commands (it cannot pass by finding none)."""
    commands = {c for _, c in suggestions()}
    assert len(commands) > 40
    assert any(c.startswith("tracker child {child} --since") for c in commands)


@pytest.mark.parametrize("where,command", suggestions())
def test_every_suggested_command_exists_with_its_options(where, command):
    check(command)


def test_a_command_that_does_not_exist_is_caught():
    with pytest.raises(AssertionError):
        check("tracker prescribe --from-date X")
    with pytest.raises(AssertionError):
        check("tracker unundo D1")


_TYPED = re.compile(r"tracker((?: (?:--?[a-z][a-z0-9-]*|[A-Za-z0-9_.@/|%:-]+))+)")


def _suggested(message: str) -> list[str]:
    """The commands in a message, as a parent would copy them (quotes around a command
    are the sentence's, not the command's)."""
    return [m.group(0).rstrip(".,:;") for m in _TYPED.finditer(message)
            if not m.group(0).endswith("--help")]


def run_suggestion(tracker, message: str, index: int = 0):
    words = shlex.split(_suggested(message)[index])
    return tracker(*words[1:])


def test_earlier_doses_after_setup(tracker, clock):
    clock.set("2026-12-03T10:00:00+01:00")
    tracker.ok(*[a for a in MIA if a not in ("--since", "2026-11-20")])
    refused = tracker("give", "--at", "2026-11-19 08:00", "--site", "left-thigh", "--meal")
    assert refused.code == 3
    assert run_suggestion(tracker, refused.err).code == 0
    assert tracker("give", "--at", "2026-11-19 08:00", "--site", "left-thigh",
                   "--meal").code == 0


def test_a_dose_with_no_open_vial_recorded(mia, clock):
    mia.ok("vial", "open", "--at", "08:50")  # vials are tracked from then on
    logged = mia.ok("give", "--at", "07:35", "--site", "left-thigh", "--meal")
    said = " ".join(logged.out.split("no vial was open at ")[1].split())  # unwrapped
    assert said.startswith("2026-11-24 07:35: record the one opened then: 'tracker vial "
                           "open --at \"2026-11-24 07:35\"'")
    words = shlex.split(said.split("then: ", 1)[1].split("'")[1])
    assert mia(*words[1:]).code == 0  # as typed, quotes and all
    assert mia.rows("SELECT count(*) FROM vial") == [(2,)]


def test_a_second_dose_names_how_to_correct_the_first(mia, clock):
    mia.ok("give", "--site", "left-thigh", "--meal")
    refused = mia("skip", "--at", "07:30", "--reason", "ill")
    assert refused.code == 4
    words = shlex.split(next(c for c in _suggested(refused.err) if "edit" in c))
    shown = mia("show", words[-1])  # the entry it names exists
    assert shown.code == 0 and "D1" in shown.out


def test_a_vanished_log_names_the_backup_to_restore(tracker, clock):
    tracker.ok(*MIA)
    tracker.ok("backup")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tracker.db}{suffix}").unlink(missing_ok=True)
    refused = tracker("status")
    assert refused.code == 5
    assert run_suggestion(tracker, refused.err).code == 0
    assert tracker("status").code == 0


@pytest.mark.parametrize(("port", "tls"), [(8765, False), (8799, False), (8443, True)])
def test_the_pairing_command_a_started_page_suggests_links_to_that_page(mia, port, tls):
    """`tracker web --port 8799` used to suggest a pairing link on the default port."""
    from tracker.cli.web_cmds import _base, pair_hint
    from tracker.web.forms import load_secret

    hint = pair_hint(port, False, tls)
    check(hint)
    link = mia.ok(*shlex.split(hint)[1:]).out.splitlines()[0]
    page = _base(port, False, tls, load_secret(mia.db.parent))  # what `tracker web` prints
    assert link.startswith(f"{page}/pair/"), (hint, link)


def test_a_missed_reminder_names_the_command_that_logs_the_dose_at_its_time(mia, clock):
    """The reminder on the computer names `tracker give --at` through the notifications'
    renderer (tracker.reminders.say); typed as written, with the answers a person gives at
    the terminal, it logs the dose at the slot's time."""
    from tracker.reminders.messages import compose
    from tracker.services.views.briefing import Briefing

    clock.set("2026-11-24T09:00:00+01:00")
    _, body = compose("missed", Briefing("Mia", "0.80 mg", "left-thigh", "07:30", "19:30"))
    typed = _suggested(body)
    assert typed == ["tracker give --at 07:30"]
    check(typed[0])
    given = mia(*shlex.split(typed[0])[1:], input="left-thigh\ny\n")
    assert given.code == 0, given.err
    (given_at,), = mia.rows("SELECT given_at FROM dose")
    assert "06:30" in str(given_at) or "07:30" in str(given_at)  # 07:30 Paris, stored UTC


def test_a_backup_over_an_existing_file_suggests_no_option_backup_lacks(mia, tmp_path):
    """It used to say "or add --force", which `tracker backup` does not take."""
    taken = tmp_path / "taken.db"
    taken.write_text("mine")
    refused = mia("backup", "-o", str(taken))
    assert refused.code != 0 and "already exists: choose another name" in refused.err
    for option in re.findall(r"(?<![\w-])--[a-z][\w-]*", refused.err):
        check(f"tracker backup {option}")
    assert taken.read_text() == "mine"
