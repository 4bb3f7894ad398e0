"""How strong the rules' tests are: mutation testing of tracker/domain with mutmut.

    python bench/mutation.py [--jobs N] [--reuse]

mutmut (configured in pyproject.toml, [tool.mutmut]) changes the rules one small edit at a
time (a `>` into `>=`, 0.12 into 1.12, a word of a message) and runs the rule and command
line tests against each change. A change no test notices "survives". The score is

    killed / (mutants - equivalent survivors)

where an equivalent survivor is a change that cannot alter what tracker does; each is
listed in EQUIVALENT below with the reason, matched on the line it produces, and printed
when it is met. Everything else that survives is printed with its diff: each one is a gap
in the tests. The run also times the plain test selection once, so the cost of mutation
testing is shown as a ratio to it. It takes minutes (not CI): mutants/ is left for
`mutmut browse`; --reuse reads an earlier run's results instead of running again.

Target (issue 11): at least 95% of the mutants that change behaviour are killed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

# (function, text in the mutated line, why the change cannot alter behaviour)
EQUIVALENT: list[tuple[str, str, str]] = [
    (
        "prescription.x_draw_for",
        "if (syringe) or True else None",
        "no syringe's key is None: SYRINGES.get(None) is None, as the else gives",
    ),
    (
        "growth.x_chart_ages",
        "if hi - lo <= 2:",
        "at a span of exactly 2 years, widening to mid +/- 1 gives the same span",
    ),
    (
        "growth.x_chart_ages",
        "round(step * k, 5)",
        "multiples of a quarter are exact in binary: 4 or 5 places give the same number",
    ),
    (
        "schedule.x_localize",
        "replace(tzinfo=zone, )",
        "fold=0 is datetime's default: dropping it changes nothing",
    ),
    (
        "schedule.x_next_slot_after",
        "range(2)",
        "range(2) is range(0, 2)",
    ),
    (
        "schedule.x_next_slot_after",
        "range(0, 3)",
        "one more day of candidates; the earliest later slot is the same",
    ),
    (
        "dosing.x_draw",
        "> ceiling - EPSILON",
        "a mark within float noise of the ceiling is an exact mark: rounding it down gives the "
        "same mark, so nothing changes",
    ),
    (
        "dosing.x_draw",
        ">= ceiling + EPSILON",
        "differs only for an amount exactly 1e-9 mg above the ceiling, which no syringe mark is",
    ),
    (
        "dosing.x_syringe_for",
        "units < SYRINGES[key].capacity_units + EPSILON",
        "differs only at exactly capacity + 1e-9 units",
    ),
    (
        "safety.x_dose_problems",
        ">= prescribed_mg + tolerance_mg + EPSILON",
        "differs only at exactly the tolerance + 1e-9 mg (float noise, not a dose)",
    ),
    (
        "safety.x_dose_problems",
        ">= MAX_MG_PER_KG * weight_kg + EPSILON",
        "differs only at exactly the ceiling + 1e-9 mg",
    ),
    (
        "safety.x_prescription_problems",
        ">= MAX_MG_PER_KG",
        "differs only at exactly the ceiling + 1e-9",
    ),
    (
        "safety.x_concentration_problems",
        ">= EPSILON",
        "differs only for a strength exactly 1e-9 mg/mL from 10",
    ),
    (
        "safety.x_daily_total_problems",
        ">= MAX_MG_PER_KG_PER_DAY + EPSILON",
        "differs only at exactly 0.24 mg/kg + 1e-9",
    ),
    (
        "safety.x_weight_jump",
        ">= WEIGHT_JUMP + EPSILON",
        "differs only at exactly 20% + 1e-9",
    ),
    (
        "safety.x_titration_warnings",
        ">= START_MG_PER_KG[1] + EPSILON",
        "differs only at exactly 0.08 mg/kg + 1e-9",
    ),
    (
        "safety.x_titration_warnings",
        ">= STEP_MG_PER_KG + 1e-6",
        "differs only at a step of exactly 0.04 mg/kg + 1e-6",
    ),
    (
        "safety.x_titration_warnings",
        "step < EPSILON",
        "differs only for a step of exactly 1e-9 mg/kg",
    ),
    (
        "schedule.x_local_time_exists",
        ".astimezone(None).astimezone(zone)",
        "a round trip through any zone gives back the same instant",
    ),
    (
        "timeparse.x_parse_when",
        "words = s.split(None)",
        "s has single spaces already: splitting on whitespace gives the same words",
    ),
    (
        "timeparse.x_parse_when",
        "parse_date(words[0], None)",
        "today is read only for 'today' and 'yesterday', and this first word is a date",
    ),
    (
        "text.x_clean",
        r'"XX\n\tXX" if multiline',
        "adds the letter X to what is allowed besides control characters: X is allowed anyway",
    ),
    (
        "text.x_clean",
        'else "XXXX"',
        "the letter X is allowed anyway; the allowed set matters only for control characters",
    ),
    (
        "text.x_clean_name",
        "multiline=None",
        "None is as false as False",
    ),
    (
        "text.x_one_line",
        '"UNICODE_ESCAPE"',
        "codec names are case-insensitive",
    ),
    (
        "text.x_one_line",
        '.decode("ASCII")',
        "codec names are case-insensitive",
    ),
    (
        "vials.x_days_of_supply",
        'float("INF")',
        "float() reads 'INF' as infinity too",
    ),
    (
        "vials.x_vial_warnings",
        "state.remaining_ml + 1e-9 <= dose_ml",
        "differs only when what is left is exactly 1e-9 mL short of a dose",
    ),
    (
        "timeparse.x_parse_expiry",
        "if year is not None or month is not None:",
        "the pattern sets year and month together: one is never None without the other",
    ),
    (
        "timeparse.x_parse_date",
        '"XX XX".join(',
        "the words a date is read from are single words: joining them differently changes "
        "only text that no pattern accepts either way",
    ),
    (
        "vials.x_shortfall",
        "if remaining + 1e-9 > dose_ml:",
        "differs only when what is left is exactly 1e-9 mL short of the dose",
    ),
    (
        "safety.x_precision_note",
        "if abs(off) < PRECISION + EPSILON",
        "differs only at an error of exactly 10% + 1e-9, which no syringe mark gives",
    ),
    (
        "safety.x_precision_note",
        "s.capacity_units + EPSILON > draw.exact_units",
        "differs only for a dose exactly 1e-9 units under a syringe's capacity",
    ),
    (
        "safety.x_precision_note",
        "'less' if off <= 0",
        "an error of exactly 0 never gives a note, so the word is never chosen for it",
    ),
    (
        "dosing.x__plain",
        'format(value.normalize(), "F")',
        "F differs from f only for infinity and NaN, which significant and format_units "
        "answer before they call _plain",
    ),
    (
        "dosing.x_half_up",
        "Decimal(2).scaleb(-places)",
        "quantize takes only the exponent of its argument: 2E-2 and 1E-2 give the same places",
    ),
    (
        "dosing.x_significant",
        "step = Decimal(2).scaleb(",
        "quantize takes only the exponent of its argument: 2En and 1En give the same digits",
    ),
    (
        "dosing.x_format_ml",
        "significant(ml, )",
        "3 is significant's default number of digits",
    ),
    (
        "safety.x__suggest",
        "break",
        "SYRINGES is in order of mark size (0.5, 1, 1, 1, 2 units): after the first syringe "
        "whose marks are not finer than the family's, none later is finer either, so stopping "
        "there skips the same syringes",
    ),
    (
        "safety.x__suggest",
        "min(fitting, key=None, default=None)",
        "for a syringe too small (the only call with finer=False), ordering by key name and "
        "by (capacity, marks) differ only between the two 0.3 mL syringes, and a dose too big "
        "for the family's syringe never fits both of them (checked for every 0.001 mg to 30 mg "
        "at 2.5-20 mg/mL); with finer=True the same line is killed by the tests",
    ),
    (
        "safety.x__suggest",
        "min(fitting, default=None)",
        "as key=None: a syringe is a tuple that compares by its key name first",
    ),
    (
        "safety.x_precision_note",
        "_suggest(draw, finer=None)",
        "None is false as False is: _suggest only asks `if finer`",
    ),
    (
        "meter_units.x__read",
        'encoding="UTF-8"',
        "codec names are case-insensitive: UTF-8 is utf-8",
    ),
    (
        "meter_units.x__same_bytes",
        "candidate.split(None)",
        "a zone.tab name has no spaces, so it stays whole, and a Path or the tzdata "
        "package's folder reads America/Toronto joined whole as joined in parts",
    ),
    (
        "meter_units.x__same_bytes",
        'candidate.split("XX/XX")',
        "a zone.tab name never holds XX/XX, so it stays whole, and a Path or the tzdata "
        "package's folder reads America/Toronto joined whole as joined in parts",
    ),
    (
        "meter_units.x_country_of",
        "if (target) or True else None",
        "no zone is named None: found.country.get(None) is None, as the else gives",
    ),
]


def matches(name: str, diff: str) -> str | None:
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and
             not line.startswith("+++")]
    for function, text, reason in EQUIVALENT:
        if f"tracker.domain.{function}__" in name and any(text in line for line in added):
            return reason
    return None


def mutmut(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PY, "-m", "mutmut", *args], cwd=ROOT, capture_output=True,
                          text=True, check=check)


def time_plain_tests() -> float:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    start = time.perf_counter()
    subprocess.run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m",
                    "not robustness and not slow", *config["pytest_add_cli_args_test_selection"]],
                   cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--reuse", action="store_true", help="report the last run's results")
    args = parser.parse_args()
    if shutil.which("mutmut", path=str(Path(PY).parent)) is None:
        raise SystemExit("mutmut is not installed here: pip install mutmut")
    plain = time_plain_tests()
    start = time.perf_counter()
    if not args.reuse:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        mutmut("run", "--max-children", str(args.jobs), check=False)
    took = time.perf_counter() - start
    mutmut("export-cicd-stats")
    stats = json.loads((ROOT / "mutants" / "mutmut-cicd-stats.json").read_text())
    survivors = re.findall(r"^\s*(\S+): survived$", mutmut("results").stdout, re.M)
    equivalent: list[tuple[str, str]] = []
    gaps: list[tuple[str, str]] = []
    for name in survivors:
        diff = mutmut("show", name).stdout
        reason = matches(name, diff)
        (equivalent if reason else gaps).append((name, reason or diff))
    total = stats["total"]
    killed = stats["killed"]
    behaviour = total - len(equivalent)
    score = killed / behaviour if behaviour else 1.0
    print(f"mutants of tracker/domain: {total}")
    print(f"killed: {killed}; survived: {len(survivors)} ({len(equivalent)} equivalent, "
          f"{len(gaps)} gaps); other: {total - killed - len(survivors)}")
    print(f"score: {killed}/{behaviour} = {score:.1%} of the mutants that change behaviour "
          f"(target 95%)")
    if not args.reuse:
        print(f"time: {took:.0f} s, {took / plain:.0f}x one run of the plain test selection "
              f"({plain:.1f} s)")
    for name, reason in equivalent:
        print(f"\nequivalent {name}: {reason}")
    for name, diff in gaps:
        lines = [ln for ln in diff.splitlines()
                 if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
        print(f"\nSURVIVED {name}\n" + "\n".join(lines))
    sys.exit(0 if score >= 0.95 else 1)


if __name__ == "__main__":
    main()
