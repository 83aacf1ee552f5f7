"""Collect trainees' notebooks from a folder or an LMS zip download into nbgrader's ``submitted/``.

A file is placed only where collect is sure. The trainee comes from one of three exact conventions
(a roster id is compared ignoring case and mapped to the roster's spelling):

1. a folder named after the roster id, at the first level below the source (a zip or folder whose
   entries all sit in one other folder, e.g. ``submissions/``, is read from inside it) or right
   above the file: ``ana/owning-your-part.ipynb``;
2. a Canvas submission download, ``<name>_<userid>_<submissionid>_<file name>`` or
   ``<name>_LATE_<userid>_<submissionid>_<file name>``, with the roster id as <userid>;
3. a Moodle "Download all submissions" folder, ``<Full Name>_<participant id>_assignsubmission_file_``
   (first level or right above the file), with the roster id as <participant id>.

A name that merely contains a roster id somewhere else is never a match, and a file that two rules
give to different trainees is reported, not guessed. The exercise comes from the file name, else
from nbgrader cells that only that exercise has (ids shared by exercises, such as ``intro``, count
for none), else, when the supervisor names the exercise, from being the trainee's only notebook.

``collect_from_exchange`` collects from nbgrader's exchange instead (a cohort on JupyterHub): each
trainee's newest submission in the exchange's ``inbound/``, mapped from the hub login to the roster id,
taken only from a folder the login's own Unix account owns (a trainee cannot hand in for another), and
only the notebook, ``timestamp.txt`` and ``submission_secret.txt`` (which the feedback needs) are
copied, each a regular file read without following links. A newer submission replaces the one
collected before, which is said and kept, as below; an older or identical one changes nothing.

Symbolic links and other special files are refused and listed, never followed; every entry is read
in chunks and refused past MAX_NOTEBOOK_BYTES, whatever a zip header claims; the target path is
built from the roster id and the exercise id only, never from an entry's name. A submission that
replaces an earlier one is reported and the earlier file kept under ``submitted/.replaced/``.
Whatever cannot be placed is listed, never dropped, and the originals are only ever read.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import re
import shutil
import stat
import zipfile
import zlib
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from . import nbgrader_api
from .errors import CourseError
from .manifest import Course, Exercise
from .roster import id_key, id_problem, shown_id

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024  # one notebook; larger entries are refused, whatever they claim
CHUNK_BYTES = 1024 * 1024
REPLACED_FOLDER = ".replaced"  # in submitted/: earlier submissions a later collect replaced
HUB_LOGINS = Path(".repairlab") / "hub.json"  # written by `repairlab hub init`: {"logins": {login: roster id}}
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")  # kept beside the notebook from the exchange
MAX_SMALL_FILE_BYTES = 64 * 1024
CLOCK_SKEW = timedelta(minutes=5)  # an exchange timestamp later than now by more than this was not made by submit

SYSTEM_FILES = re.compile(r"(^|/)(__MACOSX|\.DS_Store|Thumbs\.db|\.ipynb_checkpoints)(/|$)")
CANVAS = re.compile(r"(?P<name>[^_]+)_(?P<late>LATE_)?(?P<rest>.+)")
CANVAS_RESUBMITTED = re.compile(r"(?P<stem>.+)-[0-9]+\.ipynb")  # Canvas adds -1, -2 ... to a repeated file name
MOODLE = re.compile(r"(?P<name>[^_]+)_(?P<id>.+)_assignsubmission_file_")


class Refused(Exception):
    """An entry that is not read: the message says why."""


@dataclass
class Entry:
    """One file handed in: where it is, its path inside the source, and how to read it (capped)."""

    where: str
    parts: tuple[str, ...]
    read: Callable[[], bytes] | None  # None: refused before reading
    refused: str = ""


@dataclass
class Placed:
    trainee: str
    exercise: str
    where: str
    how: str
    replaced: str = ""  # where the earlier submission it replaced is kept


@dataclass
class Summary:
    placed: list[Placed] = field(default_factory=list)
    unchanged: list[Placed] = field(default_factory=list)  # the same bytes were already in submitted/
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    not_submitted: dict[str, list[str]] = field(default_factory=dict)  # exercise -> trainees

    def render(self) -> str:
        lines = [f"Placed {len(self.placed)} submission(s) in submitted/."]
        for p in self.placed:
            lines.append(f"  {p.trainee:<12} {p.exercise:<28} from {p.where} ({p.how})")
            if p.replaced:
                lines.append(f"    replaces the earlier submission of {p.trainee} for {p.exercise}; "
                             f"the earlier file is kept in {p.replaced}. Grade it again.")
        if self.unchanged:
            lines.append(f"Unchanged ({len(self.unchanged)}): already in submitted/ with the same content.")
            lines += [f"  {p.trainee:<12} {p.exercise:<28} from {p.where}" for p in self.unchanged]
        if self.problems:
            lines.append(f"Not placed ({len(self.problems)}): check these by hand.")
            lines += [f"  {where}: {why}" for where, why in self.problems]
        for exercise, trainees in self.not_submitted.items():
            if trainees:
                lines.append(f"No submission for {exercise} from: {', '.join(trainees)}")
        return "\n".join(lines)


# ---- reading, capped ---------------------------------------------------------------------------


def read_capped(stream, limit: int | None = None) -> bytes:
    """Read a stream in chunks; Refused as soon as it passes ``limit`` bytes (a zip's header is
    never asked how big an entry is)."""
    limit = MAX_NOTEBOOK_BYTES if limit is None else limit
    buffer = bytearray()
    while chunk := stream.read(min(CHUNK_BYTES, limit + 1 - len(buffer))):
        buffer += chunk
        if len(buffer) > limit:
            raise Refused(f"refused: larger than the {limit / 1024 / 1024:g} MB limit for one notebook")
    return bytes(buffer)


def _read_file(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Refused(f"refused: could not open it ({exc.strerror}); a symbolic link is never followed") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused("refused: not a regular file")
        return read_capped(fh)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(info) as fh:
            return read_capped(fh)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
        raise Refused(f"could not be read from the zip ({exc})") from None


def split_parts(name: str) -> tuple[str, ...]:
    """The folders and file name of a zip entry or relative path; '/' and '\\' both separate."""
    return tuple(p for p in name.replace("\\", "/").split("/") if p not in ("", "."))


def folder_entries(source: Path) -> tuple[list[Entry], list[tuple[str, str]]]:
    """Every file below ``source`` (symbolic links listed as refused, never followed) and every empty folder."""
    entries, empty = [], []

    def unreadable(exc: OSError) -> None:
        rel = Path(os.path.relpath(exc.filename, source)).as_posix() if exc.filename else "."
        empty.append((f"{rel}/", f"could not read this folder ({exc.strerror}); nothing in it was collected"))

    for dirpath, dirnames, filenames in os.walk(source, onerror=unreadable):  # never descends into linked folders
        here = Path(dirpath)
        rel = here.relative_to(source)
        dirnames.sort()
        if rel.parts and not dirnames and not filenames:
            empty.append((f"{rel.as_posix()}/", "empty folder: nothing was handed in here"))
        for name in list(dirnames):
            if (here / name).is_symlink():
                dirnames.remove(name)
                entries.append(Entry(f"{(rel / name).as_posix()}/", (*rel.parts, name), None,
                                     f"refused: a symbolic link to {os.readlink(here / name)}, never followed"))
        for name in sorted(filenames):
            path = here / name
            mode = os.lstat(path).st_mode
            where, parts = (rel / name).as_posix(), (*rel.parts, name)
            if stat.S_ISLNK(mode):
                entries.append(Entry(where, parts, None, f"refused: a symbolic link to {os.readlink(path)}, never followed"))
            elif not stat.S_ISREG(mode):
                entries.append(Entry(where, parts, None, "refused: not a regular file"))
            else:
                entries.append(Entry(where, parts, lambda path=path: _read_file(path)))
    return entries, empty


def zip_entries(archive: zipfile.ZipFile, label: str) -> list[Entry]:
    entries = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        where, parts = f"{label}:{info.filename}", split_parts(info.filename)
        if not parts:
            entries.append(Entry(where, (info.filename,), None, "refused: the entry has no file name"))
        elif stat.S_ISLNK(info.external_attr >> 16):
            entries.append(Entry(where, parts, None, "refused: a symbolic link in the zip, never followed"))
        else:
            entries.append(Entry(where, parts, lambda info=info: _read_member(archive, info)))
    return entries


# ---- matching ----------------------------------------------------------------------------------


class Roster:
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
    original_name: str = ""  # the file name the trainee gave, inside a Canvas name


def _name_by(match: TraineeMatch, ids: list[str], rule: str) -> None:
    if len(ids) > 1:
        match.clashes.append(", ".join(ids))
    elif ids:
        match.trainees.setdefault(ids[0], []).append(rule)


def canvas_parses(file_name: str) -> list[tuple[str, str]]:
    """Every (userid, original file name) that ``file_name`` reads as under Canvas's convention."""
    m = CANVAS.fullmatch(file_name)
    if not m:
        return []
    pieces = m["rest"].split("_")
    return [("_".join(pieces[:i]), "_".join(pieces[i + 1:]))
            for i in range(1, len(pieces) - 1)
            if re.fullmatch(r"[0-9]+", pieces[i]) and "_".join(pieces[i + 1:])]


