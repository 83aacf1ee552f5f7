"""The report's privacy guard: an audit hook makes opening any file in a trainee folder an error, so
the report can only ever use the gradebook, whatever the code or libraries it runs try to read."""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from pathlib import Path

from .. import nbgrader_api
from ..errors import CourseError


class TraineeFilesForbidden(CourseError, PermissionError):
    """Something tried to open a trainee's notebook while the report was being made."""


def trainee_folders(root: Path) -> list[Path]:
    """The folders of a course that hold trainees' own work: submitted, autograded and feedback
    notebooks (as named in nbgrader_config.py), zip downloads and the trainee workspace."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        directories = nbgrader_api.course_config(root).CourseDirectory
    names = [directories.get(key, default) for key, default in (
        ("submitted_directory", "submitted"), ("autograded_directory", "autograded"),
        ("feedback_directory", "feedback"))]
    return [Path(root) / name for name in (*names, "downloaded", "workspace")]


_FORBIDDEN: list[tuple[str, ...]] = []  # one entry per active guard: real paths of the folders
_HOOK_INSTALLED = False


def _audit(event: str, args: tuple) -> None:
    if event != "open" or not _FORBIDDEN or isinstance(args[0], int):
        return
    try:
        path = os.path.realpath(os.fsdecode(args[0]))
    except (TypeError, ValueError):
        return
    for folders in _FORBIDDEN:
        for folder in folders:
            if path == folder or path.startswith(folder + os.sep):
                raise TraineeFilesForbidden(
                    f"the cohort report may not open trainees' files ({path}); it uses only the gradebook")


def _guard(root: Path) -> tuple[str, ...]:
    global _HOOK_INSTALLED
    if not _HOOK_INSTALLED:
        sys.addaudithook(_audit)  # audit hooks cannot be removed; it does nothing without a guard
        _HOOK_INSTALLED = True
    folders = tuple(os.path.realpath(folder) for folder in trainee_folders(Path(root)))
    _FORBIDDEN.append(folders)
    return folders


@contextlib.contextmanager
def trainee_files_forbidden(root: Path):
    """Opening any file in the course's trainee folders raises ``TraineeFilesForbidden`` inside."""
    folders = _guard(root)
    try:
        yield
    finally:
        _FORBIDDEN.remove(folders)


def forbid_trainee_files(root: Path) -> None:
    """``trainee_files_forbidden`` for the rest of this process: for the report's own kernel."""
    _guard(root)
