"""The household page in every language (issue 33): the device's language menu (a cookie)
beats the phone's Accept-Language; `<html lang dir>` follow it; Arabic runs right to left
but the body picture stays anatomical; and under the pseudo-language `qps` no English is
left on any page (every sentence went through the catalog).

Driven with Starlette's TestClient in process, as tests/test_fronts.py does.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from conftest import Clock, Tracker
from pseudo import english_left
from test_fronts import Household

from tracker import i18n
from tracker.web import language

# data, not sentences: the child's and the caregiver's names, the device's, the languages
# in their own names (the menu), the medicine's reference names
NAMES = {"Mia", "Eli", "Eli's", *i18n.LANGUAGES.values()}
PAGES = ("/", "/log", "/history", "/medicine", "/charts", "/report", "/about",
         "/about/dosing")


class _Visible(HTMLParser):
    """The text a person sees or hears: text outside <script>/<style>, and the attributes
    a browser shows or reads out (placeholders, titles, labels, a button's value). Text
    marked as written in a language of its own (the menu's "Español") is not the page's."""

    SHOWN = ("placeholder", "title", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.links: list[bool] = []  # each open <a>: in a language of its own

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a":
            self.links.append("lang" in found)
        if tag in ("script", "style") or (tag == "a" and "lang" in found):
            self.hidden += 1
        for name in self.SHOWN:
            if found.get(name):
                self.parts.append(str(found[name]))
        if tag == "input" and found.get("type") in ("submit", "button") and found.get("value"):
            self.parts.append(str(found["value"]))

    def handle_endtag(self, tag: str) -> None:
        own = tag == "a" and bool(self.links) and self.links.pop()
        if (tag in ("script", "style") or own) and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return "\n".join(parser.parts)


def _html_tag(page: str) -> dict[str, str]:
    found = re.search(r"<html([^>]*)>", page)
    assert found, page[:200]
    return dict(re.findall(r'(\w+)="([^"]*)"', found.group(1)))


@pytest.fixture
def household(mia: Tracker, clock: Clock) -> Iterator[Household]:
    page = Household(mia, clock)
    yield page
    page.engine.dispose()


def _speak(household: Household, lang: str) -> None:
    household.client.cookies.set(language.COOKIE, lang)


def test_every_page_has_no_english_left_under_the_pseudo_language(
        household: Household) -> None:
    _speak(household, "qps")
    # the question Given asks first (the meal), in the language
    token = household.token(household.client.get("/").text, "give")
    asked = household.client.post("/do/give", data={"csrf": token, "child": "1",
                                                     "site": "left-thigh"})
    assert 'id="question"' in asked.text
    assert english_left(visible(asked.text), also=NAMES) == []
    # a dose given, so that Today, History and Charts say more
    given = household.post("give", site="left-thigh", child="1")
    assert given.status_code == 200, given.text[:300]
    assert 'id="done"' in given.text
    left = {}
    for path in PAGES:
        response = household.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        assert _html_tag(response.text)["lang"] == "qps"
        found = english_left(visible(response.text), also=NAMES)
        if found:
            left[path] = found
    assert left == {}, "\n".join(f"{k}: {v}" for k, v in left.items())


def _without_fields(page: str) -> str:
    """An entry's page without its fields' lines (tracker/services/views/words.py's)."""
    return re.sub(r'<ul class="fields">.*?</ul>', "", page, flags=re.S)


def test_an_entry_s_page_is_in_the_language(household: Household) -> None:
    _speak(household, "qps")
    household.post("give", site="left-thigh", child="1")
    for path in ("/entry/P1", "/entry/D1"):
        page = household.client.get(path)
        assert page.status_code == 200
        assert english_left(visible(_without_fields(page.text)), also=NAMES) == []


def test_an_entry_s_fields_are_in_the_language(household: Household) -> None:
    _speak(household, "qps")
    household.post("give", site="left-thigh", child="1")
    for path in ("/entry/P1", "/entry/D1"):
        page = household.client.get(path)
        assert english_left(visible(page.text), also=NAMES) == []


def test_what_a_post_says_and_a_refusal_are_in_the_language(household: Household) -> None:
    _speak(household, "qps")
    page = household.client.get("/medicine").text
    token = household.token(page, "stock")
    refused = household.client.post("/do/stock", data={"csrf": token, "child": "1",
                                                       "count": "many", "how": "set"})
    assert 'id="said"' in refused.text
    assert english_left(visible(refused.text), also=NAMES) == []
    stale = household.client.post("/do/stock", data={"csrf": "old", "child": "1"})
    assert stale.status_code == 403
    assert english_left(visible(stale.text), also=NAMES) == []
    missing = household.client.get("/about/nothing-here")
    assert missing.status_code == 404
    assert english_left(visible(missing.text), also=NAMES | {"nothing-here"}) == []


def test_an_unpaired_device_and_a_stranger_are_told_in_their_language(
        household: Household) -> None:
    from starlette.testclient import TestClient

    from tracker.web.base import HOST_NAME

    app = household.client.app
    stranger = TestClient(app, base_url=f"http://{HOST_NAME}{household.root}",
                          headers={"Accept-Language": "qps"})
    unpaired = stranger.get("/")
    assert unpaired.status_code == 401
    assert english_left(visible(unpaired.text), also=NAMES) == []
    outside = TestClient(app, base_url=f"http://{HOST_NAME}",
                         headers={"Accept-Language": "qps"}).get("/somewhere")
    assert outside.status_code == 404
    assert _html_tag(outside.text)["lang"] == "qps"
    assert english_left(visible(outside.text), also=NAMES) == []


def test_the_phone_s_language_decides_and_the_menu_s_choice_beats_it(
        household: Household) -> None:
    french = household.client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"})
    assert _html_tag(french.text) == {"lang": "fr", "dir": "ltr"}
    assert _html_tag(household.client.get("/", headers={
        "Accept-Language": "pt-BR, de;q=0.5, en;q=0.3"}).text)["lang"] == "de"
    assert _html_tag(household.client.get("/", headers={
        "Accept-Language": "pt-BR"}).text)["lang"] == "en"
    # the menu: a link per language, each in its own name, that the device keeps
    page = household.client.get("/history", headers={"Accept-Language": "fr"}).text
    assert 'lang="es" hreflang="es" dir="ltr">Español</a>' in page
    chose = household.client.get("/language?to=es&back=/history", follow_redirects=False)
    assert chose.status_code == 303
    assert chose.headers["location"] == f"{household.root}/history"
    cookie = chose.headers["set-cookie"]
    assert cookie.startswith("lang=es;") and "SameSite=Lax" in cookie
    assert "Domain" not in cookie and "Max-Age=34560000" in cookie
    spanish = household.client.get("/", headers={"Accept-Language": "fr-FR"})
    assert _html_tag(spanish.text)["lang"] == "es"
    # never sent elsewhere by the menu
    away = household.client.get("/language?to=de&back=//evil.example/x",
                                follow_redirects=False)
    assert away.headers["location"] == f"{household.root}/"


def test_arabic_runs_right_to_left_but_the_body_picture_stays_anatomical(
        household: Household) -> None:
    page = household.client.get("/", headers={"Accept-Language": "ar"}).text
    assert _html_tag(page) == {"lang": "ar", "dir": "rtl"}
    svg = re.search(r'<svg class="body"([^>]*)>', page)
    assert svg and 'dir="ltr"' in svg.group(1)
    # the child's right is still drawn on the viewer's left in the front view
    sides = re.findall(r'<text x="(\d+)" y="14" text-anchor="middle">', page)
    assert sides == ["30", "65", "100", "150", "185", "220"]
    # doses in Western digits
    draw = re.search(r'<p class="draw">(.*?)</p>', page, re.S)
    assert draw and re.search(r"[0-9]", html.unescape(draw.group(1)))
    assert not re.search(r"[\u0660-\u0669]", html.unescape(draw.group(1)))


def test_french_goes_through_the_catalog(household: Household) -> None:
    """The French page is the catalog's (English until translators finish): the same
    page under qps is all catalog, and French differs from it only by the catalog."""
    _speak(household, "fr")
    french = household.client.get("/log")
    assert _html_tag(french.text)["lang"] == "fr"
    with i18n.speaking("fr"):
        assert i18n._("Log the side effect") in french.text
    _speak(household, "qps")
    pseudo = household.client.get("/log").text
    assert english_left(visible(pseudo), also=NAMES) == []


def test_english_is_unchanged(household: Household) -> None:
    page = household.client.get("/").text
    assert _html_tag(page) == {"lang": "en", "dir": "ltr"}
    assert ">Given</button>" in page and "Suggested site:" in page
    assert '<option value="not eating">not eating</option>' in page


def test_the_installed_page_is_named_in_the_language(household: Household) -> None:
    import json

    found = json.loads(household.client.get("/manifest.webmanifest",
                                            headers={"Accept-Language": "qps"}).text)
    assert found["name"].startswith("⟦") and found["lang"] == "qps"
    assert found["start_url"] == "./"
    english = household.client.get("/manifest.webmanifest").json()
    assert english["name"] == "tracker: Increlex doses" and "lang" not in english
