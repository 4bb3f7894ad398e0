"""Vials and stock: which vial is in use, what is left, and how long the medicine lasts."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import NotRequired, TypedDict

from sqlalchemy import BindParameter, Select, bindparam, func, select
from sqlalchemy.orm import Session

from tracker import i18n
from tracker.db.models import Child, Dose, StockChange, Vial
from tracker.db.session import columns
from tracker.domain import dosing, text, vials
from tracker.domain.actions import Do, act, fill
from tracker.domain.timeparse import refuse_future
from tracker.errors import InputError, NotFound, Refused
from tracker.i18n import _, formats, ngettext
from tracker.services.views.plan import Plan, plan_at, prescription_at, zone_of


class VialJson(TypedDict):
    """The open vial, as `vial status --json` and the household page show it."""

    id: str  # "V3"
    opened_at: str  # local ISO date-time
    lot: str | None
    expires_on: str | None  # ISO date
    age_days: float
    remaining_ml: float
    doses_left: int
    discard_at: str  # local ISO date-time


class SupplyJson(TypedDict):
    """A child's supply: the open vial, the unopened ones and how long they last."""

    child: str
    vial: VialJson | None
    unopened: int | None
    dose_ml: float
    days_of_supply: float | None
    warnings: list[str]
    discard: NotRequired[str]  # when the open vial is discarded, as the page says it


class MedicineJson(SupplyJson):
    """One child's supply on the household page's Medicine."""

    id: int


MAX_STOCK = 500


# Built once, with bound parameters: every status, Today and daily check runs them, and
# building a statement costs SQLAlchemy more than SQLite takes to run it.

@cache
def _vial_at() -> Select[Vial]:
    at: BindParameter[datetime] = bindparam("at")
    return (select(Vial)
            .where(Vial.child_id == bindparam("child_id"), Vial.voided_at.is_(None),
                   Vial.opened_at <= at)
            .where((Vial.closed_at.is_(None)) | (Vial.closed_at > at))
            .order_by(Vial.opened_at.desc(), Vial.id.desc())
            .limit(1))


@cache
def _any_vial() -> Select[int]:
    return select(Vial.id).where(Vial.child_id == bindparam("child_id")).limit(1)


@cache
def _used_ml() -> Select[float | None]:
    return select(func.coalesce(func.sum(Dose.volume_ml), 0.0)).where(
        Dose.vial_id == bindparam("vial_id"), Dose.status == "given",
        Dose.voided_at.is_(None))


def vial_at(session: Session, child: Child, at: datetime) -> Vial | None:
    """The vial in use at a moment: the last one opened by then and not yet replaced."""
    return session.scalar(_vial_at(), {"child_id": child.id, "at": at})


def tracks_vials(session: Session, child: Child) -> bool:
    return columns(session, _any_vial(), {"child_id": child.id}).first() is not None


def used_ml(session: Session, vial: Vial) -> float:
    total = session.scalar(_used_ml(), {"vial_id": vial.id})
    return float(total or 0.0)


def vial_state(session: Session, child: Child, vial: Vial, dose_ml: float) -> vials.VialState:
    remaining = vials.remaining_ml(vial.volume_ml, [used_ml(session, vial)])
    return vials.VialState(
        remaining_ml=remaining,
        discard_at=vials.discard_at(vial.opened_at, vial.expires_on, zone_of(child)),
        doses_left=vials.doses_left(remaining, dose_ml),
    )


def vial_warnings(
    session: Session, child: Child, vial: Vial, dose_ml: float, now: datetime
) -> list[str]:
    """Before drawing a dose from this vial: is it past its day, does it hold enough?"""
    state = vial_state(session, child, vial, dose_ml)
    return vials.vial_warnings(state, dose_ml, now, zone_of(child))


def stock(session: Session, child: Child) -> int | None:
    """Unopened vials: the last count taken plus the changes since; None if never counted."""
    last_set = session.scalar(
        select(StockChange)
        .where(
            StockChange.child_id == child.id,
            StockChange.voided_at.is_(None),
            StockChange.set_to.is_not(None),
        )
        .order_by(StockChange.at.desc(), StockChange.id.desc())
        .limit(1)
    )
    q = select(func.coalesce(func.sum(StockChange.change), 0)).where(
        StockChange.child_id == child.id,
        StockChange.voided_at.is_(None),
        StockChange.set_to.is_(None),
    )
    if last_set is not None:
        q = q.where(StockChange.at >= last_set.at, StockChange.id > last_set.id)
    changes = int(session.scalar(q) or 0)
    if last_set is None:
        return changes if changes else None
    return max(0, (last_set.set_to or 0) + changes)


