"""The clinic-visit report as a PDF: page one answers "how is it going?", then a calendar
of every dose slot, what was flagged, the vials, and the full log.

Drawn with fpdf2: fonts are embedded (subset) and text is shaped by HarfBuzz, so a
child's name in Hebrew, Arabic or Chinese prints, and is extracted, as typed. What is
printed is decided in tracker.services.clinic.summary (as the data of
tracker.exports.report_data); this module only lays it out.

The report is read by a clinician, on paper, far from the computer that made it: what it
asks for (the child's sex, a vial) is said in plain words (tracker.domain.actions.plain),
never as a command that reader could not type.

It is written in the language spoken when it is rendered (`i18n.speaking`, which `tracker
report --language` chooses: a family may read Arabic and its clinic French): every word
through the catalog, dates and numbers through tracker.i18n.formats (Western digits in
every language), the calendar's day and month names CLDR's. In a right-to-left language
the page is mirrored where reading order matters (a label's column on the right, the
calendar's week from the right, the log's stamp first at the right); the height chart
keeps its axes, as growth charts print them everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from string import Formatter, ascii_letters
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from fpdf import FPDF

from tracker import __version__, i18n
from tracker.domain import glucose, growth
from tracker.domain.actions import Do, act, fill, plain
from tracker.domain.sites import SITES
from tracker.domain.symptoms import KINDS, SEVERITIES
from tracker.domain.text import signed
from tracker.exports import fonts
from tracker.exports.pdf_text import Piece, Text, Writer
from tracker.i18n import _, formats, ngettext, pgettext

if TYPE_CHECKING:  # the report's figures are gathered by the service, laid out here
    from zoneinfo import ZoneInfo

    from tracker.exports.report_data import (
        Cell,
        ChartLine,
        HeightAt,
        RxShown,
        Summary,
        VialShown,
    )

# Colour and shape both: a calendar printed in black and white still reads.
COLOURS = {
    "given": (46, 139, 64),
    "late": (230, 126, 14),
    "withheld": (52, 101, 200),
    "missed": (210, 35, 35),
    "twice": (150, 20, 110),
    "due": (150, 150, 150),
}
PAGE_W = 210.0
MARGIN = 15.0
WIDTH = PAGE_W - 2 * MARGIN
LABEL_W = 42.0
GREY = (110, 110, 110)


def meanings() -> dict[str, str]:
    """What each mark of the calendar means, in the reader's language (the legend)."""
    return {
        "given": pgettext("dose status", "given"),
        "late": pgettext("dose status", "given late"),
        "withheld": pgettext("dose status", "withheld"),
        "missed": pgettext("dose status", "missed"),
        "twice": pgettext("dose status", "given twice (an extra injection)"),
        "due": pgettext("dose status", "still due"),
    }


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
        self.footer_text = _pieces(
            _("{name}: {start} to {end} ({zone}). Generated {when} by tracker {version}. A "
              "parent's log, not medical advice."),
            name=Piece(s.child.name, user=True), start=_date(s.start), end=_date(s.end),
            zone=zone.key, when=_stamp(s.now, zone),
            version=__version__)
        self.c_margin = 0
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.alias_nb_pages()
        plan = fonts.choose(texts)
        self.missing = plan.missing
        lang = i18n.language()
        self.writer = Writer(self, fonts.install(self, plan), rtl=i18n.direction(lang) == "rtl")
        self.set_title(_("Increlex (mecasermin) report: {name}, {start} to {end}").format(
            name=s.child.name, start=s.start, end=s.end))
        self.set_author("tracker")
        self.set_subject(_("Dose log of {name} from {start} to {end}").format(
            name=s.child.name, start=s.start, end=s.end))
        self.set_creator(f"tracker {__version__}")
        self.set_lang(i18n.ENGLISH if lang == i18n.PSEUDO else lang)
        self.set_creation_date(s.now)

    def footer(self) -> None:
        w = self.writer
        self.set_text_color(*GREY)
        w.font(6.5)
        self.set_xy(MARGIN, -11)
        w.paragraph(self.footer_text, x=_x(w, MARGIN, WIDTH - 22), width=WIDTH - 22,
                    line_height=3.2, breaks=False)
        self.set_xy(MARGIN + WIDTH - 20, -11)
        page = _("page {page} of {pages}").format(page=self.page_no(),
                                                  pages=self.str_alias_nb_pages)
        _cell(w, MARGIN + WIDTH - 20, 20, 3.2, page, "end", fit=True)
        self.set_text_color(0, 0, 0)


