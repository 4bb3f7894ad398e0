"""Starting the reminder service at login: a systemd user unit, a launchd agent, or a
Startup entry, depending on the system. The file contents are plain functions of their
inputs; only `install`/`uninstall` touch the disk and the service manager.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

UNIT = "tracker-remind.service"
AGENT = "org.tracker.remind"


class Autostart(NamedTuple):
    path: Path
    content: str
    start: list[list[str]]  # commands that enable and start it now
    stop: list[list[str]]
    check: str  # how a person checks it


def systemd_unit(python: str, env: dict[str, str]) -> str:
    lines = [
        "[Unit]",
        "Description=tracker: Increlex dose reminders",
        "After=graphical-session.target",
        "",
        "[Service]",
        f'ExecStart="{python}" -m tracker remind run',
    ]
    lines += [f'Environment="{k}={v}"' for k, v in sorted(env.items())]
    lines += ["Restart=on-failure", "RestartSec=30", "", "[Install]", "WantedBy=default.target", ""]
    return "\n".join(lines)


def launchd_plist(python: str, env: dict[str, str], log: Path) -> str:
    env_xml = "".join(
        f"<key>{escape(k)}</key><string>{escape(v)}</string>" for k, v in sorted(env.items())
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>Label</key><string>{AGENT}</string>
<key>ProgramArguments</key><array><string>{escape(python)}</string><string>-m</string><string>tracker</string><string>remind</string><string>run</string></array>
<key>EnvironmentVariables</key><dict>{env_xml}</dict>
<key>RunAtLoad</key><true/><key>KeepAlive</key><true/>
<key>StandardErrorPath</key><string>{escape(str(log))}</string>
</dict></plist>
"""


def windows_cmd(python: str, env: dict[str, str]) -> str:
    sets = "".join(f'set "{k}={v}"\r\n' for k, v in sorted(env.items()))
    pythonw = (
        python[: -len("python.exe")] + "pythonw.exe"
        if python.lower().endswith("python.exe")
        else python
    )
    return f'@echo off\r\n{sets}start "" "{pythonw}" -m tracker remind run\r\n'


def plan(platform: str, home: Path, python: str, env: dict[str, str]) -> Autostart:
    if platform.startswith("linux"):
        config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
        path = config / "systemd" / "user" / UNIT
        return Autostart(
            path,
            systemd_unit(python, env),
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
            launchd_plist(python, env, log),
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
        windows_cmd(python, env),
        [],
        [],
        "it starts at your next login; 'tracker remind status' tells",
    )


def run_all(commands: list[list[str]]) -> list[str]:
    """Run the service manager's commands; say what did not work instead of failing."""
    problems = []
    for command in commands:
        if shutil.which(command[0]) is None:
            problems.append(f"{command[0]} is not available: run '{' '.join(command)}' later")
            break
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            problems.append(f"'{' '.join(command)}' failed: {done.stderr.strip()}")
            break
    return problems


def current() -> tuple[str, Path, str]:
    return sys.platform, Path.home(), sys.executable
