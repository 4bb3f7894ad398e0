"""The FHIR export validates with fhir.resources (R4B models, the R4-compatible release)."""

from __future__ import annotations

import json

from fhir.resources.R4B.bundle import Bundle
from test_exports import week


def bundle(t) -> tuple[dict, Bundle]:
    raw = json.loads(t.ok("export", "--format", "fhir", "--from", "2026-11-20").out)
    return raw, Bundle.model_validate(raw)


def test_bundle_and_every_entry_validate(tracker, clock):
    week(tracker, clock)
    tracker.ok("glucose", "3.4", "--unit", "mmol/L", "--before-meal")
    tracker.ok("measure", "--height", "118.5")
    raw, parsed = bundle(tracker)
    assert parsed.type == "collection"
    types = [e.resource.get_resource_type() for e in parsed.entry]
    assert types[:2] == ["Patient", "Medication"]
    assert types.count("MedicationAdministration") == 6
    assert types.count("Observation") == 4  # symptom, weight, height, glucose
    urls = {e["fullUrl"] for e in raw["entry"]}
    for entry in raw["entry"]:
        for ref in _references(entry["resource"]):
            assert ref in urls, f"{ref} does not resolve inside the bundle"


def _references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference":
                yield value
            else:
                yield from _references(value)
    elif isinstance(node, list):
        for item in node:
            yield from _references(item)


def test_administrations_say_what_happened(tracker, clock):
    week(tracker, clock)
    raw, _ = bundle(tracker)
    admins = [e["resource"] for e in raw["entry"]
              if e["resource"]["resourceType"] == "MedicationAdministration"]
    given, withheld, _, missed = admins[:4]
    assert given["status"] == "completed"
    assert given["effectiveDateTime"] == "2026-11-20T07:50:00+01:00"
    assert given["dosage"]["route"]["coding"][0]["code"] == "34206005"
    assert given["dosage"]["site"]["coding"][0]["code"] == "61396006"  # left thigh
    assert given["dosage"]["dose"] == {"value": 0.8, "unit": "mg",
                                       "system": "http://unitsofmeasure.org", "code": "mg"}
    assert withheld["status"] == "not-done"
    assert withheld["statusReason"][0]["text"] == "withheld: -not eating"
    assert missed["status"] == "not-done" and "missed" in missed["statusReason"][0]["text"]
    abdomen = [a for a in admins if a.get("dosage", {}).get("site", {}).get("text")
               == "left abdomen"]
    assert abdomen and "coding" not in abdomen[0]["dosage"]["site"]  # no guessed code


def test_symptom_is_linked_to_its_dose_and_vitals_use_loinc(tracker, clock):
    week(tracker, clock)
    raw, _ = bundle(tracker)
    by_url = {e["fullUrl"]: e["resource"] for e in raw["entry"]}
    obs = [r for r in by_url.values() if r["resourceType"] == "Observation"]
    symptom = next(o for o in obs if o["category"][0].get("text") == "symptom")
    assert symptom["code"]["coding"][0] == {"system": "http://snomed.info/sct",
                                            "code": "25064002", "display": "Headache"}
    dose = by_url[symptom["partOf"][0]["reference"]]
    assert dose["effectiveDateTime"] == "2026-11-21T07:20:00+01:00"
    weight = next(o for o in obs if o["code"].get("coding", [{}])[0].get("code") == "29463-7")
    assert weight["valueQuantity"]["value"] == 20.0 and weight["valueQuantity"]["code"] == "kg"
