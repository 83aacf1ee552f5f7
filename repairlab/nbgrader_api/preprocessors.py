"""The preprocessors ``nbgrader_config.py`` names (as ``repairlab.nbgrader_api.<Name>``): an exercise is
graded from data (its answers read as data and scored by trusted code; no kernel starts) unless the
manifest says it needs its notebook run, and then trainee code runs only in a sandboxed kernel; a
private journal is scored on completion with its text left out of the graded copy."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict
from functools import cache
from pathlib import Path

from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, SaveAutoGrades
from nbgrader.utils import compute_checksum

from .. import checks
from ..course import load_course
from ..errors import CourseError
from ..paths import MANIFEST
from . import cells
from .answers import answer_value
from .parts import exercise_parts, journal_cells


class NotGradableFromData(CourseError):
    """An exercise graded from data has a test that only running the notebook could score."""


@cache
def _manifest(root: str, mtime: float):
    return load_course(Path(root))


def grading_mode(config, resources) -> str:
    """How the manifest says this notebook's exercise is graded: "data" (the default) or "sandbox"."""
    root = Path(CourseDirectory(config=config).root)
    course = _manifest(str(root), (root / MANIFEST).stat().st_mtime)
    return course.exercise(resources["nbgrader"]["assignment"]).grading


class _RunWhenNeeded:
    """Mixed into nbgrader's Execute: an exercise graded from data is left as it is and no kernel
    starts, so nothing a trainee wrote runs; TrustedScores then writes the outputs of its tests."""

    def preprocess(self, nb, resources):
        if grading_mode(self.config, resources) == "data":
            return nb, resources
        return super().preprocess(nb, resources)


class SandboxedExecute(_RunWhenNeeded, Execute):
    """nbgrader's Execute, with the kernel in the sandbox (see repairlab.sandbox), for exercises
    the manifest marks ``grading: sandbox``."""

    def __init__(self, *args, **kwargs):
        from ..sandbox import SandboxKernelManager

        kwargs["kernel_manager_class"] = SandboxKernelManager
        super().__init__(*args, **kwargs)


class PrivateExecute(_RunWhenNeeded, Execute):
    """nbgrader's Execute without the sandbox (``grade --no-sandbox``), its kernel still reachable
    only by the supervisor's account (see repairlab.kernels), for exercises the manifest marks
    ``grading: sandbox``."""

    def __init__(self, *args, **kwargs):
        from ..kernels import (
            PrivateKernelManager,  # jupyter_server: only when grading unsandboxed
        )

        kwargs["kernel_manager_class"] = PrivateKernelManager
        super().__init__(*args, **kwargs)


@cache
def _parts(source: str, mtime: float):
    path = Path(source)
    return {part.grade_id: part for part in exercise_parts(path.parent.name, path)}


def _source_notebook(config, resources) -> Path:
    meta = resources["nbgrader"]
    coursedir = CourseDirectory(config=config)
    return (
        Path(coursedir.format_path(coursedir.source_directory, ".", meta["assignment"])) / f"{meta['notebook']}.ipynb"
    )


@cache
def _journals(source: str, mtime: float) -> dict[str, float]:
    return journal_cells(Path(source))


