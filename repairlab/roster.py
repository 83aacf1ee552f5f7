"""Import trainees from a CSV (id, name, email) into nbgrader's gradebook, all or nothing."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import nbgrader_api
from .errors import CourseError

REQUIRED = ("id", "name", "email")
MAX_ID_LENGTH = 64  # characters; an id is a folder name in submitted/, autograded/ and feedback/
MAX_ID_BYTES = 255  # what one folder name may take on common file systems (UTF-8)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RosterError(CourseError):
    """The roster file has problems; nothing was imported."""


def id_key(value: str) -> str:
    """What makes two ids the same trainee: ids that differ only in case (or in Unicode form, such as
    a full-width letter) would share a folder on macOS and Windows and look alike to a supervisor."""
    return unicodedata.normalize("NFKC", value).casefold()


def _id_char(ch: str, first: bool) -> bool:
    category = unicodedata.category(ch)
    if category[0] == "L" or category == "Nd":  # letters of any script, digits
        return True
    if first:
        return ch == "_"
    return category[0] == "M" or ch in "._-"  # combining marks (needed by many scripts), punctuation


def id_problem(value: str) -> str | None:
    """Why ``value`` cannot be a trainee id, or None. An id becomes a folder name, so it holds letters
    of any script (Hangul, Han, accented Latin ...), digits and '.', '_', '-': no spaces, no path
    separators, not starting with '.' or '-', at most MAX_ID_LENGTH characters."""
    if not value:
        return "is empty"
    if len(value) > MAX_ID_LENGTH:
        return f"is {len(value)} characters long; an id has at most {MAX_ID_LENGTH}"
    if len(value.encode("utf-8")) > MAX_ID_BYTES:
        return f"takes {len(value.encode('utf-8'))} bytes as a folder name; at most {MAX_ID_BYTES}"
    if value[0] in ".-":
        return "must not start with '.' or '-'"
    bad = sorted({ch for n, ch in enumerate(value) if not _id_char(ch, n == 0)})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad[:5])
        return f"must be letters (of any script), digits, '.', '_' or '-', with no spaces or slashes (found {shown})"
    return None


def shown_id(value: str) -> str:
    """An id as quoted in a message: a very long one is cut short."""
    return repr(value if len(value) <= 40 else value[:32] + "…")


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
        values["id"] = unicodedata.normalize("NFC", values["id"])
        key = id_key(values["id"])
        if problem := id_problem(values["id"]):
            problems.append(f"row {number}: id {shown_id(values['id'])} {problem}")
        elif key in first_row:
            first_id, first_number = first_row[key]
            if first_id == values["id"]:
                problems.append(f"row {number}: duplicate id {values['id']!r} (first on row {first_number})")
            else:
                problems.append(f"row {number}: id {values['id']!r} is the same as {first_id!r} on row {first_number} "
                                "except for case; ids must differ in more than case")
        else:
            first_row[key] = (values["id"], number)
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
    Student = nbgrader_api.Student

    trainees = read_roster(path)
    with nbgrader_api.gradebook(root) as gb:
        existing = {s.id: s for s in gb.students}
        by_key = {id_key(s): s for s in existing}
        clashes = [f"id {t.id!r} is the same as {by_key[id_key(t.id)]!r}, already in the gradebook, except for case"
                   for t in trainees if t.id not in existing and id_key(t.id) in by_key]
        if clashes:
            raise RosterError(f"{Path(path).name}: nothing was imported; " + "; ".join(clashes)
                              + ". Use the gradebook's spelling of these ids.")
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
