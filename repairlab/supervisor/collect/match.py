"""Matching: whose a file is, and which exercise. A file is placed only where collect is sure. The
trainee comes from one of three exact conventions (a roster id is compared ignoring case and mapped to
the roster's spelling):

1. a folder named after the roster id, at the first level below the source (a zip or folder whose
   entries all sit in one other folder, e.g. ``submissions/``, is read from inside it) or right
   above the file: ``ana/owning-your-part.ipynb``;
2. an LMS's own download names (``repairlab.supervisor.lms``): a Canvas file name
   ``<name>_<userid>_<submissionid>_<file name>``, a Moodle folder
   ``<Full Name>_<participant id>_assignsubmission_file_`` (first level or right above the file).

A name that merely contains a roster id somewhere else is never a match, and a file that two rules
give to different trainees is reported, not guessed. The exercise comes from the file name, else
from nbgrader cells that only that exercise has (ids shared by exercises, such as ``intro``, count
for none), else, when the supervisor names the exercise, from being the trainee's only notebook.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ...course import Course, Exercise
from ...nbgrader_api.cells import grade_ids
from ..ids import id_key, shown_id
from ..lms import LMS, LmsFormat
from .sources import Entry


class RosterIds:
    """Roster ids by their case-insensitive key."""

    def __init__(self, ids: list[str]):
        self.ids = sorted(ids)
        self.by_key: dict[str, list[str]] = defaultdict(list)
        for trainee in self.ids:
            self.by_key[id_key(trainee)].append(trainee)

    def lookup(self, name: str) -> list[str]:
        return self.by_key.get(id_key(name), [])


@dataclass
class TraineeMatch:
    trainees: dict[str, list[str]] = field(default_factory=dict)  # roster id -> rules that name it
    clashes: list[str] = field(default_factory=list)  # roster ids that differ only in case
    near: list[str] = field(default_factory=list)  # an LMS pattern whose id is not on the roster
    original_name: str = ""  # the file name the trainee gave, inside an LMS's file name
    renamed_by: LmsFormat | None = None  # the LMS whose file name held the original name


def _name_by(match: TraineeMatch, ids: list[str], rule: str) -> None:
    if len(ids) > 1:
        match.clashes.append(", ".join(ids))
    elif ids:
        match.trainees.setdefault(ids[0], []).append(rule)


def match_trainee(parts: tuple[str, ...], roster: RosterIds) -> TraineeMatch:
    """The roster ids an entry's path names under the documented conventions."""
    match = TraineeMatch(original_name=parts[-1])
    folders = parts[:-1]
    positions = {folders[0], folders[-1]} if folders else set()
    for folder in sorted(positions):
        _name_by(match, roster.lookup(folder), f"folder {folder}")
        for lms in LMS:
            if (ident := lms.folder_id(folder)) is not None:
                ids = roster.lookup(ident)
                _name_by(match, ids, f"{lms.title} folder {folder}")
                if not ids:
                    match.near.append(
                        f"the {lms.id_name} {shown_id(ident)} in the folder {folder} is not on the roster"
                    )
    for lms in LMS:
        parses = lms.file_ids(parts[-1])
        known = [(ident, original) for ident, original in parses if roster.lookup(ident)]
        for ident, _ in known:
            _name_by(match, roster.lookup(ident), f"{lms.title} file name")
        if len(known) == 1:
            match.original_name, match.renamed_by = known[0][1], lms
        elif parses and not known:
            match.near.append(f"the {lms.id_name} {shown_id(parses[0][0])} in the file name is not on the roster")
    return match


def wrapper(entries: list[Entry], roster: RosterIds) -> str | None:
    """The one folder every entry sits in, when it names no trainee (e.g. ``submissions/``)."""
    tops = {e.parts[0] for e in entries if len(e.parts) > 1}
    if len(tops) != 1 or any(len(e.parts) < 2 for e in entries):
        return None
    top = tops.pop()
    if roster.lookup(top) or any(lms.folder_id(top) is not None for lms in LMS):
        return None
    return top


def fingerprints(course: Course) -> dict[str, set[str]]:
    return {
        ex.id: grade_ids((course.paths.release(ex.id) / ex.notebook_name).read_bytes()) or set()
        for ex in course.exercises
    }


def unique_cells(prints: dict[str, set[str]]) -> dict[str, set[str]]:
    """Per exercise, the cell ids no other exercise has: only these tell exercises apart."""
    return {ex: cells - set().union(*(other for o, other in prints.items() if o != ex)) for ex, cells in prints.items()}


def match_exercise(name: str, cells: set[str], exercises: tuple[Exercise, ...], unique: dict[str, set[str]],
                   renamed_by: LmsFormat | None = None) -> tuple[Exercise | None, str]:
    """(exercise, how) for a notebook; (None, why) when it conflicts; (None, "") when nothing tells."""
    named = [ex for ex in exercises if name == ex.notebook_name]
    if not named and renamed_by and (first := renamed_by.first_name(name)):
        named = [ex for ex in exercises if first == ex.notebook_name]
    owners = [ex for ex in exercises if cells & unique[ex.id]]
    if named and owners and owners != named:
        return None, (f"named like {named[0].id} but holds cells only {', '.join(ex.id for ex in owners)} has; "
                      "not placed, check which exercise it is")
    if named:
        return named[0], "by name"
    if len(owners) == 1:
        return owners[0], f"renamed {name}; matched by its exercise cells"
    if owners:
        return (
            None,
            f"holds cells of several exercises ({', '.join(ex.id for ex in owners)}); not placed, check it by hand",
        )
    return None, ""
