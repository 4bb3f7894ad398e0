"""The figures of the clinic report, computed once from the log for a period.

Everything the PDF prints is decided here, from the log as it was: each prescription at
the weight of its own day, reasons as typed, growth on the child's own reference. The
PDF only lays it out.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.db.models import Child, Dose, Measurement, Prescription, Vial
from tracker.domain import glucose, growth, schedule, vials
from tracker.domain.prescription import describe_basis
from tracker.exports import rows
from tracker.exports.report_data import (
    Cell,
    ChartLine,
    Flagged,
    Growth,
    HeightAt,
    RxShown,
    Summary,
    VialShown,
)
from tracker.exports.rows import slot_rows
from tracker.i18n import _
from tracker.services.views import judged
from tracker.services.views.plan import plan_at, plan_when_started, zone_of
from tracker.services.views.words import reason_words


def treatment_start(session: Session, child: Child) -> date | None:
    """The first day of the treatment: the child's treatment start (tracker child
    --since), or for a log without one, its first prescription's local day."""
    from tracker.services.views.treatment import start_day

    if child.treatment_start is not None:
        return start_day(child)
    first = session.scalar(
        select(func.min(Prescription.starts_at)).where(
            Prescription.child_id == child.id, Prescription.voided_at.is_(None)
        )
    )
    return None if first is None else first.astimezone(schedule.zone_named(child.timezone)).date()


def summarise(session: Session, child: Child, start: date, end: date, now: datetime) -> Summary:
    zone = schedule.zone_named(child.timezone)
    lo, hi = schedule.day_bounds(start, end, zone)
    plan = plan_at(session, child, min(now, hi))
    cells: list[Cell] = []
    sites: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    missed = given = 0
    for row in slot_rows(session, child, start, end, now):
        day = date.fromisoformat(row.day)  # the slot's own day and time, not the clock's
        status = row.status
        e = row.entry
        if status == "given" and e is not None and e.site:
            sites[e.site] += 1  # every injection, an extra one too: each used the site
        if e is not None and e.extra:  # its slot's mark says the dose was given twice
            for i in range(len(cells) - 1, -1, -1):
                c = cells[i]
                if (c.day, c.label) == (day, row.label):
                    cells[i] = Cell(c.day, c.label, "twice")
                    break
            continue  # not a slot of its own: outside adherence
        if status == "given" and e is not None and e.given_at is not None:
            given += 1
            if e.given_at - row.scheduled > schedule.LATE_AFTER:
                status = "late"
        elif status == "withheld" and e is not None:
            # counted by the words the report shows (the reader's language)
            reason = (e.reason or "").strip()
            reasons[reason_words(reason) if reason else _("no reason given")] += 1
        elif status == "missed":
            missed += 1
        cells.append(Cell(day, row.label, status))
    scheduled = sum(1 for c in cells if c.status != "due")
    symptoms = list(rows.symptoms(session, child, start, end))
    linked = rows.given_times(session, [s.dose_id for s in symptoms if s.dose_id])
    checks = rows.glucose_checks(session, child, start, end)
    today = now.astimezone(zone).date()
    found = judged.period(session, child, lo, hi - timedelta(microseconds=1))
    flagged = _flagged(session, child, lo, hi)
    listed = {f.ref for f in flagged}
    flagged += [Flagged(j.at, ref, [j.what], None) for ref, j in found.items()
                if ref.startswith("D") and ref not in listed and j.at is not None
                and j.level != "" and j.keys != ("early",)]
    flagged.sort(key=lambda f: f.at)
    return Summary(
        child=child,
        start=start,
        end=end,
        now=now,
        plan=plan,
        age_years=(min(today, end) - child.birth_date).days / 365.25,
        growth=_growth(session, child, end),
        prescriptions=_prescriptions(session, child, start, hi),
        cells=cells,
        given=given,
        scheduled=scheduled,
        withheld_reasons=reasons,
        missed=missed,
        symptoms=[
            (
                s,
                round((s.occurred_at - linked[s.dose_id]).total_seconds() / 60)
                if s.dose_id in linked
                else None,
            )
            for s in symptoms
        ],
        glucose_checks=len(checks),
        lows=[g for g in checks if glucose.level(g.mg_dl)],
        flagged=flagged,
        sites=sites,
        vials=_vials(session, child, lo, hi),
        judged=found,
    )


