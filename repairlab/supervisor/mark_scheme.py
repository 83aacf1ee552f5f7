"""A written task's mark scheme as the supervisor reads it: the task's own words, and the scheme's
elements (``1. **Name**: what earns it``, with its Full / Partial / None anchors), read from the
task's cell in ``solutions/`` between the ``=== BEGIN MARK SCHEME ===`` markers. Calibration and
marking both read it here, so the elements a supervisor calibrates on are the ones they mark by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nbformat

from ..course import Course
from ..errors import CourseError
from ..nbgrader_api import cells

SCORES = (0.0, 0.5, 1.0)  # what each element earns: none, partial, full
ELEMENT = re.compile(r"^(\d+)\. \*\*(.+?)\*\*", re.M)
SCHEME = re.compile(r"=== BEGIN MARK SCHEME ===\n(.*?)=== END MARK SCHEME ===", re.S)
HEADING = re.compile(r"^#+\s*(.+)$", re.M)


class MarkSchemeError(CourseError):
    """A written task whose mark scheme cannot be read; names the notebook and the task."""


@dataclass(frozen=True)
class Element:
    name: str
    text: str  # its markdown: what earns it, and the anchors


@dataclass(frozen=True)
class WrittenTask:
    grade_id: str
    title: str  # the task's heading, e.g. "Part C: write a repair (4 points)"
    prompt: str  # the task as the trainee read it (markdown), without the mark scheme
    guidance: str  # the scheme's opening paragraph(s) (markdown)
    elements: tuple[Element, ...]
    closing: str  # what follows the elements, such as a model answer (markdown)

    @property
    def scheme(self) -> str:
        """The whole scheme as markdown, markers left out."""
        return "\n\n".join(p for p in (self.guidance, *(e.text for e in self.elements), self.closing) if p)


def _elements(body: str, where: str) -> tuple[str, tuple[Element, ...], str]:
    starts = list(ELEMENT.finditer(body))
    if not starts:
        raise MarkSchemeError(f"{where}: the mark scheme lists no elements ('1. **Name**')")
    elements = []
    closing = ""
    for n, start in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(body)
        block = body[start.start():end]
        if n + 1 == len(starts):  # the last element ends at the first unindented paragraph after it
            lines = block.splitlines()
            cut = next((i for i, line in enumerate(lines) if i and line.strip() and not line.startswith(" ")),
                       len(lines))
            block, closing = "\n".join(lines[:cut]), "\n".join(lines[cut:]).strip()
        elements.append(Element(start.group(2).strip().rstrip(":"), block.strip()))
    return body[:starts[0].start()].strip(), tuple(elements), closing


def written_tasks(course: Course, exercise_id: str) -> dict[str, WrittenTask]:
    """The exercise's written tasks by grade id, in notebook order, each with its mark scheme."""
    exercise = course.exercise(exercise_id)
    notebook = course.paths.source(exercise.id) / exercise.notebook_name
    nb = nbformat.read(notebook, as_version=4)
    tasks = {}
    for cell in nb.cells:
        if not cells.is_task(cell):
            continue
        grade_id = cells.grade_id(cell)
        where = f"{notebook.name}, task {grade_id!r}"
        match = SCHEME.search(cell.source)
        if match is None:
            raise MarkSchemeError(f"{where}: no mark scheme between '=== BEGIN MARK SCHEME ===' and "
                                  "'=== END MARK SCHEME ==='")
        prompt = cell.source[:match.start()].strip()
        heading = HEADING.search(prompt)
        title = heading.group(1).strip() if heading else grade_id
        if heading:
            prompt = (prompt[:heading.start()] + prompt[heading.end():]).strip()
        guidance, elements, closing = _elements(match.group(1), where)
        tasks[grade_id] = WrittenTask(grade_id, title, prompt, guidance, elements, closing)
    return tasks


def exercise_label(course: Course, exercise_id: str) -> str:
    """How supervisors know an exercise, by its place and its module's title: "Exercise 2 · Projection or
    contribution?"."""
    for n, module in enumerate((m for m in course.modules if m.exercises), start=1):
        if any(e.id == exercise_id for e in module.exercises):
            return f"Exercise {n} · {module.title}"
    return course.exercise(exercise_id).id


def parse_score(reply: str) -> float | None:
    """0, 0.5 (or ½, .5) or 1 as a score; None for anything else."""
    reply = reply.strip().replace("½", "0.5")
    try:
        value = float(reply)
    except ValueError:
        return None
    return value if value in SCORES else None


def fmt_score(score: float) -> str:
    """0, ½ or 1, as a supervisor writes it."""
    return {0.5: "½"}.get(score, f"{score:g}")
