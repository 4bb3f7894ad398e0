"""The words of each reminder: who, how much, where, the meal rule, and no double doses."""

from __future__ import annotations

from tracker.domain.dosing import DoseAmount


def compose(
    kind: str, child: str, label: str, amount: DoseAmount, site: str, next_label: str | None
) -> tuple[str, str]:
    dose = f"{amount.describe()}, site {site}."
    meal = (
        f"Within 20 minutes of a meal or snack; if {child} cannot eat, withhold it (tracker skip)."
    )
    if kind == "due":
        return f"{child}: Increlex dose due ({label})", f"{dose} {meal}"
    if kind in ("follow-up", "follow-up-2"):
        return (
            f"{child}: the {label} dose is not logged yet",
            f"If it was given, log it (tracker give). Otherwise: {dose} {meal}",
        )
    if kind == "missed":
        nxt = f" at {next_label}" if next_label else ""
        return (
            f"{child}: the {label} dose was missed",
            f"Nothing was logged for it. Do not double the next dose{nxt}: give the "
            "normal dose. If it was given, log it (tracker give --at ...).",
        )
    raise ValueError(kind)
