"""Commands that set things up: init, measure, prescribe, child, config."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from tracker import i18n
from tracker.cli import render
from tracker.cli.app import App, child_option, pass_app
from tracker.cli.options import Number, force_options, force_reason
from tracker.errors import InputError
from tracker.i18n import _, formats, pgettext
from tracker.services.record.interview import ASKED  # the questions' words: no SQLAlchemy

if TYPE_CHECKING:
    from datetime import datetime

    from tracker.cli.ask import Interview
    from tracker.domain.typed import Dose
    from tracker.services.record.interview import Env
    from tracker.services.record.questions import Answers
    from tracker.services.record.setup import SetupOutcome


@click.command(
    help=_(
        "Set up a child and their prescription.\n"
        "\n"
        "\b\n"
        "In a terminal, just run 'tracker init': it asks for each answer in turn\n"
        "(the child's name, birth date, weight, sex, the dose as the clinic wrote it,\n"
        "dose times, time zone, your name and your glucose meter's unit), checks each\n"
        "one as you type it, and writes nothing until the end.\n"
        "\n"
        "\b\n"
        "Or all at once, e.g. in a script:\n"
        "  tracker init --child Mia --birth-date 2018-05-01 --weight 20 \\\n"
        "               --dose \"0.04 mg/kg\" --times 07:30,19:30 --timezone Europe/Paris\n"
        "\n"
        "Several children can share one log."
    ),
)
@click.option("--child", "name", metavar="NAME", help=_(ASKED["name"].help))
@click.option("--birth-date", metavar="DATE", help=_(ASKED["birth_date"].help))
@click.option("--weight", metavar="KG", help=_(ASKED["weight_kg"].help))
@click.option("--height", metavar="CM", help=_(ASKED["height_cm"].help))
@click.option("--dose", "dose_text", metavar="DOSE", help=_(ASKED["dose"].help))
@click.option("--dose-mg-per-kg", type=Number("dose", "mg/kg"), metavar="X",
              help=_("Or: the dose in mg/kg (the mg are those of this weight)."))
@click.option("--dose-mg", type=Number("dose", "mg"), metavar="X",
              help=_("Or: a fixed dose per injection in mg."))
@click.option("--times", metavar="HH:MM,HH:MM",
              help=_("{help} Default 07:30,19:30.").format(help=_(ASKED['times'].help)))
@click.option(
    "--timezone",
    metavar="ZONE",
    help=_("The child's time zone: a city (Paris) or a zone name (Europe/Paris). Default: this "
           "computer's."),
)
@click.option(
    "--concentration",
    type=Number("strength", "mg/mL"),
    default=None,
    metavar="MG/ML",
    help=_("Vial strength in mg/mL. Default 10 (Increlex)."),
)
@click.option(
    "--since",
    metavar="WHEN",
    help=_("{help} Default: today.").format(help=_(ASKED['treatment_start'].help)),
)
@click.option("--caregiver", metavar="NAME", help=_(ASKED["caregiver"].help))
@click.option("--meter", metavar="mg/dL|mmol/L", help=_(ASKED["glucose_unit"].help))
@click.option(
    "--syringe",
    metavar="KIND",
    help=_("The syringe you draw with: 0.3ml-half, 0.3ml, 0.5ml, 1ml or 1ml-2 (2-unit marks). "
           "Default: the smallest that holds the dose."),
)
@click.option(
    "--sex",
    metavar="female|male",
    help=_(ASKED["sex"].help),
)
@click.option(
    "--growth-reference",
    metavar="who|uk-who|cdc",
    help=_("The growth charts the clinic uses: who (WHO 2006 under 5, 2007 from 5), uk-who (WHO "
           "to 4 years, then UK90) or cdc. Default: by the time zone's country, uk-who in the "
           "United Kingdom, cdc in the United States, else who (and it follows the zone)."),
)
@force_options
@pass_app
def init(
    app: App,
    name: str | None,
    birth_date: str | None,
    weight: str | None,
    height: str | None,
    dose_text: str | None,
    dose_mg_per_kg: float | None,
    dose_mg: float | None,
    times: str | None,
    timezone: str | None,
    concentration: float | None,
    since: str | None,
    caregiver: str | None,
    meter: str | None,
    syringe: str | None,
    sex: str | None,
    growth_reference: str | None,
    force: bool,
    force_reason_text: str | None,
) -> None:
    from tracker.cli import ask
    from tracker.services.record import interview

    reason = force_reason(force, force_reason_text)
    now = app.now()
    app.may_create = True  # a new log, even where an old one vanished (it was said)
    dose = _one_dose(dose_text, dose_mg_per_kg, dose_mg)
    env = _setup_env(now, concentration)
    options = {"name": name, "birth_date": birth_date, "weight_kg": weight, "height_cm": height,
               "sex": sex, "dose": dose, "times": times, "timezone": timezone,
               "treatment_start": since, "caregiver": caregiver, "glucose_unit": meter}
    answers = ask.interview(app, options, lambda a: interview.next_step(a, env))
    _set_up_child(app, answers, env, syringe=syringe, growth_reference=growth_reference,
                  force_reason=reason)


def _one_dose(dose_text: str | None, dose_mg_per_kg: float | None,
              dose_mg: float | None) -> str | None:
    """The dose as written, from whichever one of init's three dose options was given."""
    dose_given = [d for d in (dose_text, dose_mg_per_kg, dose_mg) if d is not None]
    if len(dose_given) > 1:
        raise InputError(_("give the dose once: --dose, --dose-mg-per-kg or --dose-mg"))
    if dose_mg_per_kg is not None:
        return f"{dose_mg_per_kg} mg/kg"
    if dose_mg is not None:
        return f"{dose_mg} mg"
    return dose_text


