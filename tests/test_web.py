"""The household page in a real browser: Debian's chromium and chromium-driver, headless,
driven by Selenium, at a phone's size and a desktop's, against `tracker web` running as
a separate process on 127.0.0.1 with a frozen clock.

Under CI=true these must run (.ci/run installs chromium and chromium-driver); on a laptop
without them they skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time

import pytest
from conftest import MIA, run_tracker
from test_postgresql import cluster, pg_url  # noqa: F401  (fixtures: a real server)

NOW = {"TRACKER_FAKE_NOW": "2026-11-24T19:31:00+01:00"}
PHONE = (360, 740)
DESKTOP = (1280, 900)


def _chromium() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if browser is None or not os.path.exists(driver):
        if os.environ.get("CI") == "true":
            pytest.fail("chromium or chromium-driver is missing (apt-get install chromium "
                        "chromium-driver)")
        pytest.skip("no chromium here (not under CI, which installs it)")
    return browser, driver


@pytest.fixture
def browsers():
    """Open browsers on request, each with its own cookies (another caregiver's phone)."""
    pytest.importorskip("selenium")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = _chromium()
    opened = []

    def open_one(size: tuple[int, int]):
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", f"--window-size={size[0]},{size[1]}"):
            options.add_argument(arg)
        if size[0] < 500:  # headless windows are never narrower: a phone is emulated
            options.add_experimental_option("mobileEmulation", {"deviceMetrics": {
                "width": size[0], "height": size[1], "pixelRatio": 2}})
        one = webdriver.Chrome(service=Service(driver), options=options)
        one.set_page_load_timeout(30)
        opened.append(one)
        return one

    yield open_one
    for one in opened:
        one.quit()


@pytest.fixture
def page(tmp_path):
    """`tracker web` on a free port; stopped after the test."""
    for name in ("Mia", "Leo"):
        args = list(MIA)
        args[args.index("Mia")] = name
        assert run_tracker(*args, env={"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
                           ).returncode == 0
    port, server, out = start_web(tmp_path, NOW)
    yield port
    server.terminate()
    try:
        # stopped at once: uvicorn ends by the signal it was sent, after a clean shutdown
        assert server.wait(30) in (0, -15), (tmp_path / "web.out").read_text()
    finally:
        server.kill()
        out.close()


def start_web(tmp_path, env: dict[str, str]):
    """`tracker web` on a free port, once it answers and has printed its address:
    (port, the process, its output file), for the caller to stop."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = (tmp_path / "web.out").open("w")
    server = subprocess.Popen([sys.executable, "-m", "tracker", "web", "--port", str(port)],
                              env={**os.environ, **env}, stdout=out, stderr=out)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, (
                (tmp_path / "web.out").read_text())
            time.sleep(0.1)
    printed_address(port, tmp_path / "web.out")
    return port, server, out


def shown(browser, element_id: str) -> str:
    """The text of an element once the page that has it is loaded (a click navigates)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def text(b) -> str | None:  # None while the page is still changing under us
        try:
            found = b.find_elements(By.ID, element_id)
            # as read: the lines of a box (a headline, its notes) as one text
            return " ".join(found[0].text.split()) if found else None
        except StaleElementReferenceException:
            return None
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return None
            raise

    return WebDriverWait(browser, 20).until(text)


def press(browser, element_id: str) -> None:
    """Click a button and wait for the page it leads to (not the one it was on)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, element_id).click()

    def left(_browser) -> bool:  # the old page is gone (chromedriver says so two ways)
        try:
            return bool(expected_conditions.staleness_of(old)(_browser))
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise

    WebDriverWait(browser, 20).until(left)


ROOTS: dict[int, str] = {}  # port -> the page's own address, as `tracker web` printed it


def printed_address(port: int, out, timeout: float = 30) -> str:
    """The address `tracker web` printed when it started (with its private part): what a
    parent opens and bookmarks. Kept for `at`."""
    from pathlib import Path

    deadline = time.monotonic() + timeout
    while True:
        found = re.search(r"The household page: (http\S+)/", Path(out).read_text())
        if found:
            ROOTS[port] = found.group(1)
            return found.group(1)
        assert time.monotonic() < deadline, Path(out).read_text()
        time.sleep(0.05)


def at(port: int, path: str = "/") -> str:
    """A page's address on the page that runs on `port`."""
    return ROOTS[port] + path


def pair(port: int, name: str) -> str:
    r = run_tracker("web", "pair", "--name", name, "--port", str(port), env=NOW)
    assert r.returncode == 0, r.stderr
    link = r.stdout.splitlines()[0]
    assert re.fullmatch(rf"http://127\.0\.0\.1:{port}/[a-z2-7]{{26}}/pair/[\w-]+", link), link
    if port in ROOTS:
        assert link.startswith(f"{ROOTS[port]}/pair/")
    return link


def test_pair_then_log_a_dose_with_given_on_a_phone(page, browsers, tmp_path):
    from selenium.webdriver.common.by import By

    phone = browsers(PHONE)
    # unpaired: the pairing page and no data
    phone.get(at(page))
    assert "This device is not paired" in phone.page_source and "Mia" not in phone.page_source
    phone.get(pair(page, "Eli's phone"))
    press(phone, "pair")
    assert shown(phone, "today") == "Today"
    body = phone.find_element(By.TAG_NAME, "body").text
    assert "On this device: Eli" in body and "0.80 mg = 0.08 mL = 8 units" in body
    assert "Next dose: 19:30 today" in body
    phone.save_screenshot(str(tmp_path / "today-phone.png"))
    # nothing wider than the phone: no sideways scrolling
    assert phone.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    mia = phone.find_element(By.ID, "given-1")
    assert mia.size["height"] >= 44  # a large touch target
    # the body picture: the suggested site shown chosen; tapping another chooses it
    picture = phone.find_element(By.CSS_SELECTOR, "#give-form-1 svg.body")
    assert picture.find_element(By.CSS_SELECTOR, ".spot.chosen").get_attribute(
        "data-site") == "left-upper-arm"
    picture.find_element(By.CSS_SELECTOR, ".spot[data-site='left-thigh']").click()
    assert phone.find_element(
        By.CSS_SELECTOR, "#give-form-1 input[value='left-thigh']").is_selected()
    assert picture.find_element(By.CSS_SELECTOR, ".spot.chosen").get_attribute(
        "data-site") == "left-thigh"
    press(phone, "given-1")
    assert shown(phone, "question") == "Will Mia eat within 20 minutes of this dose?"
    press(phone, "yes")
    assert shown(phone, "done").startswith(
        "Logged D1: Mia, 0.80 mg = 0.08 mL = 8 units at 2026-11-24 19:31 in left-thigh, by Eli "
        "(19:30 slot, +1 min).")
    history = json.loads(run_tracker("history", "--json", "--child", "Mia", env=NOW).stdout)
    (dose,) = [e for e in history["entries"] if e["kind"] == "dose"]
    assert dose["given_by"] == "Eli" and dose["site"] == "left-thigh" and dose["meal"]

    # another caregiver, on a desktop: Given again is asked about, and "no" records nothing
    laptop = browsers(DESKTOP)
    laptop.get(pair(page, "Sam's laptop"))
    press(laptop, "pair")
    press(laptop, "given-1")  # asked: a second injection is recorded only if it happened
    assert shown(laptop, "question").startswith("Was a second injection really given")
    press(laptop, "no")
    said = shown(laptop, "said")
    assert said.startswith("Not recorded: the 19:30 slot was already given") or (
        "already given by Eli" in said), said
    # Leo withheld on the phone, not eating: the laptop's page shows it without a reload
    laptop.get(at(page))
    before = laptop.find_element(By.TAG_NAME, "html").id
    press(phone, "withheld-2")
    assert shown(phone, "done").startswith(
        "Recorded D2: Leo's 19:30 dose of 2026-11-24 withheld (not eating), by Eli. A missed "
        "or withheld dose is not made up")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(laptop, 15).until(
        lambda b: "withheld: not eating, by Eli (D2)" in b.find_element(By.TAG_NAME, "body").text)
    assert laptop.find_element(By.TAG_NAME, "html").id != before  # shown again by live.js
    leo = json.loads(run_tracker("history", "--json", "--child", "Leo", env=NOW).stdout)
    assert [(e["kind"], e["reason"], e["given_by"]) for e in leo["entries"]
            if e["kind"] == "withheld"] == [("withheld", "not eating", "Eli")]

    # a used link pairs nothing more; a revoked device is out at once
    listed = run_tracker("web", "devices", env=NOW).stdout
    assert "Eli's phone  (Eli)" in listed and "Sam's laptop  (Sam)" in listed
    assert run_tracker("web", "revoke", "Eli's phone", env=NOW).returncode == 0
    phone.get(at(page))
    assert "This device is not paired" in phone.page_source and "Mia" not in phone.page_source


def test_a_used_link_and_a_foreign_host_are_refused(page):
    import http.cookiejar
    import urllib.error
    import urllib.request

    link = pair(page, "Rose's tablet")
    jar = http.cookiejar.CookieJar()
    tablet = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with tablet.open(urllib.request.Request(link, method="POST", data=b"")) as first:
        assert first.status == 200 and b"On this device: Rose" in first.read()
    [cookie] = list(jar)
    assert cookie.name == "tracker_paired" and cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.path == link.split("/pair/")[0].split(f":{page}", 1)[1]  # its own path only
    with pytest.raises(urllib.error.HTTPError) as again:
        urllib.request.urlopen(urllib.request.Request(link, method="POST", data=b""))
    assert again.value.code == 404
    # a link older than 10 minutes pairs nothing
    old = run_tracker("web", "pair", "--name", "Old phone", "--port", str(page),
                      env={"TRACKER_FAKE_NOW": "2026-11-24T19:20:00+01:00"}).stdout.split()[0]
    with pytest.raises(urllib.error.HTTPError) as expired:
        urllib.request.urlopen(urllib.request.Request(old, method="POST", data=b""))
    assert expired.value.code == 404
    assert "Old phone" not in run_tracker("web", "devices", env=NOW).stdout
    # a form without the device's token is refused (cross-site request forgery)
    forged = urllib.request.Request(at(page, "/do/give"), method="POST",
                                    data=b"child=1&site=left-thigh&csrf=guess")
    with pytest.raises(urllib.error.HTTPError) as csrf:
        tablet.open(forged)
    assert csrf.value.code == 403
    history = run_tracker("history", "--json", "--child", "Mia", env=NOW).stdout
    assert not [e for e in json.loads(history)["entries"] if e["kind"] == "dose"]
    foreign = urllib.request.Request(at(page),
                                     headers={"Host": "rebinding.example:80"})
    with pytest.raises(urllib.error.HTTPError) as wrong_host:
        urllib.request.urlopen(foreign)
    assert wrong_host.value.code == 400
    with pytest.raises(urllib.error.HTTPError) as unpaired:
        urllib.request.urlopen(at(page))
    assert unpaired.value.code == 401
    assert b"Mia" not in unpaired.value.read()


def test_log_history_with_undo_and_the_medicine_pages(page, browsers):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    phone = browsers(PHONE)
    phone.get(pair(page, "Eli's phone"))
    press(phone, "pair")
    base = at(page, "")
    assert run_tracker("config", "glucose_unit", "--unset", env=NOW).returncode == 0
    # a glucose reading the default unit cannot decide is asked about, as in a terminal
    phone.get(f"{base}/log")
    Select(phone.find_element(By.ID, "glucose-child")).select_by_visible_text("Mia")
    phone.find_element(By.ID, "reading").send_keys("18")
    press(phone, "log-glucose")
    assert shown(phone, "question") == "Which unit does the meter show"
    assert "18 could be 18 mg/dL (a low reading) or 18.0 mmol/L (not low)" in (
        phone.find_element(By.TAG_NAME, "body").text)
    phone.find_element(By.CSS_SELECTOR, "input[value='mmol/L']").click()
    press(phone, "go-on")
    assert shown(phone, "done").startswith("Recorded G1: Mia")
    # a side effect gets the label's advice, most urgent first
    Select(phone.find_element(By.ID, "symptom-child")).select_by_visible_text("Mia")
    Select(phone.find_element(By.ID, "kind")).select_by_visible_text("headache")
    Select(phone.find_element(By.ID, "severity")).select_by_visible_text("mild")
    press(phone, "log-symptom")
    assert shown(phone, "done").startswith("Recorded S1: Mia")
    # history: newest first, undo keeps the entry visible as undone
    phone.get(f"{base}/history")
    assert "G1" in phone.find_element(By.TAG_NAME, "body").text
    press(phone, "undo-G1")  # asked first: one tap does not lose an entry
    assert shown(phone, "question").startswith("Undo G1 (")
    press(phone, "no")
    assert shown(phone, "said") == "Not done: nothing was undone: G1 stays as it was"
    press(phone, "undo-G1")
    press(phone, "yes")
    assert shown(phone, "done").startswith("Undone G1 (")
    assert "it stays in the history, marked undone" in shown(phone, "done")
    phone.get(f"{base}/history?undone=1")
    assert "(undone)" in phone.find_element(By.CSS_SELECTOR, "li.undone").text
    press(phone, "restore-G1")  # and back: it counts again
    assert shown(phone, "done").startswith("Restored G1 (")
    press(phone, "undo-G1")
    press(phone, "yes")
    # by period, dates as people write them
    phone.get(f"{base}/history?from=24/11/2026&to=24 November 2026")
    text = phone.find_element(By.TAG_NAME, "body").text
    assert "M1 weight 20 kg" in text and "G1" not in text  # G1 is undone
    phone.get(f"{base}/history?from=23/11/2026&to=23 November 2026")
    assert "M1" not in phone.find_element(By.TAG_NAME, "body").text
    listed = run_tracker("history", "--json", "--child", "Mia", "--undone", env=NOW).stdout
    glucose = [e for e in json.loads(listed)["entries"] if e["kind"] == "glucose"]
    assert glucose[0]["voided"] and glucose[0]["created_by"] == "Eli"
    # a correction keeps the old value in the audit trail, shown with the entry
    run_tracker("give", "--child", "Mia", "--site", "left-thigh", "--at", "07:35", env=NOW)
    phone.get(f"{base}/entry/D1")
    phone.find_element(By.ID, "edit-site").send_keys("right thigh")
    phone.find_element(By.ID, "edit-why").send_keys("wrong leg")
    press(phone, "correct")
    assert shown(phone, "done").startswith("Corrected D1:")
    phone.get(f"{base}/entry/D1")
    trail = phone.find_element(By.ID, "trail").text
    assert "by Eli: wrong leg" in trail and "site left-thigh → right-thigh" in trail
    # the medicine pages, with their source and the reminder that they are not advice
    phone.get(f"{base}/about/dosing")
    text = phone.find_element(By.TAG_NAME, "body").text
    assert "0.12 mg/kg" in text and "not medical advice" in text.lower()
    assert phone.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]


def _paired_opener(port: int, name: str):
    import http.cookiejar
    import urllib.request

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(urllib.request.Request(pair(port, name), method="POST",
                                            data=b"")):
        pass
    return opener


def test_medicine_and_downloads_for_a_paired_device(page, browsers, tmp_path):
    import urllib.error
    import urllib.request

    from selenium.webdriver.common.by import By

    phone = browsers(PHONE)
    phone.get(pair(page, "Eli's phone"))
    press(phone, "pair")
    phone.get(at(page, "/medicine"))
    phone.find_element(By.ID, "lot-1").send_keys("AB123")
    phone.find_element(By.ID, "expires-1").send_keys("30/06/2027")
    press(phone, "open-1")
    assert shown(phone, "done").startswith("Recorded V1: Mia's vial opened 2026-11-24 19:")
    assert "; discard it on " in shown(phone, "done")
    phone.find_element(By.ID, "count-1").send_keys("3")
    press(phone, "stock-1")
    assert shown(phone, "done").startswith("Recorded K1: 3 unopened vials")
    body = phone.find_element(By.TAG_NAME, "body").text
    assert "Open vial V1, lot AB123" in body and "Unopened vials: 3" in body
    vials = json.loads(run_tracker("vial", "status", "--json", "--child", "Mia", env=NOW).stdout)
    assert vials["vial"]["lot"] == "AB123" and vials["unopened"] == 3
    # the report and the exports download for a paired device, and for nobody else
    tablet = _paired_opener(page, "Rose's tablet")
    base = at(page, "/download")
    with tablet.open(f"{base}/report.pdf?child=1") as pdf:
        assert pdf.headers["Content-Type"] == "application/pdf"
        assert 'filename="Mia-report-2026-11-24.pdf"' in pdf.headers["Content-Disposition"]
        assert pdf.read().startswith(b"%PDF")
    with tablet.open(f"{base}/doses.csv?child=1") as csv:
        first = csv.read().decode("utf-8-sig").splitlines()[0]
        assert first.startswith("scheduled,status,given_at")
    with tablet.open(f"{base}/doses.xlsx?child=1") as xlsx:
        import io

        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(xlsx.read()))
        assert book.sheetnames == ["doses", "about"]
    with tablet.open(f"{base}/schedule.ics?child=1") as ics:
        assert ics.read().startswith(b"BEGIN:VCALENDAR")
    with pytest.raises(urllib.error.HTTPError) as unpaired:
        urllib.request.urlopen(f"{base}/report.pdf?child=1")
    assert unpaired.value.code == 401


