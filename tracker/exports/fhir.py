"""FHIR R4 export: a Bundle (type collection) another system can import.

Codes and where they come from (shared/clinical-facts.md, each from the source it names):
- route "Subcutaneous route" SNOMED CT 34206005;
- body sites, SNOMED CT: left/right upper arm 368208006/368209003
  (hl7.org/fhir/us/ccda ConceptMap-FC-ImmunizationSite), left/right thigh 61396006/11207009
  and left/right buttock 723979003/723980000 (smt.esante.gouv.fr jdv-immunization-approach-
  site-code-cisis). No lateral abdomen code was found: those sites are sent as text only;
- symptoms, SNOMED CT (HL7 Symptoms IG common symptom codes,
  hl7.org/fhir/uv/symptoms/STU1 ValueSet-CommonSymptomCodes): headache 25064002, dizziness
  404640003, nausea 422587007, vomiting 300359004 ("Finding of vomiting"); hypoglycaemia
  302866003 is a disorder, not in that value set, sent only when a low reading backs it;
  the category "symptom" of the IG's SymptomTemporary code system;
- severity, SNOMED CT (FHIR condition-severity): mild 255604002, moderate 6736007, severe
  24484000;
- body weight LOINC 29463-7, body height LOINC 8302-2; home meter glucose LOINC 41653-7
  (mass/volume, mg/dL) or 14743-9 "Glucose [Moles/volume] in Capillary blood by
  Glucometer" (mmol/L, found in LOINC's own table); interpretation from HL7 v3
  ObservationInterpretation (L, LL, N, H);
- the medication's NDC 71863-216-04 (Eton, DailyMed May 2025); units UCUM.
Where no verified code exists (the medication's RxNorm code, other symptoms) the concept
is sent as text rather than with a guessed code.

The Bundle is a transaction of conditional updates: every resource carries an identifier
that stays the same for the same thing in every export (a dose slot keeps its identifier
whether it was missed in one export and logged later), so an importer updates rather than
duplicates. A slot that is still due is not exported: it is neither done nor missed yet.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from tracker import i18n
from tracker.db.models import Child, Glucose, Measurement, Prescription, Symptom, Vial
from tracker.domain import glucose
from tracker.domain.dosing import format_mg
from tracker.exports.rows import SlotRow

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ROUTE_SUBCUTANEOUS = {"system": SNOMED, "code": "34206005", "display": "Subcutaneous route"}
SITE_CODES = {
    "left-upper-arm": ("368208006", "Left upper arm structure"),
    "right-upper-arm": ("368209003", "Right upper arm structure"),
    "left-thigh": ("61396006", "Left thigh structure"),
    "right-thigh": ("11207009", "Right thigh structure"),
    "left-buttock": ("723979003", "Structure of left buttock"),
    "right-buttock": ("723980000", "Structure of right buttock"),
}
SYMPTOM_CODES = {
    "headache": ("25064002", "Headache"),
    "dizziness": ("404640003", "Dizziness"),
    "nausea": ("422587007", "Nausea"),
    "vomiting": ("300359004", "Finding of vomiting"),
}
HYPOGLYCAEMIA = ("302866003", "Hypoglycemia")  # a disorder: only when a low reading backs it
SEVERITY_CODES = {
    "mild": ("255604002", "Mild"),
    "moderate": ("6736007", "Moderate"),
    "severe": ("24484000", "Severe"),
}
SYMPTOM_CATEGORY = {
    "system": "http://hl7.org/fhir/uv/symptoms/CodeSystem/SymptomTemporary",
    "code": "symptom",
    "display": "Symptom",
}
NDC = {"system": "http://hl7.org/fhir/sid/ndc", "code": "71863-216-04",
       "display": "Increlex (mecasermin) injection, 40 mg/4 mL vial"}
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
GLUCOSE_LOINC = {
    "mg/dL": ("41653-7", "Glucose [Mass/volume] in Capillary blood by Glucometer"),
    "mmol/L": ("14743-9", "Glucose [Moles/volume] in Capillary blood by Glucometer"),
}
AFTER_DOSE = "https://tracker.invalid/fhir/StructureDefinition/after-dose"
_NS = uuid.UUID("5c1f4c1e-8f0a-4c57-9d83-6a3f3e0b7a11")


# a FHIR resource as JSON: built here and written whole by json.dumps; only its type and
# identifier are read back (request)
Resource = dict[str, object]


def urn(kind: str, key: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, f'{kind}/{key}')}"


def system(kind: str) -> str:
    """The identifier system of one kind of resource (a URI nobody else uses)."""
    return f"urn:uuid:{uuid.uuid5(_NS, f'identifier/{kind}')}"


def child_key(child: Child) -> str:
    """The same for this child in every export of this log (and of a backup of it), and
    no other household's: the random UUID the child was given when set up. The row's id
    is 1 in nearly every log, so it names no one."""
    return child.uid


def ref(kind: str, child: Child, key: object) -> str:
    """The fullUrl of one of the child's resources: unique across households, the same
    in every export of this log."""
    return urn(kind, f"{child_key(child)}/{key}")


def request(resource: Resource) -> dict[str, str]:
    """The request that updates a resource where it exists: PUT by its identifier."""
    identifiers = resource["identifier"]
    assert isinstance(identifiers, list)  # as every builder here writes it
    ident = identifiers[0]
    return {"method": "PUT",
            "url": f"{resource['resourceType']}?identifier={ident['system']}|{ident['value']}"}


def _iso(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).isoformat()


def _text_concept(
    text: str, code: tuple[str, str] | None = None, system: str = SNOMED
) -> Resource:
    concept: Resource = {"text": text}
    if code is not None:
        concept["coding"] = [{"system": system, "code": code[0], "display": code[1]}]
    return concept


def patient(child: Child) -> Resource:
    resource: Resource = {
        "resourceType": "Patient",
        "identifier": [{"system": system("child"), "value": child_key(child)}],
        "name": [{"text": child.name}],
        "birthDate": child.birth_date.isoformat(),
    }
    if child.sex in ("female", "male"):  # as set for the growth charts (tracker child --sex)
        resource["gender"] = child.sex
    return resource


def medication(vial: Vial | None = None, child: Child | None = None) -> Resource:
    """Increlex; with a vial, that vial's lot and expiry."""
    resource: Resource = {
        "resourceType": "Medication",
        "identifier": [{"system": system("medication"), "value": "increlex-10mg-ml"}],
        "code": {
            "coding": [NDC],
            "text": "mecasermin (Increlex) 10 mg/mL solution for injection",
        },
        "ingredient": [{"itemCodeableConcept": {"text": "mecasermin"}}],
    }
    if vial is not None and child is not None:
        resource["identifier"] = [{"system": system("vial"),
                                   "value": f"{child_key(child)}/V{vial.id}"}]
        batch: dict[str, str] = {}
        if vial.lot:
            batch["lotNumber"] = vial.lot
        if vial.expires_on:
            batch["expirationDate"] = vial.expires_on.isoformat()
        if batch:
            resource["batch"] = batch
    return resource


