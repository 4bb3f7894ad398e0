"""Say it once (issue 24): the rules' sentences name no front's controls.

A message that asks a person to do something carries an Action; each front names it in
its own controls. These tests hold the line: no text of `tracker/services` or
`tracker/domain` writes a command-line flag or command, every action has a name on every
front, and the same refusal reads right on the command line, the page and a notification.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tracker.domain.actions import PLAIN, Action, Do, Line, act, said

SOURCE = Path(__file__).resolve().parent.parent / "tracker"
FLAG = re.compile(r"(?<![\w-])--[a-z][\w-]*")


def _commands() -> set[str]:
    from tracker.cli import COMMANDS

    return set(COMMANDS)


def _texts(path: Path) -> list[tuple[int, str]]:
    """Every string a module says (f-string holes as X), docstrings and comments aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef,
                                    ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr)}
    inner = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings or id(node) in inner:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            found.append((node.lineno, "".join(
                v.value if isinstance(v, ast.Constant) else "X" for v in node.values)))
    return found


def front_words(text: str) -> list[str]:
    """What in `text` belongs to the command line: a flag, or `tracker <command>`."""
    words = [m.group(0) for m in FLAG.finditer(text)]
    commands = "|".join(sorted(_commands(), key=len, reverse=True))
    words += [m.group(0) for m in re.finditer(rf"\btracker ({commands})\b", text)]
    return words


# Another program's command line, shown as the person must type it: not ours to rename.
OTHER_PROGRAMS = ("pg_dump ", "systemctl ", "launchctl ")


def not_a_message(text: str) -> bool:
    """What the system runs rather than what a person reads: another program's command
    line, a word of an argument list (`--user`), or tracker starting itself from a
    service file (`python -m tracker remind run ...`, written by autostart)."""
    return (text.startswith(OTHER_PROGRAMS) or (text.startswith("--") and " " not in text)
            or "-m tracker " in text)


def test_the_rules_and_services_name_no_command_line_flag_or_command() -> None:
    offences = []
    for folder in ("services", "domain"):
        for path in sorted((SOURCE / folder).rglob("*.py")):
            for line, text in _texts(path):
                if not_a_message(text):
                    continue
                for word in front_words(text):
                    offences.append(f"{path.relative_to(SOURCE.parent)}:{line}: {word!r} "
                                    f"in {text[:70]!r}")
    assert not offences, "\n".join(offences)


def test_the_check_itself_sees_a_flag_and_a_command() -> None:
    """The scan above must be able to fail: it finds what it is meant to find."""
    assert front_words("to record one anyway add --force --reason TEXT") == ["--force",
                                                                             "--reason"]
    assert front_words("run 'tracker vial open' first") == ["tracker vial"]
    assert front_words("see tracker restore-entry D4") == ["tracker restore-entry"]
    assert front_words("a dose-mg of 2, the tracker log") == []


def test_every_action_has_plain_words_and_a_name_on_each_front() -> None:
    from tracker.cli.say import COMMANDS
    from tracker.web.say import CONTROLS

    for do in Do:
        assert do in PLAIN and not front_words(PLAIN[do]), do
        assert do in COMMANDS, do
        assert do in CONTROLS and not front_words(CONTROLS[do]), do


def test_a_line_reads_in_each_fronts_words() -> None:
    from tracker.cli.say import text as cli_text
    from tracker.web.say import text as page_text

    line = Line("a second dose is not given; to record one anyway ", act(Do.FORCE))
    assert cli_text(line) == "a second dose is not given; to record one anyway add --force " \
                             "--reason TEXT"
    assert str(line) == ("a second dose is not given; to record one anyway needs the doctor's "
                         "reason, recorded on the computer that keeps the log")
    assert "--" not in page_text(line)
    undo = Line("if that is wrong, ", act(Do.UNDO, ref="D4"))
    assert cli_text(undo) == "if that is wrong, tracker undo D4"
    assert str(undo) == "if that is wrong, undo D4 in the history"
    assert line.actions() == (Action(Do.FORCE, {}),)
    # an error carries its Line: each front renders the error's words, not str()
    from tracker.errors import Refused

    assert cli_text(Refused(undo)) == "if that is wrong, tracker undo D4"
    assert said("plain words", lambda a: "?") == "plain words"


def test_a_child_with_a_space_in_the_name_is_quoted_on_the_command_line() -> None:
    from tracker.cli.say import text as cli_text

    line = Line("use a finer syringe (", act(Do.SYRINGE, child="Mia Rose", key="0.3ml-half",
                                             ), ")")
    assert cli_text(line) == "use a finer syringe (tracker child 'Mia Rose' --syringe " \
                             "0.3ml-half)"
    assert str(line) == "use a finer syringe (set it as Mia Rose's syringe)"


@pytest.mark.parametrize("do", list(Do))
def test_plain_words_fill_every_hole(do: Do) -> None:
    holes = set(re.findall(r"{(\w+)", PLAIN[do]))
    text = act(do, **{h: "X" for h in holes}).plain()
    assert "{" not in text and text.strip()


def test_a_line_keeps_its_actions_when_words_are_added_before_or_after() -> None:
    from tracker.cli.say import text as cli_text

    line = "! " + Line("the vial is out: ", act(Do.VIAL_OPEN)) + "."
    assert isinstance(line, Line)
    assert cli_text(line) == "! the vial is out: run 'tracker vial open'."
    both = Line("undo it (", act(Do.UNDO, ref="D1"), ")") + Line(" or ", act(Do.EDIT, ref="D1"))
    assert cli_text(both) == "undo it (tracker undo D1) or tracker edit D1"
    assert both.actions() == (act(Do.UNDO, ref="D1"), act(Do.EDIT, ref="D1"))


def test_everything_after_an_entry_comes_in_one_order_each_part_once() -> None:
    """Emergency, then the doctor, then warnings, then what to watch, then notes: the
    order every front shows; a sentence said twice is said once."""
    from tracker.domain.guidance import DOCTOR, EMERGENCY, NOTE, WARNING, WATCH, Advice, in_order

    advice = [Advice(WATCH, "watch"), Advice(DOCTOR, "doctor"), Advice(EMERGENCY, "now"),
              Advice(WATCH, "watch")]
    got = in_order(["a note", "a note", "another"], ["a warning", "a warning"], advice)
    assert got == [Advice(EMERGENCY, "now"), Advice(DOCTOR, "doctor"),
                   Advice(WARNING, "a warning"), Advice(WATCH, "watch"),
                   Advice(NOTE, "a note"), Advice(NOTE, "another")]
    assert in_order() == []
    line = Line("open a vial: ", act(Do.VIAL_OPEN))
    assert in_order(warnings=[line])[0].text is line  # its actions kept for the front
