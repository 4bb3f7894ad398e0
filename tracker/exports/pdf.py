"""The clinic-visit report as a PDF: page one answers "how is it going?", then a calendar
of every dose slot, what was flagged, the vials, and the full log.

Drawn with fpdf2: fonts are embedded (subset) and text is shaped by HarfBuzz, so a
child's name in Hebrew, Arabic or Chinese prints, and is extracted, as typed. What is
printed is decided in tracker.services.clinic.summary (as the data of
tracker.exports.report_data); this module only lays it out.

The report is read by a clinician, on paper, far from the computer that made it: what it
asks for (the child's sex, a vial) is said in plain words (tracker.domain.actions.plain),
never as a command that reader could not type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from fpdf import FPDF

from tracker import __version__
from tracker.domain import glucose, growth
from tracker.domain.actions import Do, Line, act, plain
from tracker.domain.sites import SITES
from tracker.domain.text import signed
from tracker.exports import fonts
from tracker.exports.pdf_text import Piece, Text, Writer
from tracker.i18n import _

if TYPE_CHECKING:  # the report's figures are gathered by the service, laid out here
    from tracker.exports.report_data import Cell, ChartLine, HeightAt, Summary

# Colour and shape both: a calendar printed in black and white still reads.
COLOURS = {
    "given": (46, 139, 64),
    "late": (230, 126, 14),
    "withheld": (52, 101, 200),
    "missed": (210, 35, 35),
    "twice": (150, 20, 110),
    "due": (150, 150, 150),
}
MEANING = {
    "given": "given",
    "late": "given late",
    "withheld": "withheld",
    "missed": "missed",
    "twice": "given twice (an extra injection)",
    "due": "still due",
}
MARGIN = 15.0
WIDTH = 210.0 - 2 * MARGIN
LABEL_W = 42.0
GREY = (110, 110, 110)


def weekly_adherence(cells: list[Cell]) -> dict[date, tuple[int, int]]:
    """(given, scheduled) per week, keyed by its Monday; a slot still due is not counted."""
    weeks: dict[date, tuple[int, int]] = {}
    for c in cells:
        if c.status == "due":
            continue
        monday = c.day - timedelta(days=c.day.weekday())
        given, scheduled = weeks.get(monday, (0, 0))
        weeks[monday] = (given + (c.status in ("given", "late", "twice")), scheduled + 1)
    return weeks


class LogLine(NamedTuple):
    stamp: str  # "2026-11-30 19:00"
    ref: str  # "D12", or "" for a missed slot
    text: Text


class _Doc(FPDF):
    """An fpdf2 document with tracker's fonts and its footer on every page."""

    def __init__(self, s: Summary, texts: Iterable[str]) -> None:
        super().__init__(format="A4", unit="mm")
        zone = s.plan.zone
        self.footer_text = [
            Piece(s.child.name, user=True),
            Piece(
                _(": {_date} to {_date2} ({key}). Generated {astimezone:%Y-%m-%d %H:%M} by "
                  "tracker {__version__}. A parent's log, not medical advice.").format(
                    _date=_date(s.start), _date2=_date(s.end), key=zone.key,
                    astimezone=s.now.astimezone(zone), __version__=__version__)
            ),
        ]
        self.c_margin = 0
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.alias_nb_pages()
        plan = fonts.choose(texts)
        self.missing = plan.missing
        self.writer = Writer(self, fonts.install(self, plan))
        self.set_title(_("Increlex (mecasermin) report: {name}, {start} to {end}").format(
                           name=s.child.name, start=s.start, end=s.end))
        self.set_author("tracker")
        self.set_subject(_("Dose log of {name} from {start} to {end}").format(
                             name=s.child.name, start=s.start, end=s.end))
        self.set_creator(f"tracker {__version__}")
        self.set_lang("en")
        self.set_creation_date(s.now)

    def footer(self) -> None:
        self.set_text_color(*GREY)
        self.writer.font(6.5)
        self.set_xy(MARGIN, -11)
        self.writer.paragraph(
            self.footer_text, x=MARGIN, width=WIDTH - 22, line_height=3.2, breaks=False
        )
        self.set_xy(MARGIN + WIDTH - 20, -11)
        self.cell(20, 3.2, _("page {page_no} of {{nb}}").format(page_no=self.page_no()), align="R")
        self.set_text_color(0, 0, 0)


