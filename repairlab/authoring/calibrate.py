"""Calibrate markers before grading a cohort: score the written tasks' sample answers blind, then
see per mark-scheme element how far you agree with the scores the course team agreed.

The samples live beside the solutions (``solutions/<exercise>/calibration.yml``) and never reach
the release; the elements come from the task's own mark scheme, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import nbformat
import yaml

from ..agreement import DEGENERATE_RULE, cohen_kappa, fmt_kappa, percent_agreement
from ..course import Course
from ..errors import CourseError
from ..nbgrader_api import cells

SCORES = (0.0, 0.5, 1.0)
ELEMENT = re.compile(r"^\d+\. \*\*(.+?)\*\*", re.M)
SCHEME = re.compile(r"=== BEGIN MARK SCHEME ===\n(.*?)=== END MARK SCHEME ===", re.S)


class CalibrationError(CourseError):
    """A calibration file or mark scheme that cannot be used; names the file and field."""


@dataclass(frozen=True)
class Sample:
    id: str
    answer: str
    scores: tuple[float, ...]
    rationale: str


@dataclass(frozen=True)
class Task:
    grade_id: str
    scheme: str
    elements: tuple[str, ...]
    samples: tuple[Sample, ...]


def load_tasks(course: Course, exercise_id: str) -> list[Task]:
    exercise = course.exercise(exercise_id)
    folder = course.paths.source(exercise.id)
    path = course.paths.calibration(exercise.id)
    if not path.is_file():
        raise CalibrationError(f"{exercise.id} has no calibration set ({path.relative_to(course.root)})")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    nb = nbformat.read(folder / exercise.notebook_name, as_version=4)
    schemes = {cells.grade_id(c): c.source for c in nb.cells if cells.is_task(c)}
    tasks = []
    for grade_id, entry in data.items():
        where = f"{path.name}, task {grade_id!r}"
        if grade_id not in schemes:
            raise CalibrationError(f"{where}: no written task with this id in {exercise.notebook_name}; it has "
                                   f"{', '.join(schemes)}")
        match = SCHEME.search(schemes[grade_id])
        elements = tuple(ELEMENT.findall(match.group(1))) if match else ()
        if not elements:
            raise CalibrationError(f"{exercise.notebook_name}, task {grade_id!r}: the mark scheme lists no elements "
                                   "('1. **Name**')")
        samples = []
        for n, raw in enumerate((entry or {}).get("samples") or [], start=1):
            sid = raw.get("id", f"#{n}")
            scores = tuple(raw.get("scores") or ())
            if len(scores) != len(elements) or any(s not in SCORES for s in scores):
                raise CalibrationError(
                    f"{where}, sample {sid!r}: field 'scores' must give one of 0, 0.5, 1 for each of the "
                    f"{len(elements)} elements"
                )
            for field in ("answer", "rationale"):
                if not str(raw.get(field, "")).strip():
                    raise CalibrationError(f"{where}, sample {sid!r}: field {field!r} is missing")
            samples.append(
                Sample(sid, raw["answer"].strip(), tuple(float(s) for s in scores), raw["rationale"].strip())
            )
        if len(samples) < 2:
            raise CalibrationError(f"{where}: needs at least two samples")
        tasks.append(Task(grade_id, match.group(1).strip(), elements, tuple(samples)))
    return tasks


def ask_score(ask: Callable[[str], str], prompt: str, say: Callable[[str], None]) -> float:
    while True:
        try:
            reply = ask(prompt).strip()
        except EOFError:
            raise CalibrationError("calibration stopped before every sample was scored; nothing was compared") from None
        try:
            value = float(reply)
        except ValueError:
            value = None
        if value in SCORES:
            return value
        say("  Please enter 0, 0.5 or 1.")


@dataclass
class ElementResult:
    element: str
    percent: float
    kappa: float | None


def compare(task: Task, given: list[tuple[float, ...]]) -> list[ElementResult]:
    """Per element: agreement of the given scores with the agreed ones, over all samples."""
    results = []
    for e, element in enumerate(task.elements):
        mine = [g[e] for g in given]
        agreed = [s.scores[e] for s in task.samples]
        results.append(ElementResult(element, percent_agreement(mine, agreed), cohen_kappa(mine, agreed)))
    return results


def calibrate(course: Course, exercise_id: str, ask: Callable[[str], str] = input, say: Callable[[str], None] = print,
              task_id: str | None = None) -> dict[str, list[ElementResult]]:
    """Score every sample blind, then show agreement per element and the samples scored differently."""
    tasks = [t for t in load_tasks(course, exercise_id) if task_id in (None, t.grade_id)]
    if not tasks:
        raise CalibrationError(f"{exercise_id} has no calibration set for task {task_id!r}")
    results = {}
    for task in tasks:
        say(f"\n== {exercise_id}, written task {task.grade_id}: {len(task.samples)} sample answers ==")
        say(task.scheme)
        given = []
        for n, sample in enumerate(task.samples, start=1):
            say(f"\n-- Sample {n} of {len(task.samples)} --\n{sample.answer}\n")
            given.append(
                tuple(
                    ask_score(ask, f"  {e}. {name} [0/0.5/1]: ", say) for e, name in enumerate(task.elements, start=1)
                )
            )
        results[task.grade_id] = compare(task, given)
        say(f"\nAgreement with the agreed scores, {task.grade_id}:")
        say(f"  {'element':<40} {'agree':>6} {'kappa':>6}")
        for r in results[task.grade_id]:
            say(f"  {r.element[:40]:<40} {r.percent:>6.0%} {fmt_kappa(r.kappa):>6}")
        if any(r.kappa is None for r in results[task.grade_id]):
            say(f"  ({DEGENERATE_RULE})")
        for n, (sample, mine) in enumerate(zip(task.samples, given), start=1):
            if mine != sample.scores:
                say(f"  Sample {n}: you gave {_fmt(mine)}, agreed {_fmt(sample.scores)}. {sample.rationale}")
    return results


def _fmt(scores: tuple[float, ...]) -> str:
    return "[" + ", ".join(f"{s:g}" for s in scores) + "]"
