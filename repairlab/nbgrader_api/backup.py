"""Gradebook backups, taken before every grading run and kept in rotation, so that no run (or
trainee code, or a crash) can lose the grades already given."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from ..paths import CoursePaths

KEEP = 10


def latest_backup(paths: CoursePaths) -> Path | None:
    found = sorted(paths.backups.glob("gradebook-*.db"))
    return found[-1] if found else None


def back_up(paths: CoursePaths, gradebook: Path) -> Path | None:
    """A consistent copy of the gradebook (SQLite's online backup), keeping the newest ``KEEP``."""
    if not gradebook.is_file():
        return None
    folder = paths.backups
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"gradebook-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 1000000:06d}.db"
    with sqlite3.connect(f"file:{gradebook}?mode=ro", uri=True) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    for old in sorted(folder.glob("gradebook-*.db"))[:-KEEP]:
        old.unlink()
    return target
