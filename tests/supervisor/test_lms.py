"""LMS formats: roster import from a Canvas Grades export and a Moodle participants download, and grade
export as Canvas's and Moodle's grade import files, checked against sample files written to the
columns those systems document (tests/lms_samples/, fictional people)."""

from __future__ import annotations

import csv
import io

import pytest

from repairlab.cli import main
from repairlab.course import load_course
from repairlab.nbgrader_api import open_course
from repairlab.supervisor.export import export_grades
from repairlab.supervisor.lms import RosterError
from repairlab.supervisor.roster import (
    import_roster,
    load_lms_roster,
    load_roster,
    roster_ids,
)

from helpers import DATA, formgrader_gradebook

SAMPLES = DATA / "lms_samples"
CANVAS = SAMPLES / "canvas-grades-export.csv"
MOODLE = SAMPLES / "moodle-participants.csv"
OWN = "owning-your-part"


def rows_of(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


# ---- reading (no gradebook) --------------------------------------------------------------------


def test_a_canvas_grades_export_is_a_roster_keyed_by_canvas_user_id():
    roster = load_roster(CANVAS)
    assert roster.format == "canvas"
    assert [(t.id, t.name, t.email) for t in roster.trainees] == [
        ("5678", "Amara Okafor", ""), ("5679", "Ji-woo Park", ""), ("5680", "Tomás Silva", "")]
    assert dict(roster.trainees[0].lms) == {"SIS User ID": "S1001", "SIS Login ID": "aokafor", "Section": "Cohort A"}
    assert roster.skipped == ["row 2: Canvas's Points Possible row", "row 6: Canvas's test student (Student View)"]
    assert roster.assignments == {OWN: f"{OWN} (4101)", "Reflection journal": "Reflection journal (4102)"}


def test_a_moodle_participants_download_takes_ids_from_the_email_address():
    roster = load_roster(MOODLE)
    assert roster.format == "moodle"
    assert [(t.id, t.name, t.email) for t in roster.trainees] == [
        ("amara.okafor", "Amara Okafor", "amara.okafor@example.org"),
        ("jiwoo.park", "Ji-woo Park", "jiwoo.park@example.org"),
        ("tomas.silva", "Tomás Silva", "tomas.silva@example.org")]


def test_a_moodle_username_wins_over_the_email_and_clashes_name_both_rows(tmp_path):
    path = tmp_path / "participants.csv"
    path.write_text("First name,Surname,Username,Email address\nAna,Lima,alima,ana@one.example\n")
    assert [t.id for t in load_roster(path).trainees] == ["alima"]
    path.write_text("First name,Last name,Email address\nAna,Lima,ana@one.example\nAna,Costa,ana@two.example\n")
    with pytest.raises(RosterError, match=r"row 3: duplicate id 'ana' \(first on row 2\)"):
        load_roster(path)


def test_an_lms_file_missing_its_columns_is_one_sentence(tmp_path):
    path = tmp_path / "participants.csv"
    path.write_text("First name,Last name,Roles\nAna,Lima,Student\n")
    with pytest.raises(RosterError, match="no column to take the trainee id from; download the participants with "
                                          "Username"):
        load_roster(path)
    with pytest.raises(RosterError, match=r"missing column\(s\) ID; a Canvas Grades export has Student, ID"):
        load_roster(_without(tmp_path, CANVAS, "ID"), "canvas")


def _without(folder, sample, column):
    rows = rows_of(sample)
    keep = [i for i, name in enumerate(rows[0]) if name != column]
    path = folder / "cut.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([[row[i] for i in keep if i < len(row)] for row in rows])
    return path


# ---- with the gradebook ------------------------------------------------------------------------


def _grade_in_full(root, trainee: str) -> float:
    """Every item of OWN given full marks for ``trainee``; the score recorded."""
    with formgrader_gradebook(root) as gb:
        submission = gb.add_submission(OWN, trainee)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.manual_score, grade.needs_manual_grade = grade.max_score, False
        gb.db.commit()
        return sum(float(g.score) for nb in submission.notebooks for g in nb.grades)


def _leave_a_written_answer(root, trainee: str) -> None:
    with formgrader_gradebook(root) as gb:
        submission = gb.add_submission(OWN, trainee)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = (None, True) if grade.cell_type != "code" else (1.0, False)
        gb.db.commit()


@pytest.mark.grading
def test_canvas_round_trip_from_export_to_grade_import(scratch_course, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(scratch_course)
    assert main(["roster", "import", str(CANVAS)]) == 0
    out = capsys.readouterr().out
    assert "Imported 3 trainee(s) into the gradebook from a Canvas file." in out
    assert "skipped row 6: Canvas's test student (Student View)" in out
    assert roster_ids(open_course(scratch_course)) == ["5678", "5679", "5680"]
    score = _grade_in_full(scratch_course, "5678")
    _leave_a_written_answer(scratch_course, "5679")

    target = tmp_path / "canvas-import.csv"
    assert main(["export", "--to", str(target), "--format", "canvas"]) == 0
    rows = rows_of(target)
    exercises = [ex.id for ex in load_course(scratch_course).exercises]
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", f"{OWN} (4101)", *exercises[1:]]
    with formgrader_gradebook(scratch_course) as gb:
        maxima = {a.name: a.max_score for a in gb.assignments}
    assert rows[1][0] == "Points Possible" and rows[1][5] == f"{maxima[OWN]:g}"
    body = {row[1]: row for row in rows[2:]}
    assert body["5678"][:6] == ["Okafor, Amara", "5678", "S1001", "aokafor", "Cohort A", f"{score:g}"]
    assert body["5679"][5] == "", "a written answer still to mark: no score goes to Canvas"
    assert body["5680"][5:] == [""] * len(exercises), "nothing handed in: nothing imported"
    assert load_lms_roster(open_course(scratch_course))["assignments"][OWN] == f"{OWN} (4101)"
    # the import file has Canvas's own layout, so it reads back as the same roster
    assert [t.id for t in load_roster(target).trainees] == ["5678", "5679", "5680"]


@pytest.mark.grading
def test_moodle_round_trip_from_participants_to_grade_import(scratch_course, tmp_path):
    import_roster(open_course(scratch_course), MOODLE)
    score = _grade_in_full(scratch_course, "jiwoo.park")
    target = tmp_path / "moodle-import.csv"
    export_grades(open_course(scratch_course), target, "moodle")
    rows = rows_of(target)
    exercises = [ex.id for ex in load_course(scratch_course).exercises]
    assert rows[0] == ["First name", "Last name", "Email address", *exercises]
    body = {row[2]: row for row in rows[1:]}
    assert body["jiwoo.park@example.org"][:4] == ["Ji-woo", "Park", "jiwoo.park@example.org", f"{score:g}"]
    assert body["amara.okafor@example.org"][3:] == [""] * len(exercises)


@pytest.mark.grading
def test_moodle_identity_columns_are_carried_to_the_grade_import(scratch_course, tmp_path):
    path = tmp_path / "participants.csv"
    path.write_text("First name,Last name,Username,ID number,Email address\n=Eve,Lima,elima,M-77,eve@example.org\n")
    import_roster(open_course(scratch_course), path)
    target = tmp_path / "moodle-import.csv"
    export_grades(open_course(scratch_course), target, "moodle")
    header, row = rows_of(target)
    assert header[:5] == ["First name", "Last name", "Username", "ID number", "Email address"]
    assert row[:5] == ["'=Eve", "Lima", "elima", "M-77", "eve@example.org"], "a formula-like name is neutralised"
