"""What still needs a supervisor's hand: written answers to mark, and submissions nbgrader could
not autograde."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import nbgrader_api
from .grading import load_status
from .manifest import Course, Exercise


@dataclass(frozen=True)
class Pending:
    exercise: str
    trainee: str
    what: str


def _answers_below_tasks(nb) -> dict[str, str]:
    """The text of the cell under each written task: where the trainee writes the answer."""
    return {
        task.metadata["nbgrader"]["grade_id"]: answer.source
        for task, answer in zip(nb.cells, nb.cells[1:])
        if task.metadata.get("nbgrader", {}).get("task")
    }


def blank_answers(course: Course, root: Path, exercise: Exercise, trainee: str) -> set[str]:
    """Written tasks whose answer cell is still as released, so the supervisor knows before opening it."""
    graded = root / "autograded" / trainee / exercise.id / exercise.notebook_name
    if not graded.is_file():
        return set()
    released = _answers_below_tasks(nbformat.read(course.root / "exercises" / exercise.id / exercise.notebook_name, as_version=4))
    handed_in = _answers_below_tasks(nbformat.read(graded, as_version=4))
    return {task for task, text in handed_in.items() if text.strip() == released.get(task, "").strip()}


def pending(course: Course, root: Path) -> list[Pending]:
    rows = []
    status = load_status(root)
    for key, outcome in sorted(status.items()):
        if not outcome.graded:
            rows.append(Pending(outcome.exercise, outcome.trainee, f"whole notebook: could not be autograded ({outcome.reason})"))
    with nbgrader_api.gradebook(root) as gb:
        for exercise in course.exercises:
            try:
                submissions = gb.find_assignment(exercise.id).submissions
            except Exception:
                continue
            for submission in sorted(submissions, key=lambda s: s.student.id):
                items = [g.name for nb in submission.notebooks for g in nb.grades if g.needs_manual_grade]
                failed = status.get(f"{exercise.id}/{submission.student.id}")
                if items and not (failed and not failed.graded):
                    blank = blank_answers(course, root, exercise, submission.student.id)
                    marked = [f"{item} (left blank)" if item in blank else item for item in sorted(items)]
                    rows.append(Pending(exercise.id, submission.student.id, "written answer(s) to mark: " + ", ".join(marked)))
    return sorted(rows, key=lambda r: (r.exercise, r.trainee))
