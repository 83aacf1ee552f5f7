"""What the tests share: where the repository is, a scratch copy of the course, and nbgrader's own
gradebook on a course (as Formgrader uses it: tests mark answers and read what nbgrader stored)."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests"  # the grading matrix, the cohort's expected scores, LMS samples


def copy_course(dest: Path, source: Path = REPO) -> Path:
    """A scratch copy of the course (config included); returns ``dest``."""
    from repairlab.supervisor.course_folder import copy_course as _copy_course

    return _copy_course(source, dest)


def grade_by_running(root: Path, *exercises: str) -> Path:
    """Mark exercises of the course in ``root`` ``grading: sandbox`` in its course.yml (every exercise when
    none is named): their notebooks then run in the sandbox when graded, as an exercise that needs its
    code run would. Returns ``root``."""
    import yaml

    manifest = root / "course.yml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    for module in data["modules"]:
        for exercise in module.get("exercises", []):
            if not exercises or exercise["id"] in exercises:
                exercise["grading"] = "sandbox"
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


@contextmanager
def formgrader_gradebook(root: Path):
    """nbgrader's own Gradebook on the course in ``root``, with the course's db_url: what the
    supervisor's Formgrader reads and writes."""
    from nbgrader.api import Gradebook

    from repairlab.nbgrader_api import open_course

    nbgrader = open_course(root).nbgrader
    with Gradebook(nbgrader.db_url, nbgrader.course_id) as gb:
        yield gb


def sign_answers(nb, signature: str) -> None:
    """Sign each written answer and journal entry of a test notebook with ``signature``, so a test can
    find whose work reached a page (the demo cohort's own answers carry no names)."""
    from repairlab.nbgrader_api import cells

    for task, answer in cells.written_answer_cells(nb).items():
        answer.source = f"Written answer by {signature} for {task}: I noticed what I did and I will check in."
    for cell in nb.cells:
        if cells.is_journal(cell):
            cell.source = f"Private reflection by {signature} in {cells.grade_id(cell)}: a fictional entry."


def demo_answer(root: Path, trainee: str, exercise: str) -> str:
    """A telling piece of the written answer a demo-cohort trainee handed in for an exercise ("" if none):
    up to eight words of its longest stretch without a quote mark or apostrophe (which pages escape),
    read from the ``handed-in``
    folder beside the graded cohort's course (tests/conftest.py's ``graded_cohort``)."""
    import nbformat

    from repairlab.nbgrader_api import cells

    path = root.parent / "handed-in" / trainee / f"{exercise}.ipynb"
    if not path.exists():
        return ""
    answers = cells.written_answer_cells(nbformat.read(path, as_version=4))
    text = next(iter(answers.values())).source if answers else ""
    stretch = max(re.split("[\"'’*]", text), key=lambda part: len(part.split()))
    return " ".join(re.sub(r"^\d+\.\s+", "", stretch.strip()).split()[:8])  # "1. " opens a list on a page


PROGRESS = ("Reading the gradebook", "Autograding", "Building the report")  # the commands' own bars and clocks


def error_sentence(said: str) -> str:
    """A command's stderr when it stops: at most its progress line (``PROGRESS``, redrawn in place with
    \r), then one line, which is returned. Anything else fails the test."""
    lines = said.split("\n")
    assert len(lines) >= 2 and lines[-1] == "", said
    progress = [part for line in lines[:-2] for part in line.split("\r") if part.strip()]
    assert all(part.startswith(PROGRESS) for part in progress), said
    return lines[-2]
