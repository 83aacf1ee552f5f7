"""The grading worker's stand-ins for parts of nbgrader and SQLAlchemy (repairlab.nbgrader_api.speed) do
what they say, and these tests fail if an nbgrader or SQLAlchemy upgrade changes what they rely on:
nbgrader makes its engines with ``nbgrader.api.create_engine``, closes a gradebook with
``engine.dispose()``, and checks its tables at each opening with ``inspect`` and ``Base.metadata.create_all``
only. Grading from data with them gives the grading matrix's scores (tests/supervisor/test_grading_paths.py)."""

from __future__ import annotations

import inspect
import multiprocessing
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import nbgrader.api
import nbgrader.nbgraderformat.common
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from repairlab.nbgrader_api.runner import with_interpreter_bin
from repairlab.nbgrader_api.speed import speed_up_nbgrader, write_ahead_log


@pytest.fixture
def worker(monkeypatch):
    """nbgrader.api as a grading worker has it; put back as it was afterwards. (A new gradebook runs alembic.)"""
    monkeypatch.setenv("PATH", with_interpreter_bin(os.environ["PATH"]))
    for owner, name in ((nbgrader.api, "create_engine"), (nbgrader.api, "inspect"),
                        (nbgrader.api.Base.metadata, "create_all"), (nbgrader.nbgraderformat.common, "jsonschema")):
        monkeypatch.setattr(owner, name, getattr(owner, name))
    speed_up_nbgrader()
    yield nbgrader.api
    for engine in nbgrader.api.create_engine.engines.values():
        Engine.dispose(engine)  # the real dispose: close the connections kept open


@pytest.fixture(scope="module")
def new_gradebook(tmp_path_factory):
    """An empty nbgrader gradebook file, made once (nbgrader runs alembic for a new one: seconds)."""
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    os.environ["PATH"] = with_interpreter_bin(os.environ["PATH"])
    with nbgrader.api.Gradebook(f"sqlite:///{path}", "course"):
        pass
    return path


@pytest.fixture
def gradebook(new_gradebook, tmp_path):
    return Path(shutil.copy(new_gradebook, tmp_path / "gradebook.db"))


def the_engine(api) -> Engine:
    (engine,) = api.create_engine.engines.values()
    return engine


def watch(engine: Engine) -> tuple[list, list]:
    """(connections made, SQL statements run) on ``engine`` from now on."""
    connections, statements = [], []
    event.listen(engine, "connect", lambda *_: connections.append(1))
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, statement, *_: statements.append(statement))
    return connections, statements


def test_a_worker_connects_once_and_checks_the_tables_once_however_often_nbgrader_opens_the_gradebook(
        worker, gradebook):
    url = f"sqlite:///{gradebook}"
    with worker.Gradebook(url, "course") as gb:
        gb.add_student("ana", first_name="Ana")
    connections, statements = watch(the_engine(worker))
    for _ in range(5):
        with worker.Gradebook(url, "course") as gb:
            assert gb.find_student("ana").first_name == "Ana"
    assert connections == [], "nbgrader's close() no longer goes through engine.dispose(): the worker reconnects"
    schema_checks = [s for s in statements if "sqlite_master" in s or "table_info" in s.lower()]
    assert schema_checks == [], schema_checks
    assert len(worker.create_engine.engines) == 1


def test_a_new_gradebook_still_gets_nbgraders_tables(worker, tmp_path):
    with worker.Gradebook(f"sqlite:///{tmp_path / 'new.db'}", "course") as gb:
        gb.add_student("ana")
    with closing(sqlite3.connect(tmp_path / "new.db")) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"student", "assignment", "grade", "comment", "alembic_version"} <= tables


def test_nbgrader_checks_its_tables_only_where_the_worker_expects():
    """``_TablesCheckedOnce`` answers ``inspect`` and ``create_all`` from memory: right only while nothing
    else in nbgrader.api calls them (e.g. to see a table that a migration added)."""
    source = inspect.getsource(nbgrader.api)
    assert source.count("inspect(") == 1 and source.count("create_all(") == 1
    opening = inspect.getsource(nbgrader.api.Gradebook.__init__)
    assert "inspect(self.engine).get_table_names()" in opening
    assert "Base.metadata.create_all(bind=self.engine)" in opening
    assert "self.engine.dispose()" in inspect.getsource(nbgrader.api.Gradebook.close)


def test_during_a_grading_run_commits_do_not_wait_for_the_disk_and_afterwards_the_gradebook_is_one_file(
        worker, gradebook, tmp_path):
    path = gradebook
    with write_ahead_log(path):
        with worker.Gradebook(f"sqlite:///{path}", "course") as gb:
            gb.add_student("ana")
            assert gb.db.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert gb.db.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL: no fsync per commit
        Engine.dispose(the_engine(worker))  # the worker process ends
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gradebook.db"]
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert db.execute("SELECT id FROM student").fetchall() == [("ana",)]


def test_outside_a_grading_run_a_worker_keeps_sqlites_default_durability(worker, gradebook):
    with worker.Gradebook(f"sqlite:///{gradebook}", "course") as gb:
        assert gb.db.execute(text("PRAGMA journal_mode")).scalar() == "delete"
        assert gb.db.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL, SQLite's default


def test_a_gradebook_held_open_elsewhere_stays_consistent_and_the_next_run_switches_it_back(tmp_path):
    path = tmp_path / "gradebook.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE grade (score)")
        db.commit()
    elsewhere = sqlite3.connect(path)  # e.g. Formgrader, in the middle of a page
    with write_ahead_log(path):
        with closing(sqlite3.connect(path)) as db:
            db.execute("INSERT INTO grade VALUES (1)")
            db.commit()
        elsewhere.execute("SELECT count(*) FROM grade").fetchone()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    elsewhere.close()
    with write_ahead_log(path):
        pass
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert db.execute("SELECT score FROM grade").fetchall() == [(1,)]


def _engine_is_new(url: str, parent_engine_id: int, answer) -> None:
    with nbgrader.api.Gradebook(url, "course") as gb:
        answer.put(id(gb.engine) != parent_engine_id)


def test_a_forked_worker_never_uses_its_parents_connection(worker, gradebook):
    """A SQLite connection must not cross a fork: a worker forked from a process that graded makes its own."""
    url = f"sqlite:///{gradebook}"
    with worker.Gradebook(url, "course"):
        pass
    context = multiprocessing.get_context("fork")
    answer = context.Queue()
    child = context.Process(target=_engine_is_new, args=(url, id(the_engine(worker)), answer))
    child.start()
    child.join(30)
    assert answer.get(timeout=5) is True
