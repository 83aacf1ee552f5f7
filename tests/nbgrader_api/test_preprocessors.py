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


PLACEHOLDER = ("*Write here. It is graded on completion only: your supervisor's graded copy and feedback show only "
               "whether it is complete.*")


@pytest.mark.parametrize("text, complete", [
    ("\u200b", False),  # a zero-width space looks blank
    (PLACEHOLDER + " ", False),  # the placeholder with a space added
    (PLACEHOLDER.replace("*", "_"), False),  # the placeholder re-styled
    ("<!-- -->", False),
    ("&nbsp;", False),
    ("<img src=x onerror=alert(1)>", False),
    (".", False),
    ("I noticed I got defensive when she pushed back.", True),
    ("我觉得很难过，下次会先问她。", True),
])
def test_a_journal_is_complete_only_with_words_of_the_trainees_own(text, complete):
    """Attacks a trainee tried (2026-12-07): each of the first six scored 1/1 'complete' before."""
    from nbformat.v4 import new_markdown_cell

    from repairlab.nbgrader_api.preprocessors import journal_complete

    cell = new_markdown_cell(text)
    cell.metadata["nbgrader"] = {"grade": True, "solution": True, "grade_id": "j", "points": 1, "checksum": "x"}
    assert journal_complete(cell) is complete
