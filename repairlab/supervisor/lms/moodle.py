"""Moodle: its participants download as a roster, its "Download all submissions" folders, its CSV
grade import.

- Roster (Participants > select all > "Download table data as" CSV): ``First name``, ``Last name`` and
  the identity fields the site shows (``Email address`` by default; ``Username``, ``ID number``). The
  roster id is the Username, else the ID number, else the part of the email address before ``@``.
- Submissions: a folder ``<Full Name>_<participant id>_assignsubmission_file_`` holding the notebook.
- Grades (Grades > Import > CSV file): ``First name``, ``Last name``, ``Username`` and ``ID number``
  (when the roster had them), ``Email address``, then one column per exercise.
"""

from __future__ import annotations

import re

from ..grades import by_trainee, final_score, neutralise
from .base import LmsFormat, RosterError, dicts, require_columns

LAST_NAMES = ("Last name", "Surname")  # Moodle 3.x said "Surname"
IDENTITY = ("Username", "ID number", "Email address")
FOLDER = re.compile(r"(?P<name>[^_]+)_(?P<id>.+)_assignsubmission_file_")


def detect(names: set[str]) -> bool:
    return "First name" in names and bool(names & set(LAST_NAMES))


def read_roster(path, header, rows, roster):
    header[:] = [h.strip() for h in header]
    last = next((c for c in LAST_NAMES if c in header), "Last name")
    require_columns(path, header, ["First name", last],
                    "a Moodle participants download has First name, Last name and Email address")
    source = next((c for c in IDENTITY if c in header), None)
    if source is None:
        raise RosterError(f"{path.name}: no column to take the trainee id from; download the participants with "
                          "Username, ID number or Email address (Site administration > Users > Permissions > "
                          "User policies > Show user identity)")
    for number, row in dicts(header, rows):
        if row is None:
            yield number, None, ()
            continue
        ident = (row.get(source) or "").strip()
        if source == "Email address":
            ident = ident.split("@", 1)[0] if "@" in ident else ident
        extra = tuple((c, row.get(c, "").strip()) for c in IDENTITY if c in header)
        name = f"{(row.get('First name') or '').strip()} {(row.get(last) or '').strip()}".strip()
        yield number, {"id": ident, "name": name, "email": row.get("Email address") or ""}, extra


def folder_id(folder: str) -> str | None:
    """The participant id a submissions folder is named with, or None."""
    m = FOLDER.fullmatch(folder)
    return m["id"] if m else None


def grade_table(rows, course, lms: dict) -> tuple[list[str], list[list[str]]]:
    """Moodle's CSV grade import: names, the identity fields the roster had, one column per exercise."""
    exercises = [ex.id for ex in course.exercises]
    known = lms.get("trainees", {}) if lms.get("format") == "moodle" else {}
    extra = [c for c in ("Username", "ID number") if any(c in v for v in known.values())]
    header = ["First name", "Last name", *extra, "Email address", *exercises]
    lines = []
    for trainee, cells in by_trainee(rows).items():
        first = next(iter(cells.values()))
        ids = [known.get(trainee, {}).get(c, "") for c in extra]
        lines.append([*(neutralise(v) for v in (first.first_name, first.last_name, *ids, first.email)),
                      *(final_score(cells[ex]) if ex in cells else "" for ex in exercises)])
    return header, lines


FORMAT = LmsFormat("moodle", "Moodle", detect, read_roster, grade_table, folder_id=folder_id,
                   id_name="Moodle participant id")
