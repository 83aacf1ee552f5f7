"""Autograde a cohort with real nbgrader, in parallel worker processes.

nbgrader grades one submission after another. Here each worker process holds its own nbgrader API
(so nbgrader's start-up is paid once per worker, or not at all when it is forked) and grades whole
submissions; the gradebook is one SQLite file that workers share under a busy timeout, in SQLite's
write-ahead log while the run lasts (``nbgrader_api.speed``), and every outcome is checked against it
afterwards so that no grade is lost without being reported.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

import nbformat

from ..course import Course
from ..errors import CourseError
from ..nbgrader_api import autograde as nbgrader_autograde
from ..nbgrader_api.backup import back_up
from ..nbgrader_api.cells import written_answer_cells
from ..nbgrader_api.speed import write_ahead_log
from .autograde_state import digest
from .lock import grading_lock
from .progress import Progress
from .safety import part_names
from .status import Outcome, load_status, save_status

PR_SET_PDEATHSIG = 1

_GRADER = None  # each worker's nbgrader API


def _die_with_parent() -> None:
    """A worker ends when the supervisor's process dies (even by kill -9), and its sandboxes die
    with it, so an interrupted run leaves no process behind: Linux's parent-death signal, and a
    watcher on the parent's sentinel for whatever that misses."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    parent = multiprocessing.parent_process()
    if parent is not None:
        def watch() -> None:
            multiprocessing.connection.wait([parent.sentinel])
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()


def _init_worker(course: Course, sandbox: bool) -> None:
    """A worker gets the course as the command opened it (nbgrader_config.py is not read again)."""
    global _GRADER
    _die_with_parent()
    os.chdir(course.root)
    _GRADER = nbgrader_autograde.grader(course, sandbox)


def _grade(exercise: str, trainee: str) -> Outcome:
    start = time.perf_counter()
    for _attempt in range(3):
        failure = nbgrader_autograde.autograde(_GRADER, exercise, trainee)
        if failure is None or "locked" not in str(failure):
            break
    reason = "" if failure is None else nbgrader_autograde.failure_reason(failure)
    return Outcome(exercise, trainee, failure is None, reason, time.perf_counter() - start)


def answer_hashes(notebook: Path) -> dict[str, str]:
    """A fingerprint of each written answer, to tell a resubmitted answer from an unchanged one."""
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:  # an unreadable notebook has no answers to compare
        return {}
    return {task: hashlib.sha256(cell.source.strip().encode()).hexdigest()
            for task, cell in written_answer_cells(nb).items()}


def clear_changed_manual_scores(course: Course, outcomes: list[Outcome], before: dict[str, Outcome]) -> None:
    """A manual score given to an answer that has since been resubmitted changed is cleared and the
    task flagged (and listed in ``Outcome.cleared``), so an old mark is never exported for a new answer."""
    with course.gradebook() as gradebook:
        for outcome in outcomes:
            old = before.get(f"{outcome.exercise}/{outcome.trainee}")
            if not outcome.graded or old is None:
                continue
            for task, digest in outcome.answers.items():
                if old.answers.get(task, digest) != digest and gradebook.clear_manual_score(
                        outcome.exercise, outcome.trainee, task):
                    outcome.cleared.append(task)


def grade_submissions(course: Course, tasks: list[tuple[str, str]], workers: int | None = None,
                      progress: bool = True, sandbox: bool = True, bar: Progress | None = None) -> list[Outcome]:
    """Autograde each (exercise, trainee) whose notebook is in ``submitted/``; one outcome each.
    One run at a time per course; the gradebook is backed up first. ``bar`` (else one of its own) moves
    with each submission and says what it waits on before the first and after the last."""
    if bar is None:
        with Progress(len(tasks), "Autograding", "submission", disable=not progress) as own:
            return grade_submissions(course, tasks, workers, progress, sandbox, own)
    bar.set_total(len(tasks))
    with grading_lock(course):
        gradebook_file = course.nbgrader.gradebook_file
        if gradebook_file is not None:
            bar.doing("backing up the gradebook")
            back_up(course.paths, gradebook_file)
        before = load_status(course)
        with write_ahead_log(gradebook_file):
            outcomes = _run(course, tasks, workers, sandbox, bar)
            bar.doing("checking each grade in the gradebook")
            for outcome in outcomes:
                notebook = course.paths.submitted(outcome.trainee, outcome.exercise) / f"{outcome.exercise}.ipynb"
                outcome.answers = answer_hashes(notebook)
                outcome.submitted = digest(notebook)
            outcomes = verify(course, outcomes)
            name_damaged_cells(course, outcomes)
            clear_changed_manual_scores(course, outcomes, before)
            bar.doing("writing the gradebook back to one file")
        save_status(course, outcomes)
        bar.doing("done")
    return outcomes


