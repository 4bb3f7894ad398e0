"""The command line's names for what a message asks: each action as the command to type.

Every command here must work when typed as written (tests/test_suggested_commands.py).
Only the kinds that cross fronts are here: a module only the command line reaches writes
its commands itself (tracker.domain.actions).
"""

from __future__ import annotations

from tracker.domain.actions import Action, Do, said
from tracker.i18n import N_, _

# what to type; the sentences around a command (N_) are said in the reader's words
COMMANDS: dict[Do, str] = {
    # TRANSLATORS: {command} is the options to type, as they are: --force --reason TEXT
    Do.FORCE: N_("add {command}"),
    Do.AT: N_("log it with --at (e.g. --at {at})"),
    Do.DOSE_MG: N_("log the amount that was given with --dose-mg"),
    Do.REASON: N_("say why the dose is withheld, e.g. --reason 'not eating'"),
    Do.UNIT: N_("with --unit {unit}"),
    Do.SET_METER: N_("set the meter's unit once with: tracker config glucose_unit {unit}"),
    Do.UNDO: "tracker undo {ref}",
    Do.EDIT_TIME: "tracker edit {ref} --at HH:MM",
    Do.EDIT_DAY: "tracker edit {ref} --on {day}",
    Do.VIAL_OPEN: N_("run 'tracker vial open'"),
    Do.VIAL_STOCK: N_("count them with 'tracker vial stock N'"),
    Do.SYRINGE: "tracker child {child} --syringe {key}",
    Do.SKIP: N_("withhold it (tracker skip --reason 'not eating')"),
    Do.MEASURE_WEIGHT: N_("run 'tracker measure --weight KG'"),
    Do.PRESCRIBE: "tracker prescribe --dose-mg-per-kg {dose}",
    Do.UPDATE_DOSE: "tracker measure --weight KG --update-dose",
    Do.CHOOSE_CHILD: N_("pick one with --child NAME"),
    Do.SINCE: "tracker child {child} --since {day}",
    Do.RESTORE: "tracker restore FILE",
    Do.REVOKE: "tracker web revoke {name!r}",
    Do.INIT_FORCE: N_("'tracker init' with --force --reason"),
    Do.INIT: N_("run 'tracker init' first"),
    Do.FIX: "tracker doctor --fix",
    Do.HISTORY: "tracker history",
    Do.RESTORE_ENTRY: "tracker restore-entry {ref}",
    Do.GIVE: "tracker give",
    Do.SEX: "tracker child {child} --sex female|male",
    Do.EDIT: "tracker edit {ref}",
}

WORDED = frozenset({Do.AT, Do.DOSE_MG, Do.REASON, Do.UNIT, Do.SET_METER, Do.VIAL_OPEN,
                    Do.VIAL_STOCK, Do.SKIP, Do.MEASURE_WEIGHT, Do.CHOOSE_CHILD, Do.INIT_FORCE,
                    Do.INIT})


def _quoted(word: str) -> str:
    return f"'{word}'" if " " in word else word


def command(action: Action) -> str:
    args = dict(action.args)
    args["child"] = _quoted(args.get("child", ""))
    if action.do is Do.VIAL_OPEN and args.get("at"):
        return f"'tracker vial open --at \"{args['at']}\"'"
    if action.do is Do.PRESCRIBE and not args.get("dose"):
        return "tracker prescribe --dose-mg-per-kg X"
    if action.do is Do.GIVE and args.get("at"):
        return f"tracker give --at {_quoted(args['at'])}"
    if action.do is Do.AT and not args.get("at"):
        return _("log it with --at")
    if action.do is Do.FORCE:
        return _(COMMANDS[Do.FORCE]).format(command="--force --reason TEXT")
    template = COMMANDS[action.do]
    if action.do in WORDED:
        template = _(template)
    return template.format(**args)


def text(message: object) -> str:
    """A message (a Line, an error, plain words) as the command line says it."""
    return said(message, command)
