"""Answering a reminder on a real notification daemon: dunst on Xvfb, a private session bus.

dunst shows a notification's buttons in its context menu and asks the program named by
its `dmenu` setting which one to press; the test's dunst gets a `pick.sh` that presses the
line matching what the test wants, and `dunstctl context` opens the menu (see
../shared/pitfalls.md). The service runs on tracker's own running clock, from a moment just
before the 19:30 dose.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import MIA, run_tracker
from test_reminders_desktop import DESKTOP, TEARDOWN, desktop_tools  # noqa: F401 (fixture)

SCRIPT = DESKTOP + r"""
"$PY" -m tracker remind run >"$WORK/service.out" 2>"$WORK/service.err" &
SERVICE=$!
wait_for() {  # wait_for COUNT TEXT: until the service said TEXT COUNT times
  for i in $(seq 200); do
    [ "$(grep -c -F "$2" "$WORK/service.err")" -ge "$1" ] && return 0
    sleep 0.1
  done
  echo "timed out waiting for $2" >>"$WORK/steps.log"
}
wait_for 3 "sent:"
# another caregiver logs Ava's dose from the command line meanwhile
TRACKER_FAKE_NOW=2026-11-24T19:30:03+01:00 "$PY" -m tracker give --child Ava \
  --site right-thigh --by Sam >"$WORK/ava.out" 2>&1
n=0
while IFS='|' read -r press expect; do
  n=$((n + 1))
  printf '%s' "$press" >"$WORK/want"
  dunstctl context
  wait_for 1 "$expect"
  cp "$WORK/menu.txt" "$WORK/menu-$n.txt" 2>/dev/null
done <"$WORK/steps"
sleep 0.5
dunstctl close-all
sleep 0.3
""" + TEARDOWN

PICK = """#!/bin/sh
cat >"$WORK/menu.txt"
grep -m1 -E "$(cat "$WORK/want")" "$WORK/menu.txt"
"""


def child(name: str) -> list[str]:
    args = list(MIA)
    args[args.index("Mia")] = name
    return args


def test_a_reminder_is_answered_with_its_buttons(desktop_tools, tmp_path):  # noqa: F811
    start = {"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
    for name in ("Mia", "Leo", "Ava"):
        assert run_tracker(*child(name), env=start).returncode == 0
    work = tmp_path / "desktop"
    (work / "cfg" / "dunst").mkdir(parents=True)
    pick = work / "pick.sh"
    pick.write_text(PICK)
    pick.chmod(0o755)
    (work / "cfg" / "dunst" / "dunstrc").write_text(f"[global]\n    dmenu = {pick}\n")
    (work / "steps").write_text(
        "^#Given · [a-z-]+ \\(Mia:|pressed Given → D\n"
        "^#Undo \\(Mia:|pressed Undo → D\n"
        "^#Withheld \\(Leo:|pressed Withheld → D\n"
        "^#Given · [a-z-]+ \\(Ava:|pressed Given → refused\n"
    )
    env = {**os.environ, "WORK": str(work), "PY": sys.executable,
           "TRACKER_CLOCK_START": "2026-11-24T19:29:58+01:00"}
    env.pop("TRACKER_FAKE_NOW", None)
    env.pop("DISPLAY", None)
    r = subprocess.run(["dbus-run-session", "--", "bash", "-c", SCRIPT], env=env,
                       capture_output=True, text=True, timeout=180, check=False)
    err = (work / "service.err").read_text()
    steps = (work / "steps.log").read_text() if (work / "steps.log").exists() else ""
    assert not steps, steps + err + r.stderr
    assert (work / "service.rc").read_text().strip() == "0", err
    assert "Traceback" not in err, err
    # the dose reminder carried the three buttons, Given first with the suggested site
    menu = (work / "menu-1.txt").read_text()
    for label in ("#Given · left-upper-arm (Mia: Increlex dose due (19:30))",
                  "#Withheld (Mia: Increlex dose due (19:30))",
                  "#Snooze 15 min (Mia: Increlex dose due (19:30))"):
        assert label in menu, menu
    # an answered reminder leaves the screen: the next menu has only its confirmation
    second = (work / "menu-2.txt").read_text()
    assert "(Mia: Increlex dose due" not in second and "#Undo (Mia: recorded)" in second
    now = {"TRACKER_FAKE_NOW": "2026-11-24T19:40:00+01:00"}

    def doses(name: str, *extra: str) -> list[dict]:
        out = run_tracker("history", "--json", "--child", name, *extra, env=now).stdout
        return [e for e in json.loads(out)["entries"] if e["kind"] in ("dose", "withheld")]

    # Mia: Given recorded what `give --site left-upper-arm --meal` records, then undone
    (mia,) = doses("Mia", "--undone")
    assert mia["site"] == "left-upper-arm" and mia["given_by"] == "Anna"
    assert mia["meal"] is True and mia["voided"]
    assert doses("Mia") == []
    # Leo: withheld, not eating
    (leo,) = doses("Leo")
    assert leo["kind"] == "withheld" and leo["reason"] == "not eating"
    # Ava: logged by Sam first; the press recorded nothing and said why
    (ava,) = doses("Ava")
    assert ava["given_by"] == "Sam" and ava["site"] == "right-thigh"
    history = json.loads((work / "history.json").read_text())["data"][0]
    shown = {n["summary"]["data"]: n["body"]["data"] for n in history}
    assert any(t == "Mia: recorded" and b.startswith("Logged D") and "Mia, 0.80 mg" in b
               and "left-upper-arm, by Anna" in b and "Undo within 10 minutes" in b
               for t, b in shown.items()), shown
    assert "Ava: not recorded" in shown
    assert shown["Ava: not recorded"].startswith(
        "The 19:30 dose of 2026-11-24 was already given by Sam")
    log = run_tracker("remind", "log", "-n", "50", env=now).stdout
    assert f"pressed Given → {mia['id']}" in log and f"pressed Undo → {mia['id']} undone" in log
    assert f"pressed Withheld → {leo['id']}" in log
    assert "pressed Given → refused: the 19:30 dose of 2026-11-24 was already given by Sam" in log


ONE_PER_DOSE = DESKTOP + r"""
"$PY" -m tracker remind run --follow-up 5 >"$WORK/service.out" 2>"$WORK/service.err" &
SERVICE=$!
count() {  # count N FILE: until N notifications are on screen (5 s at most), then say
  for i in $(seq 50); do [ "$(dunstctl count displayed)" = "$1" ] && break; sleep 0.1; done
  dunstctl count displayed >"$WORK/$2"
}
for i in $(seq 200); do [ "$(grep -c 'sent:' "$WORK/service.err")" -ge 2 ] && break; sleep 0.1; done
count 1 after-follow-up
# another caregiver logs the dose at the other computer; the service's next check
# (asked at once here with SIGHUP, else within the minute) takes the reminder away
TRACKER_FAKE_NOW=2026-11-24T19:35:30+01:00 "$PY" -m tracker give --site right-thigh \
  --by Sam >"$WORK/give.out" 2>&1
