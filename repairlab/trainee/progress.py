"""What the course home shows a trainee about their own progress: the vignettes practised per module
and per skill (from their private practice record), and where each exercise stands (from their own
files: their copy, its hand-in copy on a laptop, nbgrader's submission cache and fetched feedback on a
hub)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..course import Course, Module
from .handing_in import handed_in_as_is, handed_in_when, latest_hand_in
from .practice_log import Attempt, PracticeLog
from .vignettes import load_vignettes


@dataclass(frozen=True)
class ModuleProgress:
    module: Module
    titles: dict[str, str]  # vignette id -> title, in the reading's order
    practised: dict[str, list[Attempt]]  # vignette id -> attempts, only vignettes practised

    @property
    def last(self) -> Attempt | None:
        return max((a for tries in self.practised.values() for a in tries), key=lambda a: a.time, default=None)

    @property
    def next_vignette(self) -> str | None:
        """The first vignette not yet practised, by title."""
        return next((title for vid, title in self.titles.items() if vid not in self.practised), None)


def one_module(module: Module, log: PracticeLog) -> ModuleProgress:
    titles = {vid: v.title for vid, v in load_vignettes(module.vignettes).items()}
    return ModuleProgress(module, titles, {vid: tries for vid, tries in log.by_vignette(module.id).items()
                                           if vid in titles})


def module_progress(course: Course, log: PracticeLog) -> list[ModuleProgress]:
    return [one_module(module, log) for module in course.modules]


@dataclass(frozen=True)
class SkillProgress:
    label: str
    modules: list[str]  # titles of the modules whose exercises give evidence of the skill
    practised: int  # vignettes practised in those modules
    total: int


def skill_progress(course: Course, progress: list[ModuleProgress]) -> list[SkillProgress]:
    """Per skill of the course: the vignettes practised in the modules whose exercises are graded on it."""
    found = []
    for skill, label in course.skills.items():
        mods = [p for p in progress if any(skill in ex.skills.values() for ex in p.module.exercises)]
        found.append(SkillProgress(label, [p.module.title for p in mods], sum(len(p.practised) for p in mods),
                                   sum(len(p.titles) for p in mods)))
    return found


@dataclass(frozen=True)
class ExerciseStatus:
    notebook: Path  # the trainee's own copy (it may not exist yet on a hub)
    state: str  # "not fetched", "not started", "saved", "changed" (since handed in), "handed in", "feedback"
    when: str = ""  # the date of that state, as the trainee reads it
    copy: Path | None = None  # on a laptop, the hand-in copy to send (``handing_in``)

    @property
    def exists(self) -> bool:
        return self.notebook.is_file()


def _day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).astimezone().strftime("%d %b %Y, %H:%M")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def on_hub(environ=None) -> bool:
    """A JupyterHub server sets JUPYTERHUB_USER; kernels inherit it."""
    return bool((os.environ if environ is None else environ).get("JUPYTERHUB_USER"))


def exercise_folder(course: Course, exercise_id: str, hub: bool) -> Path:
    """Local: the copy ``repairlab open`` made in workspace/. On a hub: the folder nbgrader's Fetch
    makes in the trainee's home."""
    return (Path.home() if hub else course.paths.workspace) / exercise_id


def exercise_status(course: Course, exercise_id: str, hub: bool, data_dir: Path | None = None) -> ExerciseStatus:
    folder = exercise_folder(course, exercise_id, hub)
    notebook = folder / f"{exercise_id}.ipynb"
    feedback = sorted((folder / "feedback").glob("*/")) if (folder / "feedback").is_dir() else []
    if feedback:
        return ExerciseStatus(notebook, "feedback", _day(feedback[-1].stat().st_mtime))
    if hub:
        from jupyter_core.paths import jupyter_data_dir

        cache = Path(data_dir or jupyter_data_dir()) / "nbgrader_cache"
        handed = sorted(cache.glob(f"*/*+{exercise_id}+*"), key=lambda p: p.stat().st_mtime)
        if handed:
            return ExerciseStatus(notebook, "handed in", _day(handed[-1].stat().st_mtime))
    if not notebook.is_file():
        return ExerciseStatus(notebook, "not fetched")
    if not hub and (copy := handed_in_as_is(course, exercise_id)) is not None:
        return ExerciseStatus(notebook, "handed in", f"{handed_in_when(copy):%d %b %Y, %H:%M}", copy)
    released = course.paths.release(exercise_id) / notebook.name
    if released.is_file() and _digest(released) == _digest(notebook):
        return ExerciseStatus(notebook, "not started")
    if not hub and (copy := latest_hand_in(course, exercise_id)) is not None:
        return ExerciseStatus(notebook, "changed", f"{handed_in_when(copy):%d %b %Y, %H:%M}", copy)
    return ExerciseStatus(notebook, "saved", _day(notebook.stat().st_mtime))