def medication_request(rx: Prescription, child: Child, zone: ZoneInfo,
                       current: bool, mg: float, until: datetime | None = None) -> Resource:
    """A prescription as the family recorded it (reported, not ordered here): authored
    when it was recorded, in force from its start `until` the next one started (no end
    for the one in force now)."""
    times = [f"{t}:00" for t in rx.times.split(",")]
    text = (
        f"{rx.dose_mg_per_kg:g} mg/kg per injection (for {rx.weight_kg:g} kg: "
        if rx.dose_mg_per_kg is not None and rx.weight_kg
        else "a fixed dose per injection ("
    ) + f"{format_mg(mg)} mg), under the skin at {rx.times}"
    bounds = {"start": _iso(rx.starts_at, zone)}
    if until is not None and not current:
        bounds["end"] = _iso(until, zone)
    resource: Resource = {
        "resourceType": "MedicationRequest",
        "identifier": [{"system": system("prescription"), "value": f"{child_key(child)}/P{rx.id}"}],
        "status": "active" if current else "completed",
        "intent": "order",
        "reportedBoolean": True,
        "medicationReference": {"reference": urn("medication", "mecasermin")},
        "subject": {"reference": ref("patient", child, "")},
        "authoredOn": _iso(rx.created_at, zone),
        "dosageInstruction": [
            {
                "text": text,
                "timing": {"repeat": {"boundsPeriod": bounds, "timeOfDay": times}},
                "route": {"coding": [ROUTE_SUBCUTANEOUS]},
                "doseAndRate": [{"doseQuantity": {"value": round(mg, 4), "unit": "mg",
                                                  "system": UCUM, "code": "mg"}}],
            }
        ],
    }
    notes = [rx.note] if rx.note else []
    notes += [f"warned: {w}" for w in (rx.flags or "").splitlines()]
    if rx.force_reason:
        notes.append(f"override reason: {rx.force_reason}")
    if notes:
        resource["note"] = [{"text": n} for n in notes]
    return resource


