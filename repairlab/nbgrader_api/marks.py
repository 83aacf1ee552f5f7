"""A supervisor's marks for written answers, read from and written to nbgrader's own gradebook as
Formgrader's manual grading writes them: the task cell's manual score (``needs_manual_grade``
cleared, as Formgrader's grade handler does) and the comment on that cell. Nothing is kept
anywhere else, so ``export``, ``report``, ``feedback`` and Formgrader all see the same mark."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from nbgrader.api import Gradebook, MissingEntry

from ..course import Course
from ..errors import CourseError
from .runner import with_interpreter_bin


@dataclass(frozen=True)
class WrittenMark:
    """One trainee's written answer to one task, as the gradebook holds it."""

    trainee: str
    name: str  # the trainee's name as the roster gave it; the id when there is none
    task: str
    max_score: float
    manual_score: float | None
    needs_marking: bool
    comment: str


@contextmanager
def _gradebook(course: Course):
    os.environ["PATH"] = with_interpreter_bin(os.environ.get("PATH", ""))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's SAWarnings under SQLAlchemy 2; the results are right
        with Gradebook(course.nbgrader.db_url, course.nbgrader.course_id) as gb:
            yield gb


def _name(student) -> str:
    name = " ".join(p for p in (student.first_name, student.last_name) if p)
    return name or student.id


def written_marks(course: Course, exercise_id: str, tasks: Iterable[str]) -> list[WrittenMark]:
    """Every submitted answer to the given written tasks of an exercise, by task, then trainee."""
    tasks = list(tasks)
    marks = []
    with _gradebook(course) as gb:
        try:
            assignment = gb.find_assignment(exercise_id)
        except MissingEntry:
            return []
        for submission in assignment.submissions:
            for notebook in submission.notebooks:
                comments = {c.name: c.manual_comment or "" for c in notebook.comments}
                for grade in notebook.grades:
                    if grade.name in tasks:
                        marks.append(WrittenMark(
                            submission.student.id, _name(submission.student), grade.name, float(grade.max_score),
                            grade.manual_score, bool(grade.needs_manual_grade), comments.get(grade.name, "")))
    return sorted(marks, key=lambda m: (tasks.index(m.task), m.name.casefold(), m.trainee))


def save_written_mark(course: Course, exercise_id: str, trainee: str, task: str, score: float, comment: str) -> None:
    """Record the mark as Formgrader would: manual score, no longer waiting, and the comment; one commit."""
    exercise = course.exercise(exercise_id)
    notebook = exercise.notebook_name.removesuffix(".ipynb")
    with _gradebook(course) as gb:
        try:
            grade = gb.find_grade(task, notebook, exercise.id, trainee)
            note = gb.find_comment(task, notebook, exercise.id, trainee)
        except MissingEntry:
            raise CourseError(f"the gradebook has no written task {task!r} in {trainee}'s {exercise.id}: "
                              "grade the submission first (repairlab grade)") from None
        if not 0 <= score <= grade.max_score:
            raise CourseError(f"{trainee}'s {exercise.id}, task {task!r}: a score of {score:g} is outside "
                              f"0 to {grade.max_score:g}")
        try:
            grade.manual_score = score
            grade.needs_manual_grade = False
            note.manual_comment = comment or None
            gb.db.commit()
        except Exception:
            gb.db.rollback()
            raise
