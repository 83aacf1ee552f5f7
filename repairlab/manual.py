"""What still needs a supervisor's hand: written answers to mark, and submissions nbgrader could
not autograde."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import nbgrader_api
from .grading import load_status
from .manifest import Course


@dataclass(frozen=True)
class Pending:
    exercise: str
    trainee: str
    what: str


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
                    rows.append(Pending(exercise.id, submission.student.id, "written answer(s) to mark: " + ", ".join(sorted(items))))
    return sorted(rows, key=lambda r: (r.exercise, r.trainee))