kill -HUP $SERVICE
count 0 after-give
""" + TEARDOWN


def test_one_reminder_per_dose_on_screen_and_none_once_it_is_logged(
        desktop_tools, tmp_path):  # noqa: F811
    """dunst keeps a notification with buttons until it is answered: the follow-up takes
    the due reminder's place, and a dose logged elsewhere takes it away, so no button
    that would only be refused stays on screen."""
    assert run_tracker(*MIA, env={"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
                       ).returncode == 0
    work = tmp_path / "desktop"
    (work / "cfg" / "dunst").mkdir(parents=True)
    env = {**os.environ, "WORK": str(work), "PY": sys.executable,
           "TRACKER_CLOCK_START": "2026-11-24T19:34:57+01:00"}  # the follow-up in 3 s
    env.pop("TRACKER_FAKE_NOW", None)
    env.pop("DISPLAY", None)
    subprocess.run(["dbus-run-session", "--", "bash", "-c", ONE_PER_DOSE], env=env,
                   capture_output=True, text=True, timeout=120, check=False)
    err = (work / "service.err").read_text()
    assert "Traceback" not in err and (work / "service.rc").read_text().strip() == "0", err
    sent = [line for line in err.splitlines() if line.startswith("sent:")]
    assert [s.rsplit(" (", 1)[0] for s in sent] == [
        "sent: Mia: Increlex dose due (19:30)", "sent: Mia: the 19:30 dose is not logged yet"]
    assert (work / "after-follow-up").read_text().strip() == "1", err  # not two
    assert (work / "give.out").read_text().startswith("Logged D1"), err
    assert (work / "after-give").read_text().strip() == "0", err
    history = json.loads((work / "history.json").read_text())["data"][0]
    assert sorted(n["summary"]["data"] for n in history) == [
        "Mia: Increlex dose due (19:30)", "Mia: the 19:30 dose is not logged yet"]
