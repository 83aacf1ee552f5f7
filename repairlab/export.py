"""The grades CSV for an LMS or a spreadsheet, written from the gradebook with Python's csv writer.

nbgrader's own exporter joins fields with commas, so a name such as "Amara Okafor, PhD" shifts the
columns; this module quotes properly instead. One row per trainee and exercise; a trainee with no
submission gets a row too. ``status`` says how far a row is:

- ``graded``: every item has its final score; ``raw_score`` is the score.
- ``needs grading``: an item still needs a manual grade (a written answer, a failed autograde) or a
  notebook is flagged; ``raw_score`` stays empty so a partial score is never read as final, and
  ``score_so_far`` holds the points given so far.
- ``not submitted``: nothing handed in; ``raw_score`` is empty.

``--format canvas`` and ``--format moodle`` write the same grades as an LMS imports them: one row per
trainee and one column per exercise, a score only where the status is ``graded`` (every other cell is
left empty, so an LMS never records a partial score as final).

- **Canvas** (Grades > Import): ``Student`` ("Last, First"), ``ID`` (the roster id: the Canvas user id
  when the roster came from a Canvas export), ``SIS User ID``, ``SIS Login ID``, ``Section``, then one
  column per exercise, and a ``Points Possible`` row. An exercise column is named like the Canvas
  assignment ``Name (id)`` the roster's Canvas export had for it; otherwise by the exercise id, and
  Canvas creates that assignment on import.
- **Moodle** (Grades > Import > CSV file): ``First name``, ``Last name``, ``Username`` and ``ID
  number`` (when the roster came from a Moodle download that had them), ``Email address``, then one
  column per exercise; on import, map ``Email address`` (or Username) to the user and each exercise
  column to its grade item.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) get a leading single quote. The file is UTF-8 with a byte-order mark, so
spreadsheets show Hangul, Han or Arabic names as they are, and it replaces the old file only once
it is complete.
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import nbgrader_api
from .errors import CourseError
from .manifest import Course
from .roster import load_lms_roster

COLUMNS = ("assignment", "student_id", "last_name", "first_name", "email",
           "raw_score", "max_score", "status", "score_so_far", "to_grade")
NUMBERS = {"raw_score", "max_score", "score_so_far"}  # written by us as plain numbers, never text
GRADED, NEEDS_GRADING, NOT_SUBMITTED = "graded", "needs grading", "not submitted"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("repairlab", "canvas", "moodle")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


class ExportError(CourseError):
    """The grades file cannot be written; nothing was changed."""


@dataclass(frozen=True)
class Row:
    assignment: str
    student_id: str
    last_name: str
    first_name: str
    email: str
    status: str
    score: float | None  # points given so far; None when nothing was handed in
    max_score: float | None
    to_grade: tuple[str, ...] = ()  # what still needs a hand

    def cells(self) -> list[str]:
        final = self.status == GRADED
        values = {
            "assignment": self.assignment, "student_id": self.student_id,
            "last_name": self.last_name, "first_name": self.first_name, "email": self.email,
            "raw_score": number(self.score) if final else "", "max_score": number(self.max_score),
            "status": self.status, "score_so_far": number(self.score) if self.status == NEEDS_GRADING else "",
            "to_grade": "; ".join(self.to_grade),
        }
        return [values[c] if c in NUMBERS else neutralise(values[c]) for c in COLUMNS]


def neutralise(text: str | None) -> str:
    """A text cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    text = text or ""
    return "'" + text if text.startswith(FORMULA_START) else text


def number(value: float | None) -> str:
    if value is None:
        return ""
    value = round(float(value), 4)
    return str(int(value)) if value.is_integer() else repr(value)


def grade_rows(root: Path, course: Course) -> list[Row]:
    """One row per exercise of the manifest and trainee in the gradebook, from the gradebook alone
    (plus whether a notebook waits in submitted/ without being autograded yet)."""
    root = Path(root)
    paths = nbgrader_api.CoursePaths(root)
    rows = []
    with nbgrader_api.gradebook(root) as gb:
        students = sorted(gb.students, key=lambda s: s.id.casefold())
        assignments = {a.name: a for a in gb.assignments}
        for exercise in course.exercises:
            assignment = assignments.get(exercise.id)
            submissions = {s.student_id: s for s in assignment.submissions} if assignment else {}
            max_score = float(assignment.max_score) if assignment else None
            for student in students:
                submission = submissions.get(student.id)
                base = dict(assignment=exercise.id, student_id=student.id, last_name=student.last_name or "",
                            first_name=student.first_name or "", email=student.email or "", max_score=max_score)
                if submission is None:
                    waiting = _is_file(paths.submitted(student.id, exercise.id) / exercise.notebook_name)
                    rows.append(Row(**base, status=NEEDS_GRADING if waiting else NOT_SUBMITTED, score=None,
                                    to_grade=("not autograded yet",) if waiting else ()))
                    continue
                grades = [g for nb in submission.notebooks for g in nb.grades]
                to_grade = sorted(g.name for g in grades if g.manual_score is None and g.needs_manual_grade)
                flagged = [nb.name for nb in submission.notebooks if nb.flagged]
                to_grade += [f"{name} (flagged)" for name in flagged]
                if not grades:
                    to_grade.append("no grades recorded (autograding failed?)")
                score = sum(float(g.score or 0.0) for g in grades)
                rows.append(Row(**base, status=NEEDS_GRADING if to_grade else GRADED, score=score,
                                to_grade=tuple(to_grade)))
    return rows


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # e.g. a name too long for the file system: no such submission
        return False