def _setup_env(now: datetime, concentration: float | None) -> Env:
    """What setup assumes when it is not told: this computer's zone, the caregiver's name
    from the environment or the settings, a vial of 10 mg/mL."""
    from tracker import clock, config
    from tracker.services.record import interview

    settings = config.load_settings()
    return interview.Env(
        now=now,
        machine_zone=clock.machine_zone(),
        caregiver=os.environ.get("TRACKER_CAREGIVER") or settings.get("caregiver"),
        concentration=concentration or 10.0,
    )


def _set_up_child(app: App, answers: Interview, env: Env, *, syringe: str | None,
                  growth_reference: str | None, force_reason: str | None) -> None:
    """Write the child the answers describe, keep the settings, and say what was set up."""
    from tracker.cli import ask
    from tracker.services.record import interview, setup
    from tracker.services.views.meter import meter_unit

    zone, by = interview.zone_and_caregiver(answers, env)
    given = {"confirm-times": True} if answers["times"] else None  # confirmed when typed

    def work(questions: Answers) -> SetupOutcome:
        with app.session(write=True) as session:
            return setup.from_interview(session, answers, env, syringe=syringe,
                                        growth_reference=growth_reference,
                                        force_reason=force_reason, asked=questions)

    outcome = ask.run(app, work, given)
    interview.keep_settings(answers, zone)  # once the child is set up, not before
    render.setup_summary(outcome, zone, by, meter_unit(outcome.child), app.target().describe())


@click.command(
    help=_(
        "Record a weight and/or height.\n"
        "\n"
        "Kept as history: growth is what the treatment is for. A new weight never changes\n"
        "the dose by itself: with a dose in mg/kg, tracker shows what the new weight would\n"
        "make it, and the dose changes only when you confirm the doctor's decision (asked in\n"
        "a terminal, or --update-dose, or 'tracker prescribe'). A weight far from the last one,\n"
        "or from the weight the dose was prescribed for, is checked with you as a likely typo."
    ),
)
@child_option
@click.option("--weight", type=Number("weight", "kg"), metavar="KG", help=_("Weight in kg."))
@click.option("--height", type=Number("height", "cm"), metavar="CM", help=_("Height in cm."))
@click.option("--on", "on_text", metavar="DATE", help=_("Day measured (YYYY-MM-DD). Default "
                                                        "today."))