def render(s: Summary, log: list[LogLine], out: BinaryIO) -> list[str]:
    """Write the report; the scripts no font on this computer could print (else empty)."""
    pdf = _Doc(s, _texts(s, log))
    w = pdf.writer
    pdf.add_page()
    _page_one(pdf, w, s)
    pdf.add_page()
    _calendar(pdf, w, s)
    _details(pdf, w, s)
    _full_log(pdf, w, s, log)
    out.write(bytes(pdf.output()))
    return list(pdf.missing)


def _texts(s: Summary, log: list[LogLine]) -> Iterable[str]:
    """Every text the report prints that a person typed: their scripts choose the fonts."""
    yield s.child.name
    for rx in s.prescriptions:
        yield from (rx.note or "", rx.force_reason or "", rx.by or "", *rx.flags)
    yield from s.withheld_reasons
    for f in s.flagged:
        yield from (f.reason or "", *f.flags)
    for v in s.vials:
        yield v.lot or ""
    for line in log:
        yield line.text if isinstance(line.text, str) else "".join(p.text for p in line.text)


# -- page one ---------------------------------------------------------------------------


def _heading(pdf: FPDF, w: Writer, text: str, size: float = 11) -> None:
    if pdf.will_page_break(14):
        pdf.add_page()
    pdf.ln(2.5)
    w.font(size, bold=True)
    w.paragraph(text, x=MARGIN, width=WIDTH, line_height=size * 0.5)
    pdf.ln(0.8)


def _row(pdf: FPDF, w: Writer, label: str, value: Text, size: float = 9) -> None:
    """A labelled line: the label in bold in its column, the value wrapped beside it; the
    two kept together on one page."""
    line = size * 0.47
    label_w, value_w = LABEL_W - 2, WIDTH - LABEL_W
    w.font(size, bold=True)
    tall = w.height(label, width=label_w, line_height=line)
    w.font(size)
    tall = max(tall, w.height(value, width=value_w, line_height=line))
    if pdf.will_page_break(tall):
        pdf.add_page()
    y, page = pdf.y, pdf.page
    w.font(size, bold=True)
    w.paragraph(label, x=MARGIN, width=label_w, line_height=line)
    pdf.set_y(y)
    w.font(size)
    w.paragraph(value, x=MARGIN + LABEL_W, width=value_w, line_height=line)
    if pdf.page == page:  # (a value longer than a page ends on a later one)
        pdf.set_y(max(pdf.y, y + tall))


def _n(count: int, noun: str) -> str:
    """ "1 slot", "2 slots"."""
    from tracker.domain.text import counted

    return counted(count, noun)


