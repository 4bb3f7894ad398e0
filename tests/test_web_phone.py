"""The household page on a phone at 07:30 (issue 30, item 9): a parent holds a 390 x 844
CSS px phone, in light or dark mode, with the syringe in the other hand.

What a person checks, in a real browser (Debian's chromium, headless, through Selenium;
the phone's screen set with Chrome DevTools' device metrics, dark mode with its emulated
media): the dose, what to do first and Given are on the first screen; every target is at
least 44 x 44 CSS px; all text has 4.5:1 contrast against what it is drawn on, in both
colour schemes; and a site chosen without JavaScript is the one recorded.

Under CI=true these must run; on a laptop without chromium they skip (as tests/test_web.py).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import MIA, run_tracker
from test_web import AXE, _axe, _chromium, at, press, shown, start_web

WIDTH, HEIGHT = 390, 844  # CSS px: a common phone held upright
NOW = {"TRACKER_FAKE_NOW": "2026-11-24T07:25:00+01:00"}  # Tuesday, 5 min before the dose
SCHEMES = ("light", "dark")


def _mia_since_yesterday(hold: bool = False) -> None:
    """Mia (0.80 mg at 07:30 and 19:30), begun yesterday morning, both of yesterday's
    doses given: the typical morning. With `hold`, a headache with vomiting was logged
    at 06:50, so the page says to ask the doctor first."""
    args = list(MIA)
    args[args.index("--since") + 1] = "2026-11-23"
    steps = [(args, "2026-11-23T07:00:00+01:00"),
             (["give", "--meal", "--site", "right-thigh"], "2026-11-23T07:33:00+01:00"),
             (["give", "--meal", "--site", "left-abdomen"], "2026-11-23T19:34:00+01:00")]
    if hold:
        steps += [(["symptom", "headache", "--at", "06:50"], NOW["TRACKER_FAKE_NOW"]),
                  (["symptom", "vomiting", "--at", "06:50"], NOW["TRACKER_FAKE_NOW"])]
    for step, when in steps:
        done = run_tracker(*step, env={"TRACKER_FAKE_NOW": when})
        assert done.returncode == 0, done.stderr


@pytest.fixture
def serve(tmp_path):
    """Start `tracker web` on a free port (after the test has written its log); stopped
    after the test."""
    started: list[tuple[subprocess.Popen, object]] = []

    def start() -> int:
        port, server, out = start_web(tmp_path, NOW)
        started.append((server, out))
        return port

    yield start
    for server, out in started:
        server.terminate()
        try:
            server.wait(30)
        finally:
            server.kill()
            out.close()  # type: ignore[attr-defined]


@pytest.fixture
def phones():
    """Open phones on request: Chromium with its screen set to 390 x 844 CSS px (twice as
    many device pixels, a touch screen), optionally without JavaScript."""
    pytest.importorskip("selenium")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = _chromium()
    opened = []

    def open_one(javascript: bool = True):
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", f"--window-size={WIDTH},{HEIGHT}",
                    "--hide-scrollbars"):
            options.add_argument(arg)
        if not javascript:  # the page's own scripts; chromedriver still works
            options.add_experimental_option(
                "prefs", {"profile.managed_default_content_settings.javascript": 2})
        one = webdriver.Chrome(service=Service(driver), options=options)
        opened.append(one)
        one.set_page_load_timeout(30)
        # a headless window is never as narrow as a phone: the screen is emulated
        one.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 2, "mobile": True})
        one.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})
        return one

    yield open_one
    for one in opened:
        one.quit()


def pair(phone, port: int, name: str = "Eli's phone") -> None:
    r = run_tracker("web", "pair", "--name", name, "--port", str(port), env=NOW)
    assert r.returncode == 0, r.stderr
    phone.get(r.stdout.splitlines()[0])
    press(phone, "pair")
    assert shown(phone, "today") == "Today"
    size = phone.execute_script("return [window.innerWidth, window.innerHeight]")
    assert size == [WIDTH, HEIGHT], size


def scheme(phone, name: str) -> None:
    """The system's colour scheme as the page's CSS sees it (prefers-color-scheme)."""
    phone.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": name}]})
    assert phone.execute_script(
        f"return matchMedia('(prefers-color-scheme: {name})').matches")


FIRST_SCREEN = """
const out = {};
window.scrollTo(0, 0);
for (const [name, css] of Object.entries(arguments[0])) {
  const el = document.querySelector(css);
  if (!el) { out[name] = null; continue; }
  const r = el.getBoundingClientRect();
  out[name] = [Math.round(r.top), Math.round(r.bottom), el.innerText];
}
return out;
"""


def first_screen(phone, parts: dict[str, str]) -> dict[str, list | None]:
    return phone.execute_script(FIRST_SCREEN, parts)


def test_the_dose_what_to_do_first_and_given_are_on_a_phones_first_screen(serve, phones):
    """07:25: the parent opens Today and sees the dose, its amount, the site it will be
    recorded at and Given without scrolling; with a symptom that needs the doctor's
    word, that sentence too. Choosing another site works without JavaScript."""
    _mia_since_yesterday()
    port = serve()
    phone = phones()
    pair(phone, port)
    parts = {"next dose": "section .next", "amount": "section .draw",
             "site": "#site-1", "Given": "#given-1"}
    seen = first_screen(phone, parts)
    assert "07:30 today" in (seen["next dose"] or [0, 0, ""])[2], seen
    assert "0.80 mg = 0.08 mL = 8 units" in (seen["amount"] or [0, 0, ""])[2], seen
    assert "left-upper-arm" in (seen["site"] or [0, 0, ""])[2], seen
    below = {name: where for name, where in seen.items() if where is None or where[1] > HEIGHT}
    assert below == {}, f"not on the first {HEIGHT} px: {below}"
    # a site tapped on the picture below is the one the line beside Given names
    from selenium.webdriver.common.by import By

    phone.find_element(By.CSS_SELECTOR, "#give-form-1 .spot[data-site='right-thigh']").click()
    assert phone.find_element(By.ID, "site-1").text.startswith("Site chosen: right-thigh")
    assert phone.find_element(
        By.CSS_SELECTOR, "#give-form-1 input[value='right-thigh']").is_selected()

    # a site chosen below Given, without JavaScript, is the one recorded
    bare = phones(javascript=False)
    pair(bare, port, "Sam's phone")
    assert bare.execute_script("return document.querySelector('#given-1') !== null")
    bare.find_element(By.CSS_SELECTOR, "#give-form-1 input[value='right-abdomen']").click()
    assert bare.find_element(
        By.CSS_SELECTOR, "#give-form-1 input[value='right-abdomen']").is_selected()
    press(bare, "given-1")
    assert shown(bare, "question") == "Will Mia eat within 20 minutes of this dose?"
    press(bare, "yes")
    assert "in right-abdomen, by Sam" in shown(bare, "done")
    history = json.loads(run_tracker("history", "--json", "--child", "Mia", env=NOW).stdout)
    assert [e["site"] for e in history["entries"]
            if e["kind"] == "dose" and e["given_by"] == "Sam"] == ["right-abdomen"], history


def test_ask_the_doctor_first_is_on_the_first_screen_beside_the_dose(serve, phones):
    """A headache with vomiting was logged: the sentence that says to ask the doctor
    first, and the pointer to the warning in full, are above Given, all on the first
    screen."""
    _mia_since_yesterday(hold=True)
    port = serve()
    phone = phones()
    pair(phone, port)
    seen = first_screen(phone, {"ask first": "section .warn", "amount": "section .draw",
                                "warnings": "#warned-1", "Given": "#given-1"})
    assert "Ask the child's doctor before giving this dose" in (
        seen["ask first"] or [0, 0, ""])[2], seen
    assert "1 warning for Mia below: read before giving" in (
        seen["warnings"] or [0, 0, ""])[2], seen
    below = {name: where for name, where in seen.items() if where is None or where[1] > HEIGHT}
    assert below == {}, f"not on the first {HEIGHT} px: {below}"


TARGETS = """
// Every control a finger can reach: its box (for a radio or a checkbox, its label's,
// which is where a tap chooses it), with what it says, when smaller than 44 x 44 px.
document.querySelectorAll('details').forEach(d => { d.open = true; });
const small = [];
const controls = document.querySelectorAll(
  'a[href], button, summary, select, textarea, input:not([type=hidden]), label, ' +
  '[tabindex], [onclick], [role=button], svg .spot');