def _growth(session: Session, child: Child, end: date) -> Growth:
    from tracker.services.views.growth import height_sds, height_standing, sds_line

    measurements = list(
        session.scalars(
            select(Measurement)
            .where(
                Measurement.child_id == child.id,
                Measurement.voided_at.is_(None),
                Measurement.measured_on <= end,
            )
            .order_by(Measurement.measured_on, Measurement.id)
        )
    )
    heights = [(m.measured_on, m.height_cm) for m in measurements if m.height_cm is not None]
    weights = [m for m in measurements if m.weight_kg is not None]
    shown = growth.reference_shown(child.growth_reference, child.timezone)
    reference = shown.key
    begun = treatment_start(session, child)

    def standing(on: date, cm: float) -> HeightAt:
        found = (
            height_standing(child.sex, reference, child.birth_date, on, cm) if child.sex else None
        )
        return HeightAt(on, cm, found.sds if found else None, found.centile if found else None)

    latest = standing(*heights[-1]) if heights else None
    at_start = None
    if begun is not None and heights:
        # the last height by the first day, else the first within three months of it
        before = [h for h in heights if h[0] <= begun]
        after = [h for h in heights if begun < h[0] <= begun + timedelta(days=92)]
        nearest = before[-1] if before else (after[0] if after else None)
        if nearest is not None:
            at_start = standing(*nearest)
    lines: list[ChartLine] = []
    if child.sex and heights:
        ages = [growth.age_years(child.birth_date, d) for d, _ in heights]
        if begun is not None:
            ages.append(growth.age_years(child.birth_date, begun))
        # every height's SDS: a child below the lowest centile gets a line at their band
        placed = (height_sds(child.sex, reference, child.birth_date, on, cm)
                  for on, cm in heights)
        sds = [x for x in placed if x is not None]
        for line in growth.chart_lines(reference, min(sds, default=None)):
            lines.append(ChartLine(line.label, line.sds, sds_line(
                child.sex, reference, line.sds, growth.chart_ages(ages))))
    return Growth(
        sex=child.sex,
        reference=reference,
        treatment_start=begun,
        latest=latest,
        at_start=at_start,
        velocity=growth.velocity(heights),
        heights=heights,
        weight=weights[-1] if weights else None,
        centile_lines=lines,
        shown=shown,
    )


def _prescriptions(session: Session, child: Child, start: date, hi: datetime) -> list[RxShown]:
    """The prescriptions in force during the period: the one at its start, then changes."""
    zone = schedule.zone_named(child.timezone)
    found = list(
        session.scalars(
            select(Prescription)
            .where(
                Prescription.child_id == child.id,
                Prescription.voided_at.is_(None),
                Prescription.starts_at < hi,
            )
            .order_by(Prescription.starts_at, Prescription.id)
        )
    )
    in_period = [p for p in found if p.starts_at.astimezone(zone).date() >= start]
    before = [p for p in found if p.starts_at.astimezone(zone).date() < start]
    shown = before[-1:] + in_period
    out = []
    for i, p in enumerate(shown):
        was = plan_when_started(session, child, p)
        out.append(
            RxShown(
                ref=f"P{p.id}",
                starts=p.starts_at.astimezone(zone).date(),
                made=p.created_at.astimezone(zone).date(),
                changed=i > 0,
                draw=was.draw.describe(),
                basis=describe_basis(p, was.mg, was.weight_kg),
                times=schedule.format_times(was.times),
                note=p.note,
                force_reason=p.force_reason,
                flags=p.flags.splitlines() if p.flags else [],
                by=p.created_by,
            )
        )
    return out


def _flagged(session: Session, child: Child, lo: datetime, hi: datetime) -> list[Flagged]:
    return [
        Flagged(
            d.given_at or d.scheduled_at,
            f"D{d.id}",
            d.flags.splitlines() if d.flags else [],
            d.force_reason,
        )
        for d in session.scalars(
            select(Dose)
            .where(
                Dose.child_id == child.id,
                Dose.voided_at.is_(None),
                Dose.scheduled_at >= lo,
                Dose.scheduled_at < hi,
                (Dose.flags.is_not(None)) | (Dose.force_reason.is_not(None)),
            )
            .order_by(Dose.scheduled_at)
        )
    ]


def _vials(session: Session, child: Child, lo: datetime, hi: datetime) -> list[VialShown]:
    """The vials in use during the period (opened before its end, not closed before it)."""
    counts: dict[int, int] = {
        int(vial or 0): n
        for vial, n in session.execute(
            select(Dose.vial_id, func.count())
            .where(
                Dose.child_id == child.id,
                Dose.voided_at.is_(None),
                Dose.vial_id.is_not(None),
                Dose.scheduled_at >= lo,
                Dose.scheduled_at < hi,
            )
            .group_by(Dose.vial_id)
        )
    }
    return [
        VialShown(f"V{v.id}", v.opened_at, v.closed_at, v.lot, v.expires_on, counts.get(v.id, 0),
                  vials.ended(v.discard_reason, v.closed_at,
                              vials.discard_at(v.opened_at, v.expires_on, zone_of(child))))
        for v in session.scalars(
            select(Vial)
            .where(
                Vial.child_id == child.id,
                Vial.voided_at.is_(None),
                Vial.opened_at < hi,
                (Vial.closed_at.is_(None)) | (Vial.closed_at >= lo),
            )
            .order_by(Vial.opened_at)
        )
    ]
