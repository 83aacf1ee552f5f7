"""Grades as rows, one per trainee and exercise, read from the gradebook alone (plus whether a
notebook waits in submitted/ without being autograded yet); and how a cell is written so that a
spreadsheet shows it as text. The grade export writes these rows in RepairLab's or an LMS's format.

``status`` says how far a row is:

- ``graded``: every item has its final score; ``raw_score`` is the score.
- ``needs grading``: an item still needs a manual grade (a written answer, a failed autograde) or a
  notebook is flagged; ``raw_score`` stays empty so a partial score is never read as final, and
  ``score_so_far`` holds the points given so far; ``to_grade`` names the parts left by their
  heading, as the supervisor sees them ("Part C").
- ``safety item missed — review``: the submission missed a graded risk item (``safety``), whatever its
  total; like ``needs grading``, ``raw_score`` stays empty (so an LMS never records it as final) and
  ``to_grade`` names the item. A resubmission that answers it clears the flag at the next ``grade``.
- ``not submitted``: nothing handed in; ``raw_score`` is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..course import Course
from .autograde_state import FAILED, WAITING, not_plain_note, not_plain_parts, state
from .safety import SAFETY_FLAG, describe, missed_items, part_names
from .status import load_status

COLUMNS = ("assignment", "student_id", "last_name", "first_name", "email",
           "raw_score", "max_score", "status", "score_so_far", "to_grade")
NUMBERS = {"raw_score", "max_score", "score_so_far"}  # written by us as plain numbers, never text
GRADED, NEEDS_GRADING, NOT_SUBMITTED = "graded", "needs grading", "not submitted"
SAFETY_REVIEW = SAFETY_FLAG
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
            "status": self.status,
            "score_so_far": number(self.score) if self.status in (NEEDS_GRADING, SAFETY_REVIEW) else "",
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


def grade_rows(course: Course) -> list[Row]:
    """One row per exercise of the manifest and trainee in the gradebook, from the gradebook alone
    (plus whether a notebook waits in submitted/ without being autograded yet)."""
    rows = []
    status = load_status(course)
    failed = {key for key, outcome in status.items() if not outcome.graded}
    with course.gradebook() as gradebook:
        students = sorted(gradebook.students(), key=lambda s: s.id.casefold())
        for exercise in course.exercises:
            registered = gradebook.exercise(exercise.id)
            submissions = {s.trainee: s for s in registered.submissions} if registered else {}
            max_score = registered.max_score if registered else None
            for student in students:
                submission = submissions.get(student.id)
                base = dict(assignment=exercise.id, student_id=student.id, last_name=student.last_name,
                            first_name=student.first_name, email=student.email, max_score=max_score)
                if submission is None:
                    waiting = _is_file(course.paths.submitted(student.id, exercise.id) / exercise.notebook_name)
                    rows.append(Row(**base, status=NEEDS_GRADING if waiting else NOT_SUBMITTED, score=None,
                                    to_grade=(NOT_YET,) if waiting else ()))
                    continue
                latest = _latest(course, exercise, student.id, status, failed)
                if latest:  # the latest hand-in: its scores are not in the gradebook
                    rows.append(Row(**base, status=NEEDS_GRADING, score=None, to_grade=(latest,)))
                    continue
                missed = missed_items(course, exercise, student.id)
                parts = part_names(course, exercise)
                row = _graded_row(base, submission, parts, describe(missed) if missed else "")
                not_plain = [parts.get(p, p) for p in not_plain_parts(course, exercise.id, student.id)]
                rows.append(replace(row, to_grade=(*row.to_grade, not_plain_note(not_plain))) if not_plain else row)
    return rows


COULD_NOT_AUTOGRADE = "the latest hand-in could not be autograded"
NOT_YET = "not autograded yet"


def waiting_phrase(safety: int, failed: int, to_mark: int, not_yet: int = 0) -> str:
    """How many submissions have no final score and why, each counted once (a missed safety item first,
    then a notebook that could not be autograded, then written answers): ``pending`` and ``export`` both
    say it in these words, so their headlines reconcile."""
    parts = [f"{safety} missed a safety item (review first)", f"{failed} could not be autograded",
             f"{to_mark} with written answers to mark"] + ([f"{not_yet} {NOT_YET}"] if not_yet else [])
    return f"{safety + failed + to_mark + not_yet} submission(s) with no final score yet ({', '.join(parts)})"


def row_waiting(rows: list[Row]) -> str:
    """``waiting_phrase`` for the export's rows."""
    waiting = [r for r in rows if r.status in (NEEDS_GRADING, SAFETY_REVIEW)]
    safety = sum(r.status == SAFETY_REVIEW for r in waiting)
    failed = sum(r.status == NEEDS_GRADING and r.to_grade == (COULD_NOT_AUTOGRADE,) for r in waiting)
    not_yet = sum(r.status == NEEDS_GRADING and r.to_grade == (NOT_YET,) for r in waiting)
    return waiting_phrase(safety, failed, len(waiting) - safety - failed - not_yet, not_yet)
NOT_AUTOGRADED_YET = NOT_YET


def _latest(course: Course, exercise, trainee: str, status, failed) -> str:
    """Why the gradebook's scores are not those of the latest hand-in ("" when they are), as ``pending``
    judges it (``autograde_state``)."""
    key = f"{exercise.id}/{trainee}"
    if not _is_file(course.paths.submitted(trainee, exercise.id) / exercise.notebook_name):
        return COULD_NOT_AUTOGRADE if key in failed else ""
    where = state(course, exercise.id, trainee, status.get(key), True)
    return {FAILED: COULD_NOT_AUTOGRADE, WAITING: NOT_AUTOGRADED_YET}.get(where, "")


def _graded_row(base: dict, submission, parts: dict[str, str], safety: str = "") -> Row:
    """``to_grade`` names each part still to mark by its heading ("Part C"), as ``pending`` does."""
    grades = submission.grades
    to_grade = sorted(parts.get(g.name, g.name) for g in grades if g.manual_score is None and g.needs_manual_grade)
    to_grade += [f"{nb.name} (flagged)" for nb in submission.notebooks if nb.flagged]
    if not grades:
        to_grade.append("no grades recorded (autograding failed?)")
    score = sum(float(g.score or 0.0) for g in grades)
    status = SAFETY_REVIEW if safety else NEEDS_GRADING if to_grade else GRADED
    return Row(**base, status=status, score=score, to_grade=(*to_grade, *([safety] if safety else [])))


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