def match_trainee(parts: tuple[str, ...], roster: Roster) -> TraineeMatch:
    """The roster ids an entry's path names under the three documented conventions."""
    match = TraineeMatch(original_name=parts[-1])
    folders = parts[:-1]
    positions = {folders[0], folders[-1]} if folders else set()
    for folder in sorted(positions):
        _name_by(match, roster.lookup(folder), f"folder {folder}")
        if m := MOODLE.fullmatch(folder):
            ids = roster.lookup(m["id"])
            _name_by(match, ids, f"Moodle folder {folder}")
            if not ids:
                match.near.append(f"the Moodle participant id {shown_id(m['id'])} in the folder {folder} is not on the roster")
    parses = canvas_parses(parts[-1])
    known = [(userid, original) for userid, original in parses if roster.lookup(userid)]
    for userid, original in known:
        _name_by(match, roster.lookup(userid), "Canvas file name")
    if len(known) == 1:
        match.original_name = known[0][1]
    elif parses and not known:
        match.near.append(f"the Canvas user id {shown_id(parses[0][0])} in the file name is not on the roster")
    return match


def notebook_cells(data: bytes) -> set[str] | None:
    """The nbgrader cell ids of a notebook, or None if the bytes are not a notebook."""
    try:
        nb = json.loads(data.decode("utf-8"))
        cells = nb["cells"]
        return {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in cells if isinstance(c, dict)} - {None}
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def fingerprints(course: Course) -> dict[str, set[str]]:
    return {
        ex.id: notebook_cells((course.root / "exercises" / ex.id / ex.notebook_name).read_bytes()) or set()
        for ex in course.exercises
    }


