"""A trainee's own copy of an exercise on a laptop: handing it in and starting it again, from the course
home, without a terminal.

Handing in makes a dated copy, ready to send, under ``workspace/handed-in/<date and time>/`` with the
exercise's own file name (the name the supervisor's ``collect`` expects); the home then reads that copy to
say "handed in", and says so only while it is the same as the trainee's notebook. Starting again moves
the trainee's copy to ``workspace/earlier-copies/`` under a dated name and puts a fresh one from the
course's release in its place. Nothing is ever deleted.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from pathlib import Path

from ..course import Course

HANDED_IN = "handed-in"
EARLIER = "earlier-copies"
STAMP = "%Y-%m-%d-%H%M%S"


def _stamp(when: datetime | None) -> str:
    return (when or datetime.now()).strftime(STAMP)


def notebook_of(course: Course, exercise_id: str) -> Path:
    return course.paths.workspace / exercise_id / f"{exercise_id}.ipynb"


def _same(a: Path, b: Path) -> bool:
    return hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def hand_in(course: Course, exercise_id: str, when: datetime | None = None) -> Path:
    """A dated copy of the trainee's notebook, ready to send; returns it."""
    notebook = notebook_of(course, exercise_id)
    copy = course.paths.workspace / HANDED_IN / _stamp(when) / notebook.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(notebook, copy)
    return copy


def latest_hand_in(course: Course, exercise_id: str) -> Path | None:
    """The newest hand-in copy of an exercise, if any (the folder names sort by date and time)."""
    copies = sorted((course.paths.workspace / HANDED_IN).glob(f"*/{exercise_id}.ipynb"))
    return copies[-1] if copies else None


def handed_in_as_is(course: Course, exercise_id: str) -> Path | None:
    """The newest hand-in copy when the trainee's notebook has not changed since; else None."""
    copy, notebook = latest_hand_in(course, exercise_id), notebook_of(course, exercise_id)
    return copy if copy is not None and notebook.is_file() and _same(copy, notebook) else None


def handed_in_when(copy: Path) -> datetime:
    return datetime.strptime(copy.parent.name, STAMP)


def start_again(course: Course, exercise_id: str, when: datetime | None = None) -> Path | None:
    """Keep the trainee's copy as a dated earlier copy and put a fresh one from the release in its
    place; returns the earlier copy (None when there was no copy to keep)."""
    notebook, fresh = notebook_of(course, exercise_id), course.paths.release(exercise_id) / f"{exercise_id}.ipynb"
    kept = None
    if notebook.is_file():
        kept = course.paths.workspace / EARLIER / f"{exercise_id}-{_stamp(when)}.ipynb"
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(notebook, kept)
    notebook.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(fresh, notebook)
    return kept
