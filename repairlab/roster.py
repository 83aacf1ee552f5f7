"""Import trainees from a CSV (id, name, email) into nbgrader's gradebook, all or nothing."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from . import nbgrader_api
from .errors import CourseError

REQUIRED = ("id", "name", "email")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # safe as an nbgrader folder name
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RosterError(CourseError):
    """The roster file has problems; nothing was imported."""


@dataclass(frozen=True)
class Trainee:
    id: str
    name: str
    email: str

    @property
    def first_last(self) -> tuple[str, str]:
        first, _, last = self.name.strip().partition(" ")
        return first, last


def read_roster(path: Path) -> list[Trainee]:
    """Parse and check the whole file; every problem is reported with its row number."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise RosterError(f"{path}: not a UTF-8 text file; save the roster as CSV (UTF-8)") from None
    rows = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in rows.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise RosterError(f"{path.name}: missing column(s) {', '.join(missing)}; the header must name id, name, email (found: {', '.join(header) or 'nothing'})")
    rows.fieldnames = header
    problems, trainees, first_row = [], [], {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        values = {k: (row.get(k) or "").strip() for k in REQUIRED}
        if None in row or not any(values.values()):
            problems.append(f"row {number}: {'has more cells than the header' if None in row else 'is empty'}")
            continue
        if not ID_PATTERN.match(values["id"]):
            problems.append(f"row {number}: id {values['id']!r} must be letters, digits, '.', '_' or '-' (no spaces)")
        elif values["id"] in first_row:
            problems.append(f"row {number}: duplicate id {values['id']!r} (first on row {first_row[values['id']]})")
        else:
            first_row[values["id"]] = number
        if not values["name"]:
            problems.append(f"row {number}: name is empty")
        if values["email"] and not EMAIL_PATTERN.match(values["email"]):
            problems.append(f"row {number}: email {values['email']!r} is not an email address")
        trainees.append(Trainee(**values))
    if problems:
        raise RosterError(f"{path.name}: nothing was imported; fix these rows first:\n  " + "\n  ".join(problems))
    if not trainees:
        raise RosterError(f"{path.name}: no trainees in the file")
    return trainees


def import_roster(root: Path, path: Path) -> list[Trainee]:
    """Add or update every trainee with one gradebook commit, so an import is never half done."""
    from nbgrader.api import Student

    trainees = read_roster(path)
    with nbgrader_api.gradebook(root) as gb:
        existing = {s.id: s for s in gb.students}
        try:
            for t in trainees:
                student = existing.get(t.id) or Student(id=t.id)
                student.first_name, student.last_name = t.first_last
                student.email = t.email or None
                gb.db.add(student)
            gb.db.commit()
        except Exception:
            gb.db.rollback()
            raise
    return trainees


def roster_ids(root: Path) -> list[str]:
    with nbgrader_api.gradebook(root) as gb:
        return sorted(s.id for s in gb.students)
