"""`tracker info [TOPIC]`: the drug information, in the terminal or as JSON."""

from __future__ import annotations

import click

from tracker.cli import render
from tracker.cli.app import App, child_option, pass_app
from tracker.i18n import _


@click.command(
    help=_(
        "Read about the medicine: what it is, dosing, giving, side effects...\n"
        "\n"
        "\b\n"
        "tracker info                 the topics, one line each\n"
        "tracker info dosing          the label's rules next to the child's own dose\n"
        "tracker info when-to-call    which signs call for the doctor or for help\n"
        "\n"
        "Our own summary of the label, not medical advice."
    ),
)
@click.argument("topic", required=False)
@child_option
@click.option("--json", "as_json", is_flag=True, help=_("Machine-readable output."))
@pass_app
def info(app: App, topic: str | None, child_name: str | None, as_json: bool) -> None:
    from tracker import druginfo

    content = druginfo.load()
    if topic is None:
        if as_json:
            render.emit_json(
                {
                    "label": content.label,
                    "info_date": content.info_date,
                    "disclaimer": content.disclaimer,
                    "topics": [
                        {"name": t.name, "title": t.title, "summary": t.summary}
                        for t in content.topics.values()
                    ],
                }
            )
        else:
            click.echo("\n".join(druginfo.index(content)))
        return
    page = druginfo.find(content, topic)
    extra = _your_dose(app, child_name) if page.name == "dosing" else []
    if as_json:
        render.emit_json(
            {
                "topic": page.name,
                "title": page.title,
                "your_dose": extra,
                "paragraphs": page.paragraphs,
                "label": content.label,
                "info_date": content.info_date,
                "disclaimer": content.disclaimer,
            }
        )
        return
    click.echo("\n".join(druginfo.render(content, page, extra)))


def _your_dose(app: App, child_name: str | None) -> list[str]:
    """The child's current dose, checked as before an injection; else nothing."""
    target = app.target()
    if target.path is not None and not target.path.exists():
        return []
    from tracker.errors import TrackerError
    from tracker.services.views import dosing_view, plan

    try:
        with app.session(write=False) as session:
            child = plan.find_child(session, child_name)
            return dosing_view.your_dose(plan.plan_at(session, child, app.now()))
    except TrackerError as exc:
        return [_("(The child's own dose is not shown: {exc}.)").format(exc=exc)]