def slot_value(row: SlotRow, child: Child) -> str:
    """The same for a dose slot in every export: missed today, given (logged late) later,
    named by its local date and prescribed time even on a night the clocks skip that time."""
    e = row.entry
    if e is not None and e.extra:
        return f"{child_key(child)}/extra/D{e.id}"
    return f"{child_key(child)}/{row.day}T{row.label}"


def administration(row: SlotRow, child: Child, zone: ZoneInfo) -> Resource:
    e = row.entry
    medicine = (
        ref("vial", child, e.vial_id) if e is not None and e.vial_id
        else urn("medication", "mecasermin")
    )
    resource: Resource = {
        "resourceType": "MedicationAdministration",
        "identifier": [{"system": system("dose-slot"), "value": slot_value(row, child)}],
        "subject": {"reference": ref("patient", child, "")},
        "medicationReference": {"reference": medicine},
    }
    if e is not None and row.status == "given" and e.given_at is not None:
        resource["status"] = "completed"
        resource["effectiveDateTime"] = _iso(e.given_at, zone)
        dosage: Resource = {"route": {"coding": [ROUTE_SUBCUTANEOUS]}}
        if e.site:
            dosage["site"] = _text_concept(e.site.replace("-", " "), SITE_CODES.get(e.site))
        if e.dose_mg is not None:
            dosage["dose"] = {
                "value": round(e.dose_mg, 4),
                "unit": "mg",
                "system": UCUM,
                "code": "mg",
            }
        resource["dosage"] = dosage
        if e.given_by:
            resource["performer"] = [{"actor": {"display": e.given_by}}]
    else:
        # Withheld: a decision, "not-done". Nothing logged: the family's record does not
        # say whether it was given, which R4 spells "unknown" ("the authoring system does
        # not know"); the reason says it was missed.
        resource["status"] = "not-done" if row.status == "withheld" else "unknown"
        resource["effectiveDateTime"] = _iso(row.scheduled, zone)
        reason = e.reason if e is not None and e.reason else "missed: nothing logged"
        resource["statusReason"] = [
            {"text": ("withheld: " if row.status == "withheld" else "") + reason}
        ]
        if e is not None and e.given_by:  # who decided to withhold it
            resource["performer"] = [{"actor": {"display": e.given_by}}]
    notes = []
    if e is not None:
        # what broke a label rule, and why it was overridden, reach the clinic's system
        notes += [f"flagged: {flag}" for flag in (e.flags or "").splitlines()]
        if e.force_reason:
            notes.append(f"override reason: {e.force_reason}")
        if e.note:
            notes.append(e.note)
    if notes:
        resource["note"] = [{"text": n} for n in notes]
    return resource


