"""RepairLab's own roster CSV: the columns ``id``, ``name``, ``email``. Its grade export is
``repairlab.supervisor.grades.COLUMNS``, one row per trainee and exercise."""

from __future__ import annotations

from .base import LmsFormat, dicts, require_columns

REQUIRED = ("id", "name", "email")


def read_roster(path, header, rows, roster):
    header[:] = [h.strip().lower() for h in header]
    require_columns(path, header, list(REQUIRED), "the header must name id, name, email")
    for number, row in dicts(header, rows):
        yield number, row and {k: row.get(k) or "" for k in REQUIRED}, ()


FORMAT = LmsFormat("repairlab", "RepairLab", detect=lambda names: True, read_roster=read_roster)
