"""The Charts page: the adherence calendar of the last weeks, and the height chart on the
child's reference centiles, drawn as SVG in the page (no script, no file from elsewhere).

The figures are the clinic report's own (tracker.services.clinic.summary), so the page and the
PDF cannot disagree.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from tracker.domain.growth import age_years, chart_box, spread
from tracker.errors import NotFound
from tracker.exports.rows import measurements
from tracker.i18n import N_, _, formats, ngettext
from tracker.services.clinic.summary import summarise, treatment_start
from tracker.services.views import plan
from tracker.web import language
from tracker.web.base import DeviceView, Web
from tracker.web.language import day_month, month_year, on_day

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.exports.report_data import Cell, Growth

WEEKS = 8
# TRANSLATORS: the state of a scheduled dose on the Charts page's calendar
MARKS = {  # shape and colour both say it (a colour-blind parent, a grey print)
    "given": ("●", N_("given")), "late": ("▲", N_("given late")),
    "withheld": ("■", N_("withheld")), "missed": ("✕", N_("missed")),
    "due": ("○", N_("still due")),
}
W, H = 340, 240
# the height chart's plot area inside the SVG: room on the left for the cm, on the right
# for the lines' names ("0.4th", "-3.5 SDS"), below for the ages
LEFT, RIGHT, TOP, BOTTOM = 34, 52, 28, 34


def _plot(w: int = W, h: int = H) -> dict[str, int]:
    return {"x": LEFT, "y": TOP, "w": w - LEFT - RIGHT, "h": h - TOP - BOTTOM}


def marks() -> dict[str, tuple[str, str]]:
    """The calendar's legend, in the page's words."""
    return {key: (mark, _(says)) for key, (mark, says) in MARKS.items()}


def weekdays(start: date) -> list[str]:
    """The calendar's columns, Monday first, as the page's language shortens them."""
    first = start - timedelta(days=start.weekday())
    return [formats.weekday(first + timedelta(days=n), "abbreviated") for n in range(7)]


def calendar(cells: list[Cell], start: date, end: date) -> list[list[dict[str, object]]]:
    """Weeks from Monday, each day with its slots' marks."""
    by_day: dict[date, list[Cell]] = {}
    for cell in cells:
        by_day.setdefault(cell.day, []).append(cell)
    first = start - timedelta(days=start.weekday())
    weeks = []
    day = first
    while day <= end:
        week = []
        for _unused in range(7):
            marks = [{"label": c.label, "mark": MARKS[c.status][0], "status": c.status,
                      "says": _(MARKS[c.status][1])} for c in by_day.get(day, [])]
            week.append({"day": day, "in": start <= day <= end, "marks": marks,
                         "said": day_month(day)})
            day += timedelta(days=1)
        weeks.append(week)
    return weeks


def height_chart(growth: Growth, birth: date) -> dict[str, object] | None:
    """Points and lines of the height chart in SVG coordinates, or None without heights;
    the span is the report's own (tracker.domain.growth.chart_box), so a child below every
    centile is on the chart."""
    heights = [(on, cm) for on, cm in growth.heights]
    if not heights:
        return None
    ages = [age_years(birth, on) for on, _unused in heights]
    lines = [line for line in (growth.centile_lines or []) if len(line.points) >= 2]
    box = chart_box(list(zip(ages, [cm for _unused, cm in heights], strict=True)),
                    [line.points for line in lines])
    plot = _plot()

    def point(age: float, cm: float) -> tuple[float, float]:
        return (round(plot["x"] + (age - box.age_lo) / (box.age_hi - box.age_lo) * plot["w"], 1),
                round(plot["y"] + plot["h"]
                      - (cm - box.cm_lo) / (box.cm_hi - box.cm_lo) * plot["h"], 1))

    label_ys = spread([point(*line.points[-1])[1] for line in lines], 10)
    return {
        # TRANSLATORS: a height measured on a day, e.g. "05 Dec 2026: 112.5 cm"
        "points": [{"xy": point(a, cm), "says": _("{day}: {height} cm").format(
                        day=on_day(on), height=formats.decimal(f"{cm:g}"))}
                   for a, (on, cm) in zip(ages, heights, strict=True)],
        "lines": [{"label": line.label,
                   # TRANSLATORS: {centile} is a centile's name, e.g. "0.4th" or "50th"
                   "title": line.label if line.label.endswith("SDS")
                   else _("{centile} centile").format(centile=line.label),
                   "own": line.label.endswith("SDS"), "main": line.sds == 0,
                   "label_xy": (point(*line.points[-1])[0] + 3, round(label_y + 3, 1)),
                   "path": " ".join(f"{x},{y}" for x, y in
                                    (point(a, cm) for a, cm in line.points))}
                  for line, label_y in zip(lines, label_ys, strict=True)],
        "x": (formats.decimal(f"{box.age_lo:.1f}"), formats.decimal(f"{box.age_hi:.1f}")),
        "y": (f"{box.cm_lo:.0f}", f"{box.cm_hi:.0f}"),
        "w": W, "h": H, "plot": plot,
        "reference": growth.reference_text,
    }


