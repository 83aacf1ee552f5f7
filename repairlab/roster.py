"""Import trainees into nbgrader's gradebook, all or nothing, from RepairLab's own CSV (id, name,
email), a Canvas Grades export or a Moodle participants download.

- **Canvas** ("Grades" > "Export"): the columns ``Student`` ("Last, First"), ``ID`` (the Canvas user id,
  which becomes the roster id, as in Canvas's submission downloads), ``SIS User ID``, ``SIS Login ID``,
  ``Section``, then one column per assignment, ``Name (assignment id)``. The ``Points Possible`` row and
  Canvas's ``Student, Test`` (the test student of Student View) are skipped and said so. The export has
  no email address.
- **Moodle** (Participants > select all > "Download table data as" CSV): ``First name``, ``Last name``
  and the identity fields the site shows (``Email address`` by default; ``Username``, ``ID number``).
  The roster id is the Username, else the ID number, else the part of the email address before ``@``.

What an LMS needs to match grades to its own users again (SIS ids, section, username) is kept beside
the gradebook in ``.repairlab/lms-roster.json`` for ``repairlab export --format canvas|moodle``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import nbgrader_api
from .errors import CourseError

REQUIRED = ("id", "name", "email")
FORMATS = ("repairlab", "canvas", "moodle")
LMS_ROSTER = Path(".repairlab") / "lms-roster.json"
CANVAS_ID_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_ASSIGNMENT = re.compile(r"(?P<name>.+) \((?P<id>[0-9]+)\)")
CANVAS_TEST_STUDENT = "Student, Test"
MOODLE_LAST_NAMES = ("Last name", "Surname")  # Moodle 3.x said "Surname"
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
    lms: tuple[tuple[str, str], ...] = ()  # the LMS's own columns for this trainee, e.g. ("SIS User ID", "1001")

    @property
    def first_last(self) -> tuple[str, str]:
        first, _, last = self.name.strip().partition(" ")
        return first, last


@dataclass
class RosterFile:
    """A roster file read and checked: its trainees, which format it was, the rows it skipped on
    purpose (with the reason) and, for Canvas, each assignment column by assignment name."""

    trainees: list[Trainee]
    format: str
    skipped: list[str] = field(default_factory=list)
    assignments: dict[str, str] = field(default_factory=dict)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise RosterError(f"{path}: not a UTF-8 text file; save the roster as CSV (UTF-8)") from None


def detect_format(header: list[str]) -> str:
    """Canvas and Moodle by their documented column names; anything else is RepairLab's own CSV."""
    names = {h.strip() for h in header}
    if {"Student", "ID"} <= names and names & {"SIS User ID", "SIS Login ID", "Section"}:
        return "canvas"
    if "First name" in names and names & set(MOODLE_LAST_NAMES):
        return "moodle"
    return "repairlab"


def _canvas_name(student: str) -> str:
    """Canvas writes "Last, First"; the roster keeps "First Last"."""
    last, comma, first = student.partition(",")
    return f"{first.strip()} {last.strip()}".strip() if comma else student.strip()


