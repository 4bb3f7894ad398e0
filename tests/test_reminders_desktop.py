"""The reminder service against a real notification daemon (dunst on Xvfb, private D-Bus).

Under CI=true these tests must run (.ci/run installs dunst, xvfb, dbus-x11, libnotify-bin);
on a laptop without them they skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from conftest import MIA, run_tracker

NEEDED = ("dunst", "dunstctl", "Xvfb", "dbus-run-session", "gdbus")

# A virtual screen and a dunst that owns the session's notification service; dunst reads
# its settings (the button-pressing dmenu of test_reminder_buttons) from $WORK/cfg.
DESKTOP = r"""
set -u
Xvfb -displayfd 3 -screen 0 800x600x24 3>"$WORK/display" >/dev/null 2>&1 &
XVFB=$!
for i in $(seq 50); do [ -s "$WORK/display" ] && break; sleep 0.1; done
export DISPLAY=":$(cat "$WORK/display")"
XDG_CONFIG_HOME="$WORK/cfg" dunst >"$WORK/dunst.log" 2>&1 &
DUNST=$!
for i in $(seq 50); do
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.freedesktop.Notifications 2>/dev/null \
    | grep -q true && break
  sleep 0.1
done
"""

# The end of every script: what dunst showed, then the service stopped (its exit code
# kept), then the desktop.
TEARDOWN = r"""
dunstctl history >"$WORK/history.json"
kill -TERM $SERVICE
wait $SERVICE
echo $? >"$WORK/service.rc"
kill $DUNST $XVFB 2>/dev/null
wait 2>/dev/null
exit 0
"""

SCRIPT = DESKTOP + r"""
"$PY" -m tracker remind run --follow-up 5 >"$WORK/service.out" 2>"$WORK/service.err" &
SERVICE=$!
for i in $(seq 150); do grep -q "sent:" "$WORK/service.err" && break; sleep 0.1; done
"$PY" -m tracker remind run >"$WORK/second.out" 2>"$WORK/second.err"
echo $? >"$WORK/second.rc"
"$PY" -m tracker remind test >"$WORK/test.out" 2>&1
sleep 0.5
dunstctl close-all
sleep 0.3
""" + TEARDOWN


@pytest.fixture
def desktop_tools():
    missing = [tool for tool in NEEDED if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"missing {', '.join(missing)}: apt-get install dunst xvfb dbus-x11 "
                        "libnotify-bin")
        pytest.skip(f"no {', '.join(missing)} here (not under CI, which installs them)")


def test_reminders_reach_a_real_notification_daemon(desktop_tools, tmp_path, isolated):
    start = {"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
    assert run_tracker(*MIA, env=start).returncode == 0
    work = tmp_path / "desktop"
    work.mkdir()
    env = {**os.environ, "WORK": str(work), "PY": sys.executable,
           # a running clock that reaches the 19:30 dose two seconds after the start
           "TRACKER_CLOCK_START": "2026-11-24T19:29:58+01:00"}
    env.pop("TRACKER_FAKE_NOW", None)
    env.pop("DISPLAY", None)
    r = subprocess.run(["dbus-run-session", "--", "bash", "-c", SCRIPT], env=env,
                       capture_output=True, text=True, timeout=120, check=False)
    err = (work / "service.err").read_text()
    assert (work / "service.rc").read_text().strip() == "0", err + r.stderr
    assert "stopped" in err and "Traceback" not in err
    history = json.loads((work / "history.json").read_text())["data"][0]
    shown = [(n["summary"]["data"], n["body"]["data"]) for n in history]
    due = [body for summary, body in shown if summary == "Mia: Increlex dose due (19:30)"]
    assert len(due) == 1, shown
    assert "0.80 mg = 0.08 mL = 8 units" in due[0] and "20 minutes" in due[0]
    assert any(summary == "tracker: test reminder" for summary, _ in shown)
    # a second service on the same log refused to start
    assert (work / "second.rc").read_text().strip() == "5"
    assert "already running" in (work / "second.err").read_text()
    assert "A test notification was sent to this computer's desktop" in (
        work / "test.out").read_text()
    log = run_tracker("remind", "log").stdout
    assert "desktop   ok  Mia: Increlex dose due (19:30)" in log


def test_without_a_notification_service_the_failure_is_told_and_recorded(tmp_path):
    """In words for a parent; the technical reason only when asked (--verbose, doctor)."""
    env = {"DBUS_SESSION_BUS_ADDRESS": "", "TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
    assert run_tracker(*MIA, env=env).returncode == 0
    r = run_tracker("remind", "test", env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("The test notification could not be shown: this computer "
                               "cannot show notifications right now.")
    assert "tracker remind run" in r.stdout and "D-Bus" not in r.stdout + r.stderr
    assert "test reminder" in r.stderr  # the terminal fallback
    verbose = run_tracker("remind", "test", "--verbose", env=env).stdout
    assert "(detail: no D-Bus session bus" in verbose
    log = run_tracker("remind", "log", env=env).stdout
    assert "FAILED (this computer cannot show notifications right now)" in log
    assert "terminal  ok" in log and "D-Bus" not in log
    assert "[no D-Bus session bus" in run_tracker("remind", "log", "--verbose", env=env).stdout
    doctor = run_tracker("doctor", env=env).stdout
    assert "!!  this computer cannot show notifications right now [no D-Bus session bus" in doctor


def test_a_service_that_cannot_show_notifications_says_so_once(tmp_path):
    """Two reminders at once (two children at 19:30) and no desktop: said once at the
    start, in words; every reminder still printed and recorded."""
    env = {"DBUS_SESSION_BUS_ADDRESS": "", "TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
    assert run_tracker(*MIA, env=env).returncode == 0
    leo = [*MIA]
    leo[leo.index("Mia")] = "Leo"
    assert run_tracker(*leo, env=env).returncode == 0
    run = {"DBUS_SESSION_BUS_ADDRESS": "", "TRACKER_CLOCK_START": "2026-11-24T19:29:59+01:00"}
    service = subprocess.Popen([sys.executable, "-m", "tracker", "remind", "run"],
                               env={**{k: v for k, v in os.environ.items()
                                       if k != "TRACKER_FAKE_NOW"}, **run},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while run_tracker("remind", "log", env=env).stdout.count("terminal  ok") < 2:
            assert time.monotonic() < deadline, "the reminders were not recorded"
            time.sleep(0.3)
    finally:
        service.terminate()
        _, err = service.communicate(timeout=30)
    assert err.count("this computer cannot show notifications right now") == 1, err
    assert "D-Bus" not in err and "DBUS" not in err, err
    assert err.count("(desktop not shown, terminal ok)") == 2, err
    assert "Mia: Increlex dose due (19:30)" in err and "Leo: Increlex dose due (19:30)" in err


def test_a_name_with_markup_and_quotes_is_shown_as_typed(desktop_tools, tmp_path, isolated):
    """"Mia & D'Arcy" is markup to the server: escaped in the body, which the server takes
    as markup, and sent whole (a quote used to lose the notification on plyer's gdbus)."""
    start = {"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
    init = ["init", "--child", "Mia & D'Arcy <3", *MIA[3:]]
    assert run_tracker(*init, env=start).returncode == 0
    work = tmp_path / "desktop"
    work.mkdir()
    env = {**os.environ, "WORK": str(work), "PY": sys.executable,
           "TRACKER_CLOCK_START": "2026-11-24T19:29:58+01:00"}
    env.pop("TRACKER_FAKE_NOW", None)
    env.pop("DISPLAY", None)
    subprocess.run(["dbus-run-session", "--", "bash", "-c", SCRIPT], env=env,
                   capture_output=True, text=True, timeout=120, check=False)
    history = json.loads((work / "history.json").read_text())["data"][0]
    shown = [(n["summary"]["data"], n["body"]["data"]) for n in history]
    due = [(s, b) for s, b in shown if s == "Mia & D'Arcy <3: Increlex dose due (19:30)"]
    assert len(due) == 1, shown
    assert "if Mia &amp; D'Arcy &lt;3 cannot eat" in due[0][1]
    log = run_tracker("remind", "log").stdout
    assert "desktop   ok  Mia & D'Arcy <3: Increlex dose due (19:30)" in log
