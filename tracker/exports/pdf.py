"""The clinic-visit report as a PDF: page one answers "how is it going?", then the full log.

Drawn with reportlab's canvas (charts are drawn, not described): a calendar of every
slot, site rotation bars, and a height chart once heights span a few months.
"""

from __future__ import annotations

import itertools
import textwrap
from collections import Counter
from datetime import timedelta
from typing import Any, BinaryIO

from tracker import __version__
from tracker.domain import glucose
from tracker.domain.sites import SITES
from tracker.exports.summary import Summary, describe_prescription

COLOURS = {
    "given": (0.20, 0.60, 0.30),
    "late": (0.95, 0.60, 0.10),
    "withheld": (0.25, 0.45, 0.85),
    "missed": (0.85, 0.15, 0.15),
    "due": (0.80, 0.80, 0.80),
}
MARGIN = 40


def render(summary: Summary, log_lines: list[str], out: BinaryIO) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setTitle(f"Increlex report: {summary.child.name}")
    canvas.setAuthor(f"tracker {__version__}")
    width, height = A4
    _page_one(canvas, summary, width, height)
    _footer(canvas, summary, width, 1)
    canvas.showPage()
    page, y = 2, height - MARGIN
    canvas.setFont("Helvetica-Bold", 12)
    canvas.drawString(
        MARGIN,
        y,
        f"Full log: {summary.child.name}, {summary.start} to {summary.end} (newest first)",
    )
    y -= 20
    canvas.setFont("Helvetica", 8)
    wrapped = [
        part
        for line in log_lines
        for part in textwrap.wrap(line, 130, subsequent_indent=" " * 24) or [""]
    ]
    for line in wrapped:
        if y < MARGIN + 30:
            _footer(canvas, summary, width, page)
            canvas.showPage()
            page += 1
            y = height - MARGIN
            canvas.setFont("Helvetica", 8)
        canvas.drawString(MARGIN, y, line)
        y -= 10
    _footer(canvas, summary, width, page)
    canvas.showPage()
    canvas.save()


def _footer(canvas: Any, s: Summary, width: float, page: int) -> None:
    canvas.setFont("Helvetica", 7)
    zone = s.plan.zone
    canvas.drawString(
        MARGIN,
        22,
        f"Period {s.start} to {s.end} ({zone.key}). Generated "
        f"{s.now.astimezone(zone):%Y-%m-%d %H:%M} by tracker {__version__}. "
        "A parent's log, not medical advice.",
    )
    canvas.drawRightString(width - MARGIN, 22, f"page {page}")


def _page_one(c: Any, s: Summary, width: float, height: float) -> None:
    zone = s.plan.zone
    y = height - MARGIN
    c.setFont("Helvetica-Bold", 16)
    c.drawString(MARGIN, y, f"Increlex (mecasermin) report: {s.child.name}")
    y -= 16
    c.setFont("Helvetica", 9)
    c.drawString(
        MARGIN,
        y,
        f"{s.start:%d %b %Y} to {s.end:%d %b %Y}  -  born "
        f"{s.child.birth_date}, age {s.age_years:.1f} years",
    )
    y -= 20
    lines: list[tuple[str, str]] = []
    w, h = s.weight, s.height
    lines.append(("Weight", f"{w.weight_kg:g} kg on {w.measured_on}" if w else "not recorded"))
    lines.append(("Height", f"{h.height_cm:g} cm on {h.measured_on}" if h else "not recorded"))
    lines.append(
        (
            "Growth velocity",
            f"{s.velocity_cm_per_year:.1f} cm/year"
            if s.velocity_cm_per_year is not None
            else "needs heights over 3 months",
        )
    )
    weight = w.weight_kg if w else None
    lines.append(("Prescription now", describe_prescription(s.plan.prescription, weight)))
    changes = [
        p
        for p in s.prescriptions
        if p.starts_at.astimezone(zone).date() >= s.start and p.id != s.plan.prescription.id
    ]
    for p in [s.plan.prescription, *changes]:
        if p is not s.plan.prescription:
            lines.append(
                (
                    "  change",
                    f"{p.starts_at.astimezone(zone):%Y-%m-%d}: {describe_prescription(p, weight)}",
                )
            )
        if p.flags:  # the titration advice or limits it was warned about, as recorded
            lines.append(("    warned", "; ".join(p.flags.splitlines())))
        if p.force_reason:
            lines.append(("    reason", p.force_reason))
    adherence = s.adherence
    lines.append(
        (
            "Adherence",
            f"{adherence}% ({s.given} of {s.scheduled} doses given)"
            if adherence is not None
            else "no scheduled doses",
        )
    )
    withheld = sum(s.withheld_reasons.values())
    reasons = ", ".join(f"{r} ({n})" for r, n in s.withheld_reasons.most_common(3))
    lines.append(("Withheld", f"{withheld}" + (f": {reasons}" if reasons else "")))
    lines.append(("Missed", f"{s.missed} (nothing logged)"))
    lines.append(
        (
            "Flagged doses",
            f"{len(s.flagged)}" + (": a label rule broken or overridden" if s.flagged else ""),
        )
    )
    for f in s.flagged[:4]:
        why = "; ".join(f.flags) + (f"; reason: {f.reason}" if f.reason else "")
        lines.append((f"  {f.ref}", f"{f.at.astimezone(zone):%Y-%m-%d %H:%M}: {why}"))
    if len(s.flagged) > 4:
        lines.append(("", f"and {len(s.flagged) - 4} more in the full log"))
    lows = ", ".join(
        f"{g.measured_at.astimezone(zone):%d %b} {glucose.format_value(g.mg_dl, g.unit)}"
        for g in s.lows[:4]
    )
    lines.append(
        (
            "Glucose checks",
            f"{s.glucose_checks}; low: {len(s.lows)}" + (f" ({lows})" if lows else ""),
        )
    )
    lines.append(
        (
            "Vials opened",
            f"{len(s.vials)}"
            + (
                ": " + ", ".join(f"{v.opened_at.astimezone(zone):%d %b}" for v in s.vials[:6])
                if s.vials
                else ""
            ),
        )
    )
    for label, text in lines:
        c.setFont("Helvetica-Bold", 9)
        c.drawString(MARGIN, y, label)
        c.setFont("Helvetica", 9)
        for part in textwrap.wrap(text, 95) or [""]:
            c.drawString(MARGIN + 95, y, part)
            y -= 12
    y -= 8
    top = y
    _calendar(c, s, MARGIN, top)
    _sites(c, s.sites, MARGIN + 300, top)
    y = top - 190
    _symptoms(c, s, MARGIN, y)
    if s.velocity_cm_per_year is not None:
        _height_chart(c, s, MARGIN + 300, y)


