"""Only `tracker init` creates a log (issue 21, finding 6).

A mistyped path or URL used to create folders (named with the password, for a URL that
lost its colon), an empty log and a daily backup, then invite the parent to set the child
up again there. Each command is run as a parent would, from a folder of its own, and the
test looks at what was left on disk afterwards.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import MIA, run_tracker

SECRET = "SeCrEt-pw-42"
NOW = {"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}


def everything(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def cwd(tmp_path: Path) -> Path:
    here = tmp_path / "here"
    here.mkdir()
    return here


@pytest.mark.parametrize("how", ["TRACKER_DB", "--db", "sqlite-url"])
def test_a_mistyped_path_creates_nothing_and_says_so(cwd, how):
    typo = cwd / "typo" / "x.db"
    env = dict(NOW)
    args: list[str] = []
    if how == "TRACKER_DB":
        env["TRACKER_DB"] = str(typo)
        source = "TRACKER_DB"
    elif how == "--db":
        args = ["--db", "typo/x.db"]
        source = "--db"
    else:
        env["TRACKER_DATABASE_URL"] = "sqlite:///typo/x.db"  # relative: from the cwd
        source = "TRACKER_DATABASE_URL"
    for command in (["status"], ["give", "--site", "left-thigh"], ["history"],
                    ["remind", "status"], ["web", "devices"]):
        done = run_tracker(*args, *command, env=env, cwd=cwd)
        assert done.returncode == 3, (command, done.stderr)
        assert done.stderr == (f"tracker: there is no log at {typo} (from {source}): check the "
                               "path, or start a new log there with 'tracker init'\n"), command
        assert everything(cwd) == [], command  # no folder, no log, no backup
    # init is the one command that starts a log there
    assert run_tracker(*args, *MIA, env=env, cwd=cwd).returncode == 0
    assert typo.exists()
    assert run_tracker(*args, "status", env=env, cwd=cwd).returncode == 0


@pytest.mark.parametrize("typed", [
    f"postgresql//anna:{SECRET}@192.168.1.20/tracker",  # the colon lost
    f"postgresql:/anna:{SECRET}@192.168.1.20/tracker",  # a slash lost
    f"postgresql:anna:{SECRET}@192.168.1.20/tracker",
    "sqlite:/x.db",
    f"backups/anna:{SECRET}@host/tracker",  # a password in what would become a path
])
@pytest.mark.parametrize("how", ["TRACKER_DATABASE_URL", "--db"])
def test_a_malformed_url_is_refused_as_a_url_with_its_password_masked(cwd, typed, how):
    env = dict(NOW)
    args: list[str] = []
    if how == "--db":
        args = ["--db", typed]
    else:
        env[how] = typed
    for command in (["status"], ["config"], ["doctor"], ["init", *MIA[1:]]):
        done = run_tracker(*args, *command, env=env, cwd=cwd)
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert done.stdout == "", command  # one line on stderr, nothing half said
        assert SECRET not in done.stdout + done.stderr
        lines = done.stderr.splitlines()
        assert len(lines) == 1 and "database URL" in lines[0] and "://" in lines[0], lines
        assert "Traceback" not in done.stderr
        assert everything(cwd) == [], command


def test_on_a_machine_with_nothing_set_up_commands_create_nothing(tmp_path, cwd):
    env = {**NOW, "TRACKER_DB": ""}  # the default place, in the test's own data folder
    data = Path(os.environ["XDG_DATA_HOME"])
    done = run_tracker("status", env=env, cwd=cwd)
    assert done.returncode == 3
    assert done.stderr == "tracker: no child is set up yet: run 'tracker init' first\n"
    home = run_tracker(env=env, cwd=cwd)  # plain `tracker`, as the README's first command
    assert home.returncode == 0 and "tracker init" in home.stdout
    assert not data.exists() and everything(cwd) == []
    assert run_tracker(*MIA, env=env, cwd=cwd).returncode == 0
    assert (data / "tracker" / "tracker.db").exists()