def render(s: Summary, log: list[LogLine], out: BinaryIO) -> list[str]:
    """Write the report in the language spoken now (i18n.speaking): its words, dates and
    numbers, right to left in Arabic; the scripts no font on this computer could print
    (else empty)."""
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
    """Every text the report prints that a person typed, and the language's own letters:
    their scripts choose the fonts."""
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
    yield from _language_letters()


def _language_letters() -> Iterable[str]:
    """The words the report's language prints besides the log: its catalog's sentences
    and the calendar's day and month names (so that an Arabic report gets an Arabic font
    even when no name in it is Arabic)."""
    lang = i18n.language()
    if lang == i18n.ENGLISH:
        return
    catalog = i18n.catalog(lang)
    translated: dict[object, str] = getattr(catalog, "_catalog", {})
    yield from translated.values()
    yield catalog.gettext(ascii_letters)  # the pseudo-language's letters (the rest: as is)
    monday = date(2026, 1, 5)
    for k in range(12):
        yield formats.month(date(2026, k + 1, 1))
        yield formats.weekday(monday + timedelta(days=k % 7), "abbreviated")


class _User(str):
    """A value typed by a person, placed in a sentence: it keeps its own direction."""


def _pieces(template: str, **parts: object) -> list[Piece]:
    """A translated sentence as Pieces: a Piece among the parts (a name, a note) goes
    where the translation puts its placeholder, as typed; the rest is the sentence's."""
    out: list[Piece] = []

    def add(piece: Piece) -> None:
        if out and not out[-1].user and not piece.user:  # the sentence's words as one
            out[-1] = Piece(out[-1].text + piece.text)
        elif piece.text:
            out.append(piece)

    for literal, field, spec, _conversion in Formatter().parse(template):
        add(Piece(literal))
        if field is not None:
            value = parts[field]
            add(value if isinstance(value, Piece) else Piece(format(value, spec or "")))
    return out


def _x(w: Writer, x: float, width: float) -> float:
    """Where a box of the left-to-right layout sits in this report: mirrored across the
    page in a right-to-left language (a label's column on the right, the values on the
    left, the calendar's week starting at the right)."""
    return PAGE_W - x - width if w.rtl else x


def _cell(w: Writer, x: float, width: float, height: float, text: str,
          align: str = "start", mirror: bool = True, fit: bool = False) -> None:
    """One line of text in a box of the left-to-right layout at the current y, the box
    mirrored where the language runs right to left (unless `mirror` is False: the height
    chart keeps its axes); `align` as Writer.line's. `fit`: a word longer than its box
    (a column's heading in a longer language) is made smaller to fit it."""
    pdf = w.pdf
    size = pdf.font_size_pt
    if fit and w.width(text) > width:
        pdf.set_font_size(size * width / w.width(text))
    if not w.rtl:  # as the report always drew it
        pdf.set_x(x)
        pdf.cell(width, height, text, align={"start": "L", "end": "R", "center": "C",
                                             "left": "L", "right": "R"}[align])
    else:
        y = pdf.y
        left = _x(w, x, width) if mirror else x
        w.line(text, x=left, width=width, line_height=height, align=align)
        pdf.set_xy(left + width, y)
    if pdf.font_size_pt != size:
        pdf.set_font_size(size)


def _count(n: int) -> str:
    """A count as the language groups its thousands ("1,234"; "1 234" in French)."""
    return formats.decimal(f"{n:,}")


def _decimal(value: float, spec: str) -> str:
    """A measure written by tracker's rules (`spec`: ".1f", "g"), in the language's marks."""
    return formats.decimal(format(value, spec))


def _date(d: date) -> str:
    """A day on the report: "1 Oct 2026" in English; the language's medium date else."""
    if i18n.language() == i18n.ENGLISH:
        return f"{d.day} {d:%b %Y}"
    return formats.day(d, "medium")


def _stamp(at: datetime, zone: ZoneInfo) -> str:
    """A day and time on the report, as its full log writes them: "2026-11-24 08:05" in
    English; the language's day and clock elsewhere."""
    local = at.astimezone(zone)
    # TRANSLATORS: a day and a time of day: "2026-11-24 08:05"
    return _("{day} {time}").format(day=formats.day(local), time=formats.clock(local))


