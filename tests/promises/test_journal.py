"""The private reflection journal (module 6) with real nbgrader: graded on completion only, and the
text a trainee writes never leaves their own submission, not into the graded copy Formgrader shows,
feedback (theirs or anyone else's), the export or the cohort report. Tested with planted text."""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest

from repairlab.cli import main
from repairlab.course import load_course
from repairlab.nbgrader_api import open_course
from repairlab.nbgrader_api.cells import JOURNAL_TAG
from repairlab.nbgrader_api.parts import journal_cells
from repairlab.report import build_report
from repairlab.supervisor.demo_cohort import build_submission
from repairlab.supervisor.grading import grade_submissions
from repairlab.supervisor.roster import import_roster
from repairlab.supervisor.status import save_status

from helpers import formgrader_gradebook
from helpers.report_tables import row_of, table_rows

pytestmark = pytest.mark.grading

EXERCISE = "when-you-get-it-wrong"
PLANTED = "PLANTED-REFLECTION-7f3a"


def journals(nb) -> list:
    return [c for c in nb.cells if JOURNAL_TAG in c.metadata.get("tags", [])]


@pytest.fixture(scope="module")
def journal_course(course_template, tmp_path_factory):
    """ana writes in every journal cell, bo leaves them as released, cy deletes the text of one and
    writes in the others; then grading, feedback, export and the report, as a supervisor runs them."""
    import shutil

    root = Path(shutil.copytree(course_template, tmp_path_factory.mktemp("journal") / "course"))
    course = load_course(root)
    exercise = course.exercise(EXERCISE)
    (root / "roster.csv").write_text("id,name,email\nana,Ana Lima,\nbo,Bo Chen,\ncy,Cy Park,\n")
    import_roster(open_course(root), root / "roster.csv")
    for trainee in ("ana", "bo", "cy"):
        nb = build_submission(course, exercise, {"start": "solution"})
        for n, cell in enumerate(journals(nb), start=1):
            if trainee == "ana":
                cell.source = f"{PLANTED} by ana, entry {n}: the time I argued with a client about a fee."
            elif trainee == "cy":
                cell.source = "" if n == 1 else f"{PLANTED} by cy, entry {n}."
        path = root / "submitted" / trainee / EXERCISE / exercise.notebook_name
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
    outcomes = grade_submissions(open_course(root), [(EXERCISE, t) for t in ("ana", "bo", "cy")], progress=False)
    assert all(o.graded for o in outcomes), outcomes
    save_status(open_course(root), outcomes)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        assert main(["feedback"]) == 0
        assert main(["export", "--to", "grades.csv"]) == 0
    build_report(open_course(root))
    return root, exercise


def test_journal_cells_score_on_completion_and_need_no_marking(journal_course):
    root, exercise = journal_course
    ids = journal_cells(root / "solutions" / EXERCISE / exercise.notebook_name)
    assert ids == {"journal-1": 1.0, "journal-2": 1.0, "journal-3": 1.0}
    expected = {"ana": [1, 1, 1], "bo": [0, 0, 0], "cy": [0, 1, 1]}
    with formgrader_gradebook(root) as gb:
        for trainee, scores in expected.items():
            for grade_id, score in zip(ids, scores):
                grade = gb.find_grade(grade_id, exercise.notebook_name[:-6], EXERCISE, trainee)
                assert (grade.score, grade.needs_manual_grade) == (score, False), (trainee, grade_id)


def test_the_graded_copy_and_feedback_show_only_complete_or_not(journal_course):
    root, exercise = journal_course
    for trainee, shown in (("ana", ["complete"] * 3), ("cy", ["not complete", "complete", "complete"])):
        graded = nbformat.read(root / "autograded" / trainee / EXERCISE / exercise.notebook_name, as_version=4)
        # the sanitiser renders markdown to inert HTML: the verdict is all that is left of the entry
        assert [c.source.strip() for c in journals(graded)] == [
            f"<p><em>Private reflection: {s}.</em></p>" for s in shown
        ]
        html = (root / "feedback" / trainee / EXERCISE / f"{EXERCISE}.html").read_text(encoding="utf-8")
        assert "Complete: you wrote in this entry." in html


def test_planted_reflection_stays_in_its_own_submission_only(journal_course):
    root, _ = journal_course
    found = []
    for path in root.rglob("*"):
        if path.is_file() and PLANTED.encode() in path.read_bytes():
            found.append(path.relative_to(root).as_posix())
    assert sorted(found) == [f"submitted/{t}/{EXERCISE}/{EXERCISE}.ipynb" for t in ("ana", "cy")]


def test_export_and_report_carry_the_completion_score_not_the_text(journal_course):
    root, _ = journal_course
    with open(root / "grades.csv", newline="", encoding="utf-8-sig") as fh:
        rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(fh)}
    ana, bo = rows[(EXERCISE, "ana")], rows[(EXERCISE, "bo")]
    assert ana["status"] == "graded" and float(ana["raw_score"]) == float(bo["raw_score"]) + 3
    report = next((root / "reports").glob("*.html")).read_text(encoding="utf-8")
    assert PLANTED not in report
    rows = {t: row_of(table_rows(report, "reflection"), t) for t in ("ana", "bo", "cy")}
    assert ">complete<" in rows["ana"] and "0 of 3 complete" in rows["bo"] and "2 of 3 complete" in rows["cy"]
