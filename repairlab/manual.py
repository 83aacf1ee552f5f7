"""What still needs a supervisor's hand: written answers to mark, and submissions nbgrader could
not autograde."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import nbgrader_api
from .grading import load_status
from .manifest import Course


@dataclass(frozen=True)
class Pending:
    exercise: str
    trainee: str
    what: str


def written_answer_cells(nb) -> dict[str, nbformat.NotebookNode]:
    """The plain markdown cell under each written task, by task id: where the trainee answers."""
    return {
        task.metadata["nbgrader"]["grade_id"]: answer
        for task, answer in zip(nb.cells, nb.cells[1:])
        if task.metadata.get("nbgrader", {}).get("task") and answer.cell_type == "markdown" and "nbgrader" not in answer.metadata
    }


def _texts(nb) -> dict[str, str]:
    return {task: cell.source.strip() for task, cell in written_answer_cells(nb).items()}


def blank_answers(released: dict[str, str], graded: Path) -> set[str]:
    """Written tasks whose answer is still the released text, so the supervisor knows before opening it."""
    if not graded.is_file():
        return set()
    # the autograded copy holds the answer as the sanitiser rendered it
    unchanged = {task: {text, nbgrader_api.clean_markdown(text).strip()} for task, text in released.items()}
    return {task for task, text in _texts(nbformat.read(graded, as_version=4)).items() if text in unchanged.get(task, ())}


def pending(course: Course, root: Path) -> list[Pending]:
    MissingEntry = nbgrader_api.MissingEntry
    paths = nbgrader_api.CoursePaths(root)
    rows = []
    status = load_status(root)
    for outcome in status.values():
        if not outcome.graded:
            rows.append(Pending(outcome.exercise, outcome.trainee, f"whole notebook: could not be autograded ({outcome.reason})"))
    with nbgrader_api.gradebook(root) as gb:
        for exercise in course.exercises:
            try:
                submissions = gb.find_assignment(exercise.id).submissions
            except MissingEntry:
                continue
            released = _texts(nbformat.read(course.root / "exercises" / exercise.id / exercise.notebook_name, as_version=4))
            for submission in submissions:
                trainee = submission.student.id
                items = [g.name for nb in submission.notebooks for g in nb.grades if g.needs_manual_grade]
                failed = status.get(f"{exercise.id}/{trainee}")
                if items and not (failed and not failed.graded):
                    blank = blank_answers(released, paths.autograded(trainee, exercise.id) / exercise.notebook_name)
                    marked = [f"{item} (left blank)" if item in blank else item for item in sorted(items)]
                    rows.append(Pending(exercise.id, trainee, "written answer(s) to mark: " + ", ".join(marked)))
    return sorted(rows, key=lambda r: (r.exercise, r.trainee))
