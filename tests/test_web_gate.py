"""The household page's one pairing gate, and the history's period as one rule on every
front (issue 32): driven in process, as tests/test_fronts.py drives the page."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from conftest import Clock, Tracker
from starlette.routing import Mount, Route
from starlette.testclient import TestClient
from test_fronts import Household

from tracker.web.base import HOST_NAME

# what an unpaired device may reach: pairing itself, and files that hold no one's data
OPEN = {"/pair/{code}", "/manifest.webmanifest", "/static"}
EXAMPLE = {"ref": "D1", "topic": "dosing", "action": "give", "what": "report.pdf"}


@pytest.fixture
def household(mia: Tracker, clock: Clock) -> Iterator[Household]:
    page = Household(mia, clock)
    yield page
    page.engine.dispose()


def _routes(household: Household) -> list[tuple[str, str]]:
    """(method, path) of every route under the page's private path, path parameters
    filled with an example (a route added later is in the list by itself)."""
    (private,) = [r for r in household.client.app.routes  # type: ignore[attr-defined]
                  if isinstance(r, Mount) and r.path == household.root]
    found = []
    for route in private.routes:
        if route.path in OPEN:
            continue
        assert isinstance(route, Route), route
        path = re.sub(r"{(\w+)}", lambda m: EXAMPLE[m.group(1)], route.path)
        for method in sorted(route.methods or {"GET"}):
            if method != "HEAD":
                found.append((method, path))
    return found


def test_every_route_but_pairing_refuses_an_unpaired_phone(household: Household,
                                                           mia: Tracker) -> None:
    mia.ok("give", "--site", "left-thigh")
    stranger = TestClient(household.client.app, base_url=f"http://{HOST_NAME}{household.root}")
    routes = _routes(household)
    assert ("POST", "/do/give") in routes and ("GET", "/changes") in routes
    # nor does it learn which forms there are: a form that does not exist is refused alike
    routes.append(("POST", "/do/no-such-form"))
    for method, path in routes:
        response = stranger.request(method, path, data={"child": "1", "site": "left-thigh"}
                                    if method == "POST" else None)
        assert response.status_code == 401, (method, path, response.status_code)
        assert "Mia" not in response.text and "D1" not in response.text, (method, path)
    assert mia.rows("SELECT count(*) FROM dose") == [(1,)]  # the post recorded nothing
    # a cookie that is no device's is no better than none
    stranger.cookies.set("tracker_paired", "made-up")
    for method, path in routes:
        assert stranger.request(method, path).status_code == 401, (method, path)
    # and the same routes answer the paired phone
    for method, path in routes:
        if method == "GET":
            assert household.client.get(path).status_code != 401, path


def _said(response_text: str) -> str | None:
    found = re.search(r'id="said">(.*?)</p>', response_text, re.S)
    return html.unescape(found.group(1)) if found else None


def test_the_history_page_refuses_a_first_day_after_the_last(household: Household,
                                                             mia: Tracker) -> None:
    """The page read a period the other way round as an empty history; it now says so,
    in the words the command line uses."""
    response = household.client.get("/history?from=25/11/2026&to=24 November 2026")
    assert response.status_code == 200
    said = _said(response.text)
    assert said is not None and (
        "the period's first day (2026-11-25) is after its last (2026-11-24)" in said), said
    cli = mia.fails("history", "--from", "2026-11-25", "--to", "2026-11-24", code=2).err
    assert "the period's first day (2026-11-25) is after its last (2026-11-24)" in cli
    # a period the right way round is shown, with no such words
    fine = household.client.get("/history?from=24/11/2026&to=25 November 2026")
    assert fine.status_code == 200 and _said(fine.text) is None



def test_a_view_outside_the_gate_fails_loudly_instead_of_showing_data() -> None:
    """A route added without `paired` cannot read the log for a device it never checked."""
    from starlette.requests import Request

    from tracker.web.base import device_of

    request = Request({"type": "http", "method": "GET", "path": "/new-page", "headers": [],
                       "query_string": b""})
    with pytest.raises(RuntimeError, match="not behind the pairing gate"):
        device_of(request)