for (const el of controls) {
  let box = el;
  if (el.matches('input[type=radio], input[type=checkbox]')) { box = el.closest('label') || el; }
  const choice = el.control && el.control.matches('[type=radio], [type=checkbox]');
  if (el.tagName === 'LABEL' && !choice) {
    continue;  // a text field's caption: the field itself is the target
  }
  const r = box.getBoundingClientRect();
  const style = getComputedStyle(box);
  if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') { continue; }
  if (r.width < 43.99 || r.height < 43.99) {
    const name = (box.getAttribute('data-site') || box.getAttribute('aria-label') ||
                  box.textContent || box.getAttribute('name') || box.tagName).trim();
    small.push(`${box.tagName.toLowerCase()} "${name.slice(0, 40)}" ` +
               `${Math.round(r.width * 10) / 10}x${Math.round(r.height * 10) / 10}`);
  }
}
return small;
"""


def test_every_target_on_today_and_history_is_at_least_44_px(serve, phones):
    """Buttons, links, radio labels, the body picture's sites and the fold-outs: a
    thumb's 44 x 44 CSS px at least, in both colour schemes, before and after a dose;
    History's too."""
    _mia_since_yesterday()
    port = serve()
    phone = phones()
    pair(phone, port)
    offenders = {}
    for name in SCHEMES:
        scheme(phone, name)
        phone.get(at(port))
        offenders[f"Today, {name}"] = phone.execute_script(TARGETS)
    press(phone, "given-1")
    press(phone, "yes")
    assert shown(phone, "done").startswith("Logged D3: Mia")
    offenders["Today after Given"] = phone.execute_script(TARGETS)
    phone.get(at(port, "/history"))  # its Undo buttons, entry links and Show undone
    offenders["History"] = phone.execute_script(TARGETS)
    offenders = {page: small for page, small in offenders.items() if small}
    assert offenders == {}, f"smaller than 44 x 44 CSS px: {offenders}"


