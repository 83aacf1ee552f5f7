"""The supervisor's workflow end to end with real nbgrader: roster, collect, parallel grading,
manual-grading list, feedback, Formgrader, CSV export."""

from __future__ import annotations

import csv
import hashlib
import shutil
import urllib.request
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

from repairlab import nbgrader_api
from repairlab.cli import main
from repairlab.collect import collect
from repairlab.errors import CourseError
from repairlab.manifest import load_course
from repairlab.manual import pending
from repairlab.roster import RosterError, import_roster, roster_ids
from repairlab.synthetic import build_submission

EXPECTED = yaml.safe_load((Path(__file__).parent / "cohort_expected.yml").read_text())
pytestmark = pytest.mark.grading

# ---- roster ---------------------------------------------------------------------------------------


def test_roster_import_adds_every_trainee(scratch_course):
    (scratch_course / "r.csv").write_text("id,name,email\nana,Ana Lima,ana@example.org\nwei,Wei Tan,\n")
    import_roster(scratch_course, scratch_course / "r.csv")
    with nbgrader_api.gradebook(scratch_course) as gb:
        ana = gb.find_student("ana")
        assert (ana.first_name, ana.last_name, ana.email) == ("Ana", "Lima", "ana@example.org")
        assert [s.id for s in gb.students] == ["ana", "wei"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("id,name\nana,Ana Lima\n", "missing column(s) email"),
        ("id,name,email\nana,Ana,a@x.org\nbo,Bo,b@x.org\nana,Ana Again,c@x.org\n", "row 4: duplicate id 'ana' (first on row 2)"),
        ("id,name,email\nana lima,Ana,a@x.org\n", "row 2: id 'ana lima' must be letters"),
        ("id,name,email\nana,Ana,not-an-email\nbo,,b@x.org\n", "row 2: email 'not-an-email' is not an email address\n  row 3: name is empty"),
        ("id,name,email\nana,Ana,a@x.org,extra\n", "row 2: has more cells than the header"),
    ],
)
def test_a_bad_roster_names_the_row_and_imports_nothing(scratch_course, text, message):
    (scratch_course / "good.csv").write_text("id,name,email\nzoe,Zoe Ng,zoe@example.org\n")
    import_roster(scratch_course, scratch_course / "good.csv")
    (scratch_course / "bad.csv").write_text(text)
    with pytest.raises(RosterError) as info:
        import_roster(scratch_course, scratch_course / "bad.csv")
    assert message in str(info.value)
    assert "missing column" in message or "nothing was imported" in str(info.value)
    assert roster_ids(scratch_course) == ["zoe"]


# ---- collect --------------------------------------------------------------------------------------


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def collecting(scratch_course, course):
    (scratch_course / "r.csv").write_text("id,name,email\n" + "".join(f"{t},Trainee {t},\n" for t in ["ana", "bo", "cy", "di", "ed"]))
    import_roster(scratch_course, scratch_course / "r.csv")
    complete = {ex.id: nbformat.writes(build_submission(course, ex, {"start": "solution"})) for ex in course.exercises}
    return scratch_course, load_course(scratch_course), complete


def test_collect_from_a_folder_matches_renamed_notebooks_and_reports_the_rest(collecting, tmp_path):
    root, course, nb = collecting
    inbox = tmp_path / "inbox"
    files = {
        "ana/owning-your-part.ipynb": nb["owning-your-part"],
        "ana/projection-or-contribution.ipynb": nb["projection-or-contribution"],
        "bo/my answers (1).ipynb": nb["owning-your-part"],  # renamed: its exercise cells tell
        "cy/notes.txt": "not a notebook",
        "cy/owning-your-part.ipynb": "{ this is not json",
        "di/owning-your-part.ipynb": "",
        "stranger/owning-your-part.ipynb": nb["owning-your-part"],
    }
    for rel, text in files.items():
        (inbox / rel).parent.mkdir(parents=True, exist_ok=True)
        (inbox / rel).write_text(text)
    (inbox / "ed").mkdir()
    before = tree_digest(inbox)
    summary = collect(course, root, inbox, roster_ids(root))
    assert tree_digest(inbox) == before, "the originals must never change"
    placed = {(p.trainee, p.exercise): p.how for p in summary.placed}
    assert set(placed) == {("ana", "owning-your-part"), ("ana", "projection-or-contribution"), ("bo", "owning-your-part")}
    assert "matched by its exercise cells" in placed[("bo", "owning-your-part")]
    problems = dict(summary.problems)
    assert "not a notebook" in problems["cy/notes.txt"]
    assert "not a readable notebook" in problems["cy/owning-your-part.ipynb"]
    assert "empty file" in problems["di/owning-your-part.ipynb"]
    assert "unknown trainee" in problems["stranger/owning-your-part.ipynb"]
    assert "empty folder" in problems["ed/"]
    assert summary.not_submitted["owning-your-part"] == ["cy", "di", "ed"]
    assert (root / "submitted/bo/owning-your-part/owning-your-part.ipynb").read_text() == nb["owning-your-part"]
    text = summary.render()
    for where in problems:
        assert where in text


