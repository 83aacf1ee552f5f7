"""The supervisor's workflow end to end with real nbgrader: parallel grading, manual-grading list,
feedback, Formgrader, CSV export. Roster import is tested in test_roster.py, collect in
test_collect.py, the CSV itself in test_export.py."""

from __future__ import annotations

import csv
import shutil
import urllib.request
from pathlib import Path

import nbformat
import pytest
import yaml

from repairlab.cli import main
from repairlab.course import load_course
from repairlab.nbgrader_api import open_course
from repairlab.nbgrader_api.cells import written_answer_cells
from repairlab.supervisor.demo_cohort import build_submission
from repairlab.supervisor.pending import pending, pending_lines
from repairlab.supervisor.roster import import_roster
from repairlab.supervisor.safety import missed_items

from helpers import DATA, demo_answer, formgrader_gradebook

EXPECTED = yaml.safe_load((DATA / "cohort_expected.yml").read_text())
pytestmark = pytest.mark.grading

# ---- grading ---------------------------------------------------------------------------------------


def test_parallel_grading_gives_each_profile_its_expected_score(graded_cohort):
    root, profiles, outcomes = graded_cohort
    course = load_course(root)
    by_key = {(o.exercise, o.trainee): o for o in outcomes}
    with formgrader_gradebook(root) as gb:
        for exercise in course.exercises:
            for trainee, profile in profiles.items():
                expected = EXPECTED[exercise.id][profile]
                outcome = by_key.get((exercise.id, trainee))
                if expected == "not submitted":
                    assert outcome is None
                    continue
                assert len(gb.find_assignment(exercise.id).submissions) == sum(
                    EXPECTED[exercise.id][p] != "not submitted" for p in profiles.values()
                ), "each submission recorded once"
                if expected == "could not autograde":
                    assert not outcome.graded and outcome.reason.startswith(
                        "Part A's answer cell has damaged grading information"
                    )
                    assert (root / "submitted" / trainee / exercise.id / exercise.notebook_name).is_file()
                    gb.find_submission(exercise.id, trainee)  # still recorded for grading by hand
                    continue
                assert outcome.graded, outcome
                notebook = gb.find_submission_notebook(exercise.notebook_name[:-6], exercise.id, trainee)
                assert notebook.code_score == pytest.approx(expected), (trainee, profile, exercise.id)


def test_manual_grading_list_names_written_answers_and_failed_autogrades(graded_cohort):
    root, profiles, _ = graded_cohort
    rows = pending(open_course(root))
    broken = next(t for t, p in profiles.items() if p == "broken")
    complete = next(t for t, p in profiles.items() if p == "complete")
    whats = {(r.exercise, r.trainee): r.what for r in rows if r.kind != "safety"}
    assert whats[("owning-your-part", complete)] == "written answer(s) to mark: Part C"
    assert whats[("projection-or-contribution", complete)] == "written answer(s) to mark: Part C"
    failed = next(r for r in rows if (r.exercise, r.trainee) == ("owning-your-part", broken) and r.kind != "safety")
    assert failed.what == "could not be autograded (why: below)"
    assert failed.reason.startswith("Part A's answer cell has damaged grading information")
    blank = next(t for t, p in profiles.items() if p == "blank")
    assert whats[("owning-your-part", blank)] == "written answer(s) to mark: Part C (left blank)"
    missing = next(t for t, p in profiles.items() if p == "missing")
    assert not any(r.trainee == missing for r in rows)
    # printed: grouped by exercise title with totals, names, each failure reason once, how to grade by hand
    course = open_course(root)
    printed = pending_lines(course, rows)
    text = "\n".join(printed)
    assert printed[0].startswith("Waiting for you: ")
    for exercise in course.exercises:
        if any(r.exercise == exercise.id for r in rows):
            assert any(line.startswith(course.exercise_title(exercise.id) + " (") for line in printed)
    with formgrader_gradebook(root) as gb:
        name = next(f"{s.first_name} {s.last_name}" for s in gb.students if s.id == complete)
    assert f"{name} ({complete})" in text
    assert text.count(failed.reason) == 1
    assert printed[-1].startswith("To mark written answers: `repairlab mark EXERCISE`, or run `jupyter lab`")
    assert any(line.startswith("For the ") and "hand in again from a fresh copy" in line and "No Kernel" in line
               for line in printed)


@pytest.fixture(scope="module")
def supervised(graded_cohort, tmp_path_factory):
    """A copy of the graded cohort with one supervisor comment, then feedback and export."""
    root = Path(shutil.copytree(graded_cohort[0], tmp_path_factory.mktemp("supervised") / "course"))
    with formgrader_gradebook(root) as gb:
        comment = gb.find_comment("written-repair", "owning-your-part", "owning-your-part", "t01")
        comment.manual_comment = "SUPERVISOR-NOTE-FOR-T01: you named the act clearly."
        grade = gb.find_grade("written-repair", "owning-your-part", "owning-your-part", "t01")
        grade.manual_score = 3
        gb.db.commit()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        assert main(["feedback"]) == 0
        assert main(["export", "--to", "grades.csv"]) == 0
    return root


def test_feedback_holds_only_the_trainees_own_work(supervised, graded_cohort):
    _, profiles, outcomes = graded_cohort
    graded = [(o.exercise, o.trainee) for o in outcomes if o.graded]
    for exercise, trainee in graded:
        html = (supervised / "feedback" / trainee / exercise / f"{exercise}.html").read_text()
        others = [t for t in profiles if t != trainee]
        release = nbformat.read(supervised / "exercises" / exercise / f"{exercise}.ipynb", as_version=4)
        own = demo_answer(graded_cohort[0], trainee, exercise)
        if profiles[trainee] != "blank" and written_answer_cells(release):
            assert own and own in html
        assert "Private reflection by" not in html, "a journal entry reached feedback"
        theirs = {demo_answer(graded_cohort[0], t, exercise) for t in others}
        assert not any(answer in html for answer in theirs - {own, ""})
        assert ("SUPERVISOR-NOTE-FOR-T01" in html) == (trainee == "t01" and exercise == "owning-your-part")


