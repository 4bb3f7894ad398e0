"""One entry in full, with its audit trail: what `tracker show` prints and the page's
entry page shows, built once so both say the same lines in the same order."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tracker.db.models import Entry
from tracker.domain.text import isolate
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


def entry_view(session: Session, entry: Entry) -> EntryView:
    child = corrections.child_of(session, entry)
    zone = plan.zone_of(child)
    kind, when, summary, fields = history.describe(entry, zone)
    trail = []
    for c in corrections.audit_trail(session, entry):
        at = f"{c.at.astimezone(zone):%Y-%m-%d %H:%M}"
        action = words.action(c.action)
        trail.append(Change(
            f"{action} {at} by {c.by}{': ' + c.reason if c.reason else ''}", action, at, c.by,
            c.reason, [line for key, before, after in c.fields
                       if (line := words.change(key, before, after, zone))]))
    return EntryView(
        ref=history.ref(entry), child=child.name, child_id=child.id, kind=kind,
        when=f"{when.astimezone(zone):%Y-%m-%d %H:%M}", summary=summary,
        fields=words.fields(fields, zone),
        written=(f"{entry.created_at.astimezone(zone):%Y-%m-%d %H:%M} by "
                 f"{entry.created_by or 'unknown'}"),
        note=isolate(entry.note) if entry.note else None,
        undone=(f"{entry.voided_at.astimezone(zone):%Y-%m-%d %H:%M}: {entry.void_reason}"
                if entry.voided_at is not None else None),
        trail=trail)