def _start_method(course: Course, tasks):
    """Workers that grade from data are forked from this process on Linux, with nbgrader already imported:
    a fresh interpreter took 2 to 7 s per worker to import it (a tenth of a cohort's grading time). Workers
    that run notebooks start fresh (spawn), because a kernel's client (asyncio, ZeroMQ) must not inherit
    its parent's state; so do all workers on macOS, where forking is unsafe."""
    runs_code = any(course.exercise(exercise).grading == "sandbox" for exercise, _ in tasks)
    return get_context("fork" if sys.platform == "linux" and not runs_code else "spawn")


def _run(course: Course, tasks, workers, sandbox, bar: Progress) -> list[Outcome]:
    workers = max(1, min(workers or os.cpu_count() or 1, len(tasks) or 1))
    outcomes: list[Outcome] = []
    pool = ProcessPoolExecutor(workers, mp_context=_start_method(course, tasks), initializer=_init_worker,
                               initargs=(course, sandbox))
    try:
        futures = [pool.submit(_grade, exercise, trainee) for exercise, trainee in tasks]
        bar.doing(f"starting {workers} grading worker{'s' if workers != 1 else ''} (each loads nbgrader first)")
        for future in as_completed(futures):
            outcome = future.result()
            outcomes.append(outcome)
            bar.doing(f"{outcome.trainee}/{outcome.exercise}", refresh=False)
            bar.update()
    except KeyboardInterrupt:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise CourseError(
            f"grading was interrupted after {len(outcomes)} of {len(tasks)} submission(s); the gradebook keeps "
            "what was graded and was backed up first. Run `repairlab grade` again to finish."
        ) from None
    bar.doing("stopping the grading workers")
    pool.shutdown()
    outcomes.sort(key=lambda o: (o.exercise, o.trainee))
    return outcomes


def name_damaged_cells(course: Course, outcomes: list[Outcome]) -> None:
    """A notebook nbgrader rejected for its grading information says which cell, as the supervisor and the
    trainee see it ("Part A's answer cell"), instead of nbgrader's "the metadata may be corrupted"."""
    for outcome in outcomes:
        if outcome.graded:
            continue
        exercise = course.exercise(outcome.exercise)
        damaged = nbgrader_autograde.damaged_cells(
            course.paths.submitted(outcome.trainee, exercise.id) / exercise.notebook_name)
        if damaged:
            parts = part_names(course, exercise)
            named = [f"{parts.get(grade_id) or 'an unnamed part'}'s {kind} cell" for grade_id, kind in damaged]
            outcome.reason = (f"{' and '.join(dict.fromkeys(named))} {'has' if len(damaged) == 1 else 'have'} "
                              "damaged grading information (changed outside the course, e.g. by another notebook "
                              "tool)")


def verify(course: Course, outcomes: list[Outcome]) -> list[Outcome]:
    """Check each outcome against the gradebook: a grade said to be saved must be there, once."""
    with course.gradebook() as gradebook:
        for outcome in outcomes:
            if not outcome.graded:
                continue
            submission = gradebook.submission(outcome.exercise, outcome.trainee)
            notebooks = submission.notebooks if submission else ()
            if (len(notebooks) != 1 or not notebooks[0].grades
                    or not course.paths.autograded(outcome.trainee, outcome.exercise).is_dir()):
                outcome.graded = False
                outcome.reason = "nbgrader reported success but the gradebook has no grades for it"
    return outcomes