def change_stock(
    session: Session,
    child: Child,
    *,
    now: datetime,
    by: str,
    set_to: int | None = None,
    add: int | None = None,
) -> StockChange:
    value = set_to if set_to is not None else add
    if value is None or value < 0 or value > MAX_STOCK:
        raise InputError(_("give a number of vials between 0 and {most}").format(
                             most=MAX_STOCK))
    entry = StockChange(
        child_id=child.id,
        at=now,
        change=0 if set_to is not None else value,
        set_to=set_to,
        created_at=now,
        created_by=by,
    )
    session.add(entry)
    session.flush()
    return entry


def open_vial(
    session: Session,
    child: Child,
    *,
    at: datetime,
    now: datetime,
    by: str,
    lot: str | None = None,
    expires_on: date | None = None,
    note: str | None = None,
) -> tuple[Vial, list[str]]:
    """A new vial is in use from `at`; the previous one is closed then."""
    refuse_future(at, now, _("the opening time"))
    zone = zone_of(child)
    if expires_on is not None and expires_on < at.astimezone(zone).date():
        raise Refused(_("that vial expired on {day}: do not use it; open another").format(
                          day=formats.day(expires_on)))
    info: list[str] = []
    previous = vial_at(session, child, at)
    if previous is not None:
        previous.closed_at = at
        left = vials.remaining_ml(previous.volume_ml, [used_ml(session, previous)])
        info.append(
            _("closed the previous vial (opened {day}, about {left} mL left)").format(
                day=formats.day(previous.opened_at.astimezone(zone)),
                left=formats.decimal(dosing.format_ml(left)))
        )
    try:  # the vial's strength is the prescription's, then or (opened earlier) now
        rx = prescription_at(session, child, at)
    except NotFound:
        rx = prescription_at(session, child, now)
    concentration = rx.concentration_mg_per_ml
    vial = Vial(
        child_id=child.id,
        opened_at=at,
        lot=text.clean(lot, _("the lot"), 40, multiline=False),
        expires_on=expires_on,
        volume_ml=vials.VIAL_ML,
        concentration_mg_per_ml=concentration,
        note=text.clean(note, _("the note")),
        created_at=now,
        created_by=by,
    )
    session.add(vial)
    count = stock(session, child)
    if count is not None:
        if count > 0:
            session.add(
                StockChange(child_id=child.id, at=at, change=-1, created_at=now, created_by=by)
            )
            session.flush()
            in_fridge = stock(session, child) or 0
            info.append(ngettext("{n} unopened vial left", "{n} unopened vials left",
                                 in_fridge).format(n=in_fridge))
        else:
            info.append(fill(_("the stock said no unopened vials: {command}"),
                             command=act(Do.VIAL_STOCK)))
    session.flush()
    return vial, info


def discard_vial(session: Session, child: Child, *, reason: str, at: datetime,
                 now: datetime, by: str, unopened: bool = False) -> tuple[str, list[str]]:
    """Take a vial that went wrong out of use, kept in the record: the open vial (closed
    then, with the reason) or an unopened one (taken from the stock, with the reason).
    What was done, and what to say about it, in order: the vial's judgement (what it
    means for the doses already drawn from it) first, then why it is not used."""
    said_reason = text.clean(reason, _("the reason"), 200, multiline=False)
    if not said_reason:
        raise InputError(_("say why the vial is discarded (left out, frozen, dropped, cloudy...)"))
    shown, advice = vials.discard_reason(said_reason)
    refuse_future(at, now, _("the time of the discard"))
    if unopened:
        count = stock(session, child)
        if count is not None and count <= 0:
            raise InputError(_("the stock has no unopened vial to discard: count the vials first"))
        entry = StockChange(child_id=child.id, at=at, change=-1, note=f"discarded: {shown}",
                            created_at=now, created_by=by)
        session.add(entry)
        session.flush()
        left = stock(session, child)
        if left is None:
            said = _("Recorded {ref}: an unopened vial discarded ({reason})").format(
                ref=f"K{entry.id}", reason=shown)
        else:
            said = ngettext("Recorded {ref}: an unopened vial discarded ({reason}); {n} unopened "
                            "left", "Recorded {ref}: an unopened vial discarded ({reason}); {n} "
                            "unopened left", left).format(ref=f"K{entry.id}", reason=shown, n=left)
        return said, [_sentence(advice)]
    vial = vial_at(session, child, at)
    if vial is None:
        raise InputError(_("no vial is recorded as open then: for one from the fridge, say it "
                           "was unopened"))
    vial.closed_at = at
    vial.discard_reason = shown
    session.flush()
    from tracker.domain.guidance import of_judgement
    from tracker.services.views import judged

    found = judged.of(session, child, f"V{vial.id}", at)
    said = (_("Recorded: {ref}, lot {lot} discarded ({reason}); open a new vial before the next "
              "dose ({command})") if vial.lot
            else _("Recorded: {ref} discarded ({reason}); open a new vial before the next dose "
                   "({command})"))
    return (fill(said, ref=f"V{vial.id}", lot=vial.lot or "", reason=shown,
                 command=act(Do.VIAL_OPEN)),
            [a.text for a in of_judgement(found)] + [_sentence(advice)])


