"""Starting the service at login: the files written for each system."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tracker.errors import InputError, StorageError
from tracker.services.operations import autostart

ENV_FILE = Path("/home/anna/.config/tracker/remind.env.json")


def test_systemd_unit(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    plan = autostart.plan("linux", tmp_path, "/opt/venv/bin/python", ENV_FILE)
    assert plan.path == tmp_path / "cfg" / "systemd" / "user" / "tracker-remind.service"
    assert (f'ExecStart="/opt/venv/bin/python" -m tracker remind run --env-file "{ENV_FILE}"'
            in plan.content)
    assert "Environment" not in plan.content  # no secret, not even where the log is
    assert "WantedBy=default.target" in plan.content
    assert ["systemctl", "--user", "enable", "--now", "tracker-remind.service"] in plan.start


def test_systemd_escapes_percent_and_dollar_and_refuses_quotes(tmp_path):
    content = autostart.systemd_unit("/opt/a%b $HOME/py", Path("/home/x%40y/env.json"))
    assert 'ExecStart="/opt/a%%b $HOME/py" -m tracker remind run --env-file ' in content
    assert '"/home/x%%40y/env.json"' in content
    assert '"/home/$$x/e"' in autostart.systemd_unit("/py", Path("/home/$x/e"))
    for bad in ('/opt/"evil', "/opt/a\nExecStartPre=/bin/rm"):
        with pytest.raises(InputError, match="quote or a line break"):
            autostart.systemd_unit(bad, ENV_FILE)


def test_launchd_agent_is_valid_xml_and_holds_no_secret(tmp_path):
    import plistlib

    plan = autostart.plan("darwin", tmp_path, "/opt/venv/bin/python", Path("/x/a&b<c>.json"))
    data = plistlib.loads(plan.content.encode())
    assert data["ProgramArguments"] == ["/opt/venv/bin/python", "-m", "tracker", "remind", "run",
                                        "--env-file", "/x/a&b<c>.json"]
    assert "EnvironmentVariables" not in data
    assert data["RunAtLoad"] is True


def test_windows_startup_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    plan = autostart.plan("win32", tmp_path, r"C:\venv%x\Scripts\python.exe",
                          Path(r"C:\Users\a%USERNAME%\env.json"))
    assert plan.path.name == "tracker-remind.cmd" and "Startup" in plan.path.parts
    assert r'"C:\venv%%x\Scripts\pythonw.exe" -m tracker remind run --env-file' in plan.content
    assert r'"C:\Users\a%%USERNAME%%\env.json"' in plan.content
    assert "set " not in plan.content


def test_env_file_is_owner_only_and_refused_otherwise(tmp_path):
    env = {"TRACKER_DATABASE_URL": "postgresql+psycopg://anna:s3cret@host/tracker"}
    path = autostart.write_env_file(tmp_path / "cfg" / "remind.env.json", env)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert autostart.load_env_file(path) == env
    path.chmod(0o640)
    with pytest.raises(StorageError, match="can be read by others"):
        autostart.load_env_file(path)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="writes a systemd user unit")
def test_reminders_that_are_not_on_say_so_in_the_same_words_whatever_the_reason():
    """One sentence, whatever stops them: a parent scanning for it finds it every time."""
    from tracker.services.operations.reminder_standing import standing

    said = [standing(running=False, last_seen=None, installed=installed, obstacle=obstacle
                     ).sentence
            for installed, obstacle in ((False, None), (True, None),
                                        (False, autostart.Obstacle("no login here", "x")))]
    assert [s.split(": ", 1)[0] for s in said] == ["Reminders are NOT on"] * 3, said
    assert said[0] == "Reminders are NOT on: nothing has started them on this computer yet"


def test_install_and_uninstall_through_the_cli(tracker, isolated):
    r = tracker.ok("remind", "install", "--no-start")
    assert "Reminders are NOT on: they start when you log in again." in r.out
    unit = Path(isolated / "home" / "config" / "systemd" / "user" / "tracker-remind.service")
    assert unit.is_file() and stat.S_IMODE(unit.stat().st_mode) == 0o600
    env_file = isolated / "remind.env.json"
    assert f'--env-file "{env_file}"' in unit.read_text()
    assert autostart.load_env_file(env_file) == {"TRACKER_DB": str(tracker.db)}
    r = tracker.ok("remind", "uninstall")
    assert "Removed" in r.out and not unit.exists() and not env_file.exists()
    assert "Nothing to remove" in tracker.ok("remind", "uninstall").out


def test_the_unit_passes_systemd_analyze_verify_with_awkward_paths(tmp_path):
    """systemd itself reads the unit: no specifier or variable warning, nothing dropped."""
    import os
    import shutil
    import subprocess

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if os.environ.get("CI") == "true":
            pytest.fail("systemd-analyze is missing (apt-get install systemd)")
        pytest.skip("no systemd-analyze here (not under CI, which installs it)")
    odd = tmp_path / "a%40b $x"
    odd.mkdir()
    python = odd / "python"
    python.symlink_to(sys.executable)
    unit = tmp_path / "tracker-remind.service"
    unit.write_text(autostart.systemd_unit(str(python), odd / "remind.env.json"))
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    r = subprocess.run([analyze, "verify", "--user", str(unit)], capture_output=True, text=True,
                       env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)}, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "specifier" not in r.stderr.lower() and "ignoring" not in r.stderr.lower(), r.stderr
    assert str(python).replace("%", "%%") in unit.read_text()


def _no_session(tmp_path: Path) -> dict[str, str]:
    """A machine without a user session (CI, SSH, a container): no session bus, and a
    runtime folder where no user service manager listens. Deterministic on a laptop too,
    so a test never installs a real service there."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    return {"XDG_RUNTIME_DIR": str(runtime), "DBUS_SESSION_BUS_ADDRESS": ""}


