"""Where the log lives and who is logging.

One place decides every path, with environment overrides so that tests and households
can point tracker elsewhere: --db PATH or URL, then TRACKER_DATABASE_URL (any SQLAlchemy
URL), then TRACKER_DB (a file), then the user data directory. The caregiver's name is a
per-person setting (a household shares one log but not one name), kept in a small JSON
file in the user config directory (JSON rather than TOML: Python's TOML reader costs
every command ~17 ms to import; `tracker config` edits the file for you).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from tracker.errors import InputError, StorageError
from tracker.i18n import N_, _

APP_NAME = "tracker"
DB_FILENAME = "tracker.db"
SETTINGS = {  # each setting's meaning, N_: setting_help() says it in the reader's language
    "caregiver": N_("name recorded as 'given by' (default: your login name)"),
    "glucose_unit": N_("unit of your glucose meter: mg/dL or mmol/L (default mg/dL)"),
    "keep_backups": N_("how many daily backups to keep beside the log (default 14)"),
    "heads_up_minutes": N_("a heads-up this many minutes before each dose (default: none)"),
    "language": N_("the language tracker speaks to you: en, fr, es, de or ar (default: the "
                   "terminal's, from LANGUAGE, LC_ALL, LC_MESSAGES or LANG)"),
}


def setting_help(key: str) -> str:
    """What a setting means, in the reader's language."""
    return _(SETTINGS[key]) if key in SETTINGS else key


class Target:
    """The database to use: a SQLAlchemy URL, and the file behind it when it is SQLite.

    `source` says where the choice came from (--db, TRACKER_DATABASE_URL, TRACKER_DB),
    None for the default file: a log that is not there is named by it.
    """

    def __init__(self, url: str, path: Path | None, source: str | None = None) -> None:
        self.url = url
        self.path = path
        self.source = source

    def describe(self) -> str:
        """The log as it may be shown: a path, or the URL without any secret in it."""
        if self.path is not None:
            return str(self.path)
        return masked_url(self.url)


# Query parameters that carry a secret: SQLAlchemy's own hide_password masks only the
# password of `user:password@` (checked on 2.1), so these are masked by us.
SECRET_QUERY_KEYS = frozenset(
    {"password", "sslpassword", "passwd", "pass", "secret", "token", "api_key", "apikey"}
)
SUPPORTED = N_("tracker keeps its log in a SQLite file or on a PostgreSQL server")
URL_EXAMPLE = "postgresql://anna@192.168.1.20:5432/tracker"


def masked_url(url: str) -> str:
    """A URL fit to print: no password, whether in `user:password@` or in the query."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # unreadable: show nothing of it that could be a secret
        return _("(a database URL that cannot be read)")
    query = {
        k: ("***" if k.lower() in SECRET_QUERY_KEYS else v) for k, v in parsed.query.items()
    }
    shown = parsed.set(query=query).render_as_string(hide_password=True)
    return shown.replace("%2A%2A%2A", "***")


def _url_target(text: str) -> Target:
    """A database URL, checked: one line naming the fix for each mistake, nothing created."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text)
        url.port  # noqa: B018 (a port that is not a number is refused here)
    except (ArgumentError, ValueError) as exc:
        reason = str(exc).split("\n")[0]
        for secret in filter(None, [_password_in(text)]):
            reason = reason.replace(secret, "***")
        # TRANSLATORS: {reason} is the library's own words, in English; {example} a URL
        raise InputError(
            _("the database URL cannot be read ({reason}): write it like {example}").format(
                reason=reason, example=URL_EXAMPLE)
        ) from None
    backend, _unused, driver = url.drivername.partition("+")
    if backend in ("postgres", "postgresql"):
        if driver not in ("", "psycopg"):
            raise InputError(_("tracker keeps its log in a SQLite file or on a PostgreSQL "
                               "server, through psycopg: write it like {example}").format(
                example=URL_EXAMPLE))
        url = url.set(drivername="postgresql+psycopg")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StorageError(
                _("the PostgreSQL driver is not installed: pip install 'tracker[postgresql]'")
            ) from None
        return Target(url.render_as_string(hide_password=False), None)
    # TRANSLATORS: {backend} is a database's name as typed in a URL (mysql)
    raise InputError(_("tracker keeps its log in a SQLite file or on a PostgreSQL server, not "
                       "{backend}: give a file path, or a URL like {example}").format(
        backend=backend, example=URL_EXAMPLE))


