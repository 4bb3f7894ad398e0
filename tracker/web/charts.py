"""The Charts page: the adherence calendar of the last weeks, and the height chart on the
child's reference centiles, drawn as SVG in the page (no script, no file from elsewhere).

The figures are the clinic report's own (tracker.services.summary), so the page and the
PDF cannot disagree.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from tracker.web.base import DeviceView, Web, unpaired

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

WEEKS = 8
MARKS = {  # shape and colour both say it (a colour-blind parent, a grey print)
    "given": ("●", "given"), "late": ("▲", "given late"), "withheld": ("■", "withheld"),
    "missed": ("✕", "missed"), "due": ("○", "still due"),
}
W, H, PAD = 340, 240, 34


def calendar(cells: list[Any], start: date, end: date) -> list[list[dict[str, Any]]]:
    """Weeks from Monday, each day with its slots' marks."""
    by_day: dict[date, list[Any]] = {}
    for cell in cells:
        by_day.setdefault(cell.day, []).append(cell)
    first = start - timedelta(days=start.weekday())
    weeks = []
    day = first
    while day <= end:
        week = []
        for _ in range(7):
            marks = [{"label": c.label, "mark": MARKS[c.status][0], "status": c.status,
                      "says": MARKS[c.status][1]} for c in by_day.get(day, [])]
            week.append({"day": day, "in": start <= day <= end, "marks": marks})
            day += timedelta(days=1)
        weeks.append(week)
    return weeks


def height_chart(growth: Any, birth: date) -> dict[str, Any] | None:
    """Points and lines of the height chart in SVG coordinates, or None without heights."""
    heights = [(on, cm) for on, cm in growth.heights]
    if not heights:
        return None
    ages = [(on - birth).days / 365.25 for on, _ in heights]
    lines = growth.centile_lines or {}
    xs = ages + [a for line in lines.values() for a, _ in line]
    ys = [cm for _, cm in heights] + [cm for line in lines.values() for _, cm in line]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    x1 = x1 if x1 > x0 else x0 + 1
    y1 = y1 if y1 > y0 else y0 + 1

    def point(age: float, cm: float) -> tuple[float, float]:
        return (round(PAD + (age - x0) / (x1 - x0) * (W - 2 * PAD), 1),
                round(H - PAD - (cm - y0) / (y1 - y0) * (H - 2 * PAD), 1))

    return {
        "points": [{"xy": point(a, cm), "says": f"{on:%d %b %Y}: {cm:g} cm"}
                   for a, (on, cm) in zip(ages, heights, strict=True)],
        "lines": [{"centile": c, "path": " ".join(f"{x},{y}" for x, y in
                                                  (point(a, cm) for a, cm in line))}
                  for c, line in sorted(lines.items())],
        "x": (f"{x0:.1f}", f"{x1:.1f}"), "y": (f"{y0:.0f}", f"{y1:.0f}"),
        "w": W, "h": H, "pad": PAD,
    }


def weight_chart(weights: list[tuple[date, float]]) -> dict[str, Any] | None:
    """The weights over time in SVG coordinates (the dose follows them), or None."""
    if not weights:
        return None
    days = [(on - weights[0][0]).days for on, _ in weights]
    kgs = [kg for _, kg in weights]
    d1 = max(days) or 1
    k0, k1 = min(kgs), max(kgs)
    k1 = k1 if k1 > k0 else k0 + 1

    def point(d: int, kg: float) -> tuple[float, float]:
        return (round(PAD + d / d1 * (W - 2 * PAD), 1),
                round(H - PAD - (kg - k0) / (k1 - k0) * (H - 2 * PAD), 1))

    points = [point(d, kg) for d, kg in zip(days, kgs, strict=True)]
    return {
        "points": [{"xy": xy, "says": f"{on:%d %b %Y}: {kg:g} kg"}
                   for xy, (on, kg) in zip(points, weights, strict=True)],
        "path": " ".join(f"{x},{y}" for x, y in points),
        "x": (f"{weights[0][0]:%b %Y}", f"{weights[-1][0]:%b %Y}"),
        "y": (f"{k0:g}", f"{k1:g}"), "w": W, "h": H, "pad": PAD,
    }


async def charts_page(request: Request) -> Response:
    from tracker.errors import NotFound
    from tracker.exports.rows import measurements
    from tracker.services import plan
    from tracker.services.summary import summarise, treatment_start

    web: Web = request.app.state.web
    now = web.clock()

    def build(session: Session, _device: DeviceView) -> list[dict[str, Any]]:
        children = []
        for child in plan.all_children(session):
            end = now.astimezone(plan.zone_of(child)).date()
            began = treatment_start(session, child) or end
            start = max(end - timedelta(days=7 * WEEKS - 1), began)
            try:
                summary = summarise(session, child, start, end, now)
            except NotFound:  # no prescription yet
                continue
            children.append({
                "id": child.id, "name": child.name, "start": start, "end": end,
                "weeks": calendar(summary.cells, start, end),
                "adherence": summary.adherence, "given": summary.given,
                "scheduled": summary.scheduled,
                "chart": height_chart(summary.growth, child.birth_date),
                "weights": weight_chart([
                    (m.measured_on, m.weight_kg)
                    for m in measurements(session, child, child.birth_date, end)
                    if m.weight_kg is not None]),
            })
        return children

    found = await web.read(request, build)
    if found is None:
        return unpaired(web)
    return web.page("charts.html", device=found[0], children=found[1], marks=MARKS)
