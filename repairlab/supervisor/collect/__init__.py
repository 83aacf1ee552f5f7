"""Collect trainees' notebooks into nbgrader's ``submitted/``, in three steps: ``sources`` (a folder,
an LMS zip download, or nbgrader's exchange on a hub, read through ``repairlab.supervisor.exchange``)
-> ``match`` (whose file it is, and which exercise) -> ``place`` (written under
``submitted/<trainee>/<exercise>/``).

Symbolic links and other special files are refused and listed, never followed; every entry is read
in chunks and refused past MAX_NOTEBOOK_BYTES, whatever a zip header claims. Whatever cannot be
placed is listed, never dropped, and the originals are only ever read. From the exchange, a newer
submission replaces the one collected before, which is said and kept; an older or identical one
changes nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

from tqdm import tqdm

from ...course import Course
from ...nbgrader_api.cells import grade_ids
from .. import exchange
from ..ids import id_problem, shown_id
from ..safe_read import MAX_NOTEBOOK_BYTES, Refused
from .match import (
    RosterIds,
    fingerprints,
    match_exercise,
    match_trainee,
    unique_cells,
    wrapper,
)
from .place import Candidate, Placer
from .sources import Entry, open_source
from .summary import Summary

__all__ = ["MAX_NOTEBOOK_BYTES", "Summary", "collect", "collect_from_exchange", "fingerprints", "unique_cells"]

PROGRESS_FROM = 20  # entries: a collect this large shows a progress bar
NO_TRAINEE = ("the path names no trainee on the roster (a folder at the first level or right above the file, "
              "a Canvas or a Moodle download name)")


class Collection:
    """One collect from a folder or zip: each entry is matched to a trainee and an exercise, then
    every sure match is placed."""

    def __init__(self, course: Course, roster_ids: list[str], exercise_id: str | None):
        self.course, self.exercise_id = course, exercise_id
        self.selected = [course.exercise(exercise_id)] if exercise_id else list(course.exercises)
        self.unique = unique_cells(fingerprints(course))
        self.roster = RosterIds(roster_ids)
        self.bad_ids = {t: problem for t in roster_ids if (problem := id_problem(t))}
        self.summary = Summary()
        self.candidates: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        self.unplaced: dict[str, list[Candidate]] = defaultdict(list)

    def refuse(self, entry: Entry, why: str) -> None:
        self.summary.problems.append((entry.where, why))

    def trainee_of(self, entry: Entry, parts: tuple[str, ...]):
        """(trainee, the match) when the path names exactly one good roster id; else (None, None)."""
        match = match_trainee(parts, self.roster)
        if match.clashes:
            self.refuse(entry, f"unknown trainee: the roster has ids that differ only in case "
                               f"({'; '.join(match.clashes)}); fix the roster")
            return None, None
        if len(match.trainees) != 1:
            if match.trainees:
                named = "; ".join(f"{t} ({', '.join(rules)})" for t, rules in sorted(match.trainees.items()))
                why = f"the path names several trainees: {named}; not placed, check it by hand"
            else:
                why = "; ".join(match.near) or NO_TRAINEE
            self.refuse(entry, f"unknown trainee: {why}")
            return None, None
        trainee = next(iter(match.trainees))
        if trainee in self.bad_ids:
            self.refuse(entry, f"the roster id {shown_id(trainee)} {self.bad_ids[trainee]}, so it "
                               "cannot be a folder in submitted/; fix the roster")
            return None, None
        return trainee, match

    def notebook_of(self, entry: Entry, trainee: str, name: str) -> tuple[Candidate, set[str]] | None:
        """The entry read as a notebook, or None (and why) when it is not one."""
        if not name.lower().endswith(".ipynb"):
            return self.refuse(entry, f"not a notebook (from {trainee})")
        try:
            data = entry.read()
        except Refused as exc:
            return self.refuse(entry, f"{exc} (from {trainee})")
        if not data.strip():
            return self.refuse(entry, f"empty file: {trainee} handed in a notebook with nothing in it")
        cells = grade_ids(data)
        if cells is None:
            return self.refuse(entry, f"not a readable notebook (from {trainee}): the file is not notebook JSON")
        return Candidate(entry, hashlib.sha256(data).hexdigest(), ""), cells

    def judge(self, entry: Entry, parts: tuple[str, ...]) -> None:
        """Whose notebook the entry is, and of which exercise; sure ones become candidates."""
        if entry.refused:
            return self.refuse(entry, entry.refused)
        trainee, match = self.trainee_of(entry, parts)
        if trainee is None:
            return None
        name = match.original_name
        read = self.notebook_of(entry, trainee, name)
        if read is None:
            return None
        found, cells = read
        exercise, how = match_exercise(name, cells, self.course.exercises, self.unique, match.renamed_by)
        if exercise is None and how:
            self.refuse(entry, f"{how} (from {trainee})")
        elif exercise is None:
            self.unplaced[trainee].append(found)
        elif exercise not in self.selected:
            self.refuse(entry, f"a notebook of {exercise.id} ({how}), not of {self.exercise_id}; "
                               f"not placed (from {trainee})")
        else:
            found.how = how
            self.candidates[(trainee, exercise.id)].append(found)

    def settle_unplaced(self) -> None:
        """A notebook no rule ties to an exercise is taken only as a trainee's only notebook of the
        exercise the supervisor named."""
        for trainee, leftovers in self.unplaced.items():
            has_other = any(t == trainee for t, _ in self.candidates)
            if self.exercise_id and len(leftovers) == 1 and not has_other:
                only = leftovers[0]
                only.how = f"renamed {only.entry.parts[-1]}; the trainee's only notebook"
                self.candidates[(trainee, self.exercise_id)].append(only)
            else:
                for found in leftovers:
                    self.refuse(found.entry, f"could not tell which exercise this notebook of {trainee} is; "
                                             "rename it to the exercise's file name")

    def place_all(self, progress: bool = False) -> None:
        placer = Placer(self.course, self.summary)
        for (trainee, ex_id), found in tqdm(sorted(self.candidates.items()), desc="Placing submissions",
                                            unit="notebook", disable=not progress):
            if len({c.digest for c in found}) > 1:
                listed = ", ".join(c.entry.where for c in found)
                self.summary.problems.append((listed, f"{trainee} handed in {len(found)} different notebooks for "
                                                      f"{ex_id}; none placed, keep one"))
                continue
            placer.place(trainee, self.course.exercise(ex_id), found[0])


def collect(course: Course, source: Path, roster_ids: list[str], exercise_id: str | None = None) -> Summary:
    """Place every notebook from ``source`` that can be matched for sure into ``submitted/``, with
    progress bars when there are many files."""
    collection = Collection(course, roster_ids, exercise_id)
    with ExitStack() as stack:
        entries, problems = open_source(Path(source), stack)
        collection.summary.problems += problems
        inside = wrapper(entries, collection.roster)
        large = len(entries) >= PROGRESS_FROM
        for entry in tqdm(entries, desc="Reading submissions", unit="file", disable=not large):
            collection.judge(entry, entry.parts[1:] if inside else entry.parts)
        collection.settle_unplaced()
        collection.place_all(progress=large)
    collection.summary.not_submitted = _not_submitted(course, collection.selected, collection.roster.ids,
                                                      collection.bad_ids)
    return collection.summary


def _not_submitted(course: Course, exercises, trainees: list[str], bad_ids=()) -> dict[str, list[str]]:
    return {
        ex.id: [t for t in trainees if t not in bad_ids
                and not (course.paths.submitted(t, ex.id) / ex.notebook_name).is_file()]
        for ex in exercises
    }


def collect_from_exchange(course: Course, roster_ids: list[str], exercise_id: str | None = None) -> Summary:
    """Place each trainee's newest exchange submission into ``submitted/`` (see ``exchange``)."""
    selected = [course.exercise(exercise_id)] if exercise_id else list(course.exercises)
    logins = exchange.login_map(course, roster_ids)
    summary = Summary()
    placer = Placer(course, summary)
    for ex in selected:
        for found in exchange.inbound_submissions(course, ex.id, summary.problems):
            where = f"exchange:{found.folder.name}"
            trainee = logins.get(found.login)
            if trainee is None:
                summary.problems.append((where, f"unknown trainee: the login {found.login!r} is not on the roster"))
                continue
            try:
                files = exchange.submission_files(found, ex)
            except FileNotFoundError:
                summary.problems.append((where, f"{trainee} handed in {ex.id} without {ex.notebook_name}"))
                continue
            except Refused as exc:
                summary.problems.append((where, f"{exc} (from {trainee})"))
                continue
            if grade_ids(files[ex.notebook_name]) is None:
                summary.problems.append((where, f"not a readable notebook (from {trainee}): the file is not notebook "
                                                "JSON"))
                continue
            placer.place_submission(trainee, ex, files, found, where)
    summary.not_submitted = _not_submitted(course, selected, sorted(roster_ids))
    return summary
