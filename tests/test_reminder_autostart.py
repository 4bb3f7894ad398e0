"""Starting the service at login: the files written for each system."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from tracker.errors import InputError, StorageError
from tracker.reminders import autostart

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
def test_install_and_uninstall_through_the_cli(tracker, isolated):
    tracker.ok("remind", "install", "--no-start")
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
