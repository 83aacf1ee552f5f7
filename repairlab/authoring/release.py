"""Build the trainees' exercises from the solutions with ``nbgrader generate_assignment`` (the
author's ``repairlab release``; the supervisor's release to a hub is ``repairlab.supervisor.exchange``).

The build runs in a scratch copy of the course so that the real gradebook is never touched; the
drift test uses the same build and compares it with the committed ``exercises/``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..course import Course
from ..nbgrader_api.runner import run_nbgrader
from ..paths import CoursePaths


def build_release(course: Course, dest: Path) -> list[Path]:
    """Generate every exercise of the manifest into ``dest/<exercise>/``; returns the notebooks made."""
    made = []
    with tempfile.TemporaryDirectory(prefix="repairlab-release-") as scratch:
        scratch = CoursePaths(Path(scratch), course.paths.steps, course.paths.directory_structure)
        shutil.copy(course.paths.nbgrader_config, scratch.root)
        shutil.copytree(course.paths.solutions, scratch.solutions)
        for exercise in course.exercises:
            run_nbgrader(scratch.root, "generate_assignment", exercise.id, "--force")
            target = dest / exercise.id
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(scratch.release(exercise.id), target)
            made.append(target / exercise.notebook_name)
    return made


def rebuild_exercises(course: Course) -> list[Path]:
    """Regenerate the committed ``exercises/`` from ``solutions/``."""
    return build_release(course, course.paths.exercises)
