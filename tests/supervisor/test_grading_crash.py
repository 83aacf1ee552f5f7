"""A grading run killed half-way (kill -9, a crash, a closed laptop lid that never came back) leaves a
consistent gradebook: every command still reads it, and the next `repairlab grade` finishes the job and
leaves the gradebook one file in SQLite's default journal again (grading writes it through SQLite's
write-ahead log while it runs: repairlab.nbgrader_api.speed)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest

from repairlab.cli import main
from repairlab.nbgrader_api import open_course
from repairlab.supervisor.status import load_status

from helpers import formgrader_gradebook

pytestmark = pytest.mark.grading


def graded_folders(root) -> int:
    autograded = root / "autograded"
    return sum(1 for _ in autograded.glob("*/*")) if autograded.is_dir() else 0


def test_a_run_killed_half_way_leaves_a_consistent_gradebook_that_the_next_run_finishes(
        scratch_course, monkeypatch, capsys):
    root = scratch_course
    monkeypatch.chdir(root)
    assert main(["demo-cohort", "demo", "--size", "8"]) == 0
    assert main(["roster", "import", "demo/roster.csv"]) == 0
    assert main(["collect", "demo/submissions"]) == 0
    submitted = sum(1 for _ in (root / "submitted").glob("*/*/*.ipynb"))

    run = subprocess.Popen([sys.executable, "-m", "repairlab", "grade"], cwd=root, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while graded_folders(root) < 3 and time.time() < deadline and run.poll() is None:
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    assert 3 <= graded_folders(root) < submitted, "the run was not killed half-way"

    with closing(sqlite3.connect(root / "gradebook.db")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    capsys.readouterr()
    assert main(["pending"]) == 0
    assert main(["export", "--to", "grades.csv"]) == 0

    assert main(["grade"]) == 0
    assert f"Autograded {submitted - 6} of {submitted} submission(s)." in capsys.readouterr().out  # 6: broken
    assert sorted(p.name for p in root.glob("gradebook.db*")) == ["gradebook.db"]
    with closing(sqlite3.connect(root / "gradebook.db")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    outcomes = load_status(open_course(root))
    with formgrader_gradebook(root) as gb:
        for outcome in outcomes.values():
            if outcome.graded:
                notebook = gb.find_submission_notebook(outcome.exercise, outcome.exercise, outcome.trainee)
                assert all(grade.auto_score is not None or grade.cell_type == "markdown"
                           for grade in notebook.grades), (outcome.exercise, outcome.trainee)