def _day_month(d: date) -> str:
    """A day within the period, its year said already: "1 Oct"; the language's own else."""
    if i18n.language() == i18n.ENGLISH:
        return _date(d)[:-5]
    return formats.day_short(d)


def _lower_first(text: str) -> str:
    """A sentence continued after a colon: its first letter in lower case, except in
    German, whose nouns keep their capital."""
    if i18n.language() == "de":
        return text
    return text[:1].lower() + text[1:]


def _named(key: str, known: tuple[str, ...]) -> str:
    """A site or a kind of side effect as the reader's language names it: its words
    ("left thigh", "low blood sugar") through the catalog, as tracker.domain names them;
    the key itself in English, or where no translation exists yet (it is always accepted
    back as typed)."""
    if key not in known:
        return key
    english = key.replace("-", " ")
    name = _(english)
    return key if name == english else name


def _severity(key: str) -> str:
    return pgettext("severity", key) if key in SEVERITIES else key


def _sex(sex: str | None) -> str:
    if sex == "female":
        return pgettext("sex", "female")
    if sex == "male":
        return pgettext("sex", "male")
    return sex or _("sex not recorded")


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
    two kept together on one page (the label's column on the right in Arabic)."""
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
    w.paragraph(label, x=_x(w, MARGIN, label_w), width=label_w, line_height=line)
    pdf.set_y(y)
    w.font(size)
    w.paragraph(value, x=_x(w, MARGIN + LABEL_W, value_w), width=value_w, line_height=line)
    if pdf.page == page:  # (a value longer than a page ends on a later one)
        pdf.set_y(max(pdf.y, y + tall))


def _page_one(pdf: FPDF, w: Writer, s: Summary) -> None:
    g = s.growth
    w.font(15, bold=True)
    w.paragraph(
        _pieces(_("Increlex (mecasermin): {name}"), name=Piece(s.child.name, user=True)),
        x=MARGIN,
        width=WIDTH,
        line_height=7,
    )
    w.font(9)
    pdf.set_text_color(*GREY)
    w.paragraph(
        "  ·  ".join((
            _("{start} to {end}").format(start=_date(s.start), end=_date(s.end)),
            # TRANSLATORS: the child's birth day and age, e.g. "born 1 May 2018, 8.6 years"
            _("born {day}, {age} years").format(day=_date(s.child.birth_date),
                                                age=_decimal(s.age_years, ".1f")),
            _sex(g.sex),
            _("growth reference {reference}").format(reference=g.reference_text),
            s.plan.zone.key,
        )),
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
        _row(pdf, w, _("Changed {day}").format(day=_date(rx.starts)) if rx.changed
             else _("Since {day}").format(day=_date(rx.starts)), _prescription(rx))

    _heading(pdf, w, _("Doses"))
    for label, text in _dose_rows(s):
        _row(pdf, w, label, text)
    _height_chart(pdf, w, s)


def _prescription(rx: RxShown) -> list[Piece]:
    """A prescription's dose, basis and times, where it was recorded and by whom, and its
    notes."""
    value = [Piece(
        # TRANSLATORS: "0.80 mg = 0.08 mL = 8 units per injection (0.04 mg/kg x 20 kg),
        # at 07:30,19:30"
        _("{dose} per injection ({basis}), at {times}").format(dose=rx.draw, basis=rx.basis,
                                                              times=rx.times) + "  [")]
    made = _date(rx.made)
    if rx.made != rx.starts and rx.by:
        # TRANSLATORS: a prescription's reference, the day it was recorded and who did
        value += _pieces(_("{ref}, recorded {day} by {who}"), ref=rx.ref, day=made,
                         who=Piece(rx.by, user=True))
    elif rx.made != rx.starts:
        value.append(Piece(_("{ref}, recorded {day}").format(ref=rx.ref, day=made)))
    elif rx.by:
        value += _pieces(_("{ref} by {who}"), ref=rx.ref, who=Piece(rx.by, user=True))
    else:
        value.append(Piece(rx.ref))
    value.append(Piece("]"))
    if rx.note:
        value += [Piece("\n"), *_pieces(_("Doctor's note: {note}"),
                                        note=Piece(rx.note, user=True))]
    if rx.force_reason:
        value += [Piece("\n"), *_pieces(_("Override reason: {reason}"),
                                        reason=Piece(rx.force_reason, user=True))]
    if rx.flags:
        value.append(Piece("\n" + _("Warned: {warnings}").format(warnings="; ".join(rx.flags))))
    return value


NEEDS_DOCTOR_ON_PAGE_ONE = 8


def _needs_doctor(pdf: FPDF, w: Writer, s: Summary) -> None:
    """What the doctor must see first: every event judged "the doctor now" or "the same
    day" or more urgent (extra doses, emergencies, same-day signs, lows), most urgent
    first, each with its judgement as the family was told it."""
    found = s.needs_doctor()
    _heading(pdf, w, _("Needs the doctor ({count})").format(count=_count(len(found))))
    if not found:
        _row(pdf, w, "", _("Nothing in this period was judged to need the doctor now or the "
                           "same day."), 8.5)
        return
    zone = s.plan.zone
    for j in found[:NEEDS_DOCTOR_ON_PAGE_ONE]:
        at = _stamp(j.at, zone) if j.at else ""
        # TRANSLATORS: how urgent ("the doctor now"), what happened, and the first step
        said = _("{urgency}: {what}. First: {step}").format(urgency=j.tag, what=j.what,
                                                             step=_lower_first(j.first))
        _row(pdf, w, f"{j.ref}  {at}", [Piece(said)], 8.5)
    if len(found) > NEEDS_DOCTOR_ON_PAGE_ONE:
        more = len(found) - NEEDS_DOCTOR_ON_PAGE_ONE
        _row(pdf, w, "", ngettext("and {count} more, each in the full log with its judgement",
                                  "and {count} more, each in the full log with its judgement",
                                  more).format(count=_count(more)), 8.5)


def _growth_rows(s: Summary) -> list[tuple[str, Text]]:
    g = s.growth
    ref = growth.SHORT_NAMES[g.reference]
    rows: list[tuple[str, Text]] = []

    def standing(h: HeightAt) -> str:
        height, day = _decimal(h.cm, "g"), _date(h.on)
        if h.sds is None or h.centile is None:  # both known, or neither
            if g.sex is None:
                why = plain(fill(_("no SDS: {action}"), action=act(Do.SEX, child=s.child.name)))
            else:
                why = _("outside the {reference} reference").format(reference=g.reference_name)
            # TRANSLATORS: a height, the day it was measured, and why it has no SDS
            return _("{height} cm on {day} ({why})").format(height=height, day=day, why=why)
        # TRANSLATORS: a height, its day, its standard deviation score and centile on the
        # growth reference named in brackets ("WHO")
        return _("{height} cm on {day}: SDS {sds}, centile {centile} ({reference})").format(
            height=height, day=day, sds=formats.decimal(signed(h.sds)),
            centile=formats.decimal(growth.centile_text(h.centile)), reference=ref)

    rows.append((_("Height"), standing(g.latest) if g.latest else _("not recorded")))
    if g.treatment_start is not None:
        if g.at_start is None:
            at_start = _("no height near the first prescription ({day})").format(
                day=_date(g.treatment_start))
        else:
            at_start = standing(g.at_start)
            if g.sds_change is not None:
                at_start += _("; change since: {sds} SDS").format(
                    sds=formats.decimal(signed(g.sds_change)))
        rows.append((_("At treatment start ({day})").format(day=_date(g.treatment_start)),
                     at_start))
    v = g.velocity
    if v is not None:
        months = round((v.last - v.first).days / 30.44)
        rows.append((_("Height velocity"), ngettext(
            "{speed} cm/year from {start} to {end} ({months} month), from home measurements",
            "{speed} cm/year from {start} to {end} ({months} months), from home measurements",
            months).format(speed=_decimal(v.cm_per_year, ".1f"), start=_date(v.first),
                           end=_date(v.last), months=_count(months))))
    else:
        least = growth.VELOCITY_MIN_DAYS // 30
        rows.append((_("Height velocity"), ngettext(
            "needs two heights at least {months} month apart",
            "needs two heights at least {months} months apart", least).format(
                months=_count(least))))
    wt = g.weight
    rows.append((_("Weight"), _("{weight} kg on {day}").format(
        weight=formats.decimal(f"{wt.weight_kg:g}"), day=_date(wt.measured_on)) if wt
        else _("not recorded")))
    return rows


FLAGGED_ON_PAGE_ONE = 3  # page one names a few; the full list follows the calendar


def _dose_rows(s: Summary) -> list[tuple[str, Text]]:
    rows: list[tuple[str, Text]] = [(_("Adherence"), _adherence(s))]
    withheld = sum(s.withheld_reasons.values())
    value: list[Piece] = [Piece(_count(withheld))]
    for i, (reason, n) in enumerate(s.withheld_reasons.most_common(5)):
        value += [Piece(": " if i == 0 else "; "), Piece(reason, user=True),
                  Piece(f" ({_count(n)})")]
    rows.append((_("Withheld"), value))
    rows.append((_("Missed"), ngettext(
        "{count} slot with nothing logged (each in the full log)",
        "{count} slots with nothing logged (each in the full log)", s.missed).format(
            count=_count(s.missed)) if s.missed else ngettext(
        "{count} slot with nothing logged", "{count} slots with nothing logged", 0).format(
            count=_count(0))))
    rows.append((_("Flagged doses"), _flagged_on_page_one(s)))
    by_kind = Counter(sym.kind for sym, _unused in s.symptoms)
    rows.append((_("Side effects"), _count(len(s.symptoms)) + (
        ": " + ", ".join(f"{_named(k, KINDS)} ({_count(n)})" for k, n in by_kind.most_common())
        if by_kind else "")))
    rows.append((_("Glucose checks"), _glucose(s)))
    lots = sorted({v.lot for v in s.vials if v.lot})
    rows.append((_("Vials in use"), (
        _("{count} (lots {lots})").format(count=_count(len(s.vials)), lots=", ".join(lots))
        if lots else _count(len(s.vials))) if s.vials else _("none recorded")))
    # every site an injection used, in the order of SITES (one from an older or imported
    # log that tracker does not name is counted too, after them)
    order = sorted(s.sites, key=lambda site: (SITES.index(site) if site in SITES else len(SITES),
                                              site))
    used = ", ".join(f"{_named(site, SITES)} {_count(s.sites[site])}" for site in order
                     if s.sites[site])
    rows.append((_("Injection sites"), used or _("not recorded")))
    return rows


def _adherence(s: Summary) -> str:
    if s.adherence is None:
        return _("no dose slot has passed yet")
    late = sum(1 for c in s.cells if c.status == "late")
    parts = {"percent": _count(s.adherence), "given": _count(s.given),
             "scheduled": _count(s.scheduled), "late": _count(late)}
    if late:
        # TRANSLATORS: "95%: 99 of 104 doses given (3 late)"
        return ngettext("{percent}%: {given} of {scheduled} dose given ({late} late)",
                        "{percent}%: {given} of {scheduled} doses given ({late} late)",
                        s.scheduled).format(**parts)
    return ngettext("{percent}%: {given} of {scheduled} dose given",
                    "{percent}%: {given} of {scheduled} doses given",
                    s.scheduled).format(**parts)


def _flagged_on_page_one(s: Summary) -> list[Piece]:
    """How many doses broke or overrode a label rule, and the first few."""
    zone = s.plan.zone
    shown = s.flagged[:FLAGGED_ON_PAGE_ONE]
    count = _count(len(s.flagged))
    if not s.flagged:
        head = count
    elif len(shown) < len(s.flagged):
        head = _("{count}: a label rule broken or overridden; the first {shown} here, all "
                 "{count} after the calendar").format(count=count, shown=_count(len(shown)))
    else:
        head = _("{count}: a label rule broken or overridden").format(count=count)
    flagged = [Piece(head)]
    for f in shown:
        flagged.append(
            Piece(f"\n{f.ref} {_stamp(f.at, zone)}: {'; '.join(f.flags)}")
        )
        if f.reason:
            flagged += [Piece("; "), *_pieces(_("reason: {reason}"),
                                              reason=Piece(f.reason, user=True))]
    return flagged


def _glucose(s: Summary) -> str:
    zone = s.plan.zone
    said = _("{checks}; low: {lows}").format(checks=_count(s.glucose_checks),
                                             lows=_count(len(s.lows)))
    lows = ", ".join(
        f"{_day_month(g.measured_at.astimezone(zone).date())} "
        f"{glucose.format_value(g.mg_dl, g.unit)}"
        for g in s.lows[:4]
    )
    return said + (f" ({lows})" if lows else "")


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
    """The child's heights over the reference's lines (age on the x axis, growing to the
    right in every language, as growth charts print it): its centiles, and the child's own
    SDS band where they are below the lowest (tracker.domain.growth)."""
    g = s.growth
    if not g.heights:
        return
    height = 77.0
    if pdf.will_page_break(height + 14):
        pdf.add_page()
    _heading(pdf, w, _("Height on the {reference} chart").format(reference=g.reference_name))
    points = [(growth.age_years(s.child.birth_date, d), cm) for d, cm in g.heights]
    lines = [line for line in g.centile_lines if len(line.points) >= 2]
    box = growth.chart_box(points, [line.points for line in lines])
    frame = _Frame(MARGIN + 12, pdf.y + 5, WIDTH - 28, height - 17, box)
    _chart_axes(pdf, w, frame)
    _centile_lines(pdf, w, frame, lines)
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
        pdf.set_y(y - 1.5)
        _cell(w, x0 - 9, 8, 3, f"{cm}", "right", mirror=False)
    for year in range(int(box.age_lo) + 1, int(box.age_hi) + 1):
        x, _unused = f.at(year, box.cm_lo)
        pdf.line(x, y0 + ch, x, y0 + ch + 1)
        pdf.set_y(y0 + ch + 1)
        _cell(w, x - 4, 8, 3, f"{year}", "center", mirror=False)
    pdf.set_y(y0 + ch + 4)
    _cell(w, x0, cw, 3, _("age (years)"), "center", mirror=False)
    pdf.set_y(y0 - 4.5)
    _cell(w, x0 - 12, 20, 3, _("height (cm)"), "left", mirror=False)


def _centile_lines(pdf: FPDF, w: Writer, f: _Frame, lines: list[ChartLine]) -> None:
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
        pdf.set_y(label_y - 1.5)
        _cell(w, x + 0.8, 10, 3, line.label, "left", mirror=False)


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
        w.font(6.5)
        pdf.set_y(f.y0 + 0.5)
        if w.rtl:  # the words to the left of the line, as Arabic reads towards it
            _cell(w, x - 30.5, 30, 3, _("treatment start"), "right", mirror=False)
        else:
            _cell(w, x + 0.5, 30, 3, _("treatment start"), mirror=False)


def _chart_caption(w: Writer, s: Summary, lines: list[ChartLine]) -> None:
    """The reference and its lines named under the chart, or what is missing to draw them."""
    if not lines:
        w.paragraph(
            plain(fill(_("No centile lines: {action}."), action=act(Do.SEX, child=s.child.name))),
            x=MARGIN,
            width=WIDTH,
            line_height=3.6,
        )
        return
    bands = [line.label for line in lines if line.label.endswith("SDS")]
    centiles = ", ".join(line.label for line in lines if not line.label.endswith("SDS"))
    reference = s.growth.reference_text
    if bands:
        caption = _("Growth reference {reference}. Lines: centiles {centiles}; dashed: "
                    "{band}, the child's own band, below the lowest centile.").format(
            reference=reference, centiles=centiles, band=bands[0])
    else:
        caption = _("Growth reference {reference}. Lines: centiles {centiles}.").format(
            reference=reference, centiles=centiles)
    w.paragraph(caption, x=MARGIN, width=WIDTH, line_height=3.6)


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
    """Each mark and what it means, with how many; in reading order (from the right in
    Arabic)."""
    x, y = MARGIN, pdf.y + 1
    w.font(7.5)
    for status, meaning in meanings().items():
        text = f"{meaning} ({_count(counts.get(status, 0))})"
        size = w.width(text)
        if x > MARGIN and x + 4 + size > MARGIN + WIDTH:  # a longer language: a new row
            x, y = MARGIN, y + 4.5
        _mark(pdf, status, _x(w, x + 0.1, 3) + 1.5, y + 1.8)
        pdf.set_y(y)
        _cell(w, x + 4, size, 3.6, text)
        x += size + 9
    pdf.set_draw_color(0, 0, 0)
    pdf.set_xy(MARGIN, y + 5)


def _calendar(pdf: FPDF, w: Writer, s: Summary) -> None:
    _heading(pdf, w, _("Every dose slot, month by month"))
    w.font(7.5)
    pdf.set_text_color(*GREY)
    w.paragraph(
        _("Each day shows its dose times in order (morning first). The percentage is the "
          "week's doses given of those that were due."),
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
    grid = _Grid(10.5, 8.0, 11.0, by_day, weeks)
    block_w = 7 * grid.cell_w + grid.week_w
    for i in range(0, len(months), 2):
        rows = max(_weeks_in(mo, s.start) for mo in months[i : i + 2])
        block_h = 9 + rows * grid.cell_h + 4
        if pdf.will_page_break(block_h):
            pdf.add_page()
            _legend(pdf, w, Counter(c.status for c in s.cells))
        top = pdf.y + 1
        for j, month in enumerate(months[i : i + 2]):
            x = MARGIN + j * (block_w + 7)
            _month(pdf, w, s, month, x, top, grid)
        pdf.set_y(top + block_h)


class _Grid(NamedTuple):
    """The calendar's cells and what goes in them."""

    cell_w: float
    cell_h: float
    week_w: float
    by_day: dict[date, list[tuple[str, str]]]
    weeks: dict[date, tuple[int, int]]


def _first_monday(month: date, start: date) -> date:
    """The Monday of the month's first week shown: the period's first month begins with
    the week of its first day (the treatment's week), not weeks before anything counted."""
    first = max(month, start) if (month.year, month.month) == (start.year, start.month) else month
    return first - timedelta(days=first.weekday())


def _weeks_in(month: date, start: date) -> int:
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return ((nxt - _first_monday(month, start)).days + 6) // 7


def _month(pdf: FPDF, w: Writer, s: Summary, month: date, x: float, y: float,
           grid: _Grid) -> None:
    """One month's block: its name, the days' names, a row per week (Monday first, at
    the right in Arabic) and the week's adherence at its end."""
    cell_w, cell_h, week_w = grid.cell_w, grid.cell_h, grid.week_w
    w.font(8.5, bold=True)
    pdf.set_y(y)
    # TRANSLATORS: a month of the calendar: "November 2026"
    _cell(w, x, 7 * cell_w, 4, _("{month} {year}").format(month=formats.month(month),
                                                          year=month.year))
    w.font(6.5)
    pdf.set_text_color(*GREY)
    monday = _first_monday(month, s.start)
    for d in range(7):
        pdf.set_y(y + 4.5)
        _cell(w, x + d * cell_w, cell_w, 3,
              formats.weekday(monday + timedelta(days=d), "abbreviated"), "center", fit=True)
    pdf.set_y(y + 4.5)
    # TRANSLATORS: the calendar's column of each week's adherence
    _cell(w, x + 7 * cell_w, week_w, 3, pgettext("calendar", "week"), "center", fit=True)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(215, 215, 215)
    pdf.set_line_width(0.15)
    for week in range(_weeks_in(month, s.start)):
        _week(pdf, w, s, month, monday + timedelta(days=7 * week), x, y + 8 + week * cell_h,
              grid)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)


def _week(pdf: FPDF, w: Writer, s: Summary, month: date, monday: date, x: float, top: float,
          grid: _Grid) -> None:
    cell_w, cell_h, week_w = grid.cell_w, grid.cell_h, grid.week_w
    for d in range(7):
        day = monday + timedelta(days=d)
        if day.month != month.month:
            continue
        cx = _x(w, x + d * cell_w, cell_w)
        pdf.set_draw_color(215, 215, 215)
        pdf.rect(cx, top, cell_w, cell_h)
        inside = s.start <= day <= s.end
        pdf.set_text_color(*((0, 0, 0) if inside else (185, 185, 185)))
        w.font(6)
        pdf.set_y(top + 0.4)
        _cell(w, x + d * cell_w + 0.6, 5, 2.6, str(day.day))
        slots = sorted(grid.by_day.get(day, []))
        for k, (_unused, status) in enumerate(slots):
            mx = cx + cell_w * (k + 1) / (len(slots) + 1)
            if w.rtl:  # the morning's first, at the right
                mx = 2 * cx + cell_w - mx
            _mark(pdf, status, mx, top + cell_h * 0.64, r=1.3 if len(slots) <= 2 else 1.0)
    given, due = grid.weeks.get(monday, (0, 0))
    if due and any(
        s.start <= monday + timedelta(days=d) <= s.end
        and (monday + timedelta(days=d)).month == month.month
        for d in range(7)
    ):
        pct = round(100 * given / due)
        pdf.set_text_color(*((0, 0, 0) if pct >= 90 else COLOURS["missed"]))
        w.font(7, bold=pct < 90)
        pdf.set_y(top + cell_h / 2 - 1.5)
        _cell(w, x + 7 * cell_w, week_w, 3, f"{_count(pct)}%", "center")


# -- details and the full log -----------------------------------------------------------


def _details(pdf: FPDF, w: Writer, s: Summary) -> None:
    zone = s.plan.zone
    if s.flagged:
        _heading(pdf, w, _("Flagged doses ({count})").format(count=_count(len(s.flagged))))
        for f in s.flagged:
            found = s.judged.get(f.ref)
            value: list[Piece] = [Piece(
                (f"[{found.tag}] " if found is not None and found.tag else "")
                + ("; ".join(f.flags) or _("a label rule overridden")))]
            if f.reason:
                value += [Piece("\n"), *_pieces(_("reason: {reason}"),
                                                reason=Piece(f.reason, user=True))]
            _row(pdf, w, f"{f.ref}  {_stamp(f.at, zone)}", value, size=8.5)
    _heading(pdf, w, _("Vials in use ({count})").format(count=_count(len(s.vials))))
    if not s.vials:
        _row(pdf, w, "", plain(fill(_("No vial recorded in this period ({action})."),
                                    action=act(Do.VIAL_OPEN))), 8.5)
    for v in s.vials:
        _row(pdf, w, v.ref, _vial(v, s), size=8.5)
    if s.symptoms:
        _heading(pdf, w, _("Side effects ({count})").format(count=_count(len(s.symptoms))))
        for sym, after in s.symptoms:
            severity = f" ({_severity(sym.severity)})" if sym.severity else ""
            timing = (", " + ngettext("{minutes} min after its dose",
                                      "{minutes} min after its dose", after).format(
                minutes=_count(after))) if after is not None else ""
            found = s.judged.get(f"S{sym.id}")  # its judgement, as everywhere else
            advice = f" [{found.tag}: {found.what}]" if found is not None and found.tag else ""
            value = [Piece(f"{_named(sym.kind, KINDS)}{severity}{timing}{advice}")]
            if sym.note:
                value += [Piece(": "), Piece(sym.note, user=True)]
            _row(
                pdf, w, f"S{sym.id}  {_stamp(sym.occurred_at, zone)}", value, 8.5
            )


def _vial(v: VialShown, s: Summary) -> list[Piece]:
    """When a vial was opened and ended, its lot and expiry, and the doses drawn from it."""
    zone = s.plan.zone
    value = [Piece(_("opened {when}").format(when=_stamp(v.opened, zone)))]
    if v.closed is not None:
        day = f"{v.closed.astimezone(zone):%Y-%m-%d}"
        # TRANSLATORS: why a vial is no longer used ("finished", "frozen") and the day
        value.append(Piece(", " + (_("{why} {day}").format(why=v.ended, day=day) if v.ended
                                   else _("finished {day}").format(day=day))))
    value.append(Piece(", "))
    if v.lot:
        value += _pieces(_("lot {lot}"), lot=Piece(v.lot, user=True))
    else:
        value.append(Piece(_("lot not recorded")))
    if v.expires_on:
        value.append(Piece(", " + _("expires {day}").format(day=formats.day(v.expires_on))))
    value.append(Piece("; " + ngettext("{count} dose drawn from it in this period",
                                       "{count} doses drawn from it in this period",
                                       v.doses).format(count=_count(v.doses))))
    return value


def _full_log(pdf: FPDF, w: Writer, s: Summary, log: list[LogLine]) -> None:
    pdf.add_page()
    _heading(pdf, w, ngettext("Full log, newest first ({count} line)",
                              "Full log, newest first ({count} lines)", len(log)).format(
        count=_count(len(log))))
    w.font(7.5)  # the stamp column as wide as the language's longest stamp ("7:30 ص")
    longest = sorted({line.stamp for line in log}, key=len)[-20:]
    stamp_w = max([25.0] + [w.width(stamp) + 2.0 for stamp in longest])
    ref_w = 11.0
    text_x = _x(w, MARGIN + stamp_w + ref_w, WIDTH - stamp_w - ref_w)
    for line in log:
        w.font(7.5)
        if pdf.will_page_break(3.6):
            pdf.add_page()
        y = pdf.y
        _cell(w, MARGIN, stamp_w, 3.6, line.stamp)
        _cell(w, MARGIN + stamp_w, ref_w, 3.6, line.ref or "-")
        pdf.set_y(y)
        w.paragraph(line.text, x=text_x, width=WIDTH - stamp_w - ref_w, line_height=3.6)
