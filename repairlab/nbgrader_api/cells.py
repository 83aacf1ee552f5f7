"""nbgrader's cell metadata, read in one place: which cell is an answer, a test, a written task or a
journal, and its grade id. Every other module asks here instead of reading ``metadata["nbgrader"]``."""

from __future__ import annotations

import json

import nbformat

JOURNAL_TAG = "journal"  # a private reflection: graded on completion, its text never leaves the notebook


def nbgrader(cell) -> dict:
    """The cell's nbgrader metadata ({} for a plain cell)."""
    return cell.metadata.get("nbgrader", {})


def grade_id(cell) -> str | None:
    return nbgrader(cell).get("grade_id")


def is_answer(cell) -> bool:
    """A solution cell: where the trainee answers (code or markdown)."""
    return bool(nbgrader(cell).get("solution"))


def is_test(cell) -> bool:
    """A code cell that is graded and is not an answer: visible checks and hidden tests."""
    return cell.cell_type == "code" and bool(nbgrader(cell).get("grade")) and not is_answer(cell)


def is_task(cell) -> bool:
    """A written task (its mark scheme inside); the trainee answers in the plain cell below it."""
    return bool(nbgrader(cell).get("task"))


def is_journal(cell) -> bool:
    return JOURNAL_TAG in cell.metadata.get("tags", [])


def from_gradebook(cell) -> bool:
    """A locked cell with a grade id: autograde restored its source from the gradebook, so the
    supervisor wrote it. A trainee can mark their own cell locked, but nbgrader removes a grade id
    the gradebook does not know."""
    nbg = nbgrader(cell)
    return bool(nbg.get("locked") and nbg.get("grade_id"))


def written_answer_cells(nb) -> dict[str, nbformat.NotebookNode]:
    """The plain markdown cell under each written task, by task id: where the trainee answers."""
    return {
        grade_id(task): answer
        for task, answer in zip(nb.cells, nb.cells[1:])
        if is_task(task) and answer.cell_type == "markdown" and "nbgrader" not in answer.metadata
    }


def grade_ids(data: bytes) -> set[str] | None:
    """The nbgrader cell ids of a notebook's bytes, or None if the bytes are not a notebook."""
    try:
        nb = json.loads(data.decode("utf-8"))
        cells = nb["cells"]
        ids = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in cells if isinstance(c, dict)}
        return ids - {None}
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError, RecursionError):
        return None
