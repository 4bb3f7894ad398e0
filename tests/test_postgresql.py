"""A household sharing one log on a real PostgreSQL server (started here, on a Unix socket).

On a laptop without PostgreSQL these tests skip; under CI=true a missing server is a failure
(.ci/run installs it).
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from itertools import count

import pytest
from conftest import MIA, run_tracker
from sqlalchemy import create_engine, text

NOW = {"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
_names = count()


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    return found[-1] if found and found[-1] else None


class Cluster:
    """A throwaway cluster with trust auth, listening only on a Unix socket."""

    def __init__(self) -> None:
        initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if not (initdb and pg_ctl):
            if os.environ.get("CI") == "true":
                pytest.fail("PostgreSQL is not installed (apt-get install postgresql)")
            pytest.skip("no PostgreSQL server here (not under CI, which installs it)")
        self.pg_ctl = pg_ctl
        self.base = tempfile.mkdtemp(prefix="tracker-pg-")
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            user = pwd.getpwnam("postgres")
            os.chown(self.base, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.data = os.path.join(self.base, "data")
        subprocess.run(
            [*self.prefix, initdb, "-D", self.data, "-U", "postgres", "--auth=trust", "-E",
             "UTF8"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.url = f"postgresql+psycopg://postgres@/{{db}}?host={self.base}"

    def start(self) -> None:
        subprocess.run(
            [*self.prefix, self.pg_ctl, "-D", self.data, "-w", "-l",
             os.path.join(self.base, "log"), "-o",
             f"-k {self.base} -c listen_addresses='' -c fsync=off", "start"],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run([*self.prefix, self.pg_ctl, "-D", self.data, "-w", "-m", mode, "stop"],
                       capture_output=True, timeout=60, check=False)

    def database(self) -> str:
        name = f"tracker_{os.getpid()}_{next(_names)}"
        admin = create_engine(self.url.format(db="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self.url.format(db=name)

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    c = Cluster()
    c.start()
    try:
        yield c
    finally:
        c.remove()


@pytest.fixture
def pg_url(cluster: Cluster) -> str:
    return cluster.database()


def tracker(
    url: str, *args: str, now: str = NOW["TRACKER_FAKE_NOW"]
) -> subprocess.CompletedProcess[str]:
    return run_tracker(*args, env={"TRACKER_FAKE_NOW": now, "TRACKER_DATABASE_URL": url})


def test_the_everyday_commands_on_postgresql(pg_url):
    assert tracker(pg_url, *MIA).returncode == 0
    r = tracker(pg_url, "give", "--site", "left-thigh", "--at", "07:40", "--by", "Sam")
    assert r.returncode == 0, r.stderr
    r = tracker(pg_url, "give", "--site", "right-thigh")
    assert r.returncode == 4 and "Sam" in r.stderr and "07:40" in r.stderr
    later = "2026-11-24T09:05:00+01:00"
    assert tracker(pg_url, "symptom", "headache", "--at", "08:30", now=later).returncode == 0
    assert "Undone S1" in tracker(pg_url, "undo", now=later).stdout
    status = json.loads(tracker(pg_url, "status", "--json").stdout)
    assert status["today"][0]["status"] == "given"
    assert status["last_dose"]["given_at"] == "2026-11-24T07:40:00+01:00"
    history = json.loads(tracker(pg_url, "history", "--json", "--undone").stdout)["entries"]
    assert [(e["id"], e["voided"]) for e in history][:2] == [("S1", True), ("D1", False)]


def test_caregivers_racing_on_postgresql_exactly_one_wins(pg_url):
    assert tracker(pg_url, *MIA).returncode == 0
    env = {**os.environ, **NOW, "TRACKER_DATABASE_URL": pg_url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tracker", "give", "--site", "left-thigh", "--by", f"carer{i}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(5)
    ]
    results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    assert sorted(code for code, _, _ in results) == [0, 4, 4, 4, 4], results
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM dose")).scalar() == 1
    engine.dispose()


def test_slot_index_is_partial_and_models_match(pg_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from tracker.config import database_target
    from tracker.db import migrate
    from tracker.db.models import Base
    from tracker.db.session import make_engine

    migrate.prepare(database_target(pg_url))
    engine = make_engine(pg_url)  # also gives the model index its PostgreSQL condition
    with engine.connect() as conn:
        indexdef = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_dose_live_slot'")
        ).scalar()
        assert "UNIQUE" in indexdef and "WHERE" in indexdef and "voided_at IS NULL" in indexdef
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []
    engine.dispose()
    migrate.run_alembic(pg_url, "downgrade", "base")
    migrate.run_alembic(pg_url, "upgrade", "head")


def test_exports_read_the_same_from_postgresql_as_from_sqlite(pg_url, tmp_path):
    """The exports compute instants and dates in SQL: both databases must agree to the byte."""
    sqlite_env = {"TRACKER_DB": str(tmp_path / "log.db")}
    steps = [
        ("2026-11-20T06:00:00+01:00", *MIA[:-2], "--since", "2026-11-20"),
        ("2026-11-20T07:50:00+01:00", "give", "--site", "left-thigh", "--note", "=1+1"),
        ("2026-11-20T19:40:00+01:00", "skip", "--reason", "not eating"),
        ("2026-11-21T09:00:00+01:00", "symptom", "headache"),
        ("2026-11-22T08:00:00+01:00", "give", "--site", "left-abdomen", "--at", "07:35"),
        ("2026-11-22T08:01:00+01:00", "give", "--force", "--reason", "leaked"),
        ("2026-11-22T09:00:00+01:00", "child", "--timezone", "America/New_York"),
        ("2026-11-23T07:45:00-05:00", "give", "--site", "right-arm"),
    ]
    outputs = []
    for env in (sqlite_env, {"TRACKER_DATABASE_URL": pg_url}):
        for now, *args in steps:
            r = run_tracker(*args, env={**env, "TRACKER_FAKE_NOW": now})
            assert r.returncode == 0, (args, r.stderr)
        now = {**env, "TRACKER_FAKE_NOW": "2026-11-24T10:00:00-05:00"}
        got = []
        for fmt in ("csv", "json", "fhir"):
            r = run_tracker("export", "--format", fmt, "--from", "2026-11-19", env=now)
            assert r.returncode == 0, r.stderr
            got.append(r.stdout)
        outputs.append(got)
    assert outputs[0][:2] == outputs[1][:2]
    # each log's child has its own random uid, and every FHIR name is made from it: the
    # same once each is replaced by its order of first appearance
    assert _anonymous(outputs[0][2]) == _anonymous(outputs[1][2])
    rows = list(csv.DictReader(io.StringIO(outputs[0][0])))
    assert [r["status"] for r in rows] == ["given", "withheld", "missed", "missed", "given",
                                           "given", "missed", "given", "missed", "due"]
    # shown in the child's zone now (after the move), each at its own instant
    assert rows[0]["given_at"] == "2026-11-20T01:50:00-05:00" and rows[0]["note"] == "'=1+1"
    assert rows[-3]["given_at"] == "2026-11-23T07:45:00-05:00"


def _anonymous(bundle: str) -> str:
    import re

    raw = json.loads(bundle)
    uid = next(e["resource"]["identifier"][0]["value"] for e in raw["entry"]
               if e["resource"]["resourceType"] == "Patient")
    names: dict[str, str] = {}
    return re.sub(r"urn:uuid:[0-9a-f-]{36}", lambda m: names.setdefault(
        m.group(0), f"urn:{len(names)}"), bundle.replace(uid, "CHILD"))


@pytest.mark.robustness
def test_the_reminder_service_outlives_a_server_that_goes_down_and_comes_back(figures):
    """The server stops at 19:45 and comes back at 20:01: the service says so once, keeps
    running, and then sends the follow-up once; the 19:30 reminder is not sent again."""
    from datetime import UTC, datetime

    from tracker.db.session import make_engine
    from tracker.reminders.channels import Result
    from tracker.reminders.runner import Runner
    from tracker.reminders.service import ReminderService

    own = Cluster()
    own.start()
    try:
        url = own.database()
        assert tracker(url, *MIA).returncode == 0
        sent: list[str] = []

        class Recorder:
            name = "fake-desktop"

            def send(self, title: str, body: str, actions=()) -> Result:
                sent.append(title)
                return Result(self.name, True, None)

        said: list[str] = []
        clock = [datetime(2026, 11, 24, 18, 30, 5, tzinfo=UTC)]
        engine = make_engine(url)
        runner = Runner(ReminderService(engine, [Recorder()], say=said.append),
                        lambda: clock[0], log=said.append)
        runner.tick()
        assert sent == ["Mia: Increlex dose due (19:30)"]
        own.stop()
        for minute in (45, 50, 55):
            clock[0] = clock[0].replace(minute=minute)
            runner.tick()
        failures = [line for line in said if "failed" in line]
        assert len(failures) == 1 and "cannot reach the database server" in failures[0]
        own.start()
        clock[0] = datetime(2026, 11, 24, 19, 1, tzinfo=UTC)
        runner.tick()
        runner.tick()
        assert sent == ["Mia: Increlex dose due (19:30)", "Mia: the 19:30 dose is not logged yet"]
        assert said[-1] == "tracker remind: checks work again"
        engine.dispose()
    finally:
        own.remove()
    figures["service faults survived"] = figures.get("service faults survived", 0) + 1


@pytest.mark.parametrize(
    ("url", "code", "words"),
    [
        ("postgresql://u:s3cret@127.0.0.1:port/db", 2, "cannot be read"),
        ("postgresql://u:s3cret@[::1/db", 2, "cannot be read"),
        ("mysql://u:s3cret@host/db", 2, "SQLite file or on a PostgreSQL server, not mysql"),
        ("postgresql+psycopg2://u:s3cret@host/db", 2, "through psycopg"),
        ("u:s3cret@127.0.0.1:1/db", 2, "looks like a database URL without its scheme"),
        ("postgres://u:s3cret@127.0.0.1:1/db", 5, "cannot reach the database server"),
    ],
)
def test_a_database_url_mistake_is_one_line_with_the_fix(tmp_path, url, code, words):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    r = subprocess.run([sys.executable, "-m", "tracker", "--db", url, "status"], cwd=cwd,
                       env={**os.environ, **NOW}, capture_output=True, text=True, timeout=60)
    assert r.returncode == code, r.stderr
    assert r.stderr.count("\n") == 1 and words in r.stderr, r.stderr
    assert "s3cret" not in r.stderr + r.stdout
    assert list(cwd.iterdir()) == []  # no log (or folder named after a password) made
    assert not (tmp_path / "home" / "data").exists()


def test_a_missing_driver_says_which_extra_to_install(tmp_path):
    probe = ("import sys; sys.modules['psycopg'] = None\n"
             "from tracker.cli import main; main(sys.argv[1:])")
    r = subprocess.run([sys.executable, "-c", probe, "--db", "postgresql://u@host/db", "status"],
                       env={**os.environ, **NOW}, capture_output=True, text=True, timeout=60)
    assert r.returncode == 5
    assert r.stderr == ("tracker: the PostgreSQL driver is not installed: pip install "
                        "'tracker[postgresql]'\n")


def test_no_secret_is_ever_shown(tmp_path):
    url = "postgresql://anna:s3cret@127.0.0.1:1/tracker?password=zz9&sslmode=require"
    r = subprocess.run([sys.executable, "-m", "tracker", "--db", url, "config"],
                       env={**os.environ, **NOW}, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert ("database: postgresql+psycopg://anna:***@127.0.0.1:1/tracker?password=***&"
            "sslmode=require") in r.stdout
    for args in (["status"], ["init", "--child", "Mia", "--birth-date", "2018-05-01",
                              "--weight", "20", "--dose-mg-per-kg", "0.04"], ["remind", "run"]):
        r = subprocess.run([sys.executable, "-m", "tracker", "--db", url, *args],
                           env={**os.environ, **NOW}, capture_output=True, text=True,
                           timeout=60)
        assert "s3cret" not in r.stdout + r.stderr and "zz9" not in r.stdout + r.stderr, args


def test_doctor_on_a_server_says_how_to_back_it_up(pg_url):
    assert tracker(pg_url, *MIA).returncode == 0
    r = tracker(pg_url, "doctor")
    # the server is fine; no reminder service reads it yet, which doctor says
    assert r.returncode == 1, r.stdout + r.stderr
    assert "!!  Reminders are NOT on: " in r.stdout
    assert "ok  the database server answers" in r.stdout
    from tracker.db.migrate import HEAD_REVISION

    assert f"ok  schema {HEAD_REVISION} is current" in r.stdout
    assert "-> pg_dump --format=custom" in r.stdout


def test_an_empty_database_is_not_made_a_log_by_any_command_but_init(pg_url):
    """A URL naming the wrong (empty) database: refused in words, no tables created."""
    done = tracker(pg_url, "status")
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("tracker: postgresql+psycopg://postgres@/")
    assert done.stderr.endswith("holds no tracker log yet: check the URL, or start a log "
                                "there with 'tracker init'\n")
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT count(*) FROM information_schema.tables "
                                   "WHERE table_schema = 'public'")).scalar()
    engine.dispose()
    assert tables == 0
    assert tracker(pg_url, *MIA).returncode == 0
    assert tracker(pg_url, "status").returncode == 0


def test_a_backfilled_log_on_postgresql_counts_from_the_treatment_start(pg_url):
    """The treatment start and its migration on a real server: the missed slots of the
    backfilled days, before and after a round trip through 0009."""
    from tracker.db import migrate

    late = "2026-11-24T10:00:00+01:00"
    assert tracker(pg_url, *MIA[:-2], "--since", "22/11/2026", now=late).returncode == 0
    for when in ("2026-11-22 07:35", "2026-11-23 07:35", "2026-11-23 19:35"):
        assert tracker(pg_url, "give", "--at", when, "--site", "left-thigh", "--meal",
                       now=late).returncode == 0

    def missed() -> list[str]:
        entries = json.loads(tracker(pg_url, "history", "--json", now=late).stdout)["entries"]
        return sorted(e["at"] for e in entries if e["kind"] == "missed")

    expected = ["2026-11-22T19:30:00+01:00"]  # 24 Nov 07:30 is still open at 10:00
    assert missed() == expected
    migrate.run_alembic(pg_url, "downgrade", "0009")
    migrate.run_alembic(pg_url, "upgrade", "head")
    assert missed() == expected
    start = json.loads(tracker(pg_url, "status", "--json", now=late).stdout)["treatment_start"]
    assert start == "2026-11-22T00:00:00+01:00"