def _date(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _page_one(pdf: FPDF, w: Writer, s: Summary) -> None:
    g = s.growth
    w.font(15, bold=True)
    w.paragraph(
        [Piece(_("Increlex (mecasermin): ")), Piece(s.child.name, user=True)],
        x=MARGIN,
        width=WIDTH,
        line_height=7,
    )
    w.font(9)
    sex = g.sex or _("sex not recorded")
    pdf.set_text_color(*GREY)
    w.paragraph(
        _("{_date} to {_date2}  ·  born {_date3}, {age_years:.1f} years  ·  {sex}  ·  growth "
          "reference {reference_text}  ·  {key}").format(
            _date=_date(s.start), _date2=_date(s.end), _date3=_date(s.child.birth_date),
            age_years=s.age_years, sex=sex, reference_text=g.reference_text, key=s.plan.zone.key),
        x=MARGIN,
        width=WIDTH,
        line_height=4.5,
    )
    pdf.set_text_color(0, 0, 0)

    _needs_doctor(pdf, w, s)
    _heading(pdf, w, _("Growth"))
    for label, text in _growth_rows(s):
        _row(pdf, w, label, text)

    _heading(pdf, w, _("Prescriptions in force"))
    for rx in s.prescriptions:
        when = _("Changed {_date}").format(_date=_date(rx.starts)) if rx.changed else _("Since {_date}").format(
                                                                    _date=_date(rx.starts))
        made = _(", recorded {_date}").format(_date=_date(rx.made)) if rx.made != rx.starts else ""
        by = f" by {rx.by}" if rx.by else ""
        value: list[Piece] = [
            Piece(_("{draw} per injection ({basis}), at {times}  [{ref}{made}").format(
                      draw=rx.draw, basis=rx.basis, times=rx.times, ref=rx.ref, made=made)),
            Piece(by, user=True),
            Piece("]"),
        ]
        if rx.note:
            value += [Piece(_("\nDoctor's note: ")), Piece(rx.note, user=True)]
        if rx.force_reason:
            value += [Piece(_("\nOverride reason: ")), Piece(rx.force_reason, user=True)]
        if rx.flags:
            value.append(Piece(_("\nWarned: ") + "; ".join(rx.flags)))
        _row(pdf, w, when, value)

    _heading(pdf, w, _("Doses"))
    for label, text in _dose_rows(s):
        _row(pdf, w, label, text)
    _height_chart(pdf, w, s)


NEEDS_DOCTOR_ON_PAGE_ONE = 8


def _needs_doctor(pdf: FPDF, w: Writer, s: Summary) -> None:
    """What the doctor must see first: every event judged "the doctor now" or "the same
    day" or more urgent (extra doses, emergencies, same-day signs, lows), most urgent
    first, each with its judgement as the family was told it."""
    found = s.needs_doctor()
    _heading(pdf, w, _("Needs the doctor ({n_found})").format(n_found=len(found)))
    if not found:
        _row(pdf, w, "", _("Nothing in this period was judged to need the doctor now or the same "
                           "day."), 8.5)
        return
    zone = s.plan.zone
    for j in found[:NEEDS_DOCTOR_ON_PAGE_ONE]:
        at = f"{j.at.astimezone(zone):%Y-%m-%d %H:%M}" if j.at else ""
        _row(pdf, w, f"{j.ref}  {at}", [Piece(_("{tag}: {what}. First: {lower}{first}").format(
                                                  tag=j.tag, what=j.what,
                                                  lower=j.first[:1].lower(), first=j.first[1:]))], 8.5)
    if len(found) > NEEDS_DOCTOR_ON_PAGE_ONE:
        more = len(found) - NEEDS_DOCTOR_ON_PAGE_ONE
        _row(pdf, w, "", _("and {more} more, each in the full log with its judgement").format(
                             more=more), 8.5)


def _growth_rows(s: Summary) -> list[tuple[str, Text]]:
    g = s.growth
    ref = growth.SHORT_NAMES[g.reference]
    rows: list[tuple[str, Text]] = []

    def standing(h: HeightAt) -> str:
        if h.sds is None or h.centile is None:  # both known, or neither
            why = (
                plain(Line(_("no SDS: "), act(Do.SEX, child=s.child.name)))
                if g.sex is None
                else _("outside the {reference_name} reference").format(
                         reference_name=g.reference_name)
            )
            return _("{cm:g} cm on {_date} ({why})").format(cm=h.cm, _date=_date(h.on), why=why)
        return _("{cm:g} cm on {_date}: SDS {signed}, centile {centile_text} ({ref})").format(
                    cm=h.cm, _date=_date(h.on), signed=signed(h.sds),
                    centile_text=growth.centile_text(h.centile), ref=ref)

    rows.append((_("Height"), standing(g.latest) if g.latest else _("not recorded")))
    if g.treatment_start is not None:
        if g.at_start is None:
            at_start = _("no height near the first prescription ({_date})").format(
                           _date=_date(g.treatment_start))
        else:
            at_start = standing(g.at_start)
            if g.sds_change is not None:
                at_start += _("; change since: {signed} SDS").format(signed=signed(g.sds_change))
        rows.append((_("At treatment start ({_date})").format(_date=_date(g.treatment_start)), at_start))
    v = g.velocity
    if v is not None:
        days = (v.last - v.first).days
        rows.append(
            (
                _("Height velocity"),
                _("{cm_per_year:.1f} cm/year from {_date} to {_date2} ({value:.0f} months), from "
                  "home measurements").format(
                    cm_per_year=v.cm_per_year, _date=_date(v.first), _date2=_date(v.last),
                    value=days / 30.44),
            )
        )
    else:
        rows.append(
            (
                _("Height velocity"),
                _("needs two heights at least {value} months apart").format(
                    value=growth.VELOCITY_MIN_DAYS // 30),
            )
        )
    wt = g.weight
    rows.append(
        (_("Weight"), _("{weight_kg:g} kg on {_date}").format(
                       weight_kg=wt.weight_kg, _date=_date(wt.measured_on)) if wt else _("not recorded"))
    )
    return rows


FLAGGED_ON_PAGE_ONE = 3  # page one names a few; the full list follows the calendar


def _dose_rows(s: Summary) -> list[tuple[str, Text]]:
    zone = s.plan.zone
    rows: list[tuple[str, Text]] = []
    late = sum(1 for c in s.cells if c.status == "late")
    if s.adherence is None:
        rows.append((_("Adherence"), _("no dose slot has passed yet")))
    else:
        rows.append(
            (
                _("Adherence"),
                _("{adherence}%: {given} of {scheduled} doses given").format(
                    adherence=s.adherence, given=s.given, scheduled=s.scheduled)
                + (_(" ({late} late)").format(late=late) if late else ""),
            )
        )
    withheld = sum(s.withheld_reasons.values())
    value: list[Piece] = [Piece(str(withheld))]
    for i, (reason, n) in enumerate(s.withheld_reasons.most_common(5)):
        value += [Piece(": " if i == 0 else "; "), Piece(reason, user=True), Piece(f" ({n})")]
    rows.append((_("Withheld"), value))
    rows.append(
        (
            _("Missed"),
            _("{_n} with nothing logged").format(_n=_n(s.missed, 'slot'))
            + (_(" (each in the full log)") if s.missed else ""),
        )
    )
    shown = s.flagged[:FLAGGED_ON_PAGE_ONE]
    flagged: list[Piece] = [
        Piece(
            f"{len(s.flagged)}"
            + (_(": a label rule broken or overridden") if s.flagged else "")
            + (_("; the first {n_shown} here, all {n_flagged} after the calendar").format(
                   n_shown=len(shown), n_flagged=len(s.flagged))
               if len(shown) < len(s.flagged) else "")
        )
    ]
    for f in shown:
        flagged.append(
            Piece(f"\n{f.ref} {f.at.astimezone(zone):%Y-%m-%d %H:%M}: {'; '.join(f.flags)}")
        )
        if f.reason:
            flagged += [Piece(_("; reason: ")), Piece(f.reason, user=True)]
    rows.append((_("Flagged doses"), flagged))
    by_kind = Counter(sym.kind for sym, _unused in s.symptoms)
    rows.append(
        (
            _("Side effects"),
            f"{len(s.symptoms)}"
            + (": " + ", ".join(f"{k} ({n})" for k, n in by_kind.most_common()) if by_kind else ""),
        )
    )
    lows = ", ".join(
        f"{_date(g.measured_at.astimezone(zone).date())[:-5]} "
        f"{glucose.format_value(g.mg_dl, g.unit)}"
        for g in s.lows[:4]
    )
    rows.append(
        (
            _("Glucose checks"),
            _("{glucose_checks}; low: {n_lows}").format(
                glucose_checks=s.glucose_checks, n_lows=len(s.lows)) + (f" ({lows})" if lows else ""),
        )
    )
    lots = sorted({v.lot for v in s.vials if v.lot})
    rows.append(
        (
            _("Vials in use"),
            f"{len(s.vials)}" + (_(" (lots {join})").format(join=', '.join(lots)) if lots else "")
            if s.vials
            else _("none recorded"),
        )
    )
    # every site an injection used, in the order of SITES (one from an older or imported
    # log that tracker does not name is counted too, after them)
    order = sorted(s.sites, key=lambda site: (SITES.index(site) if site in SITES else len(SITES),
                                              site))
    used = ", ".join(f"{site} {s.sites[site]}" for site in order if s.sites[site])
    rows.append((_("Injection sites"), used or _("not recorded")))
    return rows


class _Frame(NamedTuple):
    """Where a height chart is drawn on the page, and what it spans."""

    x0: float
    y0: float
    cw: float
    ch: float
    box: growth.Box

    def at(self, age: float, cm: float) -> tuple[float, float]:
        """The point on the page of a child of `age` years and `cm` tall."""
        box = self.box
        return (self.x0 + self.cw * (age - box.age_lo) / (box.age_hi - box.age_lo),
                self.y0 + self.ch - self.ch * (cm - box.cm_lo) / (box.cm_hi - box.cm_lo))


def _height_chart(pdf: FPDF, w: Writer, s: Summary) -> None:
    """The child's heights over the reference's lines (age on the x axis): its centiles,
    and the child's own SDS band where they are below the lowest (tracker.domain.growth)."""
    g = s.growth
    if not g.heights:
        return
    height = 77.0
    if pdf.will_page_break(height + 14):
        pdf.add_page()
    _heading(pdf, w, _("Height on the {reference_name} chart").format(
                         reference_name=g.reference_name))
    points = [(growth.age_years(s.child.birth_date, d), cm) for d, cm in g.heights]
    lines = [line for line in g.centile_lines if len(line.points) >= 2]
    box = growth.chart_box(points, [line.points for line in lines])
    frame = _Frame(MARGIN + 12, pdf.y + 5, WIDTH - 28, height - 17, box)
    _chart_axes(pdf, w, frame)
    _centile_lines(pdf, frame, lines)
    _child_heights(pdf, frame, points)
    if g.treatment_start is not None:
        _treatment_start(pdf, w, frame, growth.age_years(s.child.birth_date, g.treatment_start))
    pdf.set_draw_color(0, 0, 0)
    pdf.set_y(frame.y0 + frame.ch + 9)
    w.font(7.5)
    pdf.set_text_color(*GREY)
    _chart_caption(w, s, lines)
    pdf.set_text_color(0, 0, 0)


def _chart_axes(pdf: FPDF, w: Writer, f: _Frame) -> None:
    """The frame, a tick and number every 5 cm (10 on a tall span) and every year, and
    the axes' names."""
    x0, y0, cw, ch, box = f
    pdf.set_draw_color(180, 180, 180)
    pdf.set_line_width(0.2)
    pdf.rect(x0, y0, cw, ch)
    w.font(6.5)
    pdf.set_text_color(*GREY)
    step = 5 if box.cm_hi - box.cm_lo <= 60 else 10
    for cm in range(int(box.cm_lo // step + 1) * step, int(box.cm_hi) + 1, step):
        _unused, y = f.at(box.age_lo, cm)
        pdf.line(x0 - 1, y, x0, y)
        pdf.set_xy(x0 - 9, y - 1.5)
        pdf.cell(8, 3, f"{cm}", align="R")
    for year in range(int(box.age_lo) + 1, int(box.age_hi) + 1):
        x, _unused = f.at(year, box.cm_lo)
        pdf.line(x, y0 + ch, x, y0 + ch + 1)
        pdf.set_xy(x - 4, y0 + ch + 1)
        pdf.cell(8, 3, f"{year}", align="C")
    pdf.set_xy(x0, y0 + ch + 4)
    pdf.cell(cw, 3, _("age (years)"), align="C")
    pdf.set_xy(x0 - 12, y0 - 4.5)
    pdf.cell(20, 3, _("height (cm)"))


def _centile_lines(pdf: FPDF, f: _Frame, lines: list[ChartLine]) -> None:
    """The reference's centiles (the median darker), and the child's own band in red,
    dashed (the treatment start's line is orange), each labelled at its end."""
    label_ys = growth.spread([f.at(*line.points[-1])[1] for line in lines], 2.6)
    for line, label_y in zip(lines, label_ys, strict=True):
        main = line.sds == 0
        own = line.label.endswith("SDS")  # the child's band, not one of the chart's
        pdf.set_draw_color(*((120, 120, 120) if main else (190, 40, 40) if own
                             else (190, 190, 190)))
        pdf.set_line_width(0.35 if main else 0.2)
        if own:
            pdf.set_dash_pattern(1, 0.8)
        pdf.polyline([f.at(a, v) for a, v in line.points])
        pdf.set_dash_pattern()
        x, _unused = f.at(*line.points[-1])
        pdf.set_xy(x + 0.8, label_y - 1.5)
        pdf.cell(10, 3, line.label)


def _child_heights(pdf: FPDF, f: _Frame, points: list[tuple[float, float]]) -> None:
    """The child's own heights, in blue, joined in order of age."""
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(20, 70, 160)
    pdf.set_fill_color(20, 70, 160)
    pdf.set_line_width(0.3)
    coords = [f.at(a, v) for a, v in sorted(points)]
    if len(coords) > 1:
        pdf.polyline(coords)
    for x, y in coords:
        pdf.circle(x, y, 0.8, style="F")


def _treatment_start(pdf: FPDF, w: Writer, f: _Frame, age: float) -> None:
    """The age treatment started, as an orange dashed line, when it falls on the chart."""
    x, _unused = f.at(age, f.box.cm_lo)
    if f.x0 <= x <= f.x0 + f.cw:
        pdf.set_draw_color(200, 120, 40)
        pdf.set_dash_pattern(1, 1)
        pdf.line(x, f.y0, x, f.y0 + f.ch)
        pdf.set_dash_pattern()
        pdf.set_xy(x + 0.5, f.y0 + 0.5)
        w.font(6.5)
        pdf.cell(30, 3, _("treatment start"))


def _chart_caption(w: Writer, s: Summary, lines: list[ChartLine]) -> None:
    """The reference and its lines named under the chart, or what is missing to draw them."""
    if not lines:
        w.paragraph(
            plain(Line(_("No centile lines: "), act(Do.SEX, child=s.child.name), ".")),
            x=MARGIN,
            width=WIDTH,
            line_height=3.6,
        )
        return
    bands = [line.label for line in lines if line.label.endswith("SDS")]
    w.paragraph(
        _("Growth reference {reference_text}. Lines: centiles ").format(
            reference_text=s.growth.reference_text)
        + ", ".join(line.label for line in lines if not line.label.endswith("SDS"))
        + (_("; dashed: {bands}, the child's own band, below the lowest centile").format(
               bands=bands[0])
           if bands else "")
        + ".",
        x=MARGIN,
        width=WIDTH,
        line_height=3.6,
    )


# -- the calendar -----------------------------------------------------------------------


def _mark(pdf: FPDF, status: str, cx: float, cy: float, r: float = 1.5) -> None:
    """One slot's mark: a shape per status (circle, triangle, square, cross, ring)."""
    pdf.set_draw_color(*COLOURS[status])
    pdf.set_fill_color(*COLOURS[status])
    if status == "given":
        pdf.circle(cx, cy, r, style="F")
    elif status == "late":
        pdf.polygon([(cx - r, cy + r), (cx + r, cy + r), (cx, cy - r)], style="F")
    elif status == "withheld":
        pdf.set_line_width(0.4)
        pdf.rect(cx - r * 0.9, cy - r * 0.9, 1.8 * r, 1.8 * r, style="D")
    elif status == "twice":  # a dot in a ring: given, and given again
        pdf.circle(cx, cy, r * 0.55, style="F")
        pdf.set_line_width(0.45)
        pdf.circle(cx, cy, r * 1.1, style="D")
    elif status == "missed":
        pdf.set_line_width(0.55)
        pdf.line(cx - r, cy - r, cx + r, cy + r)
        pdf.line(cx - r, cy + r, cx + r, cy - r)
    else:
        pdf.set_line_width(0.3)
        pdf.circle(cx, cy, r * 0.9, style="D")
    pdf.set_line_width(0.2)


def _legend(pdf: FPDF, w: Writer, counts: Counter[str]) -> None:
    x, y = MARGIN, pdf.y + 1
    w.font(7.5)
    for status, meaning in MEANING.items():
        _mark(pdf, status, x + 1.6, y + 1.8)
        pdf.set_xy(x + 4, y)
        text = f"{meaning} ({counts.get(status, 0)})"
        pdf.cell(w.width(text), 3.6, text)
        x += w.width(text) + 9
    pdf.set_draw_color(0, 0, 0)
    pdf.set_xy(MARGIN, y + 5)


def _calendar(pdf: FPDF, w: Writer, s: Summary) -> None:
    _heading(pdf, w, _("Every dose slot, month by month"))
    w.font(7.5)
    pdf.set_text_color(*GREY)
    w.paragraph(
        _("Each day shows its dose times in order (morning first). The percentage is the week's "
          "doses given of those that were due."),
        x=MARGIN,
        width=WIDTH,
        line_height=3.6,
    )
    pdf.set_text_color(0, 0, 0)
    _legend(pdf, w, Counter(c.status for c in s.cells))
    by_day: dict[date, list[tuple[str, str]]] = {}
    for c in s.cells:
        by_day.setdefault(c.day, []).append((c.label, c.status))
    weeks = weekly_adherence(s.cells)
    months = []
    m = date(s.start.year, s.start.month, 1)
    while m <= s.end:
        months.append(m)
        m = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    cell_w, cell_h, week_w = 10.5, 8.0, 11.0
    block_w = 7 * cell_w + week_w
    for i in range(0, len(months), 2):
        rows = max(_weeks_in(mo, s.start) for mo in months[i : i + 2])
        block_h = 9 + rows * cell_h + 4
        if pdf.will_page_break(block_h):
            pdf.add_page()
            _legend(pdf, w, Counter(c.status for c in s.cells))
        top = pdf.y + 1
        for j, month in enumerate(months[i : i + 2]):
            x = MARGIN + j * (block_w + 7)
            _month(pdf, w, s, month, x, top, cell_w, cell_h, week_w, by_day, weeks)
        pdf.set_y(top + block_h)


def _first_monday(month: date, start: date) -> date:
    """The Monday of the month's first week shown: the period's first month begins with
    the week of its first day (the treatment's week), not weeks before anything counted."""
    first = max(month, start) if (month.year, month.month) == (start.year, start.month) else month
    return first - timedelta(days=first.weekday())


def _weeks_in(month: date, start: date) -> int:
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return ((nxt - _first_monday(month, start)).days + 6) // 7


def _month(
    pdf: FPDF,
    w: Writer,
    s: Summary,
    month: date,
    x: float,
    y: float,
    cell_w: float,
    cell_h: float,
    week_w: float,
    by_day: dict[date, list[tuple[str, str]]],
    weeks: dict[date, tuple[int, int]],
) -> None:
    w.font(8.5, bold=True)
    pdf.set_xy(x, y)
    pdf.cell(7 * cell_w, 4, f"{month:%B %Y}")
    w.font(6.5)
    pdf.set_text_color(*GREY)
    for d, name in enumerate((_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))):
        pdf.set_xy(x + d * cell_w, y + 4.5)
        pdf.cell(cell_w, 3, name, align="C")
    pdf.set_xy(x + 7 * cell_w, y + 4.5)
    pdf.cell(week_w, 3, "week", align="C")
    pdf.set_text_color(0, 0, 0)
    first = _first_monday(month, s.start)
    pdf.set_draw_color(215, 215, 215)
    pdf.set_line_width(0.15)
    for week in range(_weeks_in(month, s.start)):
        monday = first + timedelta(days=7 * week)
        top = y + 8 + week * cell_h
        for d in range(7):
            day = monday + timedelta(days=d)
            if day.month != month.month:
                continue
            cx = x + d * cell_w
            pdf.set_draw_color(215, 215, 215)
            pdf.rect(cx, top, cell_w, cell_h)
            inside = s.start <= day <= s.end
            pdf.set_text_color(*((0, 0, 0) if inside else (185, 185, 185)))
            w.font(6)
            pdf.set_xy(cx + 0.6, top + 0.4)
            pdf.cell(5, 2.6, str(day.day))
            slots = sorted(by_day.get(day, []))
            for k, (_unused, status) in enumerate(slots):
                mx = cx + cell_w * (k + 1) / (len(slots) + 1)
                _mark(pdf, status, mx, top + cell_h * 0.64, r=1.3 if len(slots) <= 2 else 1.0)
        given, due = weeks.get(monday, (0, 0))
        if due and any(
            s.start <= monday + timedelta(days=d) <= s.end
            and (monday + timedelta(days=d)).month == month.month
            for d in range(7)
        ):
            pct = round(100 * given / due)
            pdf.set_text_color(*((0, 0, 0) if pct >= 90 else COLOURS["missed"]))
            w.font(7, bold=pct < 90)
            pdf.set_xy(x + 7 * cell_w, top + cell_h / 2 - 1.5)
            pdf.cell(week_w, 3, f"{pct}%", align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)


# -- details and the full log -----------------------------------------------------------


def _details(pdf: FPDF, w: Writer, s: Summary) -> None:
    zone = s.plan.zone
    if s.flagged:
        _heading(pdf, w, _("Flagged doses ({n_flagged})").format(n_flagged=len(s.flagged)))
        for f in s.flagged:
            found = s.judged.get(f.ref)
            value: list[Piece] = [Piece(
                (f"[{found.tag}] " if found is not None and found.tag else "")
                + ("; ".join(f.flags) or _("a label rule overridden")))]
            if f.reason:
                value += [Piece("\nreason: "), Piece(f.reason, user=True)]
            _row(pdf, w, f"{f.ref}  {f.at.astimezone(zone):%Y-%m-%d %H:%M}", value, size=8.5)
    _heading(pdf, w, _("Vials in use ({n_vials})").format(n_vials=len(s.vials)))
    if not s.vials:
        _row(pdf, w, "", plain(Line(_("No vial recorded in this period ("), act(Do.VIAL_OPEN),
                                    ").")), 8.5)
    for v in s.vials:
        value = [Piece(f"opened {v.opened.astimezone(zone):%Y-%m-%d %H:%M}")]
        if v.closed is not None:
            value.append(Piece(f", {v.ended or 'finished'} "
                               f"{v.closed.astimezone(zone):%Y-%m-%d}"))
        value.append(Piece(_(", lot ")))
        value.append(Piece(v.lot or _("not recorded"), user=bool(v.lot)))
        if v.expires_on:
            value.append(Piece(_(", expires {expires_on}").format(expires_on=v.expires_on)))
        value.append(Piece(_("; {_n} drawn from it in this period").format(_n=_n(v.doses, 'dose'))))
        _row(pdf, w, v.ref, value, size=8.5)
    if s.symptoms:
        _heading(pdf, w, _("Side effects ({n_symptoms})").format(n_symptoms=len(s.symptoms)))
        for sym, after in s.symptoms:
            timing = _(", {after} min after its dose").format(after=after) if after is not None else ""
            severity = f" ({sym.severity})" if sym.severity else ""
            found = s.judged.get(f"S{sym.id}")  # its judgement, as everywhere else
            advice = f" [{found.tag}: {found.what}]" if found is not None and found.tag else ""
            value = [Piece(f"{sym.kind}{severity}{timing}{advice}")]
            if sym.note:
                value += [Piece(": "), Piece(sym.note, user=True)]
            _row(
                pdf, w, f"S{sym.id}  {sym.occurred_at.astimezone(zone):%Y-%m-%d %H:%M}", value, 8.5
            )


def _full_log(pdf: FPDF, w: Writer, s: Summary, log: list[LogLine]) -> None:
    pdf.add_page()
    _heading(pdf, w, _("Full log, newest first ({n_log} lines)").format(n_log=len(log)))
    stamp_w, ref_w = 25.0, 11.0
    for line in log:
        w.font(7.5)
        if pdf.will_page_break(3.6):
            pdf.add_page()
        y = pdf.y
        pdf.set_xy(MARGIN, y)
        pdf.cell(stamp_w, 3.6, line.stamp)
        pdf.cell(ref_w, 3.6, line.ref or "-")
        pdf.set_y(y)
        w.paragraph(
            line.text, x=MARGIN + stamp_w + ref_w, width=WIDTH - stamp_w - ref_w, line_height=3.6
        )
