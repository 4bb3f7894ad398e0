"""The log's tables.

Entries are never deleted or overwritten: `undo` marks an entry void and `edit` changes it
in place only after copying the old values into `revision`, so a clinic can see every
correction. A dose slot holds at most one live primary entry (given or withheld); that is
enforced by a partial unique index, so two caregivers logging the same slot at the same
moment cannot both win. Extra doses recorded with --force are flagged and excluded.
"""

# No `from __future__ import annotations` here: SQLAlchemy would have to evaluate every
# annotation string when the classes are built, which costs every command ~40 ms.
import uuid
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tracker.db.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # every datetime column stored as UTC (see UTCDateTime)
    type_annotation_map: ClassVar[dict[type[datetime], UTCDateTime]] = {datetime: UTCDateTime()}


class Child(Base):
    __tablename__ = "child"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    birth_date: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    # The family's syringe (a key of dosing.SYRINGES); None: the smallest that holds the dose.
    syringe: Mapped[str | None] = mapped_column(String(16))
    # For height SDS and centiles: "female" or "male", and "uk-who", "who" or "cdc" as
    # chosen; None: not chosen, the default of the child's zone (domain.growth).
    sex: Mapped[str | None] = mapped_column(String(6))
    growth_reference: Mapped[str | None] = mapped_column(String(8))
    # When the injections started: every slot from then on is due, given, withheld or
    # missed in every view. None only in a log older than 0010 (then created_at).
    treatment_start: Mapped[datetime | None]
    # Who the child is in every export, whichever household's log it is: a random UUID
    # made when the child is set up (the row's id is 1 in nearly every log).
    uid: Mapped[str] = mapped_column(String(36), unique=True,
                                     default=lambda: str(uuid.uuid4()))

    @property
    def counts_from(self) -> datetime:
        """The instant from which the child's slots count (in a log older than the
        setting: the moment it was set up). Read by every view and export alike."""
        return self.treatment_start or self.created_at


class Entry(Base):
    """What every log entry shares: who wrote it when, and whether it was undone."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(Text)


class Prescription(Entry):
    """A dose per injection (mg/kg or fixed mg) and the daily times, from a moment on."""

    __tablename__ = "prescription"
    __table_args__ = (
        CheckConstraint("(dose_mg_per_kg IS NULL) <> (dose_mg IS NULL)", name="one_dose_kind"),
        CheckConstraint("concentration_mg_per_ml > 0", name="concentration_positive"),
        Index("ix_prescription_child_starts", "child_id", "starts_at"),
    )

    starts_at: Mapped[datetime]
    dose_mg_per_kg: Mapped[float | None] = mapped_column(Float)
    dose_mg: Mapped[float | None] = mapped_column(Float)
    times: Mapped[str] = mapped_column(String(64))
    concentration_mg_per_ml: Mapped[float] = mapped_column(Float, default=10.0)
    force_reason: Mapped[str | None] = mapped_column(Text)
    # The weight an mg/kg dose was prescribed for: the mg stay those of this weight until
    # a new prescription is confirmed (a home weighing never changes the dose by itself).
    weight_kg: Mapped[float | None] = mapped_column(Float)
    # The label's rules this prescription broke or was warned about, one per line.
    flags: Mapped[str | None] = mapped_column(Text)


class Measurement(Entry):
    __tablename__ = "measurement"
    __table_args__ = (
        CheckConstraint("weight_kg IS NOT NULL OR height_cm IS NOT NULL", name="weight_or_height"),
        CheckConstraint("weight_kg IS NULL OR weight_kg > 0", name="weight_positive"),
        CheckConstraint("height_cm IS NULL OR height_cm > 0", name="height_positive"),
        Index("ix_measurement_child_on", "child_id", "measured_on"),
    )

    measured_on: Mapped[date] = mapped_column(Date)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    height_cm: Mapped[float | None] = mapped_column(Float)


class Dose(Entry):
    """One slot's injection (status 'given') or withheld dose (status 'withheld')."""

    __tablename__ = "dose"
    __table_args__ = (
        CheckConstraint("status IN ('given', 'withheld')", name="status_known"),
        CheckConstraint(
            "status <> 'given' OR (given_at IS NOT NULL AND dose_mg > 0)", name="given_has_dose"
        ),
        CheckConstraint("status <> 'withheld' OR reason IS NOT NULL", name="withheld_has_reason"),
        Index(
            "uq_dose_live_slot",
            "child_id",
            "slot_date",
            "slot_time",
            unique=True,
            sqlite_where=text("voided_at IS NULL AND extra = 0"),
        ),
        Index("ix_dose_child_slot", "child_id", "slot_date", "slot_time"),
        Index("ix_dose_child_given_at", "child_id", "given_at"),
        Index("ix_dose_child_site_given_at", "child_id", "site", "given_at"),
        Index("ix_dose_child_scheduled_at", "child_id", "scheduled_at"),
        Index("ix_dose_vial_id", "vial_id"),
    )

    slot_date: Mapped[date] = mapped_column(Date)
    slot_time: Mapped[str] = mapped_column(String(5))
    scheduled_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(10))
    given_at: Mapped[datetime | None]
    dose_mg: Mapped[float | None] = mapped_column(Float)
    volume_ml: Mapped[float | None] = mapped_column(Float)
    site: Mapped[str | None] = mapped_column(String(20))
    given_by: Mapped[str | None] = mapped_column(String(80))
    meal: Mapped[bool | None] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    force_reason: Mapped[str | None] = mapped_column(Text)
    # The label's rules this injection broke (above a limit, no meal, late...), one per line.
    flags: Mapped[str | None] = mapped_column(Text)
    prescription_id: Mapped[int | None] = mapped_column(ForeignKey("prescription.id"))
    vial_id: Mapped[int | None] = mapped_column(ForeignKey("vial.id"))


