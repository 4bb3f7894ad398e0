"""Click's own words ("Usage:", "Options:", "Error: Missing option ...") in the reader's language.

Click writes its words through the standard library's gettext: each of its modules does
`from gettext import gettext as _` (and `ngettext`) at import, so the names are bound in
click's modules once and for all. The stdlib's global gettext would only read compiled
`.mo` files from the process-wide text domain in the environment's language: it cannot
follow the caregiver's `tracker config language`, nor speak the pseudo-language, and
changing the global text domain would change it for every other library in the process.

So `speak()` points those module-level names at tracker.i18n's functions (the same
lookups our own sentences use, lazily loaded, English costing nothing), in the modules
listed in MODULES; tests/test_i18n_cli.py fails if a click release binds gettext in a
module this list misses. The sentences themselves are listed below with N_ so that
`pybabel extract` puts them in our catalog (click ships no catalog of its own); only what
a person can meet is listed, not click's errors about a program's own declarations.
"""

from __future__ import annotations

import importlib

from tracker import i18n
from tracker.i18n import N_, ngettext

# click's modules that bind gettext's functions at import ("_" and, in some, "ngettext")
MODULES = (
    "click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser",
    "click.termui", "click.types", "click.utils",
)
# the same, left in English: a Windows console's and bash completion's own failures, and
# an editor that failed (tracker opens none); importing them would only cost start-up time
UNTRANSLATED = ("click._winconsole", "click.shell_completion", "click._termui_impl")


def speak() -> None:
    """Make click say its words through tracker's catalog (idempotent and cheap: `import
    click` has already loaded these modules)."""
    for name in MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = i18n.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]


WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("Do you want to continue?"),
    N_("Confirm the action without prompting."),
    N_("Aborted!"),
    N_("deprecated"),
    N_("Missing command."),
    N_("env var: {var}"),
    N_("default: {default}"),
    N_("(dynamic)"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing parameter: {param_name}"),
    N_("Missing {param_type}"),
    N_("unknown error"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Could not open file {filename!r}: {message}"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Invalid start character for option ({option})"),
    N_("Press any key to continue..."),
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
    N_("{editor}: Editing failed"),
    N_("{editor}: Editing failed: {e}"),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("Choose from:\n\t{choices}"),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value!r} is not a valid UUID."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
    N_("{name} {filename!r} does not exist."),
)


def _plurals(n: int) -> tuple[str, ...]:
    """Never called: click's sentences whose words depend on a count, for the catalog."""
    return (
        ngettext("Got unexpected extra argument ({args})",
                 "Got unexpected extra arguments ({args})", n),
        ngettext("Did you mean {possibility}?",
                 "(Did you mean one of: {possibilities}?)", n),
        ngettext("Option {name!r} requires an argument.",
                 "Option {name!r} requires {nargs} arguments.", n),
        ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
        ngettext("{value!r} does not match the format {format}.",
                 "{value!r} does not match the formats {formats}.", n),
        ngettext("Takes {nargs} values but 1 was given.",
                 "Takes {nargs} values but {len} were given.", n),
        ngettext("{len_type} values are required, but {len_value} was given.",
                 "{len_type} values are required, but {len_value} were given.", n),
    )