def test_collect_a_renamed_notebook_without_cells_when_it_is_the_only_one(collecting, tmp_path):
    root, course, nb = collecting
    stripped = nbformat.reads(nb["owning-your-part"], as_version=4)
    for cell in stripped.cells:
        cell.metadata.pop("nbgrader", None)  # pasted into a fresh notebook: the cells are gone
    (tmp_path / "in" / "ana").mkdir(parents=True)
    nbformat.write(stripped, tmp_path / "in" / "ana" / "Untitled.ipynb")
    (tmp_path / "in" / "bo").mkdir()
    nbformat.write(stripped, tmp_path / "in" / "bo" / "a.ipynb")
    nbformat.write(stripped, tmp_path / "in" / "bo" / "b.ipynb")
    without = collect(course, root, tmp_path / "in", roster_ids(root))
    assert not without.placed  # without the exercise named, nothing to go on
    summary = collect(course, root, tmp_path / "in", roster_ids(root), "owning-your-part")
    assert [(p.trainee, p.how) for p in summary.placed] == [("ana", "renamed Untitled.ipynb; the trainee's only notebook")]
    assert sum("could not tell which exercise" in why for _, why in summary.problems) == 2


def test_collect_from_an_lms_zip_with_nested_folders(collecting, tmp_path):
    root, course, nb = collecting
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("submissions/section-a/ana/owning-your-part.ipynb", nb["owning-your-part"])
        z.writestr("submissions/bo_1234_owning-your-part.ipynb", nb["owning-your-part"])
        z.writestr("submissions/section-b/cy/deep/er/owning-your-part.ipynb", nb["owning-your-part"])
        z.writestr("__MACOSX/submissions/._owning-your-part.ipynb", b"\x00\x01")
        z.writestr("submissions/zed/owning-your-part.ipynb", nb["owning-your-part"])
    before = archive.read_bytes()
    summary = collect(course, root, archive, roster_ids(root), "owning-your-part")
    assert archive.read_bytes() == before
    assert sorted(p.trainee for p in summary.placed) == ["ana", "bo", "cy"]
    problems = dict(summary.problems)
    assert "system file" in problems["download.zip:__MACOSX/submissions/._owning-your-part.ipynb"]
    assert "unknown trainee" in problems["download.zip:submissions/zed/owning-your-part.ipynb"]


def test_collect_names_a_missing_source(collecting, tmp_path):
    root, course, _ = collecting
    with pytest.raises(CourseError, match="does not exist"):
        collect(course, root, tmp_path / "nowhere", roster_ids(root))


# ---- grading ---------------------------------------------------------------------------------------


def test_parallel_grading_gives_each_profile_its_expected_score(graded_cohort):
    root, profiles, outcomes = graded_cohort
    course = load_course(root)
    by_key = {(o.exercise, o.trainee): o for o in outcomes}
    with nbgrader_api.gradebook(root) as gb:
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
                    assert not outcome.graded and outcome.reason == "the kernel died while running the notebook"
                    assert (root / "submitted" / trainee / exercise.id / exercise.notebook_name).is_file()
                    gb.find_submission(exercise.id, trainee)  # still recorded for grading by hand
                    continue
                assert outcome.graded, outcome
                notebook = gb.find_submission_notebook(exercise.notebook_name[:-6], exercise.id, trainee)
                assert notebook.code_score == pytest.approx(expected), (trainee, profile, exercise.id)