class Vial(Entry):
    """A vial in use: opened at a moment, discarded 30 days later or at its expiry."""

    __tablename__ = "vial"
    __table_args__ = (
        CheckConstraint("volume_ml > 0", name="volume_positive"),
        CheckConstraint("concentration_mg_per_ml > 0", name="concentration_positive"),
        Index("ix_vial_child_opened_at", "child_id", "opened_at"),
    )

    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    lot: Mapped[str | None] = mapped_column(String(40))
    expires_on: Mapped[date | None] = mapped_column(Date)
    volume_ml: Mapped[float] = mapped_column(Float)
    concentration_mg_per_ml: Mapped[float] = mapped_column(Float)
    # Taken out of use before its time (left out, frozen, dropped, cloudy...): why.
    discard_reason: Mapped[str | None] = mapped_column(Text)


class StockChange(Entry):
    """Unopened vials in the fridge: a count taken (set_to), or a change (+N added, -1 opened)."""

    __tablename__ = "stock_change"
    __table_args__ = (Index("ix_stock_change_child_at", "child_id", "at"),)

    at: Mapped[datetime]
    change: Mapped[int] = mapped_column(Integer)
    set_to: Mapped[int | None] = mapped_column(Integer)


class Glucose(Entry):
    __tablename__ = "glucose"
    __table_args__ = (
        CheckConstraint("mg_dl > 0", name="value_positive"),
        Index("ix_glucose_child_measured_at", "child_id", "measured_at"),
    )

    measured_at: Mapped[datetime]
    mg_dl: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(8))
    before_meal: Mapped[bool | None] = mapped_column(Boolean)


class Symptom(Entry):
    __tablename__ = "symptom"
    __table_args__ = (Index("ix_symptom_child_occurred_at", "child_id", "occurred_at"),)

    kind: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str | None] = mapped_column(String(10))
    occurred_at: Mapped[datetime]
    dose_id: Mapped[int | None] = mapped_column(ForeignKey("dose.id"))
    glucose_id: Mapped[int | None] = mapped_column(ForeignKey("glucose.id"))


class Revision(Base):
    """The audit trail: an entry's values before an edit or an undo."""

    __tablename__ = "revision"
    __table_args__ = (Index("ix_revision_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(8))
    changed_at: Mapped[datetime]
    changed_by: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(Text)
    old_values: Mapped[str] = mapped_column(Text)


class ReminderSent(Base):
    """A reminder claimed for sending: unique per child and key, so it goes out once.

    The key names the slot and the kind ("2026-11-24/07:30/due"): a DST double fire, a
    restart or two services on one log cannot send it twice.
    """

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("child_id", "key", name="uq_reminder_child_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="RESTRICT"))
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    slot_at: Mapped[datetime | None]
    fired_at: Mapped[datetime]
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)


class Contact(Base):
    """A person told on their phone when a dose is still not logged `after_minutes` after
    its time. The URL is an Apprise URL and may hold a token or a password: the log is
    readable by its owner only, and the URL is shown masked everywhere."""

    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("name", name="uq_contact_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    url: Mapped[str] = mapped_column(Text)
    after_minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(80))
    # the language the contact reads (tracker.i18n's code); None: the household's
    language: Mapped[str | None] = mapped_column(String(16))


class Device(Base):
    """A phone or computer paired to the household page. Only a hash of its token is
    kept: a copy of the log lets no one in. `caregiver` is written on what it logs."""

    __tablename__ = "device"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_device_token_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    caregiver: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class Pairing(Base):
    """A one-time pairing link, valid for ten minutes; only its hash is kept."""

    __tablename__ = "pairing"
    __table_args__ = (UniqueConstraint("code_hash", name="uq_pairing_code_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(80))
    caregiver: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class FormSubmission(Base):
    """A form of the household page that recorded something, by the one-time id the page
    put in it. A second post of the same form (a re-tap while the server waits, a retry
    on a slow network) finds it and answers with `result`, recording nothing again."""

    __tablename__ = "form_submission"
    __table_args__ = (Index("ix_form_submission_created_at", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"))
    action: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    result: Mapped[str] = mapped_column(Text)


class NotificationAttempt(Base):
    """Each try to reach a parent, through each channel: "did the reminder fire?"."""

    __tablename__ = "notification_attempt"
    __table_args__ = (Index("ix_notification_attempt_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminder.id"))
    at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(20))
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)  # in words, for the delivery log
    detail: Mapped[str | None] = mapped_column(Text)  # the technical reason (--verbose)
    title: Mapped[str] = mapped_column(Text)


class ServiceState(Base):
    """Small facts the reminder service shares with the CLI (heartbeat, next run, snooze)."""

    __tablename__ = "service_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


def enable_postgresql() -> None:
    """Give the slot index its PostgreSQL condition, only when PostgreSQL is used.

    Declaring `postgresql_where` on the class would import the PostgreSQL dialect on every
    start (~25 ms) for the SQLite users who never need it.
    """
    table = Dose.__table__
    assert isinstance(table, Table)  # a mapped class's table
    index = next(i for i in table.indexes if i.name == "uq_dose_live_slot")
    index.dialect_options["postgresql"]["where"] = text("voided_at IS NULL AND NOT extra")


ENTRY_TYPES: dict[str, type[Entry]] = {
    "D": Dose,
    "S": Symptom,
    "G": Glucose,
    "M": Measurement,
    "P": Prescription,
    "V": Vial,
    "K": StockChange,
}
