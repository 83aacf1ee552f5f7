"""Autograde a cohort with real nbgrader, in parallel worker processes.

nbgrader grades one submission after another. Here each worker process holds its own nbgrader API
(so nbgrader's start-up is paid once per worker) and grades whole submissions; the gradebook is one
SQLite file that workers share under a busy timeout, and every outcome is checked against it
afterwards so that no grade is lost without being reported.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

import nbformat
from tqdm import tqdm

from . import nbgrader_api
from .backup import back_up
from .errors import CourseError
from .lock import grading_lock

STATUS_FILE = Path(".repairlab") / "grading-status.json"
PR_SET_PDEATHSIG = 1

_API = None


@dataclass
class Outcome:
    exercise: str
    trainee: str
    graded: bool
    reason: str = ""
    seconds: float = 0.0
    answers: dict = field(default_factory=dict)  # written task -> fingerprint of the answer graded
    cleared: list = field(default_factory=list)  # written tasks whose manual score this run cleared


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


def _init_worker(root: str, sandbox: bool) -> None:
    global _API
    _die_with_parent()
    os.chdir(root)
    _API = nbgrader_api.api(Path(root), sandbox)


def _grade(exercise: str, trainee: str) -> Outcome:
    start = time.perf_counter()
    for attempt in range(3):
        failure = nbgrader_api.autograde(_API, exercise, trainee)
        if failure is None or "locked" not in str(failure):
            break
    reason = "" if failure is None else nbgrader_api.failure_reason(failure)
    return Outcome(exercise, trainee, failure is None, reason, time.perf_counter() - start)


def answer_hashes(notebook: Path) -> dict[str, str]:
    """A fingerprint of each written answer, to tell a resubmitted answer from an unchanged one."""
    from .manual import written_answer_cells

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:  # an unreadable notebook has no answers to compare
        return {}
    return {task: hashlib.sha256(cell.source.strip().encode()).hexdigest() for task, cell in written_answer_cells(nb).items()}


def clear_changed_manual_scores(root: Path, outcomes: list[Outcome], before: dict[str, Outcome]) -> None:
    """A manual score given to an answer that has since been resubmitted changed is cleared and the
    task flagged (and listed in ``Outcome.cleared``), so an old mark is never exported for a new answer."""
    with nbgrader_api.gradebook(root) as gb:
        for outcome in outcomes:
            old = before.get(f"{outcome.exercise}/{outcome.trainee}")
            if not outcome.graded or old is None:
                continue
            for task, digest in outcome.answers.items():
                if old.answers.get(task, digest) == digest:
                    continue
                try:
                    grade = gb.find_grade(task, outcome.exercise, outcome.exercise, outcome.trainee)
                except nbgrader_api.MissingEntry:
                    continue
                if grade.manual_score is not None:
                    grade.manual_score = None
                    grade.needs_manual_grade = True
                    outcome.cleared.append(task)
        gb.db.commit()


def grade_submissions(root: Path, tasks: list[tuple[str, str]], workers: int | None = None, progress: bool = True,
                      sandbox: bool = True) -> list[Outcome]:
    """Autograde each (exercise, trainee) whose notebook is in ``submitted/``; one outcome each.
    One run at a time per course; the gradebook is backed up first."""
    root = Path(root)
    with grading_lock(root):
        gradebook_file = nbgrader_api.gradebook_file(root)
        if gradebook_file is not None:
            back_up(root, gradebook_file)
        before = load_status(root)
        outcomes = _run(root, tasks, workers, progress, sandbox)
        paths = nbgrader_api.CoursePaths(root)
        for outcome in outcomes:
            outcome.answers = answer_hashes(paths.submitted(outcome.trainee, outcome.exercise) / f"{outcome.exercise}.ipynb")
        outcomes = verify(root, outcomes)
        clear_changed_manual_scores(root, outcomes, before)
        save_status(root, outcomes)
    return outcomes


def _run(root: Path, tasks, workers, progress, sandbox) -> list[Outcome]:
    workers = max(1, min(workers or os.cpu_count() or 1, len(tasks) or 1))
    outcomes: list[Outcome] = []
    pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_init_worker, initargs=(str(root), sandbox))
    try:
        futures = [pool.submit(_grade, exercise, trainee) for exercise, trainee in tasks]
        with tqdm(total=len(futures), desc="Autograding", unit="submission", disable=not progress) as bar:
            for future in as_completed(futures):
                outcome = future.result()
                outcomes.append(outcome)
                bar.set_postfix_str(f"{outcome.trainee}/{outcome.exercise}", refresh=False)
                bar.update()
    except KeyboardInterrupt:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise CourseError(
            f"grading was interrupted after {len(outcomes)} of {len(tasks)} submission(s); the gradebook keeps "
            "what was graded and was backed up first. Run `repairlab grade` again to finish."
        ) from None
    pool.shutdown()
    outcomes.sort(key=lambda o: (o.exercise, o.trainee))
    return outcomes


def verify(root: Path, outcomes: list[Outcome]) -> list[Outcome]:
    """Check each outcome against the gradebook: a grade said to be saved must be there, once."""
    MissingEntry = nbgrader_api.MissingEntry
    paths = nbgrader_api.CoursePaths(root)
    with nbgrader_api.gradebook(root) as gb:
        for outcome in outcomes:
            if not outcome.graded:
                continue
            try:
                notebook = gb.find_submission(outcome.exercise, outcome.trainee).notebooks
            except MissingEntry:
                notebook = []
            if len(notebook) != 1 or not notebook[0].grades or not paths.autograded(outcome.trainee, outcome.exercise).is_dir():
                outcome.graded = False
                outcome.reason = "nbgrader reported success but the gradebook has no grades for it"
    return outcomes


def save_status(root: Path, outcomes: list[Outcome]) -> None:
    """Keep the latest outcome per submission, for the manual-grading list."""
    path = root / STATUS_FILE
    status = json.loads(path.read_text()) if path.exists() else {}
    for outcome in outcomes:
        status[f"{outcome.exercise}/{outcome.trainee}"] = asdict(outcome)
    path.parent.mkdir(exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(status, indent=1, sort_keys=True))
    os.replace(temporary, path)


def load_status(root: Path) -> dict[str, Outcome]:
    path = root / STATUS_FILE
    if not path.exists():
        return {}
    return {key: Outcome(**value) for key, value in json.loads(path.read_text()).items()}
