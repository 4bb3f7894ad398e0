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
    assert parsed.type == "transaction"
    types = [e.resource.get_resource_type() for e in parsed.entry]
    assert types[:3] == ["Patient", "Medication", "MedicationRequest"]
    # 20th-22nd: given, withheld, given, missed, given, extra; the 22nd at 19:30 is still due
    assert types.count("MedicationAdministration") == 6
    assert types.count("Observation") == 4  # symptom, weight, height, glucose
    for e in raw["entry"]:  # every entry updates by its identifier rather than duplicates
        ident = e["resource"]["identifier"][0]
        assert e["request"] == {"method": "PUT", "url": f"{e['resource']['resourceType']}"
                                f"?identifier={ident['system']}|{ident['value']}"}
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
    assert missed["status"] == "unknown"  # R4: the record does not say it was given
    assert missed["statusReason"][0]["text"] == "missed: nothing logged"
    abdomen = [a for a in admins if a.get("dosage", {}).get("site", {}).get("text")
               == "left abdomen"]
    assert abdomen and "coding" not in abdomen[0]["dosage"]["site"]  # no guessed code


def test_symptom_is_linked_to_its_dose_and_vitals_use_loinc(tracker, clock):
    week(tracker, clock)
    raw, _ = bundle(tracker)
    by_url = {e["fullUrl"]: e["resource"] for e in raw["entry"]}
    obs = [r for r in by_url.values() if r["resourceType"] == "Observation"]
    symptom = next(o for o in obs if o["category"][0].get("text") == "symptom")
    assert symptom["category"][0]["coding"][0]["code"] == "symptom"
    assert symptom["code"]["coding"][0] == {"system": "http://snomed.info/sct",
                                            "code": "25064002", "display": "Headache"}
    assert "partOf" not in symptom  # it followed the dose; it was not part of the injection
    dose = by_url[symptom["extension"][0]["valueReference"]["reference"]]
    assert dose["effectiveDateTime"] == "2026-11-21T07:20:00+01:00"
    assert {"text": "began 100 min after the dose"} in symptom["note"]
    weight = next(o for o in obs if o["code"].get("coding", [{}])[0].get("code") == "29463-7")
    assert weight["valueQuantity"]["value"] == 20.0 and weight["valueQuantity"]["code"] == "kg"


def test_a_slot_keeps_its_identifier_from_missed_to_logged_and_due_is_left_out(tracker, clock):
    week(tracker, clock)
    first, _ = bundle(tracker)
    admins = {a["identifier"][0]["value"]: a for a in
              (e["resource"] for e in first["entry"])
              if a["resourceType"] == "MedicationAdministration"}
    missed = [k for k, a in admins.items() if a["status"] == "unknown"
              and "missed" in a["statusReason"][0]["text"]]
    assert len(missed) == 1 and missed[0].endswith("/2026-11-21T19:30")
    assert not any(k.endswith("/2026-11-22T19:30") for k in admins)  # still due: left out
    tracker.ok("give", "--site", "left-upper-arm", "--at", "2026-11-21 19:40")  # logged late
    second, _ = bundle(tracker)
    later = {a["identifier"][0]["value"]: a for a in (e["resource"] for e in second["entry"])
             if a["resourceType"] == "MedicationAdministration"}
    assert later[missed[0]]["status"] == "completed"  # same identifier: updated, not added
    assert set(later) == set(admins)


def test_what_a_clinic_system_uses_is_coded(tracker, clock):
    week(tracker, clock)
    tracker.ok("vial", "open", "--lot", "AB123", "--expires", "2027-06-30", "--at", "07:00")
    clock.set("2026-11-22T19:35:00+01:00")
    tracker.ok("give", "--site", "left-upper-arm", "--dose-mg", "1.2")
    tracker.ok("symptom", "vomiting", "--severity", "moderate")
    tracker.ok("symptom", "low-blood-sugar", "--glucose", "3.1", "--unit", "mmol/L")
    tracker.ok("symptom", "low-blood-sugar", "--glucose", "95")
    tracker.ok("glucose", "250")
    raw = json.loads(tracker.ok("export", "--format", "fhir", "--from", "2026-11-20").out)
    Bundle.model_validate(raw)
    res = [e["resource"] for e in raw["entry"]]
    med = res[1]
    assert med["code"]["coding"][0] == {"system": "http://hl7.org/fhir/sid/ndc",
                                        "code": "71863-216-04",
                                        "display": "Increlex (mecasermin) injection, 40 mg/4 "
                                                   "mL vial"}
    vial = next(r for r in res if r["resourceType"] == "Medication" and "batch" in r)
    assert vial["batch"] == {"lotNumber": "AB123", "expirationDate": "2027-06-30"}
    rx = next(r for r in res if r["resourceType"] == "MedicationRequest")
    assert rx["status"] == "active" and rx["reportedBoolean"] is True
    assert rx["dosageInstruction"][0]["timing"]["repeat"]["timeOfDay"] == ["07:30:00",
                                                                            "19:30:00"]
    assert rx["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]["value"] == 0.8
    over = next(r for r in res if r["resourceType"] == "MedicationAdministration"
                and r.get("dosage", {}).get("dose", {}).get("value") == 1.2)
    assert over["medicationReference"]["reference"] == vial_ref(raw, vial)
    assert {"text": "flagged: 1.20 mg is more than the prescribed 0.80 mg"} in over["note"]
    withheld = next(r for r in res if r["resourceType"] == "MedicationAdministration"
                    and "withheld" in r.get("statusReason", [{}])[0].get("text", ""))
    assert withheld["performer"][0]["actor"]["display"] == "Anna"  # who decided
    obs = [r for r in res if r["resourceType"] == "Observation"]
    vomit = next(o for o in obs if o["code"]["text"] == "vomiting")
    assert vomit["code"]["coding"][0]["display"] == "Finding of vomiting"
    assert vomit["component"][0]["valueCodeableConcept"]["coding"][0]["code"] == "6736007"
    lows = [o for o in obs if o["code"]["text"] == "low blood sugar"]
    assert [o["code"].get("coding", [{}])[0].get("code") for o in lows] == ["302866003", None]
    meters = [o for o in obs if o["code"].get("coding", [{}])[0].get("code")
              in ("41653-7", "14743-9")]
    by_value = {o["valueQuantity"]["value"]: o for o in meters}
    assert by_value[3.1]["code"]["coding"][0]["code"] == "14743-9"  # mmol/L as measured
    assert by_value[3.1]["interpretation"][0]["coding"][0]["code"] == "L"
    assert by_value[250.0]["code"]["coding"][0]["code"] == "41653-7"
    assert by_value[250.0]["interpretation"][0]["coding"][0]["code"] == "H"


def vial_ref(raw, vial):
    return next(e["fullUrl"] for e in raw["entry"] if e["resource"] is vial or
                e["resource"] == vial)


def test_the_patient_has_the_sex_set_for_the_growth_charts(tracker, clock):
    week(tracker, clock)
    raw, _ = bundle(tracker)
    assert "gender" not in raw["entry"][0]["resource"]  # not said: not guessed
    tracker.ok("child", "Mia", "--sex", "female")
    raw, parsed = bundle(tracker)
    assert raw["entry"][0]["resource"]["gender"] == "female"
    assert parsed.entry[0].resource.gender == "female"
