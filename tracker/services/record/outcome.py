"""What tracker tells a person after a write: one type, every use case, every front.

A write (give, skip, a symptom, a reading, a measurement, a prescription, an undo, a
correction) returns a `Told`: what was recorded in one sentence (the headline), then what
is said about it, and the next dose when there is one. The command line, the household
page and a notification each render a `Told` whole, in their own controls; none of them
picks parts of it, so they cannot drift apart (a notification's Undo used to show only
the notes, the page all of them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracker.domain import guidance
from tracker.domain.guidance import NOTE, Advice

if TYPE_CHECKING:
    from tracker.db.models import Entry
    from tracker.domain.judgement import Judgement


@dataclass
class Told:
    """What a write did and what to read about it.

    `info`, `warnings` and `advice` are shown in the one order of every front
    (guidance.in_order: emergency first, notes last); `next` (the next dose and its site)
    is said after them. `judgement` is the entry's, as every reader of the log sees it.
    """

    headline: str = ""  # what was recorded, in full (tracker.services.record.headlines)
    info: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)  # most urgent first when shown
    judgement: Judgement | None = None
    entry: Entry | None = None  # what was recorded or corrected
    next: str = ""  # "Next dose: 19:30 today; suggested site left-thigh."

    def judged(self, found: Judgement) -> None:
        """Say the entry's judgement (tracker.services.views.judged): its level and its steps,
        before everything else said about it."""
        self.judgement = found
        self.advice = guidance.of_judgement(found) + self.advice

    def also(self, other: Told) -> None:
        """Say what another write said too (a prescription made by a measurement)."""
        self.info += other.info
        self.warnings += other.warnings
        self.advice += other.advice

    def said(self) -> list[Advice]:
        """Everything after the headline, in the order every front shows it."""
        lines = guidance.in_order(self.info, self.warnings, self.advice)
        return [*lines, Advice(NOTE, self.next)] if self.next else lines

    @property
    def level(self) -> str:
        """The judgement's level ("" without one): a front shows an emergency as one."""
        return self.judgement.level if self.judgement is not None else ""

    @property
    def ref(self) -> str | None:
        """The entry's id as people type it ("D42"), for Undo."""
        from tracker.services.views.history import ref

        return ref(self.entry) if self.entry is not None else None