def test_pending_and_export_headlines_count_the_same_submissions_in_the_same_words(supervised, capsys):
    """A supervisor read "26 with written answers to mark, 6 could not be autograded, 5 safety" from pending
    and "30 still need grading, 5 safety" from export, and could not make them agree."""
    course = open_course(supervised)
    headline = pending_lines(course, pending(course))[0]
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(supervised)
        capsys.readouterr()
        assert main(["export", "--to", "again.csv"]) == 0
    exported = " ".join(capsys.readouterr().out.split())
    waiting = headline.removeprefix("Waiting for you: ").rstrip(".")
    assert waiting.split(" submission(s) with no final score yet (")[0].isdigit()
    assert "could not be autograded" in waiting and "missed a safety item" in waiting
    assert f", {waiting}, " in exported, (headline, exported)


def test_grades_export_to_csv_for_an_lms(supervised, graded_cohort):
    _, profiles, _ = graded_cohort
    course = open_course(supervised)
    with open(supervised / "grades.csv", newline="", encoding="utf-8-sig") as fh:
        rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(fh)}
    for (exercise, trainee), row in rows.items():
        expected = EXPECTED[exercise][profiles[trainee]]
        if isinstance(expected, (int, float)):
            manual = 3 if (exercise, trainee) == ("owning-your-part", "t01") else 0
            if profiles[trainee] != "blank":
                manual += EXPECTED["journals"].get(exercise, 0)  # scored on completion, unmarked
            # a written answer still to mark: no final raw_score, the points so far in score_so_far
            if row["status"] == "graded":
                score = row["raw_score"]
                assert row["score_so_far"] == ""
            else:  # a missed risk item is never averaged away: it is flagged whatever the total
                missed = missed_items(course, course.exercise(exercise), trainee)
                status = "safety item missed — review" if missed else "needs grading"
                assert profiles[trainee] != "complete" or not missed, (exercise, trainee)
                assert (row["status"], row["raw_score"]) == (status, ""), (exercise, trainee)
                score = row["score_so_far"]
            assert float(score) == pytest.approx(expected + manual), (exercise, trainee)
        elif expected == "not submitted":
            assert (row["status"], row["raw_score"]) == ("not submitted", ""), (exercise, trainee)
        else:  # could not autograde: never a final score
            assert (row["status"], row["raw_score"]) == ("needs grading", ""), (exercise, trainee)
    complete = next(t for t, p in profiles.items() if p == "complete" and t != "t01")
    assert rows[("owning-your-part", complete)]["status"] == "needs grading"  # its written answer is not marked
    assert rows[("owning-your-part", complete)]["to_grade"] == "Part C"  # as pending names it, never a grade id
    assert len(rows) == len(profiles) * len(load_course(supervised).exercises)


def test_formgrader_shows_the_answer_beside_its_mark_scheme(supervised, graded_cohort, tmp_path):
    from helpers.browser_lab import LabServer

    with formgrader_gradebook(supervised) as gb:
        notebook_id = gb.find_submission_notebook("owning-your-part", "owning-your-part", "t01").id
    server = LabServer(supervised, tmp_path / "state").start()
    try:
        page = urllib.request.urlopen(f"{server.url}/formgrader/submissions/{notebook_id}/", timeout=60).read().decode()
    finally:
        server.stop()
    assert demo_answer(graded_cohort[0], "t01", "owning-your-part") in page
    # the scheme as readable text under its heading, never between raw markers
    assert "MARK SCHEME ===" not in page and "Mark scheme" in page and "The specific act" in page
    # each autograded check as its result in one line, never its code; the graded copy on disk unchanged
    assert "BEGIN HIDDEN TESTS" not in page and "check_list" not in page and "score_items" not in page
    assert "Automatic check of Part A:</strong> 5 of 5 points." in page
    graded = supervised / "autograded" / "t01" / "owning-your-part" / "owning-your-part.ipynb"
    assert "### BEGIN HIDDEN TESTS" in graded.read_text()


def test_a_corrupt_submission_is_reported_and_the_rest_still_graded(scratch_course, course):
    from repairlab.supervisor.grading import grade_submissions

    (scratch_course / "r.csv").write_text("id,name,email\nana,Ana Lima,\nbo,Bo Chen,\n")
    import_roster(open_course(scratch_course), scratch_course / "r.csv")
    good = scratch_course / "submitted/ana/owning-your-part/owning-your-part.ipynb"
    bad = scratch_course / "submitted/bo/owning-your-part/owning-your-part.ipynb"
    for path in (good, bad):
        path.parent.mkdir(parents=True)
    nbformat.write(build_submission(course, course.exercise("owning-your-part"), {"start": "solution"}), good)
    bad.write_text('{"cells": [ broken')
    outcomes = {
        o.trainee: o
        for o in grade_submissions(
            open_course(scratch_course), [("owning-your-part", "ana"), ("owning-your-part", "bo")], progress=False
        )
    }
    assert outcomes["ana"].graded
    assert not outcomes["bo"].graded and outcomes["bo"].reason.startswith("the notebook file is corrupt (not valid "
                                                                          "JSON)")
    assert bad.read_text() == '{"cells": [ broken'  # kept for grading by hand
    with formgrader_gradebook(scratch_course) as gb:
        assert (
            gb.find_submission_notebook("owning-your-part", "owning-your-part", "ana").code_score
            == EXPECTED["owning-your-part"]["complete"]
        )
