"""The report's privacy guard: an audit hook makes opening any file in a trainee folder an error, so
the report can only ever use the gradebook, whatever the code or libraries it runs try to read."""

from __future__ import annotations

import contextlib
import os
import sys

from ..errors import CourseError
from ..paths import CoursePaths


class TraineeFilesForbidden(CourseError, PermissionError):
    """Something tried to open a trainee's notebook while the report was being made."""


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


def _guard(paths: CoursePaths) -> tuple[str, ...]:
    global _HOOK_INSTALLED
    if not _HOOK_INSTALLED:
        sys.addaudithook(_audit)  # audit hooks cannot be removed; it does nothing without a guard
        _HOOK_INSTALLED = True
    # submitted, autograded and feedback notebooks (as nbgrader_config.py names their folders), zip
    # downloads and the trainee workspace
    folders = tuple(os.path.realpath(folder) for folder in paths.trainee_folders)
    _FORBIDDEN.append(folders)
    return folders


@contextlib.contextmanager
def trainee_files_forbidden(paths: CoursePaths):
    """Opening any file in the course's trainee folders raises ``TraineeFilesForbidden`` inside."""
    folders = _guard(paths)
    try:
        yield
    finally:
        _FORBIDDEN.remove(folders)


def forbid_trainee_files(paths: CoursePaths) -> None:
    """``trainee_files_forbidden`` for the rest of this process: for the report's own kernel."""
    _guard(paths)