def symptom_observation(
    s: Symptom, child: Child, zone: ZoneInfo, reading_mgdl: float | None = None,
    dose_minutes: int | None = None
) -> Resource:
    """A symptom; linked to the dose given before it by an extension (it followed the dose;
    it was not part of the injection, which Observation.partOf would say)."""
    code = SYMPTOM_CODES.get(s.kind)
    if s.kind == "low-blood-sugar" and reading_mgdl is not None and glucose.level(reading_mgdl):
        code = HYPOGLYCAEMIA
    resource: Resource = {
        "resourceType": "Observation",
        "identifier": [{"system": system("symptom"), "value": f"{child_key(child)}/S{s.id}"}],
        "status": "final",
        "category": [{"coding": [SYMPTOM_CATEGORY], "text": "symptom"}],
        "code": _text_concept(s.kind.replace("-", " "), code),
        "subject": {"reference": ref("patient", child, "")},
        "effectiveDateTime": _iso(s.occurred_at, zone),
    }
    if s.severity:
        resource["component"] = [
            {
                "code": {"text": "severity"},
                "valueCodeableConcept": _text_concept(s.severity, SEVERITY_CODES[s.severity]),
            }
        ]
    notes = [s.note] if s.note else []
    if s.dose_id is not None:
        resource["extension"] = [
            {"url": AFTER_DOSE, "valueReference": {"reference": ref("dose", child, s.dose_id)}}
        ]
        if dose_minutes is not None:
            notes.append(f"began {dose_minutes} min after the dose")
    if notes:
        resource["note"] = [{"text": n} for n in notes]
    return resource


def measurement_observations(m: Measurement, child: Child) -> Iterator[tuple[str, Resource]]:
    for kind, value, loinc, unit in (
        ("weight", m.weight_kg, ("29463-7", "Body weight"), "kg"),
        ("height", m.height_cm, ("8302-2", "Body height"), "cm"),
    ):
        if value is None:
            continue
        yield (
            f"M{m.id}/{kind}",
            {
                "resourceType": "Observation",
                "identifier": [
                    {"system": system("measurement"), "value": f"{child_key(child)}/M{m.id}/{kind}"}
                ],
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/"
                                "observation-category",
                                "code": "vital-signs",
                            }
                        ]
                    }
                ],
                "code": _text_concept(loinc[1], loinc, LOINC),
                "subject": {"reference": ref("patient", child, "")},
                "effectiveDateTime": m.measured_on.isoformat(),
                "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit},
            },
        )


def glucose_observation(g: Glucose, child: Child, zone: ZoneInfo) -> Resource:
    """A home meter reading, in the unit the meter showed, with whether it was low or high."""
    unit = "mmol/L" if g.unit == "mmol/L" else "mg/dL"
    value = round(glucose.from_mgdl(g.mg_dl, unit), 2 if unit == "mmol/L" else 1)
    level = glucose.level(g.mg_dl)
    flag = ("LL", "Critical low") if level == "very low" else ("L", "Low") if level else (
        ("H", "High") if g.mg_dl > glucose.HIGH_MGDL else ("N", "Normal"))
    resource: Resource = {
        "resourceType": "Observation",
        "identifier": [{"system": system("glucose"), "value": f"{child_key(child)}/G{g.id}"}],
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "laboratory",
                    }
                ]
            }
        ],
        "code": _text_concept(GLUCOSE_LOINC[unit][1], GLUCOSE_LOINC[unit], LOINC),
        "subject": {"reference": ref("patient", child, "")},
        "effectiveDateTime": _iso(g.measured_at, zone),
        "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit},
        "interpretation": [
            {"coding": [{"system": INTERPRETATION, "code": flag[0], "display": flag[1]}]}
        ],
    }
    if g.before_meal:
        resource["note"] = [{"text": "before a meal"}]
    return resource


