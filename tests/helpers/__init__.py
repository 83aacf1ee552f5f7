"""What the tests share: where the repository is, a scratch copy of the course, and nbgrader's own
gradebook on a course (as Formgrader uses it: tests mark answers and read what nbgrader stored)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests"  # the grading matrix, the cohort's expected scores, LMS samples


def copy_course(dest: Path, source: Path = REPO) -> Path:
    """A scratch copy of the course (config included); returns ``dest``."""
    from repairlab.supervisor.course_folder import copy_course as _copy_course

    return _copy_course(source, dest)


@contextmanager
def formgrader_gradebook(root: Path):
    """nbgrader's own Gradebook on the course in ``root``, with the course's db_url: what the
    supervisor's Formgrader reads and writes."""
    from nbgrader.api import Gradebook

    from repairlab.nbgrader_api import open_course

    nbgrader = open_course(root).nbgrader
    with Gradebook(nbgrader.db_url, nbgrader.course_id) as gb:
        yield gb