def test_manual_grading_list_names_written_answers_and_failed_autogrades(graded_cohort):
    root, profiles, _ = graded_cohort
    rows = pending(load_course(root), root)
    broken = next(t for t, p in profiles.items() if p == "broken")
    complete = next(t for t, p in profiles.items() if p == "complete")
    whats = {(r.exercise, r.trainee): r.what for r in rows}
    assert whats[("owning-your-part", complete)] == "written answer(s) to mark: written-repair"
    assert whats[("projection-or-contribution", complete)] == "written answer(s) to mark: written-attribution-check"
    assert "could not be autograded (the kernel died" in whats[("owning-your-part", broken)]
    blank = next(t for t, p in profiles.items() if p == "blank")
    assert whats[("owning-your-part", blank)] == "written answer(s) to mark: written-repair (left blank)"
    missing = next(t for t, p in profiles.items() if p == "missing")
    assert not any(r.trainee == missing for r in rows)


@pytest.fixture(scope="module")
def supervised(graded_cohort, tmp_path_factory):
    """A copy of the graded cohort with one supervisor comment, then feedback and export."""
    root = Path(shutil.copytree(graded_cohort[0], tmp_path_factory.mktemp("supervised") / "course"))
    with nbgrader_api.gradebook(root) as gb:
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
        if profiles[trainee] != "blank":
            assert f"Written answer by {trainee}" in html
        assert not any(f"Written answer by {t} " in html for t in others)
        assert ("SUPERVISOR-NOTE-FOR-T01" in html) == (trainee == "t01" and exercise == "owning-your-part")


def test_grades_export_to_csv_for_an_lms(supervised, graded_cohort):
    _, profiles, _ = graded_cohort
    with open(supervised / "grades.csv", newline="") as fh:
        rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(fh)}
    for (exercise, trainee), row in rows.items():
        expected = EXPECTED[exercise][profiles[trainee]]
        if isinstance(expected, (int, float)):
            manual = 3 if (exercise, trainee) == ("owning-your-part", "t01") else 0
            assert float(row["raw_score"]) == pytest.approx(expected + manual), (exercise, trainee)
    assert len(rows) == len(profiles) * 2


def test_formgrader_shows_the_answer_beside_its_mark_scheme(supervised, tmp_path):
    from browser_lab import LabServer

    with nbgrader_api.gradebook(supervised) as gb:
        notebook_id = gb.find_submission_notebook("owning-your-part", "owning-your-part", "t01").id
    server = LabServer(supervised, tmp_path / "state").start()
    try:
        page = urllib.request.urlopen(f"{server.url}/formgrader/submissions/{notebook_id}/", timeout=60).read().decode()
    finally:
        server.stop()
    assert "Written answer by t01" in page
    assert "BEGIN MARK SCHEME" in page and "The specific act" in page


def test_a_corrupt_submission_is_reported_and_the_rest_still_graded(scratch_course, course):
    from repairlab.grading import grade_submissions

    (scratch_course / "r.csv").write_text("id,name,email\nana,Ana Lima,\nbo,Bo Chen,\n")
    import_roster(scratch_course, scratch_course / "r.csv")
    good = scratch_course / "submitted/ana/owning-your-part/owning-your-part.ipynb"
    bad = scratch_course / "submitted/bo/owning-your-part/owning-your-part.ipynb"
    for path in (good, bad):
        path.parent.mkdir(parents=True)
    nbformat.write(build_submission(course, course.exercise("owning-your-part"), {"start": "solution"}), good)
    bad.write_text('{"cells": [ broken')
    outcomes = {o.trainee: o for o in grade_submissions(scratch_course, [("owning-your-part", "ana"), ("owning-your-part", "bo")], progress=False)}
    assert outcomes["ana"].graded
    assert not outcomes["bo"].graded and outcomes["bo"].reason == "the notebook file is corrupt (not valid JSON)"
    assert bad.read_text() == '{"cells": [ broken'  # kept for grading by hand
    with nbgrader_api.gradebook(scratch_course) as gb:
        assert gb.find_submission_notebook("owning-your-part", "owning-your-part", "ana").code_score == EXPECTED["owning-your-part"]["complete"]
