"""One entry in full, with its audit trail: what `tracker show` prints and the page's
entry page shows, built once so both say the same lines in the same order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from tracker.db.models import Entry
from tracker.domain.text import isolate
from tracker.i18n import _, formats
from tracker.services.record import corrections
from tracker.services.views import history, plan, words


@dataclass
class Change:
    """One correction: who did what, when and why, and each field's change in words."""

    said: str  # "corrected 2026-11-24 08:05 by Anna: wrong leg"
    action: str
    at: str
    by: str
    reason: str | None
    lines: list[str] = field(default_factory=list)


@dataclass
class EntryView:
    ref: str
    child: str
    child_id: int
    kind: str
    when: str
    summary: str
    fields: list[str]
    written: str
    note: str | None
    undone: str | None  # "2026-11-24 08:05: undone" when it was undone
    trail: list[Change]

    @property
    def dose(self) -> bool:
        return self.ref.startswith("D")


def _when(at: datetime) -> str:
    # TRANSLATORS: a day and a time of day: "2026-11-24 08:05"
    return _("{day} {time}").format(day=formats.day(at), time=formats.clock(at))


def entry_view(session: Session, entry: Entry) -> EntryView:
    child = corrections.child_of(session, entry)
    zone = plan.zone_of(child)
    kind, when, summary, fields = history.describe(entry, zone)
    trail = []
    for c in corrections.audit_trail(session, entry):
        at = _when(c.at.astimezone(zone))
        action = words.action(c.action)
        # TRANSLATORS: a line of an entry's audit trail: "corrected 2026-11-24 08:05 by Eli"
        said = (_("{action} {when} by {name}: {reason}") if c.reason
                else _("{action} {when} by {name}")).format(
                    action=action, when=at, name=c.by, reason=_(c.reason) if c.reason else "")
        trail.append(Change(
            said, action, at, c.by,
            c.reason, [line for key, before, after in c.fields
                       if (line := words.change(key, before, after, zone))]))
    return EntryView(
        ref=history.ref(entry), child=child.name, child_id=child.id, kind=kind,
        when=_when(when.astimezone(zone)), summary=summary,
        fields=words.fields(fields, zone),
        # TRANSLATORS: when an entry was written and by whom: "2026-11-24 08:05 by Eli"
        written=_("{when} by {name}").format(when=_when(entry.created_at.astimezone(zone)),
                                             name=entry.created_by or _("unknown")),
        note=isolate(entry.note) if entry.note else None,
        # the reason as stored (a person's words, or tracker's own, said in the reader's)
        undone=(_("{when}: {reason}").format(when=_when(entry.voided_at.astimezone(zone)),
                                            reason=_(entry.void_reason) if entry.void_reason
                                            else "")
                if entry.voided_at is not None else None),
        trail=trail)