def test_charts_show_each_slot_by_shape_and_the_heights(page, browsers, tmp_path):
    from selenium.webdriver.common.by import By

    run_tracker("give", "--child", "Mia", "--site", "left-thigh", "--at", "07:35", env=NOW)
    run_tracker("skip", "--child", "Mia", "--reason", "ill", "--at", "2026-11-23 19:30",
                env=NOW)
    run_tracker("child", "Mia", "--sex", "female", env=NOW)
    for on, cm in (("2026-05-20", "112.0"), ("2026-11-20", "115.5")):
        assert run_tracker("measure", "--child", "Mia", "--height", cm, "--on", on,
                           env=NOW).returncode == 0
    phone = browsers(PHONE)
    phone.get(pair(page, "Eli's phone"))
    press(phone, "pair")
    phone.get(at(page, "/charts"))
    marks = [e.get_attribute("aria-label") for e in phone.find_elements(
        By.CSS_SELECTOR, "section[aria-labelledby='c-1'] table.calendar span[aria-label]")]
    assert "24 Nov 07:30: given" in marks and "23 Nov 19:30: withheld" in marks
    assert "24 Nov 19:30: given late" not in marks  # 19:30 is still due at 19:31
    circles = phone.find_elements(
        By.CSS_SELECTOR, "section[aria-labelledby='c-1'] svg[aria-label^='Height'] circle")
    assert len(circles) == 2
    lines = phone.find_elements(
        By.CSS_SELECTOR, "section[aria-labelledby='c-1'] svg[aria-label^='Height'] polyline")
    assert lines, "the reference's centile lines"
    body = phone.find_element(By.TAG_NAME, "body").text
    assert "20 Nov 2026: 115.5 cm" in body
    assert "24 Nov 2026: 20 kg" in body  # the weight of setup, on the weight chart
    assert phone.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    phone.save_screenshot(str(tmp_path / "charts-phone.png"))