def _calendar(c: Any, s: Summary, x: float, y: float) -> None:
    c.setFont("Helvetica-Bold", 9)
    c.drawString(x, y, "Every dose slot (one row per week, two cells per day)")
    cell = 9.0
    first = s.start - timedelta(days=s.start.weekday())
    by_key = {(cell_.day, cell_.label): cell_.status for cell_ in s.cells}
    labels = sorted({cl.label for cl in s.cells}) or ["07:30", "19:30"]
    weeks = ((s.end - first).days // 7) + 1
    shown = min(weeks, 16)
    start_week = weeks - shown
    for w in range(shown):
        for d in range(7):
            day = first + timedelta(days=7 * (start_week + w) + d)
            for i, label in enumerate(labels[:2]):
                status = by_key.get((day, label))
                cx = x + (d * 2 + i) * cell + (d * 2)
                cy = y - 14 - w * (cell + 1)
                if status is None:
                    c.setStrokeColorRGB(0.85, 0.85, 0.85)
                    c.rect(cx, cy - cell, cell - 1, cell - 1, stroke=1, fill=0)
                else:
                    c.setFillColorRGB(*COLOURS[status])
                    c.rect(cx, cy - cell, cell - 1, cell - 1, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    ly = y - 14 - shown * (cell + 1) - 12
    lx = x
    c.setFont("Helvetica", 7)
    counts = Counter(cl.status for cl in s.cells)
    for status, rgb in COLOURS.items():
        c.setFillColorRGB(*rgb)
        c.rect(lx, ly, 7, 7, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.drawString(lx + 9, ly + 1, f"{status} {counts.get(status, 0)}")
        lx += 50


def _sites(c: Any, sites: Counter[str], x: float, y: float) -> None:
    c.setFont("Helvetica-Bold", 9)
    c.drawString(x, y, "Injection sites used")
    most = max(sites.values(), default=1)
    c.setFont("Helvetica", 7)
    for i, site in enumerate(SITES):
        by = y - 16 - i * 13
        c.setFillColorRGB(0, 0, 0)
        c.drawString(x, by, site)
        length = 110 * sites.get(site, 0) / most
        c.setFillColorRGB(0.30, 0.45, 0.70)
        c.rect(x + 75, by - 1, max(length, 0.5), 8, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.drawString(x + 80 + length, by, str(sites.get(site, 0)))


def _symptoms(c: Any, s: Summary, x: float, y: float) -> None:
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica-Bold", 9)
    by_kind = Counter((sym.kind, sym.severity or "-") for sym, _ in s.symptoms)
    c.drawString(x, y, f"Side effects: {len(s.symptoms)}")
    c.setFont("Helvetica", 8)
    y -= 12
    for (kind, severity), n in by_kind.most_common(6):
        c.drawString(x, y, f"{kind} ({severity}): {n}")
        y -= 10
    y -= 4
    zone = s.plan.zone
    for sym, after in s.symptoms[-8:]:
        timing = f", {after} min after a dose" if after is not None else ""
        c.drawString(
            x,
            y,
            f"{sym.occurred_at.astimezone(zone):%d %b %H:%M}  {sym.kind}"
            f"{' (' + sym.severity + ')' if sym.severity else ''}{timing}",
        )
        y -= 10


def _height_chart(c: Any, s: Summary, x: float, y: float) -> None:
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica-Bold", 9)
    c.drawString(x, y, "Height (cm)")
    points = s.heights
    w, h = 200.0, 110.0
    base_y = y - 14 - h
    c.setStrokeColorRGB(0.6, 0.6, 0.6)
    c.line(x, base_y, x + w, base_y)
    c.line(x, base_y, x, base_y + h)
    d0, d1 = points[0][0], points[-1][0]
    lo = min(p[1] for p in points) - 1
    hi = max(p[1] for p in points) + 1
    span = max((d1 - d0).days, 1)
    coords = [(x + w * (d - d0).days / span, base_y + h * (v - lo) / (hi - lo)) for d, v in points]
    c.setStrokeColorRGB(0.20, 0.45, 0.70)
    for (ax, ay), (bx, by) in itertools.pairwise(coords):
        c.line(ax, ay, bx, by)
    c.setFillColorRGB(0.20, 0.45, 0.70)
    for px, py in coords:
        c.circle(px, py, 2, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica", 7)
    c.drawString(x, base_y - 9, f"{d0}  {points[0][1]:g} cm")
    c.drawRightString(x + w, base_y - 9, f"{d1}  {points[-1][1]:g} cm")
