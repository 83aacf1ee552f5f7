"""The supervisor's course folder: a fresh copy of one, and the gradebook knowing every exercise."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..course import Course
from ..nbgrader_api import gradebook as gradebooks
from ..nbgrader_api.runner import run_nbgrader
from ..paths import MANIFEST, NBGRADER_CONFIG, STEPS
from .progress import Progress

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


# the share of an exercise done at each line nbgrader logs, and what it does next
STAGES = (("Updating/creating assignment", 0.2, "reading its graded cells"),
          ("Converting notebook", 0.6, "recording its points"))
SHARE_BAR = "{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}{postfix}"


def register_exercises(course: Course, progress: bool = True) -> list[str]:
    """Register each manifest exercise the gradebook does not know yet, with its cells and points,
    by running ``nbgrader generate_assignment`` on the solutions (a few seconds each, the first one
    longer when it creates the gradebook; the bar moves at each step nbgrader logs and says what
    it is doing). The release goes to a scratch folder: the committed exercises/ stay as they are."""
    known = registered_exercises(course)
    todo = [exercise for exercise in course.exercises if exercise.id not in known]
    new_gradebook = not gradebooks.exists(course)
    added = []
    with tempfile.TemporaryDirectory(prefix="repairlab-register-") as scratch, \
            Progress(len(todo), "Registering exercises in the gradebook", "exercise", bar_format=SHARE_BAR,
                     disable=not (progress and todo)) as bar:
        for number, exercise in enumerate(todo):
            title = course.exercise_title(exercise.id)

            def logged(line: str, title=title, number=number) -> None:
                for marker, share, next_step in STAGES:
                    if marker in line:
                        bar.reach(number + share)
                        creating = new_gradebook and number == 0 and marker == STAGES[0][0]
                        bar.doing(f"{title}: {'creating the gradebook' if creating else next_step}")

            bar.doing(f"{title}: starting nbgrader")
            run_nbgrader(course.root, "generate_assignment", exercise.id, "--force",
                         f"--CourseDirectory.release_directory={scratch}", on_line=logged)
            bar.reach(number + 1)
            added.append(exercise.id)
    return added