CONTRAST = """
// Every piece of text drawn (an element's own text; SVG text by its fill; the hint in an
// empty field) with its contrast ratio against the colour it sits on: the first opaque
// background of its ancestors, with the translucent ones in between blended over it, and
// the page's canvas (the browser's own light or dark) below them all.
document.querySelectorAll('details').forEach(d => { d.open = true; });
function rgba(text) {
  const m = /^rgba?\\(([^)]*)\\)$/.exec(text.trim());
  if (!m) { return null; }
  const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function over(top, below) {
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + below[i] * (1 - a)).concat([1]);
}
function luminance(c) {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const probe = document.createElement('div');
probe.style.background = 'Canvas';
document.documentElement.appendChild(probe);
const canvas = rgba(getComputedStyle(probe).backgroundColor);
probe.remove();
function background(el) {
  const layers = [];
  for (let at = el; at && at.nodeType === 1; at = at.parentElement) {
    const c = rgba(getComputedStyle(at).backgroundColor);
    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) { break; } }
  }
  let seen = canvas;
  for (const c of layers.reverse()) { seen = over(c, seen); }
  return seen;
}
const found = [];
let lowest = null;
function measure(ink, below, text) {
  const fg = over(ink, below);
  const l1 = luminance(fg), l2 = luminance(below);
  const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  const item = [Math.round(ratio * 100) / 100, text, `rgb(${fg.slice(0, 3).map(Math.round)})`,
                `rgb(${below.slice(0, 3).map(Math.round)})`];
  if (lowest === null || ratio < lowest[0]) { lowest = item; }
  if (ratio < 4.5) { found.push(item); }
}
for (const el of document.querySelectorAll('input[placeholder]')) {  // shown while empty
  if (el.value || !el.getClientRects().length) { continue; }
  const ink = rgba(getComputedStyle(el, '::placeholder').color);
  if (ink) { measure(ink, background(el), el.placeholder.slice(0, 50)); }
}
for (const el of document.querySelectorAll('body *')) {
  if (el.closest('title, script, style, option')) { continue; }
  const own = Array.from(el.childNodes).filter(
    n => n.nodeType === 3 && n.textContent.trim()).map(n => n.textContent.trim()).join(' ');
  const isSelect = el.tagName === 'SELECT';
  if (!own && !isSelect) { continue; }
  if (!el.getClientRects().length) { continue; }
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || style.display === 'none') { continue; }
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) { continue; }
  const svg = el instanceof SVGElement;
  const ink = rgba(svg ? style.fill : style.color);
  const below = background(svg ? el.ownerSVGElement || el : el);
  const text = (isSelect ? el.options[el.selectedIndex].text : own).slice(0, 50);
  if (!ink) { found.push([0, text, (svg ? style.fill : style.color), '']); continue; }
  measure(ink, below, text);
}
return [found, lowest];
"""


