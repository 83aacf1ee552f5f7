"""What a roster is once read, and what an LMS format supplies (``LmsFormat``): telling its roster
file by the header, reading it, naming submissions in its downloads, and writing its grade import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import CourseError


class RosterError(CourseError):
    """The roster file has problems; nothing was imported."""


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


@dataclass(frozen=True)
class LmsFormat:
    """One roster and grade format. Roster import, collect, the grade export and the command line's
    ``--format`` choices all read the registry of these (``repairlab.supervisor.lms.FORMATS``)."""

    name: str  # as given to --format
    title: str  # as said to the supervisor
    detect: Callable[[set[str]], bool]  # a roster file's header names -> is it this format's file?
    # (path, header, rows, roster) -> (row number, {"id", "name", "email"} or None, LMS columns) per row
    read_roster: Callable
    # (rows, course, kept LMS roster) -> (header, lines) of the LMS's grade import; None: RepairLab's own
    grade_table: Callable | None = None
    # a folder's name in the LMS's submissions download -> the roster id it names, or None
    folder_id: Callable[[str], str | None] = lambda folder: None
    # a file's name in the download -> every (roster id, the trainee's own file name) it reads as
    file_ids: Callable[[str], list[tuple[str, str]]] = lambda name: []
    # a resubmitted file's name -> the name it had first, or None
    first_name: Callable[[str], str | None] = lambda name: None
    id_name: str = "roster id"  # what the LMS calls the id in its download names


def dicts(header: list[str], rows):
    """Each row as {column: value}, or None when it has more cells than the header."""
    for number, cells in rows:
        yield number, None if len(cells) > len(header) else dict(zip(header, cells))


def require_columns(path: Path, header: list[str], needed: list[str], what: str) -> None:
    missing = [c for c in needed if c not in header]
    if missing:
        found = ", ".join(h for h in header if h) or "nothing"
        raise RosterError(f"{path.name}: missing column(s) {', '.join(missing)}; {what} (found: {found})")
