"""The supervisor's course folder: the gradebook must know every exercise before grading."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from . import nbgrader_api
from .manifest import Course
from .nbgrader_cli import run_nbgrader


COURSE_FILES = ("nbgrader_config.py", "course.yml", "solutions", "exercises", "modules", "assets")


def copy_course(source: Path, dest: Path) -> Path:
    """A fresh course folder with what a supervisor's clone holds (no trainee data, no caches):
    for the tests, the benchmark and trying the tools out."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for name in COURSE_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, ignore=ignore)
        else:
            shutil.copy(source / name, dest / name)
    return dest


def registered_exercises(root: Path) -> set[str]:
    database = nbgrader_api.gradebook_file(root)
    if database is not None and not database.exists():
        return set()
    with nbgrader_api.gradebook(root) as gb:
        return {a.name for a in gb.assignments}


def register_exercises(course: Course, root: Path | None = None) -> list[str]:
    """Register each manifest exercise the gradebook does not know yet, with its cells and points,
    by running ``nbgrader generate_assignment`` on the solutions. The release goes to a scratch
    folder: the committed exercises/ stay as they are."""
    root = Path(root or course.root)
    known = registered_exercises(root)
    added = []
    with tempfile.TemporaryDirectory(prefix="repairlab-register-") as scratch:
        for exercise in course.exercises:
            if exercise.id in known:
                continue
            run_nbgrader(root, "generate_assignment", exercise.id, "--force",
                         f"--CourseDirectory.release_directory={scratch}")
            added.append(exercise.id)
    return added