def contrast(phone) -> tuple[list[list], list]:
    found, lowest = phone.execute_script(CONTRAST)
    return found, lowest


def test_all_text_has_4_5_to_1_contrast_in_light_and_dark(serve, phones):
    """Today (before and after a dose), Log, History, Medicine and the other pages, in
    both colour schemes: every text, including the body picture's labels, the footer and "On this
    device", at 4.5:1 at least against the background it is drawn on."""
    _mia_since_yesterday()
    for step in (("symptom", "headache", "--severity", "mild", "--at", "07:00"),
                 ("measure", "--height", "112", "--weight", "20.4")):
        assert run_tracker(*step, env=NOW).returncode == 0
    port = serve()
    phone = phones()
    pair(phone, port)
    low: dict[str, list] = {}
    lowest: dict[str, list] = {}

    def check(page: str) -> None:
        found, worst = contrast(phone)
        if found:
            low[page] = found
        lowest[page] = worst

    for name in SCHEMES:
        scheme(phone, name)
        for path in ("/", "/log", "/history?undone=1", "/medicine", "/charts", "/report",
                     "/entry/D1", "/about/dosing"):
            phone.get(at(port, path))
            check(f"{path} ({name})")
    phone.get(at(port))
    press(phone, "given-1")
    press(phone, "yes")
    assert shown(phone, "done").startswith("Logged D3: Mia")
    check("/ after Given (dark)")
    scheme(phone, "light")
    phone.get(at(port, "/history?undone=1"))
    check("/history after Given (light)")
    assert low == {}, f"below 4.5:1 (ratio, text, colour, background): {low}"
    # the measure itself works: grey on a dark page is caught
    phone.execute_script("document.body.insertAdjacentHTML('beforeend', '<p id=probe "
                         "style=\"color:#555;background:#121212\">grey on black</p>')")
    assert any(item[1] == "grey on black" for item in contrast(phone)[0])


def test_axe_finds_nothing_serious_in_light_or_dark_on_a_phone(serve, phones):
    """Deque's axe-core on Today, Log, History, Medicine, Charts and an entry at 390 x 844,
    in both colour schemes (its contrast rule included)."""
    if not os.path.exists(AXE):
        if os.environ.get("CI") == "true":
            pytest.fail("axe-core is missing (cd tests/tools/axe && npm ci)")
        pytest.skip("no axe-core here (not under CI, which installs it: cd tests/tools/axe "
                    "&& npm ci)")
    source = Path(AXE).read_text(encoding="utf-8")
    _mia_since_yesterday()
    port = serve()
    phone = phones()
    pair(phone, port)
    found = {}
    for name in SCHEMES:
        scheme(phone, name)
        for path in ("/", "/log", "/history", "/medicine", "/charts", "/entry/D1"):
            phone.get(at(port, path))
            phone.execute_script("document.querySelectorAll('details').forEach("
                                 "d => { d.open = true; })")
            found[f"{path} ({name})"] = _axe(phone, source)
    serious = {page: v for page, v in found.items() if v}
    assert serious == {}, serious
