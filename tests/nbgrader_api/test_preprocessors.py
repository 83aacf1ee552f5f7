"""The grading preprocessors on their own: an exercise graded from data never starts a kernel, and a
test that only running could score stops grading instead of getting nbgrader's full marks."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from repairlab.nbgrader_api import open_course
from repairlab.nbgrader_api.preprocessors import NotGradableFromData, SandboxedExecute, TrustedScores

from helpers import copy_course, grade_by_running

EXERCISE = "owning-your-part"


@pytest.fixture
def course(tmp_path):
    return copy_course(tmp_path / "course")


def submission(root):
    nb = nbformat.read(root / "solutions" / EXERCISE / f"{EXERCISE}.ipynb", as_version=4)
    resources = {"nbgrader": {"assignment": EXERCISE, "notebook": EXERCISE, "student": "ana"}}
    return nb, resources


def test_an_exercise_graded_from_data_starts_no_kernel(course, monkeypatch):
    config = open_course(course).nbgrader.autograde_config()
    nb, resources = submission(course)
    nb.cells.append(new_code_cell("raise SystemExit('ran')"))
    monkeypatch.setattr("nbgrader.preprocessors.Execute.preprocess", lambda *a: pytest.fail("a kernel started"))
    assert SandboxedExecute(config=config).preprocess(nb, resources) == (nb, resources)


def test_a_test_that_needs_running_stops_grading_from_data(course):
    nb, resources = submission(course)
    nb.cells.append(new_code_cell("assert len(statement_labels) == 10",
                                  metadata={"nbgrader": {"grade": True, "grade_id": "needs-running", "locked": True,
                                                         "points": 1, "solution": False, "schema_version": 3}}))
    with pytest.raises(NotGradableFromData, match="cell 'needs-running'.*`grading: sandbox` in course.yml"):
        TrustedScores(config=open_course(course).nbgrader.autograde_config()).preprocess(nb, resources)
    grade_by_running(course, EXERCISE)  # graded by running: the kernel's output scores that test
    graded, _ = TrustedScores(config=open_course(course).nbgrader.autograde_config()).preprocess(nb, resources)
    [needs_running] = [c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "needs-running"]
    assert needs_running.outputs == []