@click.option("--note", metavar="TEXT", help=_("Anything worth keeping with it."))
@click.option(
    "--update-dose",
    is_flag=True,
    help=_("The doctor said an mg/kg dose should follow this new weight: record it."),
)
@force_options
@pass_app
def measure(
    app: App,
    child_name: str | None,
    weight: float | None,
    height: float | None,
    on_text: str | None,
    note: str | None,
    update_dose: bool,
    force: bool,
    force_reason_text: str | None,
) -> None:
    from tracker import config
    from tracker.cli import ask
    from tracker.domain.timeparse import parse_date
    from tracker.services.record import setup
    from tracker.services.views import plan

    reason = force_reason(force, force_reason_text)
    now = app.now()

    def work(answers: Answers) -> SetupOutcome:
        with app.session(write=True) as session:
            child = plan.find_child(session, child_name)
            zone = plan.zone_of(child)
            on = parse_date(on_text, now.astimezone(zone).date(), zone) if on_text else None
            outcome = setup.measure(
                session,
                child,
                now=now,
                by=config.caregiver(),
                on=on,
                weight_kg=weight,
                height_cm=height,
                note=note,
                force_reason=reason,
                update_dose=update_dose,
                answers=answers,
            )
            return outcome

    render.outcome(ask.run(app, work))


@click.command(
    help=_(
        "Record a prescription change, or show the titration record.\n"
        "\n"
        "With no options it shows every prescription so far. What you do not change is kept\n"
        "from the current prescription. The old ones stay in\n"
        "the record.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  tracker prescribe --dose-mg-per-kg 0.08 --note \"Dr Roy, visit 2026-11-20\"\n"
        "  tracker prescribe --units 13          (read back: 1.30 mg, mg/kg at the weight)\n"
        "  tracker prescribe --times 08:00,20:00"
    ),
)
@child_option
@click.option("--dose-mg-per-kg", type=Number("dose", "mg/kg"), metavar="X",
              help=_("New dose per injection, mg/kg."))
@click.option("--dose-mg", type=Number("dose", "mg"), metavar="X",
              help=_("Or: new fixed dose per injection, mg."))
@click.option("--units", type=Number("dose", "units"), metavar="N",
              help=_("Or: the dose in syringe units, as the clinic's sheet says (13 units)."))
@click.option("--ml", type=Number("dose", "mL"), metavar="X",
              help=_("Or: the dose in mL (0.13). Units and mL are shown back in mg and mg/kg."))
@click.option("--dose", "dose_text", metavar="DOSE",
              help=_("Or: the dose as written, with its unit: 0.08 mg/kg, 80 mcg/kg, 1.3 mg, "
                     "0.13 mL, 13 units."))
@click.option("--times", metavar="HH:MM,HH:MM", help=_("New daily dose times."))
@click.option("--concentration", type=Number("strength", "mg/mL"), metavar="MG/ML",
              help=_("New vial strength."))
@click.option(
    "--from",
    "from_text",
    metavar="WHEN",
    help=_("When it starts (e.g. 'tomorrow 07:30'). Default: now."),
)
@click.option("--note", metavar="TEXT", help=_("e.g. who prescribed it and why."))
@force_options
@pass_app
def prescribe(
    app: App,
    child_name: str | None,
    dose_mg_per_kg: float | None,
    dose_mg: float | None,
    units: float | None,
    ml: float | None,
    dose_text: str | None,
    times: str | None,
    concentration: float | None,
    from_text: str | None,
    note: str | None,
    force: bool,
    force_reason_text: str | None,
) -> None:
    reason = force_reason(force, force_reason_text)
    now = app.now()
    dose = _one_written_dose(units, ml, dose_text, dose_mg_per_kg, dose_mg)
    changing = any(v is not None for v in (dose_mg_per_kg, dose_mg, dose, times, concentration))
    if not changing:
        _show_prescriptions(app, child_name, now)
        return
    _change_prescription(app, child_name, now, dose_mg_per_kg=dose_mg_per_kg, dose_mg=dose_mg,
                         dose=dose, times=times, concentration=concentration,
                         from_text=from_text, note=note, force_reason=reason)


def _one_written_dose(units: float | None, ml: float | None, dose_text: str | None,
                      dose_mg_per_kg: float | None, dose_mg: float | None) -> Dose | None:
    """The dose as the clinic wrote it (units, mL or with its unit), if it was given that
    way; two dose options at once are refused."""
    from tracker.domain import typed

    written = [
        typed.Dose(v, unit) if isinstance(v, float) else typed.dose(v)
        for v, unit in ((units, "units"), (ml, "mL"), (dose_text, ""))
        if v is not None
    ]
    if len(written) + (dose_mg_per_kg is not None) + (dose_mg is not None) > 1:
        raise InputError(_("give the dose once: --dose-mg-per-kg, --dose-mg, --units, --ml or "
                           "--dose"))
    return written[0] if written else None