def _password_in(text: str) -> str | None:
    """The password part of `scheme://user:password@host`, to keep it out of messages."""
    rest = text.split("://", 1)[-1]
    userinfo, at, _unused = rest.rpartition("@")
    if not at or ":" not in userinfo:
        return None
    return userinfo.split(":", 1)[1] or None


# The first word of a database URL: a path that starts with one of these followed by `//`
# or `:` is a URL with a typo (`postgresql//user:pw@host/db`), never a file to create.
DB_SCHEMES = frozenset({"postgresql", "postgres", "sqlite", "mysql", "mariadb", "oracle",
                        "mssql", "psql", "pg"})
_CREDENTIALS = re.compile(r"(?:^|[/\\])[^/\\:@\s]+:([^/\\@\s]+)@[^/\\\s]")


def _malformed_url(text: str) -> str | None:
    """Why `text` is a database URL with a typo rather than a file, or None."""
    word = re.match(r"[A-Za-z][A-Za-z0-9.+-]*", text)
    if word and word.group(0).split("+", 1)[0].lower() in DB_SCHEMES:
        rest = text[word.end():]
        if rest.startswith(("//", ":")) and not rest.startswith("://"):
            return _("write its scheme with '://', like {example}").format(example=URL_EXAMPLE)
    if _CREDENTIALS.search(text):
        return _("a file path has no user:password@ in it; a URL is written like {example}")\
            .format(example=URL_EXAMPLE)
    return None


def _hide_credentials(text: str) -> str:
    """`text` with the password of any `user:password@` replaced by ***."""
    found = _CREDENTIALS.search(text) or re.search(r"[^/:@\s]+:([^/@\s]+)@", text)
    return text.replace(found.group(1), "***") if found else text


def _looks_like_a_url_without_scheme(text: str) -> bool:
    """`user:password@host/db`: a URL that lost its `postgresql://`, not a file name."""
    head, at, _unused = text.partition("@")
    return bool(at) and ":" in head and "/" not in head and "\\" not in head


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    env = os.environ.get("TRACKER_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "settings.json"


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def database_target(db_option: str | None = None) -> Target:
    source, choice = next(
        ((name, value) for name, value in (
            ("--db", db_option),
            ("TRACKER_DATABASE_URL", os.environ.get("TRACKER_DATABASE_URL")),
            ("TRACKER_DB", os.environ.get("TRACKER_DB")),
        ) if value),
        (None, None),
    )
    if choice and "://" in choice:
        if choice.startswith("sqlite"):
            file = choice.split(":///", 1)[1] if ":///" in choice else ""
            if file in ("", ":memory:"):
                raise InputError(_("an in-memory database would lose the log: give a file"))
            path = Path(file).expanduser().absolute()
            return Target(sqlite_url(path), path, source)
        target = _url_target(choice)
        target.source = source
        return target
    if choice and _looks_like_a_url_without_scheme(choice):
        shown = _hide_credentials(choice)
        raise InputError(
            _("{typed!r} looks like a database URL without its scheme: write "
              "postgresql://{typed} (a file path has no user:password@ in it)").format(
                typed=shown)
        )
    why = _malformed_url(choice) if choice else None
    if choice and why:
        raise InputError(_("{typed!r} is not a database URL tracker can read: {why}").format(
            typed=_hide_credentials(choice), why=why))
    path = (Path(choice).expanduser() if choice else data_dir() / DB_FILENAME).absolute()
    return Target(sqlite_url(path), path, source)


def ensure_private_dir(path: Path) -> None:
    """Create the folder owner-only (0700); an existing folder of the user's is left alone."""
    if path.is_dir():
        return
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)
    except OSError as exc:
        # TRANSLATORS: {problem} is the system's own words
        raise StorageError(_("cannot create the folder {path}: {problem}").format(
            path=path, problem=exc.strerror or exc)) from None