def by_trainee(rows: list[Row]) -> dict[str, dict[str, Row]]:
    """trainee id -> exercise -> row, in the gradebook's order."""
    table: dict[str, dict[str, Row]] = {}
    for row in rows:
        table.setdefault(row.student_id, {})[row.assignment] = row
    return table


def final_score(row: Row) -> str:
    return number(row.score) if row.status == GRADED else ""


def canvas_table(rows: list[Row], course: Course, lms: dict) -> tuple[list[str], list[list[str]]]:
    """Canvas's gradebook import: identity columns, one column per exercise, a Points Possible row."""
    exercises = [ex.id for ex in course.exercises]
    named = lms.get("assignments", {})
    header = [*CANVAS_COLUMNS, *(named.get(ex, ex) for ex in exercises)]
    table = by_trainee(rows)
    maxima = {row.assignment: row.max_score for row in rows}
    lines = [["Points Possible", "", "", "", "", *(number(maxima.get(ex)) for ex in exercises)]]
    for trainee, cells in table.items():
        first = next(iter(cells.values()))
        known = lms.get("trainees", {}).get(trainee, {})
        student = ", ".join(p for p in (first.last_name, first.first_name) if p)
        lines.append([neutralise(student), neutralise(trainee), *(neutralise(known.get(c, "")) for c in CANVAS_COLUMNS[2:]),
                      *(final_score(cells[ex]) if ex in cells else "" for ex in exercises)])
    return header, lines


def moodle_table(rows: list[Row], course: Course, lms: dict) -> tuple[list[str], list[list[str]]]:
    """Moodle's CSV grade import: names, the identity fields the roster had, one column per exercise."""
    exercises = [ex.id for ex in course.exercises]
    known = lms.get("trainees", {}) if lms.get("format") == "moodle" else {}
    extra = [c for c in ("Username", "ID number") if any(c in v for v in known.values())]
    header = ["First name", "Last name", *extra, "Email address", *exercises]
    lines = []
    for trainee, cells in by_trainee(rows).items():
        first = next(iter(cells.values()))
        ids = [known.get(trainee, {}).get(c, "") for c in extra]
        lines.append([*(neutralise(v) for v in (first.first_name, first.last_name, *ids, first.email)),
                      *(final_score(cells[ex]) if ex in cells else "" for ex in exercises)])
    return header, lines


def write_csv(rows: list[Row], path: Path) -> Path:
    """Write ``rows`` to ``path`` atomically (see ``write_table``)."""
    return write_table(COLUMNS, (row.cells() for row in rows), path)


def write_table(header, lines, path: Path) -> Path:
    """Write ``header`` and ``lines`` to ``path`` atomically: a temporary file in the same folder, then os.replace."""
    path = Path(path).expanduser()
    folder = path.parent
    tmp = None
    try:
        if path.is_dir():
            raise ExportError(f"cannot write the grades to {path}: it is a folder; name a file in it, such as grades.csv")
        if not folder.is_dir():
            why = "is not a folder" if folder.exists() else "does not exist"
            raise ExportError(f"cannot write the grades to {path}: the folder {folder} {why}")
        if path.exists() and not os.access(path, os.W_OK):
            raise ExportError(f"cannot write the grades to {path}: the file is read-only")
        with tempfile.NamedTemporaryFile("w", dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False,
                                         encoding="utf-8-sig", newline="") as fh:
            tmp = fh.name
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(lines)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise ExportError(f"cannot write the grades to {path}: {exc.strerror or exc}") from None
    finally:
        if tmp:  # never leave a half-written file behind
            Path(tmp).unlink(missing_ok=True)
    return path


def export_grades(root: Path, course: Course, path: Path, fmt: str = "repairlab") -> list[Row]:
    """Write the grades CSV for the course in ``root`` in ``fmt`` (see the module's docstring); the rows exported."""
    root = Path(root)
    gradebook = nbgrader_api.gradebook_file(root)
    if gradebook is not None and not gradebook.is_file():
        raise ExportError(f"no gradebook in {root}: import the roster and grade submissions before exporting")  # never create one
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rows = grade_rows(root, course)
    if fmt == "repairlab":
        write_csv(rows, path)
    else:
        header, lines = (canvas_table if fmt == "canvas" else moodle_table)(rows, course, load_lms_roster(root))
        write_table(header, lines, path)
    return rows