def _show_prescriptions(app: App, child_name: str | None, now: datetime) -> None:
    """Nothing to change: the titration record, then the prescription in force now."""
    from tracker.domain import safety
    from tracker.domain.text import isolate
    from tracker.services.views import history, plan

    with app.session(write=False) as session:
        child = plan.find_child(session, child_name)
        items = [
            i
            for i in history.history(session, child, start=None, end=None)
            if i.kind == "prescription"
        ]
        zone = plan.zone_of(child)
        for item in items:
            click.echo(
                f"{item.when.astimezone(zone):%Y-%m-%d %H:%M}  {item.ref:>5}  "
                f"{item.summary}"
                f"{'  - ' + isolate(item.note) if item.note else ''}"
            )
        current = plan.plan_at(session, child, now)
        click.echo(_("now: {prescription}").format(prescription=current.describe_prescription()))
        problem = safety.do_not_give(current.problems)
        render.messages([n for n in [current.weight_note()] if n], [problem] if problem else [])


def _change_prescription(
    app: App,
    child_name: str | None,
    now: datetime,
    *,
    dose_mg_per_kg: float | None,
    dose_mg: float | None,
    dose: Dose | None,
    times: str | None,
    concentration: float | None,
    from_text: str | None,
    note: str | None,
    force_reason: str | None,
) -> None:
    """Record the new prescription from when it starts (now unless said), asking what the
    change needs confirmed."""
    from tracker import config
    from tracker.cli import ask
    from tracker.domain.timeparse import parse_when
    from tracker.services.record import setup
    from tracker.services.views import plan

    def work(answers: Answers) -> SetupOutcome:
        with app.session(write=True) as session:
            child = plan.find_child(session, child_name)
            zone = plan.zone_of(child)
            starts = (parse_when(from_text, now, zone, past=False, date_alone=True)
                      if from_text else None)
            outcome = setup.prescribe(
                session,
                child,
                now=now,
                by=config.caregiver(),
                dose_mg_per_kg=dose_mg_per_kg,
                dose_mg=dose_mg,
                dose=dose,
                times=times,
                concentration=concentration,
                starts_at=starts,
                note=note,
                force_reason=force_reason,
                answers=answers,
            )
            return outcome

    render.outcome(ask.run(app, work))


