"""The gradebook in RepairLab's terms: trainees, their submissions and grades, registered exercises.
nbgrader's ORM, its ``MissingEntry``, its commits and the warnings SQLAlchemy 2 raises about it stay
in this module; callers get plain records."""

from __future__ import annotations

import os
import sqlite3
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from nbgrader.api import Gradebook as NbgraderGradebook
from nbgrader.api import MissingEntry
from nbgrader.api import Student as NbgraderStudent

from ..course import Course
from ..errors import CourseError
from .backup import latest_backup
from .runner import with_interpreter_bin


class GradebookError(CourseError):
    """The gradebook is missing, empty or corrupt: nothing is read or written until it is restored."""


@dataclass(frozen=True)
class Student:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


@dataclass(frozen=True)
class Grade:
    """One graded cell: a test cell, a written answer or a journal."""

    name: str
    score: float | None  # the manual score if given, else the automatic one
    max_score: float | None
    manual_score: float | None
    needs_manual_grade: bool


@dataclass(frozen=True)
class NotebookGrades:
    name: str
    flagged: bool
    grades: tuple[Grade, ...]


@dataclass(frozen=True)
class Submission:
    trainee: str
    notebooks: tuple[NotebookGrades, ...]
    timestamp: datetime | None = None  # when it was handed in, if nbgrader knows

    @property
    def grades(self) -> list[Grade]:
        return [g for nb in self.notebooks for g in nb.grades]


@dataclass(frozen=True)
class RegisteredExercise:
    """An exercise the gradebook knows: its graded cells and the submissions graded so far."""

    id: str
    max_score: float
    cells: frozenset[str]  # grade ids of its grade and task cells
    submissions: tuple[Submission, ...]


def _grade(grade) -> Grade:
    return Grade(grade.name, grade.score, grade.max_score, grade.manual_score, bool(grade.needs_manual_grade))


def _submission(submission) -> Submission:
    return Submission(submission.student_id, tuple(
        NotebookGrades(nb.name, bool(nb.flagged), tuple(_grade(g) for g in nb.grades)) for nb in submission.notebooks),
        submission.timestamp)


class Gradebook:
    """An open gradebook session (``with course.gradebook() as gradebook``)."""

    def __init__(self, gb: NbgraderGradebook):
        self._gb = gb

    def students(self) -> list[Student]:
        return [Student(s.id, s.first_name or "", s.last_name or "", s.email or "") for s in self._gb.students]

    def student_ids(self) -> list[str]:
        return sorted(s.id for s in self._gb.students)

    def save_students(self, students: list[Student]) -> None:
        """Add or update every student with one commit, so an import is never half done."""
        existing = {s.id: s for s in self._gb.students}
        try:
            for s in students:
                student = existing.get(s.id) or NbgraderStudent(id=s.id)
                student.first_name, student.last_name = s.first_name, s.last_name
                student.email = s.email or None
                self._gb.db.add(student)
            self._gb.db.commit()
        except Exception:
            self._gb.db.rollback()
            raise

    def exercise_ids(self) -> set[str]:
        """The exercises registered in the gradebook."""
        return {a.name for a in self._gb.assignments}

    def exercise(self, exercise_id: str) -> RegisteredExercise | None:
        """The exercise as the gradebook knows it; None when it is not registered."""
        try:
            assignment = self._gb.find_assignment(exercise_id)
        except MissingEntry:
            return None
        cells = {cell.name for nb in assignment.notebooks for cell in (*nb.grade_cells, *nb.task_cells)}
        return RegisteredExercise(exercise_id, float(assignment.max_score), frozenset(cells),
                                  tuple(_submission(s) for s in assignment.submissions))

    def submission(self, exercise_id: str, trainee: str) -> Submission | None:
        try:
            return _submission(self._gb.find_submission(exercise_id, trainee))
        except MissingEntry:
            return None

    def clear_manual_score(self, exercise_id: str, trainee: str, task: str) -> bool:
        """Clear a manual score and flag the task for grading again; False when there was none."""
        try:
            grade = self._gb.find_grade(task, exercise_id, exercise_id, trainee)
        except MissingEntry:
            return False
        if grade.manual_score is None:
            return False
        grade.manual_score = None
        grade.needs_manual_grade = True
        self._gb.db.commit()
        return True


@contextmanager
def session(nbgrader):
    """A gradebook session for the course (creates the gradebook if there is none yet, which runs
    ``alembic``: this interpreter's bin is put first on PATH). nbgrader emits SAWarnings under
    SQLAlchemy 2; the results are right, and the warnings are kept from the supervisor's screen."""
    os.environ["PATH"] = with_interpreter_bin(os.environ.get("PATH", ""))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with NbgraderGradebook(nbgrader.db_url, nbgrader.course_id) as gb:
            yield Gradebook(gb)


def exists(course: Course) -> bool:
    """Whether the gradebook is there to read (a database server's is taken to be)."""
    database = course.nbgrader.gradebook_file
    return database is None or database.is_file()


def check_gradebook(course: Course, *, must_exist: bool = True) -> None:
    """One sentence, and the backup to restore from, when the gradebook cannot be trusted."""
    path = course.nbgrader.gradebook_file
    if path is None:
        return check_server_gradebook(course, must_exist=must_exist)
    backup = latest_backup(course.paths)
    restore = f" Restore the latest backup: cp {backup} {path}" if backup else " There is no backup to restore."
    if not path.exists():
        if must_exist:
            raise GradebookError(
                f"there is no gradebook ({path}): import the roster first (repairlab roster import FILE.csv)"
                if backup is None else f"the gradebook {path} is missing.{restore}"
            )
        return
    if path.stat().st_size == 0:
        raise GradebookError(f"the gradebook {path} is empty (0 bytes), so its grades are lost.{restore}")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            result = db.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise GradebookError(f"the gradebook {path} is not a readable database ({exc}).{restore}") from None
    if result != "ok" or "grade" not in tables:
        why = result if result != "ok" else "no grade table"
        raise GradebookError(f"the gradebook {path} is damaged ({why}).{restore}")


def shown_db_url(db_url: str) -> str:
    """The database URL as a message may show it: the password masked."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except ArgumentError:
        return db_url


def check_server_gradebook(course: Course, *, must_exist: bool = True) -> None:
    """A gradebook in a database server (``db_url`` such as ``postgresql+psycopg2://...``): one
    sentence naming the setting when it cannot be opened, reached, or has no gradebook yet."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    db_url = course.nbgrader.db_url
    where = (f"the gradebook database {shown_db_url(db_url)} "
             f"(c.CourseDirectory.db_url in {course.paths.nbgrader_config})")
    try:
        engine = create_engine(db_url)
    except ArgumentError as exc:
        raise GradebookError(f"{where} is not a database URL: {exc}") from None
    except ImportError as exc:
        hint = (" SQLAlchemy reads postgresql:// as psycopg 3; write postgresql+psycopg2://USER:PASSWORD@HOST:PORT/DATABASE"
                " (psycopg2-binary comes with RepairLab's hub extra)" if db_url.startswith("postgresql:") else "")
        raise GradebookError(f"{where} needs a database driver that is not installed ({exc}).{hint}") from None
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
    except SQLAlchemyError as exc:
        reason = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]
        raise GradebookError(f"{where} cannot be reached: {reason}") from None
    finally:
        engine.dispose()
    if must_exist and "grade" not in tables:
        raise GradebookError(f"{where} holds no gradebook: import the roster first (repairlab roster import FILE.csv), "
                             "or, if it held grades, restore your pg_dump backup into it with pg_restore")
