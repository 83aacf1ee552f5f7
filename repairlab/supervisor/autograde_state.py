"""Where each handed-in notebook stands with autograding, one answer that ``pending``, the export,
``mark`` and ``grade`` share: not autograded yet (new, changed since, or a run stopped before it),
could not be autograded, or graded; and which graded parts scored 0 because the answer cell was not a
plain answer. Read from the files and the trusted outputs only: nothing here runs a notebook."""

from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat

from ..course import Course
from ..nbgrader_api import cells
from ..nbgrader_api.answers import NOT_PLAIN
from .status import Outcome, load_status

WAITING, FAILED, GRADED = "not autograded yet", "could not be autograded", "graded"
INTERRUPTED = "grading stopped before it finished (run `repairlab grade` again)"


def digest(notebook: Path) -> str:
    """A fingerprint of the submitted file, to tell a changed hand-in from the one last autograded."""
    try:
        return hashlib.sha256(notebook.read_bytes()).hexdigest()
    except OSError:
        return ""


def state(course: Course, exercise_id: str, trainee: str, outcome: Outcome | None, in_gradebook: bool) -> str:
    """WAITING, FAILED or GRADED for a notebook in submitted/ (``outcome``: the last one recorded;
    ``in_gradebook``: nbgrader registered a submission, which it does before grading it)."""
    exercise = course.exercise(exercise_id)
    submitted = course.paths.submitted(trainee, exercise_id) / exercise.notebook_name
    graded = course.paths.autograded(trainee, exercise_id) / exercise.notebook_name
    if not submitted.is_file():  # nothing handed in now: only the graded copy says anything
        return GRADED if graded.is_file() and (outcome is None or outcome.graded) else FAILED
    if outcome is not None and outcome.submitted:
        if outcome.submitted != digest(submitted):
            return WAITING
        return GRADED if outcome.graded and graded.is_file() else FAILED
    # no fingerprint: a run stopped before recording it, or a status from before fingerprints
    if not in_gradebook:
        return WAITING
    if not graded.is_file():
        return FAILED
    return WAITING if submitted.stat().st_mtime > graded.stat().st_mtime else GRADED


def not_plain_parts(course: Course, exercise_id: str, trainee: str) -> list[str]:
    """Grade ids whose trusted output says the answer cell was not a plain answer (code, or a cell that
    cannot be read), from the autograded copy TrustedScores wrote."""
    exercise = course.exercise(exercise_id)
    graded = course.paths.autograded(trainee, exercise_id) / exercise.notebook_name
    try:
        nb = nbformat.read(graded, as_version=4)
    except Exception:  # no graded copy, or one that cannot be read: nothing to say here
        return []
    return [cells.grade_id(cell) for cell in nb.cells if cells.is_test(cell) and any(
        out.get("output_type") == "error" and out.get("ename") == "AnswerError"
        and any(phrase in str(out.get("evalue", "")) for phrase in NOT_PLAIN) for out in cell.get("outputs", ()))]


def not_plain_note(parts: list[str]) -> str:
    """"Part A's answer was not a plain answer (code or unreadable): scored 0; the trainee's feedback says why"."""
    names = " and ".join(f"{part}'s" for part in parts) if len(parts) < 3 else ", ".join(parts[:-1]) + \
        f" and {parts[-1]}'s"
    plural = "answers were" if len(parts) > 1 else "answer was"
    return f"{names} {plural} not a plain answer (code or unreadable): scored 0; the trainee's feedback says why"


def unchanged_since_autograde(course: Course, tasks: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (exercise, trainee) of ``tasks`` whose submitted file is the one last autograded, with its
    grades in the gradebook and its autograded copy on disk: grading it again would give the same result.
    Only a recorded fingerprint counts (a run stopped before recording it grades again)."""
    status = load_status(course)
    same = set()
    with course.gradebook() as gradebook:
        for exercise_id, trainee in tasks:
            outcome = status.get(f"{exercise_id}/{trainee}")
            if outcome is None or not outcome.submitted or not outcome.graded:
                continue
            submission = gradebook.submission(exercise_id, trainee)
            if submission and submission.grades and state(course, exercise_id, trainee, outcome, True) == GRADED:
                same.add((exercise_id, trainee))
    return same
