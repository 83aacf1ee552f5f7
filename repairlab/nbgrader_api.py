"""In-process access to real nbgrader for a course folder: its config, API and gradebook."""

from __future__ import annotations

import os
from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

from .nbgrader_cli import with_interpreter_bin

# SQLite waits this long for a lock instead of failing at once, so parallel graders can share the
# gradebook (nbgrader turns a lock error into a failed grade).
BUSY_TIMEOUT_S = 60


def course_config(root: Path) -> Config:
    """The course's own nbgrader_config.py, rooted at ``root``."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}?timeout={BUSY_TIMEOUT_S}"
    return config


def gradebook(root: Path):
    from nbgrader.api import Gradebook

    config = course_config(root)
    return Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id)


def api(root: Path):
    """An ``NbGraderAPI`` for the course. nbgrader creates a new gradebook with ``alembic``, which
    must be on PATH."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    os.environ["PATH"] = with_interpreter_bin(os.environ.get("PATH", ""))
    config = course_config(root)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