def _rows(path: Path, fmt: str | None):
    """(format, header, [(row number, cells)]); blank lines are skipped, as csv.DictReader does."""
    reader = csv.reader(_read_text(path).splitlines())
    header = next(reader, [])
    fmt = fmt or detect_format(header)
    if fmt not in FORMATS:
        raise RosterError(f"unknown roster format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return fmt, header, [(number, cells) for number, cells in enumerate(reader, start=2) if cells]  # row 1: header


def _dicts(header: list[str], rows):
    """Each row as {column: value}, or None when it has more cells than the header."""
    for number, cells in rows:
        yield number, None if len(cells) > len(header) else dict(zip(header, cells))


def _missing(path: Path, header: list[str], needed: list[str], what: str) -> None:
    missing = [c for c in needed if c not in header]
    if missing:
        found = ", ".join(h for h in header if h) or "nothing"
        raise RosterError(f"{path.name}: missing column(s) {', '.join(missing)}; {what} (found: {found})")


def _values_repairlab(path, header, rows, roster):
    header[:] = [h.strip().lower() for h in header]
    _missing(path, header, list(REQUIRED), "the header must name id, name, email")
    for number, row in _dicts(header, rows):
        yield number, row and {k: row.get(k) or "" for k in REQUIRED}, ()


def _values_canvas(path, header, rows, roster):
    header[:] = [h.strip() for h in header]
    _missing(path, header, ["Student", "ID"], "a Canvas Grades export has Student, ID, SIS User ID, SIS Login ID, Section")
    for column in header:
        if m := CANVAS_ASSIGNMENT.fullmatch(column):
            roster.assignments[m["name"].strip()] = column
    for number, row in _dicts(header, rows):
        student = (row or {}).get("Student", "").strip()
        if row is not None and not student and not (row.get("ID") or "").strip():
            roster.skipped.append(f"row {number}: a Canvas header row with no student (e.g. Manual Posting)")
            continue
        if student == "Points Possible":
            roster.skipped.append(f"row {number}: Canvas's Points Possible row")
            continue
        if student == CANVAS_TEST_STUDENT:
            roster.skipped.append(f"row {number}: Canvas's test student (Student View)")
            continue
        extra = tuple((c, row.get(c, "").strip()) for c in CANVAS_ID_COLUMNS[2:] if row and c in header)
        yield number, row and {"id": row.get("ID") or "", "name": _canvas_name(student), "email": ""}, extra


def _values_moodle(path, header, rows, roster):
    header[:] = [h.strip() for h in header]
    last = next((c for c in MOODLE_LAST_NAMES if c in header), "Last name")
    _missing(path, header, ["First name", last], "a Moodle participants download has First name, Last name and Email address")
    source = next((c for c in ("Username", "ID number", "Email address") if c in header), None)
    if source is None:
        raise RosterError(f"{path.name}: no column to take the trainee id from; download the participants with "
                          "Username, ID number or Email address (Site administration > Users > Permissions > "
                          "User policies > Show user identity)")
    for number, row in _dicts(header, rows):
        if row is None:
            yield number, None, ()
            continue
        ident = (row.get(source) or "").strip()
        if source == "Email address":
            ident = ident.split("@", 1)[0] if "@" in ident else ident
        extra = tuple((c, row.get(c, "").strip()) for c in ("Username", "ID number", "Email address") if c in header)
        name = f"{(row.get('First name') or '').strip()} {(row.get(last) or '').strip()}".strip()
        yield number, {"id": ident, "name": name, "email": row.get("Email address") or ""}, extra


PARSERS = {"repairlab": _values_repairlab, "canvas": _values_canvas, "moodle": _values_moodle}


def load_roster(path: Path, fmt: str | None = None) -> RosterFile:
    """Parse and check the whole file (its format from its header unless ``fmt`` names one); every
    problem is reported with its row number, and nothing is returned unless every row is good."""
    path = Path(path)
    fmt, header, rows = _rows(path, fmt)
    roster = RosterFile([], fmt)
    problems, first_row = [], {}
    for number, values, extra in PARSERS[fmt](path, header, rows, roster):
        if values is None:
            problems.append(f"row {number}: has more cells than the header")
            continue
        values = {k: v.strip() for k, v in values.items()}
        if not any(values.values()):
            problems.append(f"row {number}: is empty")
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
        roster.trainees.append(Trainee(**values, lms=extra))
    if problems:
        raise RosterError(f"{path.name}: nothing was imported; fix these rows first:\n  " + "\n  ".join(problems))
    if not roster.trainees:
        raise RosterError(f"{path.name}: no trainees in the file")
    return roster


def read_roster(path: Path, fmt: str | None = None) -> list[Trainee]:
    """The trainees of a roster file (see ``load_roster``)."""
    return load_roster(path, fmt).trainees


def import_roster(root: Path, path: Path, fmt: str | None = None) -> RosterFile:
    """Add or update every trainee with one gradebook commit, so an import is never half done; an
    LMS roster's own columns are kept in ``.repairlab/lms-roster.json`` for the LMS grade export."""
    Student = nbgrader_api.Student

    roster = load_roster(path, fmt)
    trainees = roster.trainees
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
    if roster.format != "repairlab":
        save_lms_roster(root, roster)
    return roster


def save_lms_roster(root: Path, roster: RosterFile) -> None:
    """Merge this import's LMS columns into ``.repairlab/lms-roster.json`` (written whole or not at all)."""
    path = Path(root) / LMS_ROSTER
    known = load_lms_roster(root)
    known.setdefault("trainees", {}).update({t.id: dict(t.lms) for t in roster.trainees})
    known.setdefault("assignments", {}).update(roster.assignments)
    known["format"] = roster.format
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(known, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def load_lms_roster(root: Path) -> dict:
    """What ``save_lms_roster`` kept: {"format", "trainees": {id: {column: value}}, "assignments"}."""
    path = Path(root) / LMS_ROSTER
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise RosterError(f"{path}: not valid JSON ({exc}); import the LMS roster again to rewrite it") from None


def roster_ids(root: Path) -> list[str]:
    with nbgrader_api.gradebook(root) as gb:
        return sorted(s.id for s in gb.students)
