"""Collect trainees' notebooks from a folder or an LMS zip download into nbgrader's ``submitted/``.

Each file is matched to a trainee (a folder or file-name part equal to a roster id) and to an
exercise (its file name; else the nbgrader cells inside it, which survive a rename; else, when the
supervisor names the exercise, the trainee's only notebook). Whatever cannot be matched is reported,
never dropped silently, and the originals are only ever read.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import CourseError
from .manifest import Course, Exercise

SYSTEM_FILES = re.compile(r"(^|/)(__MACOSX|\.DS_Store|Thumbs\.db|\.ipynb_checkpoints)(/|$)")


@dataclass
class Item:
    """One file handed in: where it was, and its bytes."""

    where: str
    parts: tuple[str, ...]
    data: bytes


@dataclass
class Placed:
    trainee: str
    exercise: str
    where: str
    how: str


@dataclass
class Summary:
    placed: list[Placed] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    not_submitted: dict[str, list[str]] = field(default_factory=dict)  # exercise -> trainees

    def render(self) -> str:
        lines = [f"Placed {len(self.placed)} submission(s) in submitted/."]
        for p in self.placed:
            lines.append(f"  {p.trainee:<12} {p.exercise:<28} from {p.where} ({p.how})")
        if self.problems:
            lines.append(f"Not placed ({len(self.problems)}): check these by hand.")
            lines += [f"  {where}: {why}" for where, why in self.problems]
        for exercise, trainees in self.not_submitted.items():
            if trainees:
                lines.append(f"No submission for {exercise} from: {', '.join(trainees)}")
        return "\n".join(lines)


def read_items(source: Path) -> tuple[list[Item], list[tuple[str, str]]]:
    """Every file in a folder or zip, nested folders included; plus empty trainee folders."""
    items, empty = [], []
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    parts = PurePosixPath(info.filename).parts
                    items.append(Item(f"{source.name}:{info.filename}", parts, archive.read(info)))
    elif source.is_dir():
        for path in sorted(source.rglob("*")):
            rel = path.relative_to(source)
            if path.is_file():
                items.append(Item(str(rel), rel.parts, path.read_bytes()))
            elif path.is_dir() and not any(path.iterdir()):
                empty.append((str(rel) + "/", "empty folder: nothing was handed in here"))
    elif source.exists():
        raise CourseError(f"{source} is neither a folder nor a zip file")
    else:
        raise CourseError(f"{source} does not exist")
    return items, empty


def match_trainee(parts: tuple[str, ...], roster: dict[str, str]) -> set[str]:
    """Roster ids named by a folder in the path, or by a part of a folder or file name split on
    '_' or spaces (LMS downloads put the id there, e.g. ``bo_1234_owning-your-part.ipynb``)."""
    folders = [p.lower() for p in parts[:-1]]
    names = set(folders)
    for name in (*folders, PurePosixPath(parts[-1]).stem.lower()):
        names.update(re.split(r"[_\s]+", name))
    return {roster[n] for n in names if n in roster}


def notebook_cells(data: bytes) -> set[str] | None:
    """The nbgrader cell ids of a notebook, or None if the bytes are not a notebook."""
    try:
        nb = json.loads(data.decode("utf-8"))
        cells = nb["cells"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        return None
    return {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in cells if isinstance(c, dict)} - {None}


def match_exercise(name: str, cells: set[str], exercises: list[Exercise], fingerprints: dict[str, set[str]]) -> tuple[Exercise | None, str]:
    for exercise in exercises:
        if name == exercise.notebook_name:
            return exercise, "by name"
    scores = {ex.id: len(cells & fingerprints[ex.id]) for ex in exercises}
    best = max(scores.values(), default=0)
    winners = [ex for ex in exercises if scores[ex.id] == best]
    if best and len(winners) == 1:
        return winners[0], f"renamed {name}; matched by its exercise cells"
    return None, ""


def fingerprints(course: Course) -> dict[str, set[str]]:
    return {
        ex.id: notebook_cells((course.root / "exercises" / ex.id / ex.notebook_name).read_bytes()) or set()
        for ex in course.exercises
    }


def collect(course: Course, root: Path, source: Path, roster_ids: list[str], exercise_id: str | None = None) -> Summary:
    """Place every matchable notebook from ``source`` into ``root/submitted``."""
    exercises = [course.exercise(exercise_id)] if exercise_id else list(course.exercises)
    roster = {t.lower(): t for t in roster_ids}
    prints = fingerprints(course)
    items, empty = read_items(Path(source))
    summary = Summary(problems=list(empty))
    candidates: dict[tuple[str, str], list[tuple[Item, str]]] = defaultdict(list)
    unplaced_notebooks: dict[str, list[Item]] = defaultdict(list)

    for item in items:
        if SYSTEM_FILES.search("/".join(item.parts)):
            summary.problems.append((item.where, "system file, skipped"))
            continue
        trainees = match_trainee(item.parts, roster)
        if len(trainees) != 1:
            why = "names no trainee on the roster" if not trainees else f"names several trainees: {', '.join(sorted(trainees))}"
            summary.problems.append((item.where, f"unknown trainee: the path {why}"))
            continue
        trainee = trainees.pop()
        name = item.parts[-1]
        if not name.endswith(".ipynb"):
            summary.problems.append((item.where, f"not a notebook (from {trainee})"))
            continue
        if not item.data.strip():
            summary.problems.append((item.where, f"empty file: {trainee} handed in a notebook with nothing in it"))
            continue
        cells = notebook_cells(item.data)
        if cells is None:
            summary.problems.append((item.where, f"not a readable notebook (from {trainee}): the file is not notebook JSON"))
            continue
        exercise, how = match_exercise(name, cells, exercises, prints)
        if exercise is None:
            unplaced_notebooks[trainee].append(item)
        else:
            candidates[(trainee, exercise.id)].append((item, how))

    for trainee, leftovers in unplaced_notebooks.items():
        has_other = any(t == trainee for t, _ in candidates)
        if exercise_id and len(leftovers) == 1 and not has_other:
            candidates[(trainee, exercise_id)].append((leftovers[0], f"renamed {leftovers[0].parts[-1]}; the trainee's only notebook"))
        else:
            for item in leftovers:
                summary.problems.append((item.where, f"could not tell which exercise this notebook of {trainee} is; rename it to the exercise's file name"))

    for (trainee, ex_id), found in sorted(candidates.items()):
        if len(found) > 1:
            listed = ", ".join(item.where for item, _ in found)
            summary.problems.append((listed, f"{trainee} handed in {len(found)} notebooks for {ex_id}; none placed, keep one"))
            continue
        item, how = found[0]
        target = root / "submitted" / trainee / ex_id / course.exercise(ex_id).notebook_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.data)
        summary.placed.append(Placed(trainee, ex_id, item.where, how))

    placed = {(p.trainee, p.exercise) for p in summary.placed}
    summary.not_submitted = {
        ex.id: [t for t in sorted(roster_ids) if (t, ex.id) not in placed] for ex in exercises
    }
    return summary