def span_labels(first: date, last: date) -> tuple[str, ...]:
    """The date axis's two ends, never the same words twice: months when the weights span
    months, days when they fall in one month, one label for one day."""
    if language.english():
        if first == last:
            return (f"{first.day} {first:%b %Y}",)
        if (first.year, first.month) != (last.year, last.month):
            return (f"{first:%b %Y}", f"{last:%b %Y}")
        return (f"{first.day} {first:%b %Y}", f"{last.day} {last:%b %Y}")
    if first == last:
        return (on_day(first),)
    if (first.year, first.month) != (last.year, last.month):
        return (month_year(first), month_year(last))
    return (on_day(first), on_day(last))


def weight_chart(weights: list[tuple[date, float]]) -> dict[str, object] | None:
    """The weights over time in SVG coordinates (the dose follows them), or None."""
    if not weights:
        return None
    days = [(on - weights[0][0]).days for on, _unused in weights]
    kgs = [kg for _unused, kg in weights]
    d1 = max(days) or 1
    k0, k1 = min(kgs), max(kgs)
    # no point on the frame, one weight mid-way, and two ends that never read the same
    pad = max((k1 - k0) * 0.08, 0.25)
    k0, k1 = k0 - pad, k1 + pad
    plot = _plot()

    def point(d: int, kg: float) -> tuple[float, float]:
        x = plot["x"] + (d / d1 if max(days) else 0.5) * plot["w"]
        return (round(x, 1), round(plot["y"] + plot["h"] - (kg - k0) / (k1 - k0) * plot["h"], 1))

    points = [point(d, kg) for d, kg in zip(days, kgs, strict=True)]
    return {
        # TRANSLATORS: a weight measured on a day, e.g. "05 Dec 2026: 21.4 kg"
        "points": [{"xy": xy, "says": _("{day}: {weight} kg").format(
                        day=on_day(on), weight=formats.decimal(f"{kg:g}"))}
                   for xy, (on, kg) in zip(points, weights, strict=True)],
        "path": " ".join(f"{x},{y}" for x, y in points),
        "x": span_labels(weights[0][0], weights[-1][0]),
        "y": (formats.decimal(f"{k0:.1f}"), formats.decimal(f"{k1:.1f}")),
        "w": W, "h": H, "plot": plot,
    }


async def charts_page(request: Request) -> Response:

    web: Web = request.app.state.web
    now = web.clock()

    def build(session: Session, _device: DeviceView) -> list[dict[str, object]]:
        children = []
        for child in plan.all_children(session):
            end = now.astimezone(plan.zone_of(child)).date()
            began = treatment_start(session, child) or end
            start = max(end - timedelta(days=7 * WEEKS - 1), began)
            try:
                summary = summarise(session, child, start, end, now)
            except NotFound:  # no prescription yet
                continue
            # TRANSLATORS: the calendar's period and how many of its doses were given,
            # e.g. "12 Oct to 06 Dec 2026: 110 of 112 doses given"
            counted = ngettext("{start} to {end}: {given} of {scheduled} dose given",
                               "{start} to {end}: {given} of {scheduled} doses given",
                               summary.scheduled).format(
                start=day_month(start), end=on_day(end), given=summary.given,
                scheduled=summary.scheduled)
            children.append({
                "id": child.id, "name": child.name, "start": start, "end": end,
                "counted": counted, "weekdays": weekdays(start),
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
    return web.page("charts.html", device=found[0], children=found[1], marks=marks())
