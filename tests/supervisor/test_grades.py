"""The grades a supervisor exports follow the latest hand-in: a resubmission that cannot be autograded
never leaves an earlier final score in the LMS file (found by a trainee trying, 2026-12-07)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from repairlab.nbgrader_api import cells, open_course
from repairlab.supervisor.grades import COULD_NOT_AUTOGRADE, GRADED, NEEDS_GRADING, grade_rows
from repairlab.supervisor.grading import grade_submissions


@pytest.mark.grading
def test_a_broken_resubmission_takes_the_final_score_away(graded_cohort, tmp_path):
    source_root, profiles, _ = graded_cohort
    root = Path(shutil.copytree(source_root, tmp_path / "course"))
    course = open_course(root)
    trainee = next(t for t, p in profiles.items() if p == "complete")
    rows = {(r.assignment, r.student_id): r for r in grade_rows(course)}
    exercise = next(ex for ex in course.exercises if rows[(ex.id, trainee)].status == GRADED)

    notebook = course.paths.submitted(trainee, exercise.id) / exercise.notebook_name
    nb = nbformat.read(notebook, as_version=4)
    cells.nbgrader(next(c for c in nb.cells if cells.is_answer(c)))["points"] = "damaged"
    nbformat.write(nb, notebook)
    assert [o.graded for o in grade_submissions(course, [(exercise.id, trainee)], progress=False)] == [False]

    row = {(r.assignment, r.student_id): r for r in grade_rows(course)}[(exercise.id, trainee)]
    assert (row.status, row.to_grade) == (NEEDS_GRADING, (COULD_NOT_AUTOGRADE,))
    assert row.cells()[5] == "" and row.cells()[8] == ""  # no raw_score, no score so far