def load_settings() -> dict[str, str]:
    import json

    path = config_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise StorageError(_("cannot read the settings file {path}: {problem}").format(
            path=path, problem=exc)) from None
    if not isinstance(data, dict):
        raise StorageError(_("the settings file {path} is not a JSON object: fix or remove "
                             "it").format(path=path))
    return {k: str(v) for k, v in data.items() if k in SETTINGS}


def checked(key: str, value: str) -> str:
    """A setting's value as it is kept, or refused in words: every front that changes a
    setting goes through here, so a bad value is never kept by one and refused by another."""
    from tracker.domain import text
    from tracker.domain.glucose import normalise_unit

    if key not in SETTINGS:
        raise InputError(_("unknown setting {typed!r}: known settings are {settings}").format(
            typed=key, settings=", ".join(SETTINGS)))
    typed = value.strip()
    if key == "heads_up_minutes":
        if not typed.isdigit() or not 1 <= int(typed) <= 120:
            raise InputError(_("heads_up_minutes {value!r}: a number of minutes, 1 to 120")
                             .format(value=value))
        return str(int(typed))
    if key == "keep_backups":
        if not typed.isdigit() or not 1 <= int(typed) <= 365:
            raise InputError(_("keep_backups {value!r}: a number of daily backups, 1 to 365")
                             .format(value=value))
        return str(int(typed))
    if key == "glucose_unit":
        return normalise_unit(typed)
    if key == "language":
        from tracker import i18n

        found = i18n.pick(typed) or i18n.named(typed)
        if found is None or found == i18n.PSEUDO:
            raise InputError(_("language {value!r}: tracker speaks {join}").format(
                value=value, join=", ".join(f"{code} ({name})"
                                            for code, name in i18n.LANGUAGES.items())))
        return found
    return text.clean_name(typed, _("your name"))  # caregiver


def set_setting(key: str, value: str | None) -> tuple[Path, str | None]:
    """Change one setting (None: remove it), checked first; where it was written and the
    value kept."""
    kept = None if value is None else checked(key, value)
    return save_setting(key, kept), kept


def save_setting(key: str, value: str | None) -> Path:
    """Write one setting, keeping the others; atomic so a crash leaves the old file."""
    if key not in SETTINGS:
        raise InputError(_("unknown setting {typed!r}: known settings are {settings}").format(
            typed=key, settings=", ".join(SETTINGS)))
    settings = load_settings()
    if value is None:
        settings.pop(key, None)
    else:
        settings[key] = value
    path = config_path()
    ensure_private_dir(path.parent)
    import json

    from tracker import files

    body = json.dumps(settings, indent=2, ensure_ascii=False) + "\n"
    return files.write_text(path, body, force=True)


def language() -> str:
    """The language this caregiver reads: their setting, else the terminal's."""
    from tracker import i18n

    try:
        chosen = os.environ.get("TRACKER_LANGUAGE") or load_settings().get("language")
    except StorageError:  # said in the caregiver's terminal language by the command itself
        chosen = None
    return i18n.pick(chosen) or i18n.from_environment()


def caregiver() -> str:
    name = os.environ.get("TRACKER_CAREGIVER") or load_settings().get("caregiver")
    if name:
        return name
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def glucose_unit() -> str:
    return glucose_unit_setting() or "mg/dL"


def glucose_unit_setting() -> str | None:
    """The meter's unit as set (at setup or with tracker config), None if never set."""
    from tracker.domain.glucose import normalise_unit

    unit = load_settings().get("glucose_unit")
    return normalise_unit(unit) if unit else None
