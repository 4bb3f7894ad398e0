"""FHIR R4 export: a Bundle (type collection) another system can import.

Codes and where they come from (shared/clinical-facts.md, each from the source it names):
- route "Subcutaneous route" SNOMED CT 34206005;
- body sites, SNOMED CT: left/right upper arm 368208006/368209003
  (hl7.org/fhir/us/ccda ConceptMap-FC-ImmunizationSite), left/right thigh 61396006/11207009
  and left/right buttock 723979003/723980000 (smt.esante.gouv.fr jdv-immunization-approach-
  site-code-cisis). No lateral abdomen code was found: those sites are sent as text only;
- symptoms, SNOMED CT (HL7 Symptoms IG common symptom codes): headache 25064002, dizziness
  404640003, vomiting 300359004, hypoglycaemia 302866003;
- body weight LOINC 29463-7, body height LOINC 8302-2; units UCUM.
Where no verified code exists (the medication's RxNorm code, glucose, other symptoms) the
concept is sent as text rather than with a guessed code.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from tracker.db.models import Child, Glucose, Measurement, Symptom
from tracker.domain import glucose
from tracker.exports.rows import SlotRow

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
    "vomiting": ("300359004", "Vomiting"),
    "low-blood-sugar": ("302866003", "Hypoglycemia"),
}
_NS = uuid.UUID("5c1f4c1e-8f0a-4c57-9d83-6a3f3e0b7a11")


def urn(kind: str, key: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, f'{kind}/{key}')}"


def _iso(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).isoformat()


def _text_concept(
    text: str, code: tuple[str, str] | None = None, system: str = SNOMED
) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": text}
    if code is not None:
        concept["coding"] = [{"system": system, "code": code[0], "display": code[1]}]
    return concept


def patient(child: Child) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "name": [{"text": child.name}],
        "birthDate": child.birth_date.isoformat(),
    }


def medication() -> dict[str, Any]:
    return {
        "resourceType": "Medication",
        "code": {"text": "mecasermin (Increlex) 10 mg/mL solution for injection"},
        "ingredient": [{"itemCodeableConcept": {"text": "mecasermin"}}],
    }


def administration(row: SlotRow, child: Child, zone: ZoneInfo) -> dict[str, Any]:
    e = row.entry
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "subject": {"reference": urn("patient", child.id)},
        "medicationReference": {"reference": urn("medication", "mecasermin")},
    }
    if e is not None and row.status == "given" and e.given_at is not None:
        resource["status"] = "completed"
        resource["effectiveDateTime"] = _iso(e.given_at, zone)
        dosage: dict[str, Any] = {"route": {"coding": [ROUTE_SUBCUTANEOUS]}}
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
        resource["status"] = "not-done"
        resource["effectiveDateTime"] = _iso(row.scheduled, zone)
        reason = e.reason if e is not None and e.reason else "missed: no dose was logged"
        resource["statusReason"] = [
            {"text": ("withheld: " if row.status == "withheld" else "") + reason}
        ]
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


def symptom_observation(s: Symptom, child: Child, zone: ZoneInfo) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"text": "symptom"}],
        "code": _text_concept(s.kind.replace("-", " "), SYMPTOM_CODES.get(s.kind)),
        "subject": {"reference": urn("patient", child.id)},
        "effectiveDateTime": _iso(s.occurred_at, zone),
    }
    if s.severity:
        resource["valueString"] = s.severity
    if s.dose_id is not None:
        resource["partOf"] = [{"reference": urn("dose", s.dose_id)}]
    if s.note:
        resource["note"] = [{"text": s.note}]
    return resource


def measurement_observations(m: Measurement, child: Child) -> Iterator[tuple[str, dict[str, Any]]]:
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
                "subject": {"reference": urn("patient", child.id)},
                "effectiveDateTime": m.measured_on.isoformat(),
                "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit},
            },
        )


def glucose_observation(g: Glucose, child: Child, zone: ZoneInfo) -> dict[str, Any]:
    value = round(glucose.from_mgdl(g.mg_dl, g.unit), 2 if g.unit == "mmol/L" else 1)
    resource: dict[str, Any] = {
        "resourceType": "Observation",
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
        "code": {"text": "Blood glucose"},
        "subject": {"reference": urn("patient", child.id)},
        "effectiveDateTime": _iso(g.measured_at, zone),
        "valueQuantity": {
            "value": value,
            "unit": g.unit,
            "system": UCUM,
            "code": "mmol/L" if g.unit == "mmol/L" else "mg/dL",
        },
    }
    if g.before_meal:
        resource["note"] = [{"text": "before a meal"}]
    return resource


def write_bundle(
    out: TextIO, now: datetime, zone: ZoneInfo, entries: Iterator[tuple[str, dict[str, Any]]]
) -> int:
    """Stream the Bundle: one entry at a time, so memory stays flat on long logs."""
    out.write(
        '{"resourceType": "Bundle", "type": "collection", '
        f'"timestamp": {json.dumps(_iso(now, zone))}, "entry": ['
    )
    n = 0
    for full_url, resource in entries:
        out.write(
            ("," if n else "")
            + "\n  "
            + json.dumps({"fullUrl": full_url, "resource": resource}, ensure_ascii=False)
        )
        n += 1
    out.write("\n]}\n")
    return n