def entries(
    session: Session, child: Child, zone: ZoneInfo, start: date, end: date, now: datetime,
    current: int,
) -> Iterator[tuple[str, Resource]]:
    """Every resource of the Bundle for a period, one at a time; `current` is the id of
    the prescription in force at the period's end (the service knows which)."""
    from sqlalchemy import select

    from tracker.db.models import Glucose, Measurement
    from tracker.domain import schedule
    from tracker.domain.prescription import mg_of
    from tracker.exports import rows


    yield ref("patient", child, ""), patient(child)
    yield urn("medication", "mecasermin"), medication()
    hi = schedule.day_bounds(start, end, zone)[1]
    prescriptions = list(session.scalars(
        select(Prescription)
        .where(Prescription.child_id == child.id, Prescription.voided_at.is_(None))
        .order_by(Prescription.starts_at, Prescription.id)
    ))
    for rx, nxt in zip(prescriptions, [*prescriptions[1:], None], strict=True):
        if rx.starts_at >= hi:
            break
        mg = mg_of(rx, rx.weight_kg)
        yield (ref("prescription", child, rx.id),
               medication_request(rx, child, zone, rx.id == current, mg,
                                  nxt.starts_at if nxt is not None else None))
    vials_seen: set[int] = set()
    administrations = []
    for row in rows.slot_rows(session, child, start, end, now):
        if row.status == "due":
            continue  # neither done nor missed yet: an importer must not read it as either
        if row.entry is not None and row.entry.vial_id:
            vials_seen.add(row.entry.vial_id)
        administrations.append(row)
    for vial in session.scalars(select(Vial).where(Vial.id.in_(vials_seen))):
        yield ref("vial", child, vial.id), medication(vial, child)
    for row in administrations:
        key = (
            ref("dose", child, row.entry.id)
            if row.entry
            else ref("slot", child, row.scheduled.isoformat())
        )
        yield key, administration(row, child, zone)
    symptoms = list(rows.symptoms(session, child, start, end))
    readings = {
        g.id: g.mg_dl
        for g in session.scalars(
            select(Glucose).where(Glucose.id.in_([s.glucose_id for s in symptoms if s.glucose_id]))
        )
    }
    given = rows.given_times(session, [s.dose_id for s in symptoms if s.dose_id])
    for s in symptoms:
        after = (
            round((s.occurred_at - given[s.dose_id]).total_seconds() / 60)
            if s.dose_id in given
            else None
        )
        reading = readings.get(s.glucose_id) if s.glucose_id else None
        yield ref("symptom", child, s.id), symptom_observation(s, child, zone, reading, after)
    for m in session.scalars(
        select(Measurement).where(
            Measurement.child_id == child.id,
            Measurement.voided_at.is_(None),
            Measurement.measured_on >= start,
            Measurement.measured_on <= end,
        )
    ):
        for key, resource in measurement_observations(m, child):
            yield ref("measurement", child, key), resource
    for g in rows.glucose_checks(session, child, start, end):
        yield ref("glucose", child, g.id), glucose_observation(g, child, zone)


def write_bundle(
    out: TextIO, now: datetime, zone: ZoneInfo, entries: Iterator[tuple[str, Resource]]
) -> int:
    """Stream the Bundle: one entry at a time, so memory stays flat on long logs.

    A transaction of conditional updates: each entry is PUT by its identifier, so the same
    resource exported twice is updated, not duplicated. Its codes and its words are the same
    in every language (written in English, whatever language is spoken).
    """
    with i18n.speaking(i18n.ENGLISH):
        return _write_bundle(out, now, zone, entries)


def _write_bundle(
    out: TextIO, now: datetime, zone: ZoneInfo, entries: Iterator[tuple[str, Resource]]
) -> int:
    out.write(
        '{"resourceType": "Bundle", "type": "transaction", '
        f'"timestamp": {json.dumps(_iso(now, zone))}, "entry": ['
    )
    n = 0
    for full_url, resource in entries:
        entry = {"fullUrl": full_url, "resource": resource,
                 "request": request(resource)}
        out.write(("," if n else "") + "\n  " + json.dumps(entry, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n
