"""Build the trainees' exercises from the solutions with ``nbgrader generate_assignment``.

The build runs in a scratch copy of the course so that the real gradebook is never touched; the
drift test uses the same build and compares it with the committed ``exercises/``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .manifest import Course, load_course
from .nbgrader_cli import run_nbgrader


def build_release(course: Course, dest: Path) -> list[Path]:
    """Generate every exercise of the manifest into ``dest/<exercise>/``; returns the notebooks made."""
    made = []
    with tempfile.TemporaryDirectory(prefix="repairlab-release-") as scratch:
        scratch = Path(scratch)
        shutil.copy(course.root / "nbgrader_config.py", scratch)
        shutil.copytree(course.root / "solutions", scratch / "solutions")
        for exercise in course.exercises:
            run_nbgrader(scratch, "generate_assignment", exercise.id, "--force")
            target = dest / exercise.id
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(scratch / "exercises" / exercise.id, target)
            made.append(target / exercise.notebook_name)
    return made


def release(root: Path | None = None) -> list[Path]:
    """Regenerate the committed ``exercises/`` from ``solutions/``."""
    course = load_course(root)
    return build_release(course, course.root / "exercises")
