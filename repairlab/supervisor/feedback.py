"""Feedback files (``repairlab feedback``): each trainee's answers, scores, the reasons and the
supervisor's comments, written by nbgrader's generate_feedback with the preprocessors
nbgrader_config.py names (no hidden test, mark scheme or model answer ever gets in)."""

from __future__ import annotations

from pathlib import Path

from ..course import Course, Exercise
from ..nbgrader_api.runner import run_nbgrader
from .roster import roster_ids


def write_feedback(course: Course, exercises: list[Exercise]) -> tuple[list[str], list[Path]]:
    """Feedback for every autograded submission of ``exercises``: what to say, and every feedback
    file the course now has."""
    lines = []
    trainees = roster_ids(course)
    for exercise in exercises:
        if any((course.paths.autograded(t, exercise.id) / exercise.notebook_name).is_file() for t in trainees):
            run_nbgrader(course.root, "generate_feedback", exercise.id, "--force")
        else:
            lines.append(f"No autograded submissions for {exercise.id} yet: no feedback to write.")
    return lines, sorted(course.paths.step("feedback").glob("*/*/*.html"))
