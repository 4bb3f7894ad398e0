"""Options several commands share, and helpers that read them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from tracker.errors import InputError
from tracker.i18n import N_, _

if TYPE_CHECKING:
    from click.decorators import FC


def force_options(f: FC) -> FC:
    f = click.option(
        "--reason",
        "force_reason_text",
        metavar="TEXT",
        help=_("Why the safety rule is overridden (recorded; needed with --force)."),
    )(f)
    return click.option("--force", is_flag=True, help=_("Override a safety refusal; needs "
                                                        "--reason."))(
        f
    )


def force_reason(force: bool, reason: str | None) -> str | None:
    """The override reason, or None; --force without a reason is refused."""
    if not force:
        return None
    if not reason or not reason.strip():
        raise InputError(_("--force needs --reason TEXT saying why (it is recorded)"))
    return reason


def at_option(help_text: str) -> Callable[[FC], FC]:
    return click.option("--at", "at_text", metavar="WHEN", help=help_text)


WHEN_HELP = N_(
    "When, in the child's time zone: 07:40, 'yesterday 19:30', '2026-11-20 07:35', "
    "'20 min ago'. Default: now."
)


class Number(click.ParamType[float, str | float]):
    """A number as people type it: "21,5" and "21.5 kg" as well as 21.5."""

    name = "number"

    def __init__(self, what: str, unit: str = "") -> None:
        self.what = what
        self.unit = unit

    def convert(self, value: str | float, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        if isinstance(value, float | int):
            return float(value)
        from tracker.domain.typed import number

        return number(str(value), self.what, self.unit)  # its own words, no "Invalid value"


class Whole(click.ParamType[int, str | int]):
    """A count or a number of minutes, refused in words ("'abc' is not a whole number")."""

    name = "integer"

    def __init__(self, what: str, low: int, high: int, example: int) -> None:
        self.what, self.low, self.high, self.example = what, low, high, example

    def convert(self, value: str | int, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        if isinstance(value, int):
            found = value
        else:
            text = str(value).strip()
            if not text.lstrip("-").isdigit():
                raise InputError(
                    _("{text!r} is not a whole number: type a number of {what} like "
                      "{example}").format(text=text, what=self.what, example=self.example)
                )
            found = int(text)
        if not self.low <= found <= self.high:
            raise InputError(_("{found} {what} is out of range: type {low} to {high}").format(
                                 found=found, what=self.what, low=self.low, high=self.high))
        return found