def unique_cells(prints: dict[str, set[str]]) -> dict[str, set[str]]:
    """Per exercise, the cell ids no other exercise has: only these tell exercises apart."""
    return {ex: cells - set().union(*(other for o, other in prints.items() if o != ex)) for ex, cells in prints.items()}


def match_exercise(name: str, cells: set[str], exercises: tuple[Exercise, ...], unique: dict[str, set[str]],
                   canvas: bool = False) -> tuple[Exercise | None, str]:
    """(exercise, how) for a notebook; (None, why) when it conflicts; (None, "") when nothing tells."""
    named = [ex for ex in exercises if name == ex.notebook_name]
    if not named and canvas and (m := CANVAS_RESUBMITTED.fullmatch(name)):
        named = [ex for ex in exercises if f"{m['stem']}.ipynb" == ex.notebook_name]
    owners = [ex for ex in exercises if cells & unique[ex.id]]
    if named and owners and owners != named:
        return None, (f"named like {named[0].id} but holds cells only {', '.join(ex.id for ex in owners)} has; "
                      "not placed, check which exercise it is")
    if named:
        return named[0], "by name"
    if len(owners) == 1:
        return owners[0], f"renamed {name}; matched by its exercise cells"
    if owners:
        return None, f"holds cells of several exercises ({', '.join(ex.id for ex in owners)}); not placed, check it by hand"
    return None, ""