def _discard_when(at: datetime) -> str:
    """"Sat 05 Dec 19:30" in English (as the page always showed it); the locale's forms
    elsewhere."""
    if i18n.language() == i18n.ENGLISH:
        return f"{at:%a %d %b %H:%M}"
    # TRANSLATORS: a day and a time of day: "Sat 05 Dec 19:30"
    return _("{day} {time}").format(day=formats.day_short(at), time=formats.clock(at))


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


class SupplyReport:
    """The open vial and the stock, as the vial status and the daily check see them."""

    def __init__(
        self, session: Session, child: Child, now: datetime, plan: Plan | None = None
    ) -> None:
        zone = zone_of(child)
        plan = plan or plan_at(session, child, now)
        self.zone = zone
        self.now = now
        # what each injection takes from the vial: the volume drawn on the family's
        # syringe (its warnings then name the mL the syringe shows), not the unrounded
        # prescribed volume
        draw = plan.draw
        self.dose_ml = draw.ml if draw.measurable else dosing.volume_ml(
            plan.mg, plan.prescription.concentration_mg_per_ml)
        self.doses_per_day = len(plan.times)
        self.tracked = tracks_vials(session, child)
        self.vial = vial_at(session, child, now) if self.tracked else None
        self.state: vials.VialState | None = None
        if self.vial is not None:
            self.state = vial_state(session, child, self.vial, self.dose_ml)
        self.unopened = stock(session, child) if self.tracked else None
        self.days = vials.days_of_supply(
            self.state.remaining_ml if self.state else 0.0,
            self.state.discard_at if self.state else None,
            self.unopened or 0,
            self.dose_ml,
            self.doses_per_day,
            now,
        )

    def to_json(self, child: str, unopened: int | None) -> SupplyJson:
        """What `vial status --json` and the household page's Medicine show."""
        zone = self.zone
        vial_json: VialJson | None = None
        if self.vial is not None and self.state is not None:
            v, s = self.vial, self.state
            vial_json = {
                "id": f"V{v.id}",
                "opened_at": v.opened_at.astimezone(zone).isoformat(),
                "lot": v.lot,
                "expires_on": v.expires_on.isoformat() if v.expires_on else None,
                "age_days": round((self.now - v.opened_at).total_seconds() / 86400, 1),
                "remaining_ml": round(s.remaining_ml, 3),
                "doses_left": s.doses_left,
                "discard_at": s.discard_at.astimezone(zone).isoformat(),
            }
        return {
            "child": child,
            "vial": vial_json,
            "unopened": unopened,
            "dose_ml": round(self.dose_ml, 3),
            "days_of_supply": None
            if unopened is None and vial_json is None
            else round(self.days, 1),
            "warnings": self.warnings(),
        }

    def warnings(self) -> list[str]:
        if not self.tracked:
            return []
        out = vials.vial_warnings(self.state, self.dose_ml, self.now, self.zone)
        if self.unopened is not None:
            low = vials.supply_warning(self.days, self.unopened)
            if low:
                out.append(low)
        return out


def medicine(session: Session, now: datetime) -> list[MedicineJson]:
    """Every child's supply as the household page's Medicine shows it (a child without a
    prescription then has no supply to show)."""
    from tracker.services.views.plan import all_children

    children = []
    for child in all_children(session):
        try:
            report = SupplyReport(session, child, now)
        except NotFound:
            continue
        data = report.to_json(child.name, stock(session, child))
        if report.state is not None:
            data["discard"] = _discard_when(report.state.discard_at.astimezone(report.zone))
        children.append(MedicineJson(id=child.id, **data))
    return children
