"""Safety as a gate: the graded risk items that ``course.yml`` names (an exercise's ``safety:``), and
the submissions that missed one. A missed risk item is worth a point like any other, so a total can
hide it; here it is a flag of its own, "safety item missed — review", that ``pending``, the export's
status, the report's check-in list and the trainee's feedback all show, whatever the total.

A submission's answer is read as data (never run), as the grader reads it: from the autograded copy
when there is one, else from the notebook handed in. An answer that cannot be read counts as missed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat

from ..checks import as_answers, label_of
from ..course import Course, Exercise
from ..errors import AnswerError, ManifestError
from ..nbgrader_api import cells
from ..nbgrader_api.answers import answer_value
from ..nbgrader_api.parts import exercise_parts
from ..paths import MANIFEST

SAFETY_FLAG = "safety item missed — review"
PART_HEADING = re.compile(r"^#+\s*(Part [A-Z])\b")


@dataclass(frozen=True)
class SafetyItem:
    """One graded risk item: item ``number`` (from 1) of the part ``grade_id``."""

    exercise: str
    grade_id: str
    number: int
    part: str  # "Part B", as the trainee's notebook heads it
    item_word: str  # "Situation"
    variable: str
    answer_id: str
    key: str

    @property
    def label(self) -> str:
        """How supervisor and trainee both name it: "Part B, situation 3" (never a cell id or the key)."""
        return f"{self.part}, {self.item_word.lower()} {self.number}"


@cache
def _items(exercise_id: str, safety: tuple, source: Path, mtime: float) -> tuple[SafetyItem, ...]:
    parts = {part.grade_id: part for part in exercise_parts(exercise_id, source)}
    headings = _part_headings(source)
    found = []
    for grade_id, numbers in safety:
        part = parts.get(grade_id)
        where = f"{MANIFEST}: exercise {exercise_id!r}, safety {grade_id!r}"
        if part is None or part.scorer != "score_items":
            raise ManifestError(f"{where}: a safety item must be an item of an autograded single-best or "
                                "labelling part")
        for number in numbers:
            if number > len(part.key):
                raise ManifestError(f"{where}: item {number}, but the part has {len(part.key)} items")
            found.append(SafetyItem(exercise_id, grade_id, number, headings.get(grade_id, "this exercise"),
                                    part.item_word, part.variable, part.answer_id, str(part.key[number - 1][0])))
    return tuple(found)


@cache
def _part_headings(source: Path) -> dict[str, str]:
    """Grade id -> the "Part X" heading above it in the source notebook."""
    heading, found = "", {}
    for cell in nbformat.read(source, as_version=4).cells:
        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "markdown" and (match := PART_HEADING.match(first)):
            heading = match.group(1)
        if cells.grade_id(cell):
            found[cells.grade_id(cell)] = heading
    return found


def part_names(course: Course, exercise: Exercise) -> dict[str, str]:
    """Grade id -> "Part C": how the trainee's notebook heads each graded cell."""
    return _part_headings(course.paths.source(exercise.id) / exercise.notebook_name)


def safety_items(course: Course, exercise: Exercise) -> tuple[SafetyItem, ...]:
    """The exercise's graded risk items, checked against its key."""
    if not exercise.safety:
        return ()
    source = course.paths.source(exercise.id) / exercise.notebook_name
    return _items(exercise.id, tuple(exercise.safety.items()), source, source.stat().st_mtime)


def _answers(notebook: Path) -> dict[str, str]:
    nb = nbformat.read(notebook, as_version=4)
    answers: dict[str, str] = {}
    for cell in nb.cells:
        if cells.is_answer(cell) and cells.grade_id(cell) not in answers:
            answers[cells.grade_id(cell)] = cell.source
    return answers


def _given(answers: dict[str, str], item: SafetyItem):
    try:
        value = answer_value(answers[item.answer_id], item.variable)
        return label_of(as_answers(value)[item.number - 1])
    except (AnswerError, KeyError, IndexError, TypeError):
        return None


def missed_items(course: Course, exercise: Exercise, trainee: str) -> list[SafetyItem]:
    """The risk items this trainee's submission did not answer as the key; [] when nothing was handed
    in or the notebook cannot be read at all (it is then listed as not gradable instead)."""
    items = safety_items(course, exercise)
    if not items:
        return []
    for folder in (course.paths.autograded(trainee, exercise.id), course.paths.submitted(trainee, exercise.id)):
        notebook = folder / exercise.notebook_name
        if notebook.is_file():
            break
    else:
        return []
    try:
        answers = _answers(notebook)
    except Exception:  # a corrupt notebook: `grade` reports it as not gradable
        return []
    return [item for item in items if _given(answers, item) != label_of(item.key)]


def safety_review(course: Course, trainees: list[str]) -> dict[tuple[str, str], list[SafetyItem]]:
    """(exercise id, trainee id) -> the risk items missed, for every submission that missed one."""
    review = {}
    for exercise in course.exercises:
        for trainee in trainees:
            missed = missed_items(course, exercise, trainee)
            if missed:
                review[(exercise.id, trainee)] = missed
    return review


def describe(missed: list[SafetyItem]) -> str:
    """"safety item missed — review (Part B, situation 3)", for one submission."""
    return f"{SAFETY_FLAG} ({'; '.join(item.label for item in missed)})"
