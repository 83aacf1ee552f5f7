"""Grading round trip with real nbgrader in a scratch course that uses the project's own config (so
from data, as Formgrader's Autograde button grades): every known submission in grading_matrix.yml
gets its expected autograded score in the gradebook, then feedback is generated and grades export
to CSV."""

from __future__ import annotations

import csv
import shutil

import nbformat
import pytest
import yaml
from nbgrader.api import Gradebook

from repairlab.course import load_course
from repairlab.nbgrader_api.parts import journal_cells
from repairlab.nbgrader_api.runner import run_nbgrader
from repairlab.supervisor.demo_cohort import build_submission

from helpers import DATA, REPO

pytestmark = pytest.mark.grading

MATRIX = yaml.safe_load((DATA / "grading_matrix.yml").read_text())
CASES = [(exercise, case) for exercise, cases in MATRIX.items() for case in cases]


def _nb(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


@pytest.fixture(scope="module")
def graded(course, course_template, tmp_path_factory):
    """Every submission of the matrix, autograded, with feedback generated and grades exported."""
    root = tmp_path_factory.mktemp("grading") / "course"
    shutil.copytree(course_template, root)
    students = sorted({case for _, case in CASES})
    with open(root / "roster.csv", "w", newline="") as fh:
        csv.writer(fh).writerows([["id"], *[[s] for s in students]])
    run_nbgrader(root, "db", "student", "import", "roster.csv")
    for exercise, case in CASES:
        folder = root / "submitted" / case / exercise
        folder.mkdir(parents=True)
        nbformat.write(
            build_submission(course, course.exercise(exercise), MATRIX[exercise][case]), folder / f"{exercise}.ipynb"
        )
    logs = {}
    for exercise in MATRIX:
        logs[exercise] = run_nbgrader(root, "autograde", exercise).stderr
        run_nbgrader(root, "generate_feedback", exercise)
    run_nbgrader(root, "export", "--to", "grades.csv")
    return root, logs


@pytest.mark.parametrize("exercise,case", CASES, ids=[f"{e}:{c}" for e, c in CASES])
def test_autograded_score_matches_the_matrix(graded, exercise, case):
    root, logs = graded
    spec = MATRIX[exercise][case]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission = gb.find_submission_notebook(exercise, exercise, case)
        assert submission.code_score == pytest.approx(spec["score"]), logs[exercise][-3000:]
        for grade_id, expected in spec.get("cells", {}).items():
            grade = gb.find_grade(grade_id, exercise, exercise, case)
            assert grade.score == pytest.approx(expected), grade_id
        # a written answer is always left for the supervisor, with its mark scheme; a private journal
        # is scored on completion and never waits for marking
        journals = journal_cells(REPO / "solutions" / exercise / f"{exercise}.ipynb")
        written = [g for g in submission.grades if g.cell_type == "markdown" and g.name not in journals]
        assert written or journals
        assert all(g.needs_manual_grade for g in written)
        assert not any(g.needs_manual_grade for g in submission.grades if g.name in journals)


def test_an_endless_loop_never_starts_when_graded_from_data(graded):
    """(Graded by running it, the course timeout cuts it off: test_grading_paths.py.)"""
    root, _ = graded
    for exercise in MATRIX:
        nb = nbformat.read(root / "autograded" / "endless-loop" / exercise / f"{exercise}.ipynb", as_version=4)
        loop = next(c for c in nb.cells if c.cell_type == "code" and "while True" in c.source)
        assert loop.outputs == []


def test_deleted_test_cells_are_put_back_and_scored(graded):
    root, _ = graded
    for exercise in MATRIX:
        nb = nbformat.read(root / "autograded" / "deleted-tests" / exercise / f"{exercise}.ipynb", as_version=4)
        restored = [c for c in nb.cells if _nb(c).get("grade") and c.cell_type == "code"]
        assert restored and all("check_" in c.source for c in restored)


def test_feedback_is_generated_for_every_submission(graded):
    root, _ = graded
    course = load_course(root)
    for exercise, case in CASES:
        html = (root / "feedback" / case / exercise / f"{exercise}.html").read_text()
        score = MATRIX[exercise][case]["score"]
        # the page names the exercise by its title, never its id; the autograded score is in its summary
        assert course.exercise_title(exercise) in html and f"{float(score):g}" in html


def test_grades_export_to_csv(graded):
    root, _ = graded
    with open(root / "grades.csv", newline="") as fh:
        rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(fh)}
    for exercise, case in CASES:
        # the export's total adds private journals (scored on completion) to the code cells' score
        journals = journal_cells(REPO / "solutions" / exercise / f"{exercise}.ipynb")
        spec = MATRIX[exercise][case]
        journal_points = sum(spec.get("cells", {}).get(grade_id, 0) for grade_id in journals)
        assert float(rows[(exercise, case)]["raw_score"]) == pytest.approx(spec["score"] + journal_points), (
            exercise,
            case,
        )


def test_test_cells_write_nothing_to_stderr(graded):
    """nbgrader scores any stderr output as a failure, so checks must stay silent there."""
    root, _ = graded
    for exercise in MATRIX:
        for case in ("complete", "partly-right", "blank"):
            nb = nbformat.read(root / "autograded" / case / exercise / f"{exercise}.ipynb", as_version=4)
            tests = [c for c in nb.cells if _nb(c).get("grade") and c.cell_type == "code"]
            assert tests
            for cell in tests:
                assert not [o for o in cell.outputs if o.get("name") == "stderr"], (exercise, case, cell.id)