PROGRAMMER_WORDS = ("systemctl", "D-Bus", "DBUS", "Traceback", "Error", "exception", "float")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="systemd user services")
def test_install_without_a_user_session_says_reminders_are_not_on(tmp_path, isolated):
    """The parent learns in the first line that reminders are NOT on, then what works
    here; nothing is written; the exit code says it failed."""
    import shutil

    from conftest import MIA, run_tracker

    if shutil.which("systemctl") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("systemctl is missing (apt-get install systemd)")
        pytest.skip("no systemctl here (not under CI, which installs it)")
    env = _no_session(tmp_path)
    assert run_tracker(*MIA, env=env).returncode == 0
    r = run_tracker("remind", "install", env=env)
    assert r.returncode == 6, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == ("Reminders are NOT on: there is no desktop login session here that "
                        "can keep reminders running (as when connected over SSH, or in a "
                        "container).")
    assert lines[1] == "What works on this computer:"
    assert lines[2].split()[:3] == ["tracker", "remind", "run"]
    assert "tracker export --format ics" in lines[3] and "phone's calendar" in lines[3]
    for word in PROGRAMMER_WORDS:
        assert word not in r.stdout + r.stderr, word
    assert not (isolated / "home" / "config" / "systemd").exists()  # nothing written
    assert not (isolated / "remind.env.json").exists()
    assert "(detail: systemctl --user is-system-running: offline)" in run_tracker(
        "remind", "install", "--verbose", env=env).stdout
    # status and doctor say the same, and never send the parent back to install
    status = run_tracker("remind", "status", env=env).stdout
    assert status.startswith("Reminders are NOT on: there is no desktop login session")
    doctor = run_tracker("doctor", env=env).stdout
    assert "!!  Reminders are NOT on: there is no desktop login session" in doctor
    assert "-> tracker remind run: reminders in a window you leave open" in doctor
    for said in (status, doctor):
        assert "remind install" not in said


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="systemd is Linux's")
def test_install_without_systemd_says_so_in_words(tmp_path, isolated):
    """A Linux without systemd (a PATH without systemctl): refused before writing."""
    from conftest import MIA, run_tracker

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)
    env = {"PATH": str(bin_dir)}
    assert run_tracker(*MIA, env=env).returncode == 0
    r = run_tracker("remind", "install", env=env)
    assert r.returncode == 6
    assert r.stdout.startswith("Reminders are NOT on: this computer does not use systemd, "
                               "which tracker needs to start reminders at login.")
    assert not (isolated / "home" / "config" / "systemd").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="systemd user services")
def test_a_failing_service_manager_changes_nothing_and_is_said(tmp_path, isolated):
    """A service manager that is up but refuses the unit (the stand-in below answers
    like systemctl: up, then a failing daemon-reload): the files written are taken
    back, a unit installed before is left as it was, and reminders are NOT on."""
    from conftest import MIA, run_tracker

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    systemctl = bin_dir / "systemctl"
    systemctl.write_text(
        '#!/bin/sh\ncase "$2" in\n  is-system-running) echo running; exit 0;;\n'
        '  *) echo "Failed to reload daemon: Access denied" >&2; exit 1;;\nesac\n'
    )
    systemctl.chmod(0o755)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    assert run_tracker(*MIA, env=env).returncode == 0
    unit = isolated / "home" / "config" / "systemd" / "user" / "tracker-remind.service"
    unit.parent.mkdir(parents=True)
    unit.write_text("an older unit\n")
    r = run_tracker("remind", "install", env=env)
    assert r.returncode == 6
    assert r.stdout.startswith("Reminders are NOT on: the service manager could not start "
                               "the reminder service.")
    assert "Access denied" not in r.stdout
    assert unit.read_text() == "an older unit\n"  # as it was
    assert not (isolated / "remind.env.json").exists()
    verbose = run_tracker("remind", "install", "--verbose", env=env).stdout
    assert "Failed to reload daemon: Access denied" in verbose


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="systemd user services")
def test_install_says_on_only_once_the_service_has_checked_the_log(tmp_path, isolated):
    """A stand-in service manager that starts what the unit says (the real service, on
    the env file install wrote): install waits for its first check of the log, then says
    reminders are on; status agrees."""
    import signal
    import time

    from conftest import MIA, run_tracker

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pid_file = tmp_path / "service.pid"
    env_file = isolated / "remind.env.json"
    systemctl = bin_dir / "systemctl"
    systemctl.write_text(
        '#!/bin/sh\ncase "$2" in\n  is-system-running) echo running;;\n'
        f'  enable) "{sys.executable}" -m tracker remind run --env-file "{env_file}" '
        f'>/dev/null 2>&1 & echo $! > "{pid_file}";;\nesac\nexit 0\n'
    )
    systemctl.chmod(0o755)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    assert run_tracker(*MIA, env=env).returncode == 0
    try:
        r = run_tracker("remind", "install", env=env)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "Reminders are on: the service is running and starts again at every login" \
            in r.stdout
        assert run_tracker("remind", "status", env=env).stdout.startswith(
            "Reminders are on: the reminder service is running")
    finally:
        deadline = time.monotonic() + 10
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGTERM)