# ---- placing -----------------------------------------------------------------------------------


@dataclass
class Candidate:
    entry: Entry
    digest: str
    how: str


def _write_atomically(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.collecting")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


class Placer:
    def __init__(self, root: Path, summary: Summary):
        self.root, self.summary = Path(root), summary
        self.paths = nbgrader_api.CoursePaths(self.root)
        self.stamp: str | None = None

    def _replaced_folder(self) -> Path:
        if self.stamp is None:
            base = datetime.now().strftime("%Y%m%d-%H%M%S")
            stamp, n = base, 1
            while (self.root / "submitted" / REPLACED_FOLDER / stamp).exists():
                n += 1
                stamp = f"{base}-{n}"
            self.stamp = stamp
        return self.root / "submitted" / REPLACED_FOLDER / self.stamp

    def place(self, trainee: str, exercise: Exercise, found: Candidate) -> None:
        entry = found.entry
        try:
            data = entry.read()
        except Refused as exc:
            self.summary.problems.append((entry.where, str(exc)))
            return
        if hashlib.sha256(data).hexdigest() != found.digest:
            self.summary.problems.append((entry.where, "changed while it was being collected; not placed, collect again"))
            return
        target = self.paths.submitted(trainee, exercise.id) / exercise.notebook_name
        try:
            replaced = ""
            if target.is_symlink() or (target.exists() and not target.is_file()):
                self.summary.problems.append((entry.where, f"submitted/{trainee}/{exercise.id}/{exercise.notebook_name} "
                                                           "is not a plain file; not placed, check it by hand"))
                return
            if target.is_file():
                if target.read_bytes() == data:
                    self.summary.unchanged.append(Placed(trainee, exercise.id, entry.where, "unchanged"))
                    return
                keep = self._replaced_folder() / trainee / exercise.id / exercise.notebook_name
                keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(target, keep)
                replaced = keep.relative_to(self.root).as_posix()
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(target, data)
        except OSError as exc:
            self.summary.problems.append((entry.where, f"could not write it to submitted/{trainee}/{exercise.id}/: {exc.strerror or exc}"))
            return
        self.summary.placed.append(Placed(trainee, exercise.id, entry.where, found.how, replaced))


    def place_submission(self, trainee: str, exercise: Exercise, files: dict[str, bytes], found: "Inbound", where: str) -> None:
        """An exchange submission: the notebook and nbgrader's files beside it. A newer one replaces
        what was collected before (kept under .replaced/); an older or the same one changes nothing."""
        folder = self.paths.submitted(trainee, exercise.id)
        stamp_file = folder / "timestamp.txt"
        try:
            earlier = nbgrader_api.parse_exchange_timestamp(stamp_file.read_text()) if stamp_file.is_file() else None
        except (ValueError, OverflowError):
            earlier = None
        if earlier is not None and earlier >= found.timestamp:
            if earlier == found.timestamp:
                self.summary.unchanged.append(Placed(trainee, exercise.id, where, "unchanged"))
            else:
                self.summary.problems.append((where, f"older than the submission of {trainee} collected before; not placed"))
            return
        notebook = folder / exercise.notebook_name
        try:
            if notebook.is_symlink() or (notebook.exists() and not notebook.is_file()):
                self.summary.problems.append((where, f"submitted/{trainee}/{exercise.id}/{exercise.notebook_name} "
                                                     "is not a plain file; not placed, check it by hand"))
                return
            replaced = ""
            if notebook.is_file():
                keep = self._replaced_folder() / trainee / exercise.id
                keep.mkdir(parents=True, exist_ok=True)
                for name in (exercise.notebook_name, *EXCHANGE_FILES):
                    if (folder / name).is_file():
                        shutil.copy2(folder / name, keep / name)
                replaced = (keep / exercise.notebook_name).relative_to(self.root).as_posix()
            folder.mkdir(parents=True, exist_ok=True)
            for name in EXCHANGE_FILES:
                if name not in files:
                    (folder / name).unlink(missing_ok=True)
            for name, data in files.items():
                _write_atomically(folder / name, data)
        except OSError as exc:
            self.summary.problems.append((where, f"could not write it to submitted/{trainee}/{exercise.id}/: {exc.strerror or exc}"))
            return
        self.summary.placed.append(Placed(trainee, exercise.id, where, f"submitted {found.stamp}", replaced))


def _wrapper(entries: list[Entry], roster: Roster) -> str | None:
    """The one folder every entry sits in, when it names no trainee (e.g. ``submissions/``)."""
    tops = {e.parts[0] for e in entries if len(e.parts) > 1}
    if len(tops) != 1 or any(len(e.parts) < 2 for e in entries):
        return None
    top = tops.pop()
    if roster.lookup(top) or MOODLE.fullmatch(top):
        return None
    return top


def collect(course: Course, root: Path, source: Path, roster_ids: list[str], exercise_id: str | None = None) -> Summary:
    """Place every notebook from ``source`` that can be matched for sure into ``root/submitted``."""
    selected = [course.exercise(exercise_id)] if exercise_id else list(course.exercises)
    unique = unique_cells(fingerprints(course))
    roster = Roster(roster_ids)
    source = Path(source)
    summary = Summary()
    candidates: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    unplaced: dict[str, list[Candidate]] = defaultdict(list)
    bad_ids = {t: problem for t in roster_ids if (problem := id_problem(t))}

    with ExitStack() as stack:
        if source.is_file() and zipfile.is_zipfile(source):
            archive = stack.enter_context(zipfile.ZipFile(source))
            entries, empty = zip_entries(archive, source.name), []
        elif source.is_dir():
            entries, empty = folder_entries(source)
        elif source.exists():
            raise CourseError(f"{source} is neither a folder nor a zip file")
        else:
            raise CourseError(f"{source} does not exist")
        summary.problems += empty

        kept = []
        for entry in entries:
            if SYSTEM_FILES.search("/".join(entry.parts)):
                summary.problems.append((entry.where, "system file, skipped"))
            else:
                kept.append(entry)
        entries = kept
        wrapper = _wrapper(entries, roster)

        for entry in entries:
            if entry.refused:
                summary.problems.append((entry.where, entry.refused))
                continue
            parts = entry.parts[1:] if wrapper else entry.parts
            match = match_trainee(parts, roster)
            if match.clashes:
                summary.problems.append((entry.where, f"unknown trainee: the roster has ids that differ only in case "
                                                      f"({'; '.join(match.clashes)}); fix the roster"))
                continue
            if len(match.trainees) != 1:
                if match.trainees:
                    named = "; ".join(f"{t} ({', '.join(rules)})" for t, rules in sorted(match.trainees.items()))
                    why = f"the path names several trainees: {named}; not placed, check it by hand"
                else:
                    why = "; ".join(match.near) or ("the path names no trainee on the roster (a folder at the first "
                                                    "level or right above the file, a Canvas or a Moodle download name)")
                summary.problems.append((entry.where, f"unknown trainee: {why}"))
                continue
            trainee = next(iter(match.trainees))
            if trainee in bad_ids:
                summary.problems.append((entry.where, f"the roster id {shown_id(trainee)} {bad_ids[trainee]}, so it "
                                                      "cannot be a folder in submitted/; fix the roster"))
                continue
            name = match.original_name
            if not name.lower().endswith(".ipynb"):
                summary.problems.append((entry.where, f"not a notebook (from {trainee})"))
                continue
            try:
                data = entry.read()
            except Refused as exc:
                summary.problems.append((entry.where, f"{exc} (from {trainee})"))
                continue
            if not data.strip():
                summary.problems.append((entry.where, f"empty file: {trainee} handed in a notebook with nothing in it"))
                continue
            cells = notebook_cells(data)
            if cells is None:
                summary.problems.append((entry.where, f"not a readable notebook (from {trainee}): the file is not notebook JSON"))
                continue
            found = Candidate(entry, hashlib.sha256(data).hexdigest(), "")
            del data
            exercise, how = match_exercise(name, cells, course.exercises, unique, canvas=name != parts[-1])
            if exercise is None and how:
                summary.problems.append((entry.where, f"{how} (from {trainee})"))
            elif exercise is None:
                unplaced[trainee].append(found)
            elif exercise not in selected:
                summary.problems.append((entry.where, f"a notebook of {exercise.id} ({how}), not of {exercise_id}; "
                                                      f"not placed (from {trainee})"))
            else:
                found.how = how
                candidates[(trainee, exercise.id)].append(found)

        for trainee, leftovers in unplaced.items():
            has_other = any(t == trainee for t, _ in candidates)
            if exercise_id and len(leftovers) == 1 and not has_other:
                only = leftovers[0]
                only.how = f"renamed {only.entry.parts[-1]}; the trainee's only notebook"
                candidates[(trainee, exercise_id)].append(only)
            else:
                for found in leftovers:
                    summary.problems.append((found.entry.where, f"could not tell which exercise this notebook of {trainee} is; "
                                                                "rename it to the exercise's file name"))

        placer = Placer(root, summary)
        for (trainee, ex_id), found in sorted(candidates.items()):
            if len({c.digest for c in found}) > 1:
                listed = ", ".join(c.entry.where for c in found)
                summary.problems.append((listed, f"{trainee} handed in {len(found)} different notebooks for {ex_id}; none placed, keep one"))
                continue
            placer.place(trainee, course.exercise(ex_id), found[0])

    summary.not_submitted = {
        ex.id: [t for t in roster.ids if t not in bad_ids
                and not (placer.paths.submitted(t, ex.id) / ex.notebook_name).is_file()]
        for ex in selected
    }
    return summary


# ---- from nbgrader's exchange ----------------------------------------------------------------------


@dataclass
class Inbound:
    """One submission in the exchange: the folder nbgrader's submit wrote, named
    ``<login>+<exercise>+<timestamp>+<random>``."""

    login: str
    folder: Path
    timestamp: datetime
    stamp: str


def hub_logins(root: Path, roster_ids: list[str]) -> dict[str, str]:
    """Hub login -> roster id: ``repairlab hub init``'s map, else each roster id is its own login."""
    path = Path(root) / HUB_LOGINS
    if path.is_file():
        try:
            logins = json.loads(path.read_text(encoding="utf-8"))["logins"]
        except (ValueError, KeyError, TypeError) as exc:
            raise CourseError(f"{path}: not the login map `repairlab hub init` writes ({exc})") from None
        return {login: trainee for login, trainee in logins.items() if trainee in roster_ids}
    return {trainee: trainee for trainee in roster_ids}


def inbound_submissions(root: Path, exercise: str, summary: Summary) -> list[Inbound]:
    """Each login's newest submission of ``exercise`` in the exchange. A folder the login's own
    account did not make, or dated in the future, is listed and set aside *before* the newest is
    chosen, so a forged newer folder can never hide a trainee's real submission."""
    inbound = nbgrader_api.exchange_course(root) / "inbound"
    if not inbound.is_dir():
        return []
    now = datetime.now(timezone.utc) + CLOCK_SKEW
    newest: dict[str, Inbound] = {}
    for entry in sorted(inbound.iterdir()):
        parts = entry.name.rsplit("+", 3)
        if len(parts) < 3 or parts[1] != exercise:
            continue
        where = f"exchange:{entry.name}"
        try:
            timestamp = nbgrader_api.parse_exchange_timestamp(parts[2])
        except (ValueError, OverflowError):
            summary.problems.append((where, "not placed: its name holds no timestamp nbgrader wrote"))
            continue
        found = Inbound(parts[0], entry, timestamp, parts[2])
        if why := _owner_problem(found):
            summary.problems.append((where, why))
            continue
        if _as_utc(timestamp) > now:
            summary.problems.append((where, f"set aside: dated {parts[2]}, in the future, so nbgrader's submit did not "
                                           f"date it; the newest submission of {found.login} dated before now is taken"))
            continue
        if found.login not in newest or newest[found.login].timestamp < timestamp:
            newest[found.login] = found
    return [newest[login] for login in sorted(newest)]


def _as_utc(moment: datetime) -> datetime:
    """nbgrader's parsed timestamps are naive UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _owner_problem(found: Inbound) -> str | None:
    """Why the folder cannot be the login's own submission, or None."""
    try:
        uid = pwd.getpwnam(found.login).pw_uid
    except KeyError:
        return f"no Unix account {found.login!r} on this machine handed it in"
    info = os.lstat(found.folder)
    if not stat.S_ISDIR(info.st_mode):
        return "refused: not a folder nbgrader's submit made (a link or a file)"
    if info.st_uid != uid:
        try:
            owner = pwd.getpwuid(info.st_uid).pw_name
        except KeyError:
            owner = f"user id {info.st_uid}"
        return f"refused: it claims to be from {found.login} but belongs to {owner}"
    return None


def _read_own(path: Path, uid: int, limit: int) -> bytes:
    """A regular file owned by ``uid``, read without following a link and capped at ``limit``."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise  # a missing file is the caller's to report
    except OSError as exc:
        raise Refused(f"refused {path.name}: could not open it ({exc.strerror}); a symbolic link is never followed") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != uid:
            raise Refused(f"refused {path.name}: not a plain file of the trainee's own")
        return read_capped(fh, limit)


def collect_from_exchange(course: Course, root: Path, roster_ids: list[str], exercise_id: str | None = None) -> Summary:
    """Place each trainee's newest exchange submission into ``root/submitted`` (see the module's docstring)."""
    selected = [course.exercise(exercise_id)] if exercise_id else list(course.exercises)
    logins = hub_logins(root, roster_ids)
    summary = Summary()
    placer = Placer(root, summary)
    for exercise in selected:
        for found in inbound_submissions(root, exercise.id, summary):
            where = f"exchange:{found.folder.name}"
            trainee = logins.get(found.login)
            if trainee is None:
                summary.problems.append((where, f"unknown trainee: the login {found.login!r} is not on the roster"))
                continue
            uid = os.lstat(found.folder).st_uid
            try:
                files = {exercise.notebook_name: _read_own(found.folder / exercise.notebook_name, uid, MAX_NOTEBOOK_BYTES)}
                for name in EXCHANGE_FILES:
                    if (found.folder / name).exists() or (found.folder / name).is_symlink():
                        files[name] = _read_own(found.folder / name, uid, MAX_SMALL_FILE_BYTES)
            except FileNotFoundError:
                summary.problems.append((where, f"{trainee} handed in {exercise.id} without {exercise.notebook_name}"))
                continue
            except Refused as exc:
                summary.problems.append((where, f"{exc} (from {trainee})"))
                continue
            if notebook_cells(files[exercise.notebook_name]) is None:
                summary.problems.append((where, f"not a readable notebook (from {trainee}): the file is not notebook JSON"))
                continue
            placer.place_submission(trainee, exercise, files, found, where)
    summary.not_submitted = {
        ex.id: [t for t in sorted(roster_ids) if not (placer.paths.submitted(t, ex.id) / ex.notebook_name).is_file()]
        for ex in selected
    }
    return summary