@click.command(
    "child",
    help=_(
        "List the children, or change one's time zone, syringe, charts or treatment start.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  tracker child Mia --timezone Europe/London\n"
        "  tracker child Mia --sex female --growth-reference uk-who\n"
        "  tracker child Mia --since 2026-11-19     the injections started on 19 November\n"
        "\n"
        "The dose to draw is rounded to the marks of the child's syringe (and never up past\n"
        "the label's ceiling); a syringe that cannot hold or measure the dose is refused."
    ),
)
@click.argument("name", required=False)
@click.option(
    "--timezone",
    metavar="ZONE",
    help=_("Move the child to another time zone (travel): dose times stay local."),
)
@click.option(
    "--syringe",
    metavar="KIND",
    help=_("The syringe you draw with: 0.3ml-half, 0.3ml, 0.5ml, 1ml or 1ml-2 (2-unit marks)."),
)
@click.option(
    "--sex",
    metavar="female|male",
    help=_("For the growth charts (height SDS and centiles)."),
)
@click.option(
    "--growth-reference",
    metavar="who|uk-who|cdc",
    help=_("The growth charts the clinic uses: who (WHO 2006 under 5, 2007 from 5), uk-who (WHO "
           "to 4 years, then UK90) or cdc. Without it: by the time zone's country."),
)
@click.option(
    "--since",
    metavar="WHEN",
    help=_("When the injections started (2026-11-19, 19/11/2026, or a day and time): doses can "
           "be logged back to it, and slots nobody logged from then on are missed."),
)
@pass_app
def child_cmd(
    app: App,
    name: str | None,
    timezone: str | None,
    syringe: str | None,
    sex: str | None,
    growth_reference: str | None,
    since: str | None,
) -> None:
    from tracker.domain import dosing
    from tracker.services.record import setup
    from tracker.services.views import plan, treatment

    changing = any(v is not None for v in (timezone, syringe, sex, growth_reference, since))
    lines: list[str] = []
    with app.session(write=changing) as session:
        if not changing:
            children = (
                plan.all_children(session) if name is None else [plan.find_child(session, name)]
            )
            if not children:
                click.echo(_("No child is set up yet: run 'tracker init'."))
            for c in children:
                kind = (
                    dosing.SYRINGES[c.syringe].name
                    if c.syringe in dosing.SYRINGES
                    else _("the smallest syringe that holds the dose")
                )
                if c.sex == "female":
                    # TRANSLATORS: a child's line, for a girl (French: née le {birth_date})
                    line = pgettext("a girl", "{name}  born {birth_date}  treatment since "
                                    "{describe}  time zone {timezone}  {kind}  "
                                    "{describe_growth}")
                elif c.sex == "male":
                    # TRANSLATORS: a child's line, for a boy (French: né le {birth_date})
                    line = pgettext("a boy", "{name}  born {birth_date}  treatment since "
                                    "{describe}  time zone {timezone}  {kind}  "
                                    "{describe_growth}")
                else:
                    line = _("{name}  born {birth_date}  treatment since {describe}  time zone "
                             "{timezone}  {kind}  {describe_growth}")
                born = formats.day(c.birth_date, "medium" if i18n.language() == i18n.ENGLISH
                                   else "long")  # English: 2018-05-01, as always
                click.echo(line.format(
                    name=c.name, birth_date=born, describe=treatment.describe(c),
                    timezone=c.timezone, kind=kind, describe_growth=setup.describe_growth(c)))
            return
        child = plan.find_child(session, name)
        if since is not None:
            from tracker import config
            from tracker.domain.timeparse import parse_when

            start = parse_when(since, app.now(), plan.zone_of(child), past=False,
                               date_alone=True)
            lines += treatment.set_start(session, child, start, now=app.now(),
                                         by=config.caregiver())
        if timezone is not None:
            old = setup.set_timezone(child, timezone)
            lines.append(
                _("{name}: time zone {old} -> {timezone}; doses stay at the same local "
                  "times.").format(name=child.name, old=old, timezone=child.timezone)
            )
            lines.append(
                _("  One morning and one evening dose per local day. On the travel day, ask the "
                  "child's doctor how to shift the doses.")
            )
        if syringe is not None:
            old_label, new_text, coarse = setup.set_syringe(session, child, syringe, app.now())
            lines.append(_("{name}: syringe {old_label} -> {new_text}").format(
                             name=child.name, old_label=old_label, new_text=new_text))
            if coarse:
                lines.append("  ! " + coarse)
        if sex is not None or growth_reference is not None:
            lines.append(f"{child.name}: {setup.set_growth(child, sex, growth_reference)}")
    from tracker.cli.say import text

    for line in lines:  # after the commit
        click.echo(text(line))


@click.command(
    "config",
    help=_(
        "Show or change your settings.\n"
        "\n"
        "They are per person (each caregiver has their own), not shared through the log.\n"
        "\n"
        "\b\n"
        "tracker config caregiver \"Anna\"      your name on the doses you log\n"
        "tracker config glucose_unit mmol/L   your meter's unit\n"
        "tracker config heads_up_minutes 15   a reminder 15 minutes before each dose"
    ),
)
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.option("--unset", is_flag=True, help=_("Remove the setting."))
@pass_app
def config_cmd(app: App, key: str | None, value: str | None, unset: bool) -> None:
    from tracker import config

    if key is None:
        settings = config.load_settings()
        database = app.target().describe()  # a URL that cannot be read: said alone
        click.echo(_("settings file: {config_path}").format(config_path=config.config_path()))
        for name, meaning in config.SETTINGS.items():
            value = settings.get(name) or _("(not set)")
            # the settings' meanings are config.SETTINGS's sentences (N_ there)
            click.echo(f"{name} = {value}    # {_(meaning)}")
        click.echo(_("database: {database}").format(database=database))
        return
    if value is None and not unset:
        click.echo(config.load_settings().get(key, ""))
        return
    path, kept = config.set_setting(key, None if unset else value)
    if unset:
        click.echo(_("{key} removed ({path})").format(key=key, path=path))
    else:
        click.echo(f"{key} = {kept} ({path})")
