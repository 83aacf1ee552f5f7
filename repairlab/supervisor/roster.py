"""Import trainees into nbgrader's gradebook, all or nothing, from RepairLab's own CSV (id, name,
email) or an LMS's roster file (``lms``: a Canvas Grades export, a Moodle participants download).

What an LMS needs to match grades to its own users again (SIS ids, section, username) is kept beside
the gradebook in ``.repairlab/lms-roster.json`` for ``repairlab export --format canvas|moodle``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import unicodedata
from pathlib import Path

from ..course import Course
from ..nbgrader_api.gradebook import Student
from .ids import id_key, id_problem, shown_id
from .lms import FORMATS, RosterError, RosterFile, Trainee, detect_format

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise RosterError(f"{path}: not a UTF-8 text file; save the roster as CSV (UTF-8)") from None


def _rows(path: Path, fmt: str | None):
    """(format, header, [(row number, cells)]); blank lines are skipped, as csv.DictReader does."""
    reader = csv.reader(_read_text(path).splitlines())
    header = next(reader, [])
    fmt = fmt or detect_format(header)
    if fmt not in FORMATS:
        raise RosterError(f"unknown roster format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return fmt, header, [(number, cells) for number, cells in enumerate(reader, start=2) if cells]  # row 1: header


def _row_problems(number: int, values: dict, first_row: dict) -> list[str]:
    """What is wrong with one row's id, name and email (``first_row`` remembers each id's row)."""
    problems = []
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
    return problems


def load_roster(path: Path, fmt: str | None = None) -> RosterFile:
    """Parse and check the whole file (its format from its header unless ``fmt`` names one); every
    problem is reported with its row number, and nothing is returned unless every row is good."""
    path = Path(path)
    fmt, header, rows = _rows(path, fmt)
    roster = RosterFile([], fmt)
    problems, first_row = [], {}
    for number, values, extra in FORMATS[fmt].read_roster(path, header, rows, roster):
        if values is None:
            problems.append(f"row {number}: has more cells than the header")
            continue
        values = {k: v.strip() for k, v in values.items()}
        if not any(values.values()):
            problems.append(f"row {number}: is empty")
            continue
        values["id"] = unicodedata.normalize("NFC", values["id"])
        problems += _row_problems(number, values, first_row)
        roster.trainees.append(Trainee(**values, lms=extra))
    if problems:
        raise RosterError(f"{path.name}: nothing was imported; fix these rows first:\n  " + "\n  ".join(problems))
    if not roster.trainees:
        raise RosterError(f"{path.name}: no trainees in the file")
    return roster


def read_roster(path: Path, fmt: str | None = None) -> list[Trainee]:
    """The trainees of a roster file (see ``load_roster``)."""
    return load_roster(path, fmt).trainees


def import_roster(course: Course, path: Path, fmt: str | None = None) -> RosterFile:
    """Add or update every trainee with one gradebook commit, so an import is never half done; an
    LMS roster's own columns are kept in ``.repairlab/lms-roster.json`` for the LMS grade export."""
    roster = load_roster(path, fmt)
    trainees = roster.trainees
    with course.gradebook() as gradebook:
        existing = {s.id for s in gradebook.students()}
        by_key = {id_key(s): s for s in existing}
        clashes = [f"id {t.id!r} is the same as {by_key[id_key(t.id)]!r}, already in the gradebook, except for case"
                   for t in trainees if t.id not in existing and id_key(t.id) in by_key]
        if clashes:
            raise RosterError(f"{Path(path).name}: nothing was imported; " + "; ".join(clashes)
                              + ". Use the gradebook's spelling of these ids.")
        gradebook.save_students([Student(t.id, *t.first_last, t.email) for t in trainees])
    if roster.format != "repairlab":
        save_lms_roster(course, roster)
    return roster


def save_lms_roster(course: Course, roster: RosterFile) -> None:
    """Merge this import's LMS columns into ``.repairlab/lms-roster.json`` (written whole or not at all)."""
    path = course.paths.lms_roster
    known = load_lms_roster(course)
    known.setdefault("trainees", {}).update({t.id: dict(t.lms) for t in roster.trainees})
    known.setdefault("assignments", {}).update(roster.assignments)
    known["format"] = roster.format
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(known, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def load_lms_roster(course: Course) -> dict:
    """What ``save_lms_roster`` kept: {"format", "trainees": {id: {column: value}}, "assignments"}."""
    path = course.paths.lms_roster
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise RosterError(f"{path}: not valid JSON ({exc}); import the LMS roster again to rewrite it") from None


def roster_ids(course: Course) -> list[str]:
    with course.gradebook() as gradebook:
        return gradebook.student_ids()
