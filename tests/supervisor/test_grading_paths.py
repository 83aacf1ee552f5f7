"""Grading from data gives what grading by running gives: every submission of the grading matrix, of the
demo cohort's profiles and of the attack tests is graded both ways, from data (the course's default) and
by running it in the sandbox (``grading: sandbox``), and the gradebook's scores, the statuses (graded or
not and why, what the export says) and the feedback text must be the same.

Two differences are expected, and asserted: the outputs of code nobody grades (the setup cell's printout,
cells a trainee added) exist only where the notebook ran, and a trainee whose code kills the kernel
("killer") is graded from data but not by running."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from repairlab.cli import main
from repairlab.course import load_course
from repairlab.nbgrader_api import open_course
from repairlab.nbgrader_api.parts import exercise_parts
from repairlab.sandbox import unavailable_reason
from repairlab.supervisor.demo_cohort import build_submission, make_cohort
from repairlab.supervisor.grading import grade_submissions
from repairlab.supervisor.roster import import_roster

from helpers import DATA, formgrader_gradebook, grade_by_running
from helpers.attacks import attacks

pytestmark = [
    pytest.mark.grading,
    pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason())),
]

MATRIX = yaml.safe_load((DATA / "grading_matrix.yml").read_text())
ATTACKED = "owning-your-part"
KILLER = (ATTACKED, "a-killer")  # its code kills the kernel: only running it can fail


def hand_in(root: Path, base: Path) -> list[tuple[str, str]]:
    """Every matrix case (trainee ``m-<case>``), the demo cohort (``t01``...) and every attack
    (``a-<name>``), handed in to the course in ``root``; returns the (exercise, trainee) tasks."""
    course = load_course(root)
    notebooks: dict[tuple[str, str], nbformat.NotebookNode] = {}
    for exercise, cases in MATRIX.items():
        for case, spec in cases.items():
            notebooks[(exercise, f"m-{case}")] = build_submission(course, course.exercise(exercise), spec)
    make_cohort(course, 8, base / "cohort", base / "cohort.csv")
    for path in sorted((base / "cohort").glob("*/*.ipynb")):
        notebooks[(path.stem, path.parent.name)] = nbformat.read(path, as_version=4)
    exercise = course.exercise(ATTACKED)
    part = exercise_parts(ATTACKED, root / "solutions" / ATTACKED / exercise.notebook_name)[0]
    for name, spec in attacks(root, part).items():
        notebooks[(ATTACKED, f"a-{name}")] = build_submission(course, exercise, spec)
    trainees = sorted({trainee for _, trainee in notebooks})
    (base / "roster.csv").write_text("id,name,email\n" + "".join(f"{t},Trainee {t},\n" for t in trainees))
    import_roster(open_course(root), base / "roster.csv")
    for (exercise_id, trainee), nb in notebooks.items():
        folder = root / "submitted" / trainee / exercise_id
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{exercise_id}.ipynb")
    return sorted(notebooks)


@pytest.fixture(scope="module")
def graded(course_template, tmp_path_factory):
    """way -> (course root, outcomes by task, export rows by task), for both ways of grading."""
    results = {}
    for way in ("data", "sandbox"):
        base = tmp_path_factory.mktemp(way)
        root = Path(shutil.copytree(course_template, base / "course"))
        if way == "sandbox":
            grade_by_running(root)
        tasks = hand_in(root, base)
        outcomes = {(o.exercise, o.trainee): o for o in grade_submissions(open_course(root), tasks, progress=False)}
        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(root)
            assert main(["feedback"]) == 0
            assert main(["export", "--to", "grades.csv"]) == 0
        with open(root / "grades.csv", newline="", encoding="utf-8-sig") as fh:
            rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(fh)}
        results[way] = root, outcomes, rows
    return results


def test_every_submission_has_the_same_status_both_ways(graded):
    (_, data, data_rows), (_, run, run_rows) = graded["data"], graded["sandbox"]
    assert set(data) == set(run) and len(data) > 90
    differ = {task for task in data if (data[task].graded, data[task].reason) != (run[task].graded, run[task].reason)}
    assert differ == {KILLER}, differ
    assert data[KILLER].graded and run[KILLER].reason.startswith("the kernel died")
    failed = {task for task, o in data.items() if not o.graded}
    assert failed and all(trainee == "t05" for _, trainee in failed), "the cohort's broken profile fails both ways"
    columns = ("status", "raw_score", "score_so_far", "to_grade", "max_score")
    differ = {task for task in data_rows
              if [data_rows[task][c] for c in columns] != [run_rows[task][c] for c in columns]}
    assert differ == {KILLER}, differ


def gradebook_scores(root: Path, tasks) -> dict:
    scores = {}
    with formgrader_gradebook(root) as gb:
        for exercise, trainee in tasks:
            notebook = gb.find_submission_notebook(exercise, exercise, trainee)
            scores[(exercise, trainee)] = sorted(
                (g.name, g.auto_score, g.manual_score, g.needs_manual_grade, g.max_score) for g in notebook.grades)
    return scores


def test_the_gradebook_holds_the_same_scores_both_ways(graded):
    (data_root, outcomes, _), (run_root, _, _) = graded["data"], graded["sandbox"]
    tasks = sorted(task for task, o in outcomes.items() if o.graded and task != KILLER)
    data, run = gradebook_scores(data_root, tasks), gradebook_scores(run_root, tasks)
    assert data == run
    expected = {(ex, f"m-{case}"): spec["score"] for ex, cases in MATRIX.items() for case, spec in cases.items()}
    with formgrader_gradebook(data_root) as gb:
        for (exercise, trainee), score in expected.items():
            assert gb.find_submission_notebook(exercise, exercise, trainee).code_score == pytest.approx(score)


def feedback_text(html: str, root: Path) -> tuple[str, list[str]]:
    """The feedback page as text, and the outputs of the code cells nobody grades (left out of the text).
    Execution counts are left out too: "In [3]:" where the notebook ran, "In [ ]:" where it did not."""
    soup = BeautifulSoup(html, "html.parser")
    ungraded = []
    for cell in soup.select("div.code_cell"):
        heading = cell.select_one(".panel-heading")
        if heading is None or "Grade cell" not in heading.get_text():
            for output in cell.select("div.output_wrapper"):
                ungraded.append(output.get_text(" ", strip=True))
                output.decompose()
    text = " ".join(soup.body.get_text(" ").split()).replace(str(root), "COURSE")
    return re.sub(r"(In|Out) ?\[[\d ]*\]:", r"\1 [ ]:", text), [o for o in ungraded if o]


def test_feedback_says_the_same_both_ways(graded):
    (data_root, outcomes, _), (run_root, _, _) = graded["data"], graded["sandbox"]
    compared = 0
    ran_only = set()
    for exercise, trainee in sorted(task for task, o in outcomes.items() if o.graded and task != KILLER):
        page = Path("feedback") / trainee / exercise / f"{exercise}.html"
        data, data_ungraded = feedback_text((data_root / page).read_text(), data_root)
        run, run_ungraded = feedback_text((run_root / page).read_text(), run_root)
        assert data == run, (exercise, trainee)
        assert data_ungraded == [], "graded from data, no code ran, so no code nobody grades has an output"
        ran_only.update(run_ungraded)
        compared += 1
    assert compared > 80
    assert ran_only == set(), "the trainee's page shows no output of code nobody grades, however it was graded"


def test_an_endless_loop_is_cut_off_when_run_and_never_started_from_data(graded):
    for way, expect_error in (("sandbox", True), ("data", False)):
        root = graded[way][0]
        for exercise in MATRIX:
            nb = nbformat.read(root / "autograded" / "m-endless-loop" / exercise / f"{exercise}.ipynb", as_version=4)
            loop = next(c for c in nb.cells if c.cell_type == "code" and "while True" in c.source)
            errors = [o.ename for o in loop.outputs if o.output_type == "error"]
            assert bool(errors) == expect_error, (way, exercise, loop.outputs)
            assert not expect_error or any("Timeout" in e or "Interrupt" in e for e in errors), errors
