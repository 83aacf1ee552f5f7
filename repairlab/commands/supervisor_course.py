"""The course a supervisor's command works on, opened once per command."""

from __future__ import annotations

from ..course import Course
from ..nbgrader_api import check_gradebook, open_course
from ..supervisor.course_folder import register_exercises


def supervisor_course(writes: bool = True, new_gradebook: bool = False) -> Course:
    """The course folder the supervisor runs in (the current folder or one above it, never the
    installed copy), with nbgrader_config.py read once. The gradebook must be healthy; commands that
    grade register any exercise the gradebook does not know yet; read-only commands write nothing."""
    course = open_course()
    check_gradebook(course, must_exist=not new_gradebook)
    if writes:
        for exercise in register_exercises(course):
            print(f"Registered {exercise} in the gradebook.")
    return course


def chosen_exercises(course: Course, ids: list[str]):
    """The exercises named on the command line; all of them when none is."""
    return [course.exercise(e) for e in ids] if ids else list(course.exercises)
