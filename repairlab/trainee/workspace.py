"""The trainee's own copy of the exercises: created once, never overwritten.

Like ``nbgrader fetch``, a copy that already exists is left alone, so updating the course never
touches a trainee's answers; an exercise added to the course later is copied in on the next start.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..course import Course


def ensure_workspace(course: Course, folder: Path | None = None) -> tuple[list[Path], list[Path]]:
    """Copy each released exercise file into the workspace unless it is already there.

    Returns (copied, kept) paths, so the caller can say what happened.
    """
    folder = folder or course.paths.workspace
    copied, kept = [], []
    for exercise in course.exercises:
        released = course.paths.release(exercise.id)
        for source in sorted(p for p in released.rglob("*") if p.is_file()):
            target = folder / exercise.id / source.relative_to(released)
            if target.exists():
                kept.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            copied.append(target)
    return copied, kept
