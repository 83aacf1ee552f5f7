"""Placing: a matched file goes to ``submitted/<trainee>/<exercise>/``, a path built from the roster
id and the exercise id only, never from an entry's name. A submission that replaces an earlier one
is reported and the earlier file kept under ``submitted/.replaced/<time>/``; identical bytes are
"unchanged"; a file is written whole or not at all."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ...course import Course, Exercise
from ..exchange import EXCHANGE_FILES, Inbound, collected_timestamp
from ..safe_read import Refused
from .sources import Entry
from .summary import Placed, Summary


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
    def __init__(self, course: Course, summary: Summary):
        self.course, self.summary = course, summary
        self.paths = course.paths
        self.stamp: str | None = None

    def _replaced_folder(self) -> Path:
        if self.stamp is None:
            base = datetime.now().strftime("%Y%m%d-%H%M%S")
            stamp, n = base, 1
            while (self.paths.replaced / stamp).exists():
                n += 1
                stamp = f"{base}-{n}"
            self.stamp = stamp
        return self.paths.replaced / self.stamp

    def place(self, trainee: str, exercise: Exercise, found: Candidate) -> None:
        entry = found.entry
        try:
            data = entry.read()
        except Refused as exc:
            self.summary.problems.append((entry.where, str(exc)))
            return
        if hashlib.sha256(data).hexdigest() != found.digest:
            self.summary.problems.append(
                (entry.where, "changed while it was being collected; not placed, collect again")
            )
            return
        target = self.paths.submitted(trainee, exercise.id) / exercise.notebook_name
        try:
            replaced = ""
            if target.is_symlink() or (target.exists() and not target.is_file()):
                self.summary.problems.append(
                    (
                        entry.where,
                        f"submitted/{trainee}/{exercise.id}/{exercise.notebook_name} "
                        "is not a plain file; not placed, check it by hand",
                    )
                )
                return
            if target.is_file():
                if target.read_bytes() == data:
                    self.summary.unchanged.append(Placed(trainee, exercise.id, entry.where, "unchanged"))
                    return
                keep = self._replaced_folder() / trainee / exercise.id / exercise.notebook_name
                keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(target, keep)
                replaced = keep.relative_to(self.paths.root).as_posix()
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(target, data)
        except OSError as exc:
            self.summary.problems.append((entry.where, f"could not write it to submitted/{trainee}/{exercise.id}/: "
                                                       f"{exc.strerror or exc}"))
            return
        self.summary.placed.append(Placed(trainee, exercise.id, entry.where, found.how, replaced))

    def place_submission(self, trainee: str, exercise: Exercise, files: dict[str, bytes], found: Inbound,
                         where: str) -> None:
        """An exchange submission: the notebook and nbgrader's files beside it. A newer one replaces
        what was collected before (kept under .replaced/); an older or the same one changes nothing."""
        folder = self.paths.submitted(trainee, exercise.id)
        earlier = collected_timestamp(folder)
        if earlier is not None and earlier >= found.timestamp:
            if earlier == found.timestamp:
                self.summary.unchanged.append(Placed(trainee, exercise.id, where, "unchanged"))
            else:
                self.summary.problems.append((where, f"older than the submission of {trainee} collected before; not "
                                                     "placed"))
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
                replaced = (keep / exercise.notebook_name).relative_to(self.paths.root).as_posix()
            folder.mkdir(parents=True, exist_ok=True)
            for name in EXCHANGE_FILES:
                if name not in files:
                    (folder / name).unlink(missing_ok=True)
            for name, data in files.items():
                _write_atomically(folder / name, data)
        except OSError as exc:
            self.summary.problems.append((where, f"could not write it to submitted/{trainee}/{exercise.id}/: "
                                                 f"{exc.strerror or exc}"))
            return
        self.summary.placed.append(Placed(trainee, exercise.id, where, f"submitted {found.stamp}", replaced))
