"""Documentation that cannot fall behind: help texts, the README's commands and CI."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from tracker.cli import COMMANDS, root

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_and_its_summary_matches(name):
    ctx = click.Context(root)
    command = root.get_command(ctx, name)
    assert command is not None and command.help
    first_line = command.help.strip().splitlines()[0].strip()
    assert first_line == COMMANDS[name][2]
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"tracker {name} {param.opts[0]} has no help"


def test_root_help_lists_every_command():
    text = root.get_help(click.Context(root, info_name="tracker"))
    for name in COMMANDS:
        assert re.search(rf"^\s+{name}\s", text, re.M), name


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash)?\n(.*?)```", readme, re.S)
    assert len(blocks) >= 2
    run_cmd, test_cmd = blocks[0].strip(), blocks[1].strip()
    assert "tracker" in run_cmd and "pip install" in run_cmd
    assert "pytest" in test_cmd
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_cmd in ci, ".ci/run must run the README's test command"


def test_readme_mentions_every_command():
    readme = (ROOT / "README.md").read_text()
    for name in COMMANDS:
        assert f"tracker {name}" in readme, name
