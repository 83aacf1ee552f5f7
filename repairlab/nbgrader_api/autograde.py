"""Autograding one submission in-process with nbgrader's own converter, and what went wrong in words."""

from __future__ import annotations

import os
from pathlib import Path

from nbgrader.api import MissingEntry
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory

from ..course import Course
from ..sandbox import SandboxUnavailable
from .preprocessors import NotGradableFromData
from .runner import with_interpreter_bin
from .speed import speed_up_nbgrader


def grader(course: Course, sandbox: bool = True):
    """nbgrader's API for the course, as one grading worker holds it (nbgrader's start-up is paid
    once per worker, and its gradebook engine and metadata schema are kept: ``speed``). nbgrader
    creates a new gradebook with ``alembic``, which must be on PATH."""
    from nbgrader.apps import NbGraderAPI

    os.environ["PATH"] = with_interpreter_bin(os.environ.get("PATH", ""))
    speed_up_nbgrader()
    config = course.nbgrader.autograde_config(sandbox)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


class _Autograde(Autograde):
    """nbgrader's Autograde, remembering the exception behind a failure instead of only logging it."""

    failure: BaseException | None = None

    def convert_single_notebook(self, notebook_filename: str) -> None:
        try:
            super().convert_single_notebook(notebook_filename)
        except Exception as exc:
            self.failure = exc
            raise


def autograde(grader_api, exercise: str, trainee: str) -> BaseException | None:
    """Autograde one submission in-process; None on success, else the exception that stopped it."""
    from nbgrader.converters.base import NbGraderException
    from nbgrader.utils import temp_attrs

    with temp_attrs(grader_api.coursedir, assignment_id=exercise, student_id=trainee):
        app = _Autograde(coursedir=grader_api.coursedir, parent=grader_api)
        app.force = True
        app.create_student = False
        try:
            app.start()
        except NbGraderException as exc:
            return app.failure or exc
        except Exception as exc:  # nbgrader raised before converting (e.g. an unknown trainee)
            return exc
    return None


def damaged_cells(notebook: Path) -> list[tuple[str, str]]:
    """(grade id, "answer" | "check" | "task" | "cell") of each cell whose grading information nbgrader's
    own validator rejects, as the handed-in file holds it; [] when it cannot be read at all."""
    import nbformat
    from nbgrader.nbgraderformat import MetadataValidator

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:  # not a notebook at all: no cell to name
        return []
    validator, found = MetadataValidator(), []
    for cell in nb.cells:
        try:
            validator.validate_cell(cell)
        except Exception:  # nbgrader's ValidationError, or a field of the wrong kind it trips over
            meta = cell.metadata.get("nbgrader", {})
            kind = "answer" if meta.get("solution") else "check" if meta.get("grade") else (
                "task" if meta.get("task") else "cell")
            found.append((str(meta.get("grade_id", "")), kind))
    return found


def failure_reason(exc: BaseException) -> str:
    """What went wrong, from the exception nbgrader met (not from its log text)."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbformat.reader import NotJSONError
    from nbformat.validator import ValidationError
    from sqlalchemy.exc import OperationalError

    reasons = {
        DeadKernelError: ("the kernel died while running the notebook (it may have exceeded the memory or process "
                          "limit)"),
        NotJSONError: "the notebook file is corrupt (not valid JSON)",
        ValidationError: "the notebook file is not a valid notebook",
        CellTimeoutError: "a cell ran past the time limit and could not be interrupted",
        OperationalError: "the gradebook could not be written (it was busy or locked)",
        MissingEntry: "nbgrader does not know this trainee or exercise",
        SandboxUnavailable: "the sandbox could not start",
        NotGradableFromData: "the exercise cannot be graded from data",
        FileNotFoundError: "a file nbgrader needed is missing",
    }
    detail = (str(exc).strip().splitlines() or [""])[-1][:160]
    reason = next((text for kind, text in reasons.items() if isinstance(exc, kind)), None)
    if reason is None:
        return f"nbgrader stopped with {type(exc).__name__}" + (f": {detail}" if detail else "")
    return reason + (f" ({detail})" if detail else "")