def test_the_reminder_service_can_run_the_page_and_install_it_at_login(tmp_path, isolated):
    import signal
    import urllib.error
    import urllib.request

    assert run_tracker(*MIA, env=NOW).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    service = subprocess.Popen(
        [sys.executable, "-m", "tracker", "remind", "run", "--with-web", "--web-port", str(port)],
        env={**os.environ, "TRACKER_CLOCK_START": "2026-11-24T19:00:00+01:00"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/")
            except urllib.error.HTTPError as exc:
                # the page, saying that its own address has a private part
                assert exc.code == 404 and b"Open the page's own address" in exc.read()
                break
            except OSError:
                assert time.monotonic() < deadline and service.poll() is None
                time.sleep(0.2)
    finally:
        service.send_signal(signal.SIGTERM)
        _, err = service.communicate(timeout=30)
    assert service.returncode == 0, err
    assert re.search(rf"The household page: http://127\.0\.0\.1:{port}/[a-z2-7]{{26}}/", err)
    assert "stopped" in err
    # at login: the unit runs the service with the page
    if sys.platform.startswith("linux"):
        assert run_tracker("remind", "install", "--no-start", "--with-web", "--lan",
                           env=NOW).returncode == 0
        unit = isolated / "home" / "config" / "systemd" / "user" / "tracker-remind.service"
        assert unit.read_text().count(" --with-web --lan") == 1


def test_another_amount_is_confirmed_then_recorded_and_flagged(page, browsers):
    from selenium.webdriver.common.by import By

    laptop = browsers(DESKTOP)
    laptop.get(pair(page, "Sam's laptop"))
    press(laptop, "pair")
    laptop.find_element(By.CSS_SELECTOR, "#give-form-1 details summary").click()
    laptop.find_element(By.ID, "dose-1").send_keys("1,6")
    press(laptop, "given-1")
    assert shown(laptop, "question") == "Will Mia eat within 20 minutes of this dose?"
    press(laptop, "yes")
    question = shown(laptop, "question")
    assert question.endswith("Was 1.60 mg really given?"), question
    press(laptop, "yes")
    assert shown(laptop, "done").startswith("Logged D1: Mia")
    history = json.loads(run_tracker("history", "--json", "--child", "Mia", env=NOW).stdout)
    (dose,) = [e for e in history["entries"] if e["kind"] == "dose"]
    assert dose["dose_mg"] == 1.6 and dose["flags"], dose
    # everything the page loads is its own: nothing from a CDN
    for element in laptop.find_elements(By.CSS_SELECTOR, "script[src], link[href], img[src]"):
        ref = element.get_attribute("src") or element.get_attribute("href")
        assert ref.startswith(at(page)), ref
    manifest = json.loads(urllib_get(at(page, "/manifest.webmanifest")))
    assert manifest["start_url"] == "./" and manifest["display"] == "standalone"


def test_a_second_injection_for_a_dose_is_said_beside_the_first(page):
    import html

    for args in (("--at", "07:35", "--site", "left-thigh"),
                 ("--at", "08:10", "--site", "right-thigh", "--force", "--reason", "not seen")):
        assert run_tracker("give", "--child", "Mia", "--meal", *args, env=NOW).returncode == 0
    phone = _paired_opener(page, "Eli's phone")
    with phone.open(at(page)) as today:
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", today.read().decode())).split())
    assert ("today 07:30 given at 07:35 by Anna, left-thigh (D1); and again at 08:10 by Anna, "
            "right-thigh (D2): a second injection for this dose") in text
    assert "withheld: withheld" not in text and "given: given" not in text


def urllib_get(url: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url) as r:
        return r.read()


def test_wrong_pairing_links_are_limited_and_lan_without_tls_is_said(page, tmp_path):
    import urllib.error
    import urllib.request

    codes = []
    for n in range(12):
        try:
            urllib.request.urlopen(at(page, f"/pair/guess{n}"))
        except urllib.error.HTTPError as exc:
            codes.append(exc.code)
    assert codes[:10] == [404] * 10 and codes[-1] == 429
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    lan = subprocess.Popen([sys.executable, "-m", "tracker", "web", "--lan", "--port",
                            str(port)], env={**os.environ, **NOW}, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    try:
        first = [lan.stdout.readline() for _ in range(3)]
    finally:
        lan.terminate()
        lan.wait(30)
    assert first[0].startswith("The household page: http://") and f":{port}/" in first[0]
    assert "anyone on the home network can read what the page shows" in first[1]
    assert "--lan" in first[2]


def test_over_tls_the_device_cookie_is_secure(tmp_path):
    import http.client
    import ssl

    openssl = shutil.which("openssl")
    if openssl is None:
        if os.environ.get("CI") == "true":
            pytest.fail("openssl is missing (apt-get install openssl)")
        pytest.skip("no openssl here (not under CI, which installs it)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True,
                   capture_output=True)
    assert run_tracker(*MIA, env=NOW).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "tracker", "web", "--port", str(port),
                               "--tls-cert", str(cert), "--tls-key", str(key)],
                              env={**os.environ, **NOW}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        context = ssl.create_default_context(cafile=str(cert))
        deadline = time.monotonic() + 30
        link = run_tracker("web", "pair", "--name", "Eli's phone", "--port", str(port),
                           "--tls", env=NOW).stdout.splitlines()[0]
        assert re.match(rf"https://127\.0\.0\.1:{port}/[a-z2-7]{{26}}/pair/", link), link
        while True:
            try:
                conn = http.client.HTTPSConnection("127.0.0.1", port, context=context,
                                                   timeout=5)
                conn.request("POST", link.split(str(port), 1)[1])
                answer = conn.getresponse()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.2)
        cookie = answer.getheader("set-cookie")
        assert answer.status == 303 and "; secure" in cookie.lower()
        assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    finally:
        server.terminate()
        server.wait(30)


AXE = os.path.join(os.path.dirname(__file__), "tools", "axe", "node_modules", "axe-core",
                   "axe.min.js")


def test_every_page_passes_an_accessibility_check(page, browsers):
    """Deque's axe-core run in the browser on each page: no serious or critical violation
    (labels, headings, contrast, names of buttons and links, language)."""
    if not os.path.exists(AXE):
        if os.environ.get("CI") == "true":
            pytest.fail("axe-core is missing (cd tests/tools/axe && npm ci)")
        pytest.skip("no axe-core here (not under CI, which installs it: cd tests/tools/axe "
                    "&& npm ci)")
    from pathlib import Path

    source = Path(AXE).read_text(encoding="utf-8")
    run_tracker("give", "--child", "Mia", "--site", "left-thigh", "--at", "07:35", env=NOW)
    run_tracker("measure", "--child", "Mia", "--height", "112", env=NOW)
    phone = browsers(PHONE)
    base = at(page, "")
    phone.get(f"{base}/")  # the unpaired page too
    pages = ["/", "/log", "/history", "/entry/D1", "/medicine", "/charts", "/report",
             "/about/dosing"]
    found = {"unpaired": _axe(phone, source)}
    phone.get(pair(page, "Eli's phone"))
    found["pair"] = _axe(phone, source)
    press(phone, "pair")
    for path in pages:
        phone.get(base + path)
        found[path] = _axe(phone, source)
    serious = {p: v for p, v in found.items() if v}
    assert serious == {}, serious
    # the check itself works: a page with an unlabelled field is caught
    phone.execute_script("document.body.insertAdjacentHTML('beforeend', "
                         "'<input id=nolabel><button></button>')")
    assert any(v.startswith(("label", "button-name")) for v in _axe(phone, source))


def _axe(browser, source: str) -> list[str]:
    browser.execute_script(source)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map(v => "
        "[v.id, v.impact, v.nodes.length, v.nodes[0].target.join(' ')])));")
    return [f"{rule} ({impact}, {n}: {where})" for rule, impact, n, where in result
            if impact in ("serious", "critical")]


def _serve(env: dict[str, str], log) -> tuple[int, subprocess.Popen]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "tracker", "web", "--port", str(port)],
                              env={**os.environ, **env}, stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return port, server
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None
            time.sleep(0.1)


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_everyone_at_once_on_one_log_one_winner_per_slot(store, request, browsers, tmp_path):
    """The command line, the reminder service and two caregivers' pages write one log at
    the same moment: nothing is locked, and exactly one dose is recorded for the slot."""
    import threading
    import urllib.parse
    import urllib.request

    from selenium.webdriver.common.by import By

    env = dict(NOW)
    if store == "postgresql":
        env["TRACKER_DATABASE_URL"] = request.getfixturevalue("pg_url")
    assert run_tracker(*MIA, env={**env, "TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
                       ).returncode == 0
    log = (tmp_path / "web.out").open("w")
    port, server = _serve(env, log)
    printed_address(port, tmp_path / "web.out")
    service_env = {k: v for k, v in {**os.environ, **env}.items() if k != "TRACKER_FAKE_NOW"}
    service = subprocess.Popen(
        [sys.executable, "-m", "tracker", "remind", "run"],
        env={**service_env, "TRACKER_CLOCK_START": "2026-11-24T19:30:58+01:00"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        # a phone and a laptop, each paired, each with the Today form's token
        phone = browsers(PHONE)
        phone.get(pair_at(port, "Eli's phone", env))
        press(phone, "pair")
        laptop = _paired_opener_at(port, "Sam's laptop", env)
        token = _form_token(laptop, port)
        results: dict[str, object] = {}

        def by_laptop() -> None:
            data = urllib.parse.urlencode({"csrf": token, "child": "1", "site": "right-thigh",
                                           "q_meal": "yes", "k_meal": "yesno"}).encode()
            with laptop.open(urllib.request.Request(at(port, "/do/give"),
                                                    data=data)) as r:
                results["laptop"] = r.read().decode()

        def by_cli() -> None:
            results["cli"] = run_tracker("give", "--site", "left-abdomen", "--by", "Ana",
                                         env=env)

        threads = [threading.Thread(target=by_laptop), threading.Thread(target=by_cli)]
        for t in threads:
            t.start()
        press(phone, "given-1")
        if phone.find_elements(By.ID, "yes"):
            press(phone, "yes")
        for t in threads:
            t.join(60)
        history = json.loads(run_tracker("history", "--json", env=env).stdout)["entries"]
        doses = [e for e in history if e["kind"] == "dose"]
        assert len(doses) == 1, doses  # one winner, whoever it was
        winner = doses[0]["given_by"]
        assert winner in ("Eli", "Sam", "Ana")
        cli = results["cli"]
        assert isinstance(cli, subprocess.CompletedProcess)
        assert "locked" not in cli.stderr and "Traceback" not in cli.stderr
        assert (cli.returncode == 0) == (winner == "Ana"), cli.stderr
        if winner != "Ana":
            assert cli.returncode == 4 and "already given" in cli.stderr
        if winner != "Sam":  # refused in one sentence, said by the page it returns to
            assert "Not recorded:" in str(results["laptop"]), results["laptop"]
    finally:
        service.terminate()
        _, err = service.communicate(timeout=30)
        server.terminate()
        server.wait(30)
        log.close()
    assert "locked" not in err and "Traceback" not in err, err


def pair_at(port: int, name: str, env: dict[str, str]) -> str:
    r = run_tracker("web", "pair", "--name", name, "--port", str(port), env=env)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()[0]


def _paired_opener_at(port: int, name: str, env: dict[str, str]):
    import http.cookiejar
    import urllib.request

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(urllib.request.Request(pair_at(port, name, env), method="POST",
                                            data=b"")):
        pass
    return opener


def _form_token(opener, port: int) -> str:
    import re

    with opener.open(at(port)) as r:
        found = re.search(r'name="csrf" value="([0-9a-f.]+)"', r.read().decode())
    assert found is not None
    return found.group(1)


def test_a_read_never_records_a_device_use_only_a_write_does(tracker, clock):
    """The stamp every open page asks for every 3 seconds is a pure read: it must not turn
    into a write that could wait for another caregiver's lock."""
    from datetime import timedelta

    from tracker.config import database_target
    from tracker.db import migrate
    from tracker.db.session import make_engine, transaction
    from tracker.services.record import devices

    tracker.ok(*MIA)
    target = database_target()
    migrate.prepare(target)
    engine = make_engine(target.url)
    now = clock.now()
    with transaction(engine, write=True) as session:
        code = devices.new_pairing(session, name="Eli's phone", caregiver="Eli", now=now)
    with transaction(engine, write=True) as session:
        paired = devices.pair(session, code, now)
        assert paired is not None
        token = paired[0]
    later = now + timedelta(minutes=5)
    with transaction(engine, write=False) as session:
        assert devices.device_for(session, token, later, touch=False) is not None
        assert not session.dirty
    with transaction(engine, write=True) as session:
        devices.device_for(session, token, later)
    with transaction(engine, write=False) as session:
        (device,) = devices.all_devices(session)
        assert device.last_used_at == later
    with transaction(engine, write=True) as session:  # a used link pairs nothing more
        assert devices.pair(session, code, later) is None
    engine.dispose()
