"""What still needs a supervisor's hand (``repairlab pending``): written answers to mark, and
submissions nbgrader could not autograde."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..course import Course
from ..nbgrader_api.cells import written_answer_cells
from ..nbgrader_api.sanitize import clean_markdown
from .status import load_status


@dataclass(frozen=True)
class Pending:
    exercise: str
    trainee: str
    what: str


def _texts(nb) -> dict[str, str]:
    return {task: cell.source.strip() for task, cell in written_answer_cells(nb).items()}


def blank_answers(released: dict[str, str], graded: Path) -> set[str]:
    """Written tasks whose answer is still the released text, so the supervisor knows before opening it."""
    if not graded.is_file():
        return set()
    # the autograded copy holds the answer as the sanitiser rendered it
    unchanged = {task: {text, clean_markdown(text).strip()} for task, text in released.items()}
    return {
        task for task, text in _texts(nbformat.read(graded, as_version=4)).items() if text in unchanged.get(task, ())
    }


def pending(course: Course) -> list[Pending]:
    status = load_status(course)
    rows = [Pending(o.exercise, o.trainee, f"whole notebook: could not be autograded ({o.reason})")
            for o in status.values() if not o.graded]
    with course.gradebook() as gradebook:
        for exercise in course.exercises:
            registered = gradebook.exercise(exercise.id)
            if registered is None:
                continue
            released = _texts(nbformat.read(course.paths.release(exercise.id) / exercise.notebook_name, as_version=4))
            for submission in registered.submissions:
                trainee = submission.trainee
                items = [g.name for g in submission.grades if g.needs_manual_grade]
                failed = status.get(f"{exercise.id}/{trainee}")
                if items and not (failed and not failed.graded):
                    graded = course.paths.autograded(trainee, exercise.id) / exercise.notebook_name
                    blank = blank_answers(released, graded)
                    marked = [f"{item} (left blank)" if item in blank else item for item in sorted(items)]
                    rows.append(Pending(exercise.id, trainee, "written answer(s) to mark: " + ", ".join(marked)))
    return sorted(rows, key=lambda r: (r.exercise, r.trainee))
