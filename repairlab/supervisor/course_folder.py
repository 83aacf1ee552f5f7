"""The supervisor's course folder: a fresh copy of one, and the gradebook knowing every exercise."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tqdm import tqdm

from ..course import Course
from ..nbgrader_api import gradebook as gradebooks
from ..nbgrader_api.runner import run_nbgrader
from ..paths import MANIFEST, NBGRADER_CONFIG, STEPS

COURSE_FILES = (NBGRADER_CONFIG, MANIFEST, STEPS["source"], STEPS["release"], "modules", "assets")


def copy_course(source: Path, dest: Path) -> Path:
    """A fresh course folder with what a supervisor's clone holds (no trainee data, no caches):
    for the tests, the benchmark, the hub and trying the tools out."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for name in COURSE_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, ignore=ignore)
        else:
            shutil.copy(source / name, dest / name)
    return dest


def registered_exercises(course: Course) -> set[str]:
    if not gradebooks.exists(course):
        return set()
    with course.gradebook() as gradebook:
        return gradebook.exercise_ids()


def register_exercises(course: Course, progress: bool = True) -> list[str]:
    """Register each manifest exercise the gradebook does not know yet, with its cells and points,
    by running ``nbgrader generate_assignment`` on the solutions (a few seconds each, so with a
    progress bar). The release goes to a scratch folder: the committed exercises/ stay as they are."""
    known = registered_exercises(course)
    todo = [exercise for exercise in course.exercises if exercise.id not in known]
    added = []
    with tempfile.TemporaryDirectory(prefix="repairlab-register-") as scratch, \
            tqdm(todo, desc="Registering exercises in the gradebook", unit="exercise",
                 disable=not (progress and todo)) as bar:
        for exercise in bar:
            bar.set_postfix_str(course.exercise_title(exercise.id), refresh=True)
            run_nbgrader(course.root, "generate_assignment", exercise.id, "--force",
                         f"--CourseDirectory.release_directory={scratch}")
            added.append(exercise.id)
    return added
