"""Where each hand-in stands with autograding, as pending, the export, mark and grade all say it:
after a run killed before it recorded anything, with late and changed hand-ins, with an answer cell
that holds code, and when grading again grades only what changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from repairlab.cli import main
from repairlab.nbgrader_api import open_course
from repairlab.supervisor.autograde_state import INTERRUPTED, unchanged_since_autograde
from repairlab.supervisor.grades import COULD_NOT_AUTOGRADE, NOT_AUTOGRADED_YET, grade_rows
from repairlab.supervisor.grading import grade_submissions
from repairlab.supervisor.mark_scheme import written_tasks
from repairlab.supervisor.marking import waiting_marks
from repairlab.supervisor.pending import MARK, NOT_AUTOGRADED, NOT_PLAIN, NOT_YET, pending, pending_lines

pytestmark = pytest.mark.grading

OWN = "owning-your-part"
NOT_PLAIN_A = "Part A's answer was not a plain answer (code or unreadable): scored 0; the trainee's feedback says why"


@pytest.fixture
def cohort(graded_cohort, tmp_path):
    root = Path(shutil.copytree(graded_cohort[0], tmp_path / "course"))
    profiles = graded_cohort[1]
    return root, {p: [t for t, q in profiles.items() if q == p] for p in set(profiles.values())}


def _submitted(root: Path, trainee: str) -> Path:
    return root / "submitted" / trainee / OWN / f"{OWN}.ipynb"


def test_after_a_run_killed_before_it_recorded_anything_pending_export_and_mark_agree(cohort):
    root, by_profile = cohort
    broken, complete, missing = by_profile["broken"][0], by_profile["complete"][0], by_profile["missing"][0]
    (root / ".repairlab" / "grading-status.json").unlink()  # killed: the run's outcomes were never saved
    late = _submitted(root, missing)  # a late hand-in, collected but not graded
    late.parent.mkdir(parents=True)
    shutil.copy(_submitted(root, complete), late)
    changed = _submitted(root, by_profile["complete"][1])  # a resubmission, changed since its autograde
    changed.write_text(changed.read_text() + " ")
    course = open_course(root)

    rows = pending(course)
    mine = [r for r in rows if (r.exercise, r.trainee) == (OWN, broken)]
    assert [(r.kind, r.reason) for r in mine if r.kind != "safety"] == [(NOT_AUTOGRADED, INTERRUPTED)]
    assert not [r for r in rows if r.trainee == broken and r.kind == MARK], "autograded parts are never 'to mark'"
    assert [r.what for r in rows if r.exercise == OWN and r.kind == NOT_YET] == [
        "2 hand-in(s) not autograded yet: run `repairlab grade`"]
    assert not [r for r in rows if (r.exercise, r.trainee, r.kind) == (OWN, changed.parts[-3], MARK)], \
        "an old copy is not marked"
    text = "\n".join(pending_lines(course, rows))
    assert "could not be autograded" in text and "never run its cells" in text
    assert "0 that could not be autograded" not in text

    export = {(r.assignment, r.student_id): r for r in grade_rows(course)}
    assert export[(OWN, broken)].to_grade == (COULD_NOT_AUTOGRADE,)
    assert export[(OWN, missing)].to_grade == (NOT_AUTOGRADED_YET,)
    assert export[(OWN, changed.parts[-3])].to_grade == (NOT_AUTOGRADED_YET,)
    assert export[(OWN, changed.parts[-3])].status == "needs grading"

    markable, unreadable = waiting_marks(course, OWN, written_tasks(course, OWN))
    assert broken in {m.trainee for m in unreadable} and broken not in {m.trainee for m in markable}


def test_an_answer_cell_holding_code_is_flagged_from_the_trusted_outputs(cohort):
    root, by_profile = cohort
    trainee = by_profile["complete"][0]
    notebook = _submitted(root, trainee)
    nb = nbformat.read(notebook, as_version=4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "statement-labels")
    answer.source = "import os\n" + answer.source
    nbformat.write(nb, notebook)
    course = open_course(root)
    assert [o.graded for o in grade_submissions(course, [(OWN, trainee)], workers=1, progress=False)] == [True]

    rows = [r for r in pending(course) if r.exercise == OWN and r.kind == NOT_PLAIN]
    assert [r.what for r in rows] == [f"{NOT_PLAIN_A}: {rows[0].what.rsplit(': ', 1)[1]}"]
    assert f"({trainee})" in rows[0].what
    assert f"  {rows[0].what}" in pending_lines(course, pending(course))
    row = next(r for r in grade_rows(course) if (r.assignment, r.student_id) == (OWN, trainee))
    assert row.to_grade[-1] == NOT_PLAIN_A
    others = [r for r in grade_rows(course) if r.assignment == OWN and r.student_id != trainee]
    assert not [r for r in others if NOT_PLAIN_A in r.to_grade], "only the planted answer is flagged"


def test_grading_again_grades_only_new_or_changed_hand_ins_unless_all(cohort, monkeypatch, capsys):
    root, by_profile = cohort
    monkeypatch.chdir(root)
    course = open_course(root)
    tasks = [(OWN, t) for t in (by_profile["complete"][0], by_profile["partial"][0], by_profile["broken"][0])]
    assert unchanged_since_autograde(course, tasks) == set(tasks[:2]), "a failed autograde is tried again"
    changed = _submitted(root, tasks[0][1])
    changed.write_text(changed.read_text() + " ")
    assert unchanged_since_autograde(course, tasks) == {tasks[1]}

    assert main(["grade", OWN]) == 0
    out = capsys.readouterr().out
    handed_in = sum(1 for _ in (root / "submitted").glob(f"*/{OWN}/*.ipynb"))
    assert f"Left as graded: {handed_in - 2} of {handed_in} submission(s)" in out
    assert "Autograded 1 of 2 submission(s)." in out  # the changed one; the broken one fails again
    assert unchanged_since_autograde(course, tasks) == set(tasks[:2])
    assert main(["grade", OWN, "--all"]) == 0
    assert f"Autograded {handed_in - 1} of {handed_in} submission(s)." in capsys.readouterr().out
