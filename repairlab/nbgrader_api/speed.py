"""nbgrader's autograde made quick in a long-lived grading worker, without changing what it does.

Profiled on the cohort benchmark (benchmarks/run.py), nbgrader spent most of a submission's time
outside any notebook, in its gradebook: it opens the gradebook about nine times per submission, each
time with a new SQLAlchemy engine (so every query is compiled again), a new SQLite connection, and a
check that each of its 13 tables exists; and it commits each grade and comment on its own, and in
SQLite's default journal every commit waits for the disk several times (fsync). It also checks each
cell's metadata with ``jsonschema.validate``, which first checks the schema itself, every time.

So a worker keeps one engine per database and its SQLite connection open between nbgrader's
sessions, checks the tables once, has SQLite commit without waiting for the disk (``synchronous =
NORMAL`` in write-ahead-log mode, which ``write_ahead_log`` turns on for the length of a grading
run), and checks nbgrader's metadata schema once. nbgrader's queries, commits and validation are the
same as before; ``tests/nbgrader_api/test_speed.py`` fails if an nbgrader or SQLAlchemy upgrade
changes what these stand-ins rely on.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path

import jsonschema
from sqlalchemy import event

from .config import BUSY_TIMEOUT_S


def _commit_without_waiting_for_the_disk(dbapi_connection, _record) -> None:
    """In write-ahead-log mode (``write_ahead_log``) a commit is appended to the log, and the disk is synced
    only when the log is copied back into the database: a crash of any process loses nothing; a power cut
    may undo the last commits but never leaves the gradebook inconsistent. In SQLite's default journal
    nothing changes (there a power cut at the wrong moment could damage the file)."""
    if dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        dbapi_connection.execute("PRAGMA synchronous = NORMAL")


def _keep_connections(close: bool = True) -> None:
    """Stands in for ``Engine.dispose`` on a worker's engine: nbgrader disposes of the connection pool each
    time it closes a gradebook; the worker keeps its one connection for the next submission instead."""


class _OneEnginePerDatabase:
    """Stands in for ``sqlalchemy.create_engine`` inside ``nbgrader.api``: one engine per database, whose
    connection stays open (``_keep_connections``) and, on SQLite, commits without waiting for the disk."""

    def __init__(self, create_engine):
        self.create_engine = create_engine
        self.engines = {}

    def __call__(self, url, **options):
        key = (str(url), tuple(sorted(options.items())))
        if key not in self.engines:
            engine = self.create_engine(url, **options)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _commit_without_waiting_for_the_disk)
            engine.dispose = _keep_connections
            self.engines[key] = engine
        return self.engines[key]

    def forget_inherited(self) -> None:
        """In a forked child: never use, nor close, the parent's connections (a SQLite connection must not
        cross a fork); they stay referenced so that they are not closed from here."""
        _INHERITED.append(self.engines)
        self.engines = {}


_INHERITED: list = []


class _TablesCheckedOnce:
    """Stands in, inside ``nbgrader.api``, for ``sqlalchemy.inspect`` and for its schema's ``create_all``,
    which ``Gradebook.__init__`` calls at every opening, to see whether the database is new (any tables?)
    and to make the tables that are missing. The tables are made once per engine; from then on they are
    there, and the inspector answers with their names without asking the database. Nothing else in
    nbgrader.api calls either."""

    def __init__(self, inspect, metadata):
        self.inspect = inspect
        self.metadata = metadata
        self.make_tables = metadata.create_all
        self.made: dict[int, object] = {}  # id(engine) -> engine

    def inspector(self, engine):
        return self if id(engine) in self.made else self.inspect(engine)

    def get_table_names(self) -> list[str]:
        return sorted(self.metadata.tables)

    def create_all(self, bind, **options) -> None:
        if id(bind) not in self.made:
            self.make_tables(bind=bind, **options)
            self.made[id(bind)] = bind


class _SchemaCheckedOnce:
    """Stands in for the ``jsonschema`` module in nbgrader's metadata check: ``validate`` raises the same
    error ``jsonschema.validate`` would, from a validator built (and its schema checked) once per schema."""

    ValidationError = jsonschema.ValidationError

    def __init__(self):
        self.validators = {}

    def validate(self, instance, schema) -> None:
        key = json.dumps(schema, sort_keys=True)
        if key not in self.validators:
            kind = jsonschema.validators.validator_for(schema)
            kind.check_schema(schema)
            self.validators[key] = kind(schema)
        error = jsonschema.exceptions.best_match(self.validators[key].iter_errors(instance))
        if error is not None:
            raise error


def speed_up_nbgrader() -> None:
    """For a grading worker's process (once is enough; again changes nothing)."""
    import nbgrader.api
    import nbgrader.nbgraderformat.common

    if not isinstance(nbgrader.api.create_engine, _OneEnginePerDatabase):
        nbgrader.api.create_engine = engines = _OneEnginePerDatabase(nbgrader.api.create_engine)
        os.register_at_fork(after_in_child=engines.forget_inherited)
        tables = _TablesCheckedOnce(nbgrader.api.inspect, nbgrader.api.Base.metadata)
        nbgrader.api.inspect = tables.inspector
        nbgrader.api.Base.metadata.create_all = tables.create_all
    if not isinstance(nbgrader.nbgraderformat.common.jsonschema, _SchemaCheckedOnce):
        nbgrader.nbgraderformat.common.jsonschema = _SchemaCheckedOnce()


@contextmanager
def write_ahead_log(gradebook: Path | None):
    """SQLite's write-ahead log on the gradebook file for the length of a grading run (``gradebook`` None:
    a database server, nothing to do). Workers then write without blocking readers (Formgrader, a
    ``pending``) and commit without waiting for the disk. At the end the log is copied into the file,
    which is synced to disk, and the journal set back to SQLite's default: the gradebook is one file
    again, as durable as before. Where SQLite cannot switch (another program is using the gradebook at
    that moment), grading goes on in the journal it finds, which is just as consistent; a gradebook left
    in write-ahead-log mode is switched back by the next run."""
    if gradebook is None or not gradebook.is_file():
        yield
        return
    _journal(gradebook, "WAL")
    try:
        yield
    finally:
        _journal(gradebook, "DELETE")


def _journal(gradebook: Path, mode: str) -> None:
    try:
        with closing(sqlite3.connect(gradebook, timeout=BUSY_TIMEOUT_S)) as db:
            db.execute(f"PRAGMA journal_mode = {mode}")
    except sqlite3.OperationalError:  # "database is locked": another connection is open
        pass
