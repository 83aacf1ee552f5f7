"""The grades file for an LMS or a spreadsheet, written from the gradebook with Python's csv writer.

nbgrader's own exporter joins fields with commas, so a name such as "Amara Okafor, PhD" shifts the
columns; this module quotes properly instead. RepairLab's own format is one row per trainee and
exercise (``grades``: a trainee with no submission gets a row too, and ``status`` says how far it
is); an LMS's format (``lms``: ``--format canvas`` or ``moodle``) writes the same grades as that LMS
imports them, a score only where the status is ``graded`` (every other cell is left empty, so an LMS
never records a partial score as final).

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) get a leading single quote. The file is UTF-8 with a byte-order mark, so
spreadsheets show Hangul, Han or Arabic names as they are, and it replaces the old file only once
it is complete.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from ..course import Course
from ..errors import CourseError
from ..nbgrader_api import gradebook as gradebooks
from .grades import COLUMNS, Row, grade_rows
from .lms import FORMATS
from .roster import load_lms_roster


class ExportError(CourseError):
    """The grades file cannot be written; nothing was changed."""


def write_csv(rows: list[Row], path: Path) -> Path:
    """Write ``rows`` to ``path`` atomically (see ``write_table``)."""
    return write_table(COLUMNS, (row.cells() for row in rows), path)


def write_table(header, lines, path: Path) -> Path:
    """Write ``header`` and ``lines`` to ``path`` atomically: a temporary file in the same folder, then os.replace."""
    path = Path(path).expanduser()
    folder = path.parent
    tmp = None
    try:
        if path.is_dir():
            raise ExportError(f"cannot write the grades to {path}: it is a folder; name a file in it, such as "
                              "grades.csv")
        if not folder.is_dir():
            why = "is not a folder" if folder.exists() else "does not exist"
            raise ExportError(f"cannot write the grades to {path}: the folder {folder} {why}")
        if path.exists() and not os.access(path, os.W_OK):
            raise ExportError(f"cannot write the grades to {path}: the file is read-only")
        with tempfile.NamedTemporaryFile("w", dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False,
                                         encoding="utf-8-sig", newline="") as fh:
            tmp = fh.name
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(lines)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise ExportError(f"cannot write the grades to {path}: {exc.strerror or exc}") from None
    finally:
        if tmp:  # never leave a half-written file behind
            Path(tmp).unlink(missing_ok=True)
    return path


def export_grades(course: Course, path: Path, fmt: str = "repairlab") -> list[Row]:
    """Write the course's grades CSV in ``fmt`` (see the module's docstring); the rows exported."""
    if not gradebooks.exists(course):  # never create one
        raise ExportError(f"no gradebook in {course.root}: import the roster and grade submissions before exporting")
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rows = grade_rows(course)
    table = FORMATS[fmt].grade_table
    if table is None:
        write_csv(rows, path)
    else:
        write_table(*table(rows, course, load_lms_roster(course)), path)
    return rows
