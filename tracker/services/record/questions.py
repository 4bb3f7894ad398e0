"""Questions a use case needs answered, asked by whichever front is running it.

A rule sometimes needs a person's answer ("was the injection already given?"). The use
case decides which question, when, and what happens without a person to ask; a front (the
command line, a notification button, the web page) only puts the question and calls the
use case again with the answer. Raising the question aborts the use case's transaction,
so nothing is written and no lock is held while the person thinks: ask first, then write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tracker.errors import InputError
from tracker.i18n import _

YESNO = "yesno"
CHOICE = "choice"
TEXT = "text"

# what a front answers: yes or no to a YESNO question, the words or the choice otherwise
Answer = str | bool


class Question(Exception):
    """A decision the use case cannot make alone: answer it and call again."""

    def __init__(
        self,
        key: str,
        text: str,
        *,
        kind: str = YESNO,
        default: Any = None,  # of the question's kind: bool for YESNO, else str
        choices: tuple[str, ...] = (),
        before: tuple[str, ...] = (),
        normalise: Callable[[str], str] | None = None,
        name: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(text)
        self.key = key
        self.text = text
        self.kind = kind
        self.default = default
        self.choices = choices
        self.before = before  # what to show first (the dose to draw, a warning)
        self.normalise = normalise  # how a typed choice is read ('left thigh')
        self.name = name  # how a choice is shown in the reader's language (the key: as is)

    def shown(self, choice: str) -> str:
        """A choice as the reader's language names it (the choice itself where unnamed)."""
        return self.name(choice) if self.name is not None else choice

    def read_choice(self, typed: str) -> str:
        """A choice typed by its number in the list shown or by its name, the way people
        type it; every front reads it the same way."""
        text = typed.strip()
        if text.isdigit():
            if 1 <= int(text) <= len(self.choices):
                return self.choices[int(text) - 1]
            raise InputError(_("there is no {number} in the list: type 1 to {last}").format(
                                 number=text, last=len(self.choices)))
        if self.normalise is not None:
            return self.normalise(text)
        if text.lower() in (c.lower() for c in self.choices):
            return next(c for c in self.choices if c.lower() == text.lower())
        named = [c for c in self.choices if self.shown(c).casefold() == text.casefold()]
        if named:
            return named[0]
        raise InputError(
            _("{typed} is not one of the choices: type its number (1 to {last}) or its "
              "name").format(typed=repr(text), last=len(self.choices))
        )


class Answers:
    """The answers a front has collected so far, and whether it can ask more.

    Without a person to ask there are two kinds of caller. A script (the default) said
    everything on its command line: a question is decided as the use case's `otherwise`
    says. A tap on a reminder (`one_tap`) said one word, possibly long after the reminder
    was sent, by someone who saw only the reminder: the tap's time is the injection's
    time only while its dose is open, and what the person would have been shown before
    the injection (a dose not to give) was never seen. A use case refuses there, in
    words, what the person must have seen or confirmed; any other question is decided
    as for a script (and flagged where the script's answer is a guess).
    """

    def __init__(self, given: Mapping[str, Answer] | None = None, *, can_ask: bool = False,
                 one_tap: bool = False) -> None:
        self.given: dict[str, Answer] = dict(given or {})
        self.can_ask = can_ask
        self.one_tap = one_tap

    # the answer has its question's kind (YESNO: bool; CHOICE, TEXT: str): the use case
    # that asked reads it as such
    def ask(self, question: Question, otherwise: Answer | BaseException | None) -> Any:
        """The answer, else raise the question to the front, else `otherwise`.

        `otherwise` is what the use case does without a person to ask; an exception
        there is raised (a refusal that names the option to use instead).
        """
        if question.key in self.given:
            return self.given[question.key]
        if self.can_ask:
            raise question
        if isinstance(otherwise, BaseException):
            raise otherwise
        return otherwise


NO_ONE = Answers()
ONE_TAP = Answers(one_tap=True)
