"""Canvas: its Grades export as a roster, its "Download Submissions" file names, its gradebook import.

- Roster ("Grades" > "Export"): ``Student`` ("Last, First"), ``ID`` (the Canvas user id, which becomes
  the roster id, as in Canvas's submission downloads), ``SIS User ID``, ``SIS Login ID``, ``Section``,
  then one column per assignment, ``Name (assignment id)``. The ``Points Possible`` row and Canvas's
  ``Student, Test`` (the test student of Student View) are skipped and said so. It has no email.
- Submissions: ``<name>_<userid>_<submissionid>_<file name>``, or ``<name>_LATE_<userid>_...`` for a
  late one; a resubmitted file name gets ``-1``, ``-2`` ...
- Grades (Grades > Import): the identity columns, one column per exercise (named like the Canvas
  assignment the roster export had for it, else by the exercise id) and a ``Points Possible`` row.
"""

from __future__ import annotations

import re

from ..grades import by_trainee, final_score, neutralise, number
from .base import LmsFormat, dicts, require_columns

ID_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
ASSIGNMENT = re.compile(r"(?P<name>.+) \((?P<id>[0-9]+)\)")
TEST_STUDENT = "Student, Test"
FILE_NAME = re.compile(r"(?P<name>[^_]+)_(?P<late>LATE_)?(?P<rest>.+)")
RESUBMITTED = re.compile(r"(?P<stem>.+)-[0-9]+\.ipynb")  # Canvas adds -1, -2 ... to a repeated file name


def detect(names: set[str]) -> bool:
    return {"Student", "ID"} <= names and bool(names & {"SIS User ID", "SIS Login ID", "Section"})


def _name(student: str) -> str:
    """Canvas writes "Last, First"; the roster keeps "First Last"."""
    last, comma, first = student.partition(",")
    return f"{first.strip()} {last.strip()}".strip() if comma else student.strip()


def read_roster(path, header, rows, roster):
    header[:] = [h.strip() for h in header]
    require_columns(path, header, ["Student", "ID"],
                    "a Canvas Grades export has Student, ID, SIS User ID, SIS Login ID, Section")
    for column in header:
        if m := ASSIGNMENT.fullmatch(column):
            roster.assignments[m["name"].strip()] = column
    for number_, row in dicts(header, rows):
        student = (row or {}).get("Student", "").strip()
        if row is not None and not student and not (row.get("ID") or "").strip():
            roster.skipped.append(f"row {number_}: a Canvas header row with no student (e.g. Manual Posting)")
            continue
        if student == "Points Possible":
            roster.skipped.append(f"row {number_}: Canvas's Points Possible row")
            continue
        if student == TEST_STUDENT:
            roster.skipped.append(f"row {number_}: Canvas's test student (Student View)")
            continue
        extra = tuple((c, row.get(c, "").strip()) for c in ID_COLUMNS[2:] if row and c in header)
        yield number_, row and {"id": row.get("ID") or "", "name": _name(student), "email": ""}, extra


def file_ids(file_name: str) -> list[tuple[str, str]]:
    """Every (userid, original file name) that ``file_name`` reads as under Canvas's convention."""
    m = FILE_NAME.fullmatch(file_name)
    if not m:
        return []
    pieces = m["rest"].split("_")
    return [("_".join(pieces[:i]), "_".join(pieces[i + 1:]))
            for i in range(1, len(pieces) - 1)
            if re.fullmatch(r"[0-9]+", pieces[i]) and "_".join(pieces[i + 1:])]


def first_name(name: str) -> str | None:
    """The file name before Canvas numbered a resubmission (``ex-1.ipynb`` -> ``ex.ipynb``)."""
    m = RESUBMITTED.fullmatch(name)
    return f"{m['stem']}.ipynb" if m else None


def grade_table(rows, course, lms: dict) -> tuple[list[str], list[list[str]]]:
    """Canvas's gradebook import: identity columns, one column per exercise, a Points Possible row."""
    exercises = [ex.id for ex in course.exercises]
    named = lms.get("assignments", {})
    header = [*ID_COLUMNS, *(named.get(ex, ex) for ex in exercises)]
    table = by_trainee(rows)
    maxima = {row.assignment: row.max_score for row in rows}
    lines = [["Points Possible", "", "", "", "", *(number(maxima.get(ex)) for ex in exercises)]]
    for trainee, cells in table.items():
        first = next(iter(cells.values()))
        known = lms.get("trainees", {}).get(trainee, {})
        student = ", ".join(p for p in (first.last_name, first.first_name) if p)
        lines.append([neutralise(student), neutralise(trainee), *(neutralise(known.get(c, "")) for c in ID_COLUMNS[2:]),
                      *(final_score(cells[ex]) if ex in cells else "" for ex in exercises)])
    return header, lines


FORMAT = LmsFormat("canvas", "Canvas", detect, read_roster, grade_table, file_ids=file_ids, first_name=first_name,
                   id_name="Canvas user id")
