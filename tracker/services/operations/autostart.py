"""Starting the reminder service at login: a systemd user unit, a launchd agent, or a
Startup entry, depending on the system. The file contents are plain functions of their
inputs; only `install`/`uninstall` touch the disk and the service manager.

Only the command line reaches this module (tests/test_actions.py holds it so): what it
suggests is written as the command to type.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

from tracker.errors import InputError, StorageError
from tracker.i18n import _

UNIT = "tracker-remind.service"
AGENT = "org.tracker.remind"


class Autostart(NamedTuple):
    path: Path
    content: str
    start: list[list[str]]  # commands that enable and start it now
    stop: list[list[str]]
    check: str  # how a person checks it


def _refuse_unsafe(value: str) -> None:
    """A quote or a line break cannot be written safely into any of the three formats.
    (Only the message is the reader's: the files themselves are written as they are.)"""
    if any(ch in value for ch in '"\n\r\0'):
        raise InputError(
            _("the path {path} has a quote or a line break, which a service file cannot "
              "hold safely: move it to a path without them").format(path=repr(value))
        )


def systemd_word(value: str, *, argument: bool = True) -> str:
    """One quoted word of ExecStart: systemd expands % specifiers everywhere (quoted or not),
    so a literal % is %%; in arguments (not the program's own path) it also expands
    $VARIABLES, so a literal $ is $$ there (checked with systemd-analyze verify)."""
    _refuse_unsafe(value)
    escaped = value.replace("\\", "\\\\").replace("%", "%%")
    if argument:
        escaped = escaped.replace("$", "$$")
    return f'"{escaped}"'


def systemd_unit(python: str, env_file: Path, extra: tuple[str, ...] = ()) -> str:
    """The unit holds no secret: the log's location (a URL may carry a password) is in the
    owner-only file it names, read by tracker itself."""
    program = systemd_word(python, argument=False)
    run = f"{program} -m tracker remind run --env-file {systemd_word(str(env_file))}"
    run += "".join(f" {a}" for a in extra)  # fixed option words (--with-web, --lan)
    lines = [
        "[Unit]",
        "Description=tracker: Increlex dose reminders",
        "After=graphical-session.target",
        "",
        "[Service]",
        f"ExecStart={run}",
        "Restart=on-failure",
        "RestartSec=30",
        "",
        "[Install]",
        "WantedBy=default.target",
        "",
    ]
    return "\n".join(lines)


def launchd_plist(python: str, env_file: Path, log: Path, extra: tuple[str, ...] = ()) -> str:
    _refuse_unsafe(python)
    _refuse_unsafe(str(env_file))
    args = [python, "-m", "tracker", "remind", "run", "--env-file", str(env_file), *extra]
    program = "".join(f"<string>{escape(a)}</string>" for a in args)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>Label</key><string>{AGENT}</string>
<key>ProgramArguments</key><array>{program}</array>
<key>RunAtLoad</key><true/><key>KeepAlive</key><true/>
<key>StandardErrorPath</key><string>{escape(str(log))}</string>
</dict></plist>
"""


def windows_cmd(python: str, env_file: Path, extra: tuple[str, ...] = ()) -> str:
    """cmd.exe expands %VAR% even inside quotes: a literal % is %%."""

    def word(value: str) -> str:
        _refuse_unsafe(value)
        return '"' + value.replace("%", "%%") + '"'

    pythonw = (
        python[: -len("python.exe")] + "pythonw.exe"
        if python.lower().endswith("python.exe")
        else python
    )
    return (
        f'@echo off\r\nstart "" {word(pythonw)} -m tracker remind run --env-file '
        f"{word(str(env_file))}{''.join(' ' + a for a in extra)}\r\n"
    )


ENV_KEYS = ("TRACKER_DB", "TRACKER_DATABASE_URL")


def write_env_file(path: Path, env: dict[str, str]) -> Path:
    """The service's settings, secrets included, readable by their owner only."""
    import json

    from tracker import files

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return files.write_text(path, json.dumps(env, indent=2) + "\n", force=True)


def load_env_file(path: Path) -> dict[str, str]:
    """Read the service's settings back; refused unless only its owner can read it."""
    import json
    import stat

    try:
        st = path.stat()
        if sys.platform == "win32":  # no owner bits: the user's profile keeps it private
            others = False
        else:
            others = st.st_uid != os.getuid() or bool(stat.S_IMODE(st.st_mode) & 0o077)
        if others:
            raise StorageError(
                _("{path} can be read by others (or is not yours): it may hold a password, "
                  "so tracker will not use it; {command}").format(
                    path=path, command=f"chmod 600 {path}")
            )
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StorageError(_("cannot read {path}: {error}").format(
            path=path, error=exc.strerror or exc)) from None
    except ValueError:
        raise StorageError(_("{path} is not a service settings file: reinstall the "
                             "service (tracker remind install)").format(path=path)) from None
    if not isinstance(data, dict):
        raise StorageError(_("{path} is not a service settings file").format(path=path))
    return {k: str(v) for k, v in data.items() if k in ENV_KEYS}


def plan(
    platform: str, home: Path, python: str, env_file: Path, extra: tuple[str, ...] = ()
) -> Autostart:
    """How this system starts the service at login; `extra` are fixed option words of
    `remind run` (--with-web, --lan), never a value a person typed."""
    assert all(a in ("--with-web", "--lan") for a in extra), extra
    if platform.startswith("linux"):
        config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
        path = config / "systemd" / "user" / UNIT
        return Autostart(
            path,
            systemd_unit(python, env_file, extra),
            [
                ["systemctl", "--user", "daemon-reload"],
                ["systemctl", "--user", "enable", "--now", UNIT],
            ],
            [["systemctl", "--user", "disable", "--now", UNIT]],
            f"systemctl --user status {UNIT}; journalctl --user -u {UNIT}",
        )
    if platform == "darwin":
        path = home / "Library" / "LaunchAgents" / f"{AGENT}.plist"
        log = home / "Library" / "Logs" / "tracker-remind.log"
        return Autostart(
            path,
            launchd_plist(python, env_file, log, extra),
            [["launchctl", "load", "-w", str(path)]],
            [["launchctl", "unload", "-w", str(path)]],
            f"launchctl list | grep {AGENT}; tail {log}",
        )
    appdata = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    path = (
        appdata
        / "Microsoft"
        / "Windows"
        / "Start Menu"
        / "Programs"
        / "Startup"
        / "tracker-remind.cmd"
    )
    return Autostart(
        path,
        windows_cmd(python, env_file, extra),
        [],
        [],
        # a person reads it (how to check the service), not a file
        _("it starts at your next login; 'tracker remind status' tells"),
    )


class Obstacle(NamedTuple):
    """Why this computer cannot start the reminder service at login: in words, and the
    technical detail behind them (for --verbose and tracker doctor)."""

    plain: str
    detail: str


_USER_MANAGER_UP = ("running", "degraded", "starting", "initializing", "maintenance")


def obstacle(platform: str) -> Obstacle | None:
    """What stops a login service here, found before anything is written.

    On Linux the user's own systemd must be running and reachable: over SSH, in a
    container or under cron it is not ("offline", or "Failed to connect to bus"), and
    `systemctl --user enable` would fail after the files were written."""
    if platform.startswith("linux"):
        systemctl = shutil.which("systemctl")
        if systemctl is None:
            return Obstacle(
                _("this computer does not use systemd, which tracker needs to start reminders "
                  "at login"),
                "systemctl was not found on PATH",  # the technical detail, as tools say it
            )
        try:
            done = subprocess.run([systemctl, "--user", "is-system-running"],
                                  capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return Obstacle(_("the service manager of this computer does not answer"), str(exc))
        state = done.stdout.strip()
        if state not in _USER_MANAGER_UP:
            return Obstacle(
                _("there is no desktop login session here that can keep reminders running "
                  "(as when connected over SSH, or in a container)"),
                "systemctl --user is-system-running: "
                + (state or done.stderr.strip() or "no answer"),
            )
        return None
    if platform == "darwin" and shutil.which("launchctl") is None:
        return Obstacle(_("this Mac's service manager cannot be reached"),
                        "launchctl was not found on PATH")
    return None


def run_all(commands: list[list[str]]) -> list[str]:
    """Run the service manager's commands; say what did not work instead of failing."""
    problems = []
    for command in commands:
        if shutil.which(command[0]) is None:
            problems.append(_("{program} is not available: run '{command}' later").format(
                program=command[0], command=" ".join(command)))
            break
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            problems.append(_("'{command}' failed: {error}").format(
                command=" ".join(command), error=done.stderr.strip()))
            break
    return problems


def install(plan: Autostart, env_file: Path, env: dict[str, str], *, start: bool) -> list[str]:
    """Write the service's settings and its unit, and start it (unless `start` is False);
    what did not work. A failed start changes nothing: both files go back as they were."""
    from tracker import files

    before = {p: p.read_bytes() if p.exists() else None for p in (env_file, plan.path)}
    write_env_file(env_file, env)  # the secrets, owner-only; the unit names the file
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    files.write_text(plan.path, plan.content, force=True, newline="")
    problems = run_all(plan.start) if start else []
    if problems:
        for path, content in before.items():
            if content is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(content)
    return problems


def env_file_path() -> Path:
    """Where `remind install` keeps where the log is, beside the settings."""
    from tracker.config import config_path

    return config_path().parent / "remind.env.json"


def current() -> tuple[str, Path, str]:
    return sys.platform, Path.home(), sys.executable
