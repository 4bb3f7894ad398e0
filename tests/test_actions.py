"""Say it once (issue 24): the rules' sentences name no front's controls.

A message that asks a person to do something carries an Action; each front names it in
its own controls. These tests hold the line: no text any front may show (`tracker/services`,
`tracker/domain`, `tracker/reminders`, `tracker/exports`, `tracker/files.py`) writes a
command-line flag or command, every action has a name on every front, and the same refusal
reads right on the command line, the page and a notification. Only kinds that cross fronts
exist (issue 32): a module only the command line reaches says its commands itself, and a
Line formatted into a string, which would lose its actions, raises.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tracker.domain.actions import PLAIN, Action, Do, Line, LostActions, act, plain, said

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


def _reach(starts: set[str]) -> set[str]:
    """Every module `starts` import, at any depth (tests/test_layers.py reads the graph)."""
    from test_layers import GRAPH

    seen: set[str] = set()
    todo = list(starts)
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += GRAPH.get(module, ())
    return seen


def other_fronts() -> set[str]:
    """What the page and the notifications reach: every module they import, and the check
    the command line hands their engine (a replaced log, tracker.db.migrate). The reminder
    service's window (tracker.reminders.runner) is a terminal the command line opened, and
    tracker.reminders.assemble is `tracker remind run` putting it together there."""
    from test_layers import GRAPH

    starts = {m for m in GRAPH if m.startswith(("tracker.web", "tracker.reminders"))}
    terminal = {"tracker.reminders.runner", "tracker.reminders.assemble"}
    return _reach(starts - terminal | {"tracker.db.migrate"})


# Modules only the command line reaches: they say their commands themselves, as the
# command line's words, and raise no Action (a kind only they used would be a name the
# page must keep for something it can never show).
CLI_ONLY = {"tracker.services.operations.doctor", "tracker.services.operations.autostart",
            "tracker.services.operations.backups", "tracker.services.operations.service_lock",
            "tracker.services.operations.reminder_standing", "tracker.exports.files",
            "tracker.reminders.runner", "tracker.reminders.assemble"}
# A front's own names for the actions: the notifications' (the command line's and the
# page's live in tracker/cli and tracker/web, which are not scanned).
RENDERERS = {"tracker.reminders.say"}


def _module(path: Path) -> str:
    return ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts)


def scanned() -> list[Path]:
    """Every module whose text any front may show: the rules, the use cases, the
    notifications, the exported files, the file writer, but those only the command line
    reaches and the notifications' own renderer."""
    paths = [p for folder in ("services", "domain", "reminders", "exports")
             for p in (SOURCE / folder).rglob("*.py")] + [SOURCE / "files.py"]
    return sorted(p for p in paths if _module(p) not in CLI_ONLY | RENDERERS)


def test_the_command_line_only_modules_are_reached_by_no_other_front() -> None:
    assert CLI_ONLY - other_fronts() == CLI_ONLY, CLI_ONLY & other_fronts()
    assert "tracker.reminders.messages" in other_fronts()  # the walk itself works


def test_no_text_a_front_may_show_names_a_command_line_flag_or_command() -> None:
    """Services, rules, notifications, exports, files.py: no flag, no `tracker <command>`
    written by hand (the notifications name commands through tracker.reminders.say)."""
    offences = []
    for path in scanned():
        for line, text in _texts(path):
            if not_a_message(text):
                continue
            # the reminder service naming itself at the start of its window's line
            for word in front_words(re.sub(r"^tracker remind: ", "", text)):
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
    from tracker.reminders.say import ON_COMPUTER, ON_PHONE, WITHOUT_BUTTONS
    from tracker.web.say import CONTROLS

    for do in Do:
        assert do in PLAIN and not front_words(PLAIN[do]), do
        assert do in COMMANDS, do
        assert do in CONTROLS and not front_words(CONTROLS[do]), do
        assert do in ON_COMPUTER and do in WITHOUT_BUTTONS, do
        assert do in ON_PHONE and not front_words(ON_PHONE[do]), do


def _raised() -> dict[Do, set[str]]:
    """Each kind, with the modules that raise it (`Do.X` written there)."""
    found: dict[Do, set[str]] = {do: set() for do in Do}
    for path in SOURCE.rglob("*.py"):
        module = _module(path)
        if module in RENDERERS | {"tracker.domain.actions", "tracker.cli.say",
                                  "tracker.web.say"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "Do" and node.attr in Do.__members__:
                found[Do[node.attr]].add(module)
    return found


def test_every_kind_crosses_fronts_and_only_those() -> None:
    """A kind is raised somewhere the page or a notification reaches, so each front's
    name for it can be met; a module only the command line reaches raises none (it says
    the command itself), so the page names nothing it can never show."""
    reach = other_fronts()
    raised = _raised()
    for do, modules in raised.items():
        assert modules, f"{do} is raised nowhere"
        assert modules & reach, f"{do} is raised only by {sorted(modules)}, which only " \
                                "the command line reaches: say the command there"
    for module in CLI_ONLY:
        assert not any(module in modules for modules in raised.values()), module


def test_a_line_reads_in_each_fronts_words() -> None:
    from tracker.cli.say import text as cli_text
    from tracker.web.say import text as page_text

    line = Line("a second dose is not given; to record one anyway ", act(Do.FORCE))
    assert cli_text(line) == "a second dose is not given; to record one anyway add --force " \
                             "--reason TEXT"
    assert plain(line) == str(line) == (
        "a second dose is not given; to record one anyway needs the doctor's reason, "
        "recorded on the computer that keeps the log")
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


def test_a_line_formatted_into_a_string_is_loud_not_silently_plain() -> None:
    """An f-string would drop the actions (the command line would print the plain words,
    not the command): it raises; `+` and `Line(sep).join` keep them."""
    from tracker.cli.say import text as cli_text

    undo = Line("if that is wrong, ", act(Do.UNDO, ref="D4"))
    with pytest.raises(LostActions):
        f"! {undo}"
    with pytest.raises(LostActions):
        format(undo, "")
    assert f"{Line('no action here')}." == "no action here."
    joined = Line("; ").join(["D4 was undone", undo, Line("or ", act(Do.EDIT, ref="D4"))])
    assert cli_text(joined) == "D4 was undone; if that is wrong, tracker undo D4; or " \
                               "tracker edit D4"
    assert cli_text("! " + undo + ".") == "! if that is wrong, tracker undo D4."


def test_the_notifications_name_logging_their_way_and_the_phone_names_no_command() -> None:
    """A reminder on the computer that keeps the log names the command; a contact's
    phone names the household page and the reminder's button, never a command."""
    from tracker.reminders.messages import compose, compose_contact
    from tracker.services.views.briefing import Briefing

    dose = Briefing("Mia", "0.80 mg", "left thigh", "19:30", "07:30")
    _, body = compose("missed", dose)
    assert body.endswith("If it was given, log it with its time (tracker give --at 19:30).")
    _, body = compose("follow-up", Briefing(
        "Mia", "0.80 mg", "left thigh", "19:30", "07:30",
        undone=Line("D4 was undone, ", act(Do.RESTORE_ENTRY, ref="D4"))))
    assert body.startswith("D4 was undone, restore D4. ")
    assert "If it was given, log it (tracker give). Otherwise: 0.80 mg" in body
    _, text = compose_contact("Mia", "19:30", 30, "20:30")
    assert front_words(text) == [] and "household page" in text