JOURNAL_PLACEHOLDER = "Write here. It is graded on completion only"
MARKUP = re.compile(r"<!--.*?-->|<[^>]*>|&[#\w]+;|[*_`~>#|\\\[\]()]", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")  # a word of two letters or more, in any script


def journal_complete(cell) -> bool:
    """Written in: changed from the released notebook, and holding words of the trainee's own once
    markup, entities, invisible characters and the placeholder line are set aside (a zero-width space,
    an HTML comment or the placeholder re-styled is not a reflection). Nothing else is judged."""
    if cells.nbgrader(cell).get("checksum") == compute_checksum(cell):
        return False
    text = unicodedata.normalize("NFKC", MARKUP.sub(" ", cell.source))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\n\t")
    placeholder = JOURNAL_PLACEHOLDER.casefold()
    own = [line for line in text.splitlines() if placeholder not in " ".join(line.split()).casefold()]
    return len(WORD.findall(" ".join(own))) >= 2


JOURNAL_SHOWN = {True: "*Private reflection: complete.*", False: "*Private reflection: not complete.*"}


ITEMS = "repairlab"  # the score output's metadata key for each item as data (what the feedback page reads)


def trusted_outputs(part, answer_source: str | None) -> list:
    """The grade cell's outputs as the supervisor's own code computes them from the answer: the
    missed items printed for the supervisor, and the score with each item as data in its metadata."""
    try:
        if answer_source is None:
            raise checks.AnswerError(f"{part.variable}: the answer cell is missing from the notebook")
        value = answer_value(answer_source, part.variable)
        count = part.count or len(part.key)
        if part.scorer == "score_selection":
            checks.check_selection(value, allowed=part.allowed, name=part.variable)
            graded = checks.grade_selection(value, {o: (b, w) for o, b, w in part.key}, points=part.points,
                                            **part.feedback)
        elif part.scorer == "score_ratings":
            checks.check_ratings(value, count=count, name=part.variable)
            graded = checks.grade_ratings(value, part.key, points=part.points, item=part.item_word, **part.feedback)
        else:
            checks.check_list(value, allowed=part.allowed, count=count, name=part.variable)
            grade = checks.grade_agreement if part.scorer == "score_agreement" else checks.grade_items
            graded = grade(value, part.key, points=part.points, item=part.item_word, **part.feedback)
    except checks.AnswerError as exc:
        return [new_output("error", ename="AnswerError", evalue=str(exc), traceback=[f"AnswerError: {exc}"])]
    return [
        new_output("stream", name="stdout", text="\n".join(checks.as_lines(graded)) + "\n"),
        new_output("execute_result", data={"text/plain": repr(float(graded.score))}, execution_count=None,
                   metadata={ITEMS: {"items": [asdict(r) for r in graded.items], "summary": graded.summary}}),
    ]


class TrustedScores(NbGraderPreprocessor):
    """Replace each autograded part's test output with what trusted code computes from the answer,
    read as data; nbgrader then saves the score from these outputs. Whatever ran in the trainee's
    kernel, if one ran at all (a patched checker, a rigged ``__eq__``, a changed builtin), cannot
    reach them. In an exercise graded from data, a test that is not such a part stops grading: with
    no output, nbgrader would give it full marks.

    A private journal cell is judged complete or not here, before anything rewrites it, and its
    text is replaced by that verdict, so no later step, file or page ever holds it."""

    def preprocess(self, nb, resources):
        source = _source_notebook(self.config, resources)
        parts = _parts(str(source), source.stat().st_mtime)
        journals = _journals(str(source), source.stat().st_mtime)
        answers = {}
        for cell in nb.cells:
            grade_id = cells.grade_id(cell)
            if cells.is_answer(cell) and grade_id not in answers:
                answers[grade_id] = cell.source
        completed = resources.setdefault("repairlab_journals", {})
        from_data = grading_mode(self.config, resources) == "data"
        for cell in nb.cells:
            grade_id = cells.grade_id(cell)
            part = parts.get(grade_id)
            if part is not None and cell.cell_type == "code":
                cell.outputs = trusted_outputs(part, answers.get(part.answer_id))
            elif from_data and cells.is_test(cell):
                raise NotGradableFromData(
                    f"{source.name}, cell {grade_id!r}: this test needs the notebook to run, so the exercise cannot be "
                    f"graded from data; give it `grading: sandbox` in {MANIFEST}")
            elif grade_id in journals and grade_id not in completed:
                completed[grade_id] = cell.cell_type == "markdown" and journal_complete(cell)
                cell.source = JOURNAL_SHOWN[completed[grade_id]]
        return nb, resources


class SaveGrades(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, except for private journal cells: as TrustedScores judged them,
    they score their points when written in and nothing when not, and need no marking."""

    def preprocess(self, nb, resources):
        self.journals = resources.get("repairlab_journals", {})
        return super().preprocess(nb, resources)

    def _add_score(self, cell, resources) -> None:
        grade_id = cells.grade_id(cell)
        if grade_id not in self.journals:
            return super()._add_score(cell, resources)
        grade = self.gradebook.find_grade(grade_id, self.notebook_id, self.assignment_id, self.student_id)
        grade.auto_score = grade.max_score if self.journals[grade_id] else 0.0
        grade.needs_manual_grade = False
        self.gradebook.db.commit()

