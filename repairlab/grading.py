"""Autograde a cohort with real nbgrader, in parallel worker processes.

nbgrader grades one submission after another. Here each worker process holds its own nbgrader API
(so nbgrader's start-up is paid once per worker) and grades whole submissions; the gradebook is one
SQLite file that workers share under a busy timeout, and every outcome is checked against it
afterwards so that no grade is lost without being reported.
"""

from __future__ import annotations

import json
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

from tqdm import tqdm

from . import nbgrader_api

STATUS_FILE = Path(".repairlab") / "grading-status.json"

_API = None


@dataclass
class Outcome:
    exercise: str
    trainee: str
    graded: bool
    reason: str = ""
    seconds: float = 0.0


REASONS = [
    (r"DeadKernelError|Kernel died|kernel died", "the kernel died while running the notebook"),
    (r"NotJSONError|Notebook does not appear to be JSON|Unreadable Notebook|not valid JSON", "the notebook file is corrupt (not valid JSON)"),
    (r"ValidationError|Notebook failed to validate|is not valid", "the notebook file is not a valid notebook"),
    (r"database is locked", "the gradebook was busy"),
    (r"No such file|does not exist", "the submitted notebook is missing"),
]


def failure_reason(log: str) -> str:
    for pattern, reason in REASONS:
        if re.search(pattern, log):
            return reason
    errors = [line.strip() for line in log.splitlines() if "ERROR" in line]
    return errors[-1][:200] if errors else "nbgrader could not grade it (see the autograde log)"


def _init_worker(root: str) -> None:
    global _API
    os.chdir(root)
    _API = nbgrader_api.api(Path(root))


def _grade(exercise: str, trainee: str) -> Outcome:
    start = time.perf_counter()
    for attempt in range(3):
        result = _API.autograde(exercise, trainee, force=True, create=False)
        text = f"{result.get('log', '')}\n{result.get('error', '')}"
        if result["success"] or "database is locked" not in text:
            break
    reason = "" if result["success"] else failure_reason(text)
    return Outcome(exercise, trainee, result["success"], reason, time.perf_counter() - start)


def grade_submissions(root: Path, tasks: list[tuple[str, str]], workers: int | None = None, progress: bool = True) -> list[Outcome]:
    """Autograde each (exercise, trainee) whose notebook is in ``submitted/``; one outcome each."""
    workers = max(1, min(workers or os.cpu_count() or 1, len(tasks) or 1))
    outcomes = []
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_init_worker, initargs=(str(root),)) as pool:
        futures = [pool.submit(_grade, exercise, trainee) for exercise, trainee in tasks]
        with tqdm(total=len(futures), desc="Autograding", unit="submission", disable=not progress) as bar:
            for future in as_completed(futures):
                outcome = future.result()
                outcomes.append(outcome)
                bar.set_postfix_str(f"{outcome.trainee}/{outcome.exercise}", refresh=False)
                bar.update()
    outcomes.sort(key=lambda o: (o.exercise, o.trainee))
    return verify(root, outcomes)


def verify(root: Path, outcomes: list[Outcome]) -> list[Outcome]:
    """Check each outcome against the gradebook: a grade said to be saved must be there, once."""
    from nbgrader.api import MissingEntry

    with nbgrader_api.gradebook(root) as gb:
        for outcome in outcomes:
            if not outcome.graded:
                continue
            try:
                notebook = gb.find_submission(outcome.exercise, outcome.trainee).notebooks
            except MissingEntry:
                notebook = []
            autograded = root / "autograded" / outcome.trainee / outcome.exercise
            if len(notebook) != 1 or not notebook[0].grades or not autograded.is_dir():
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
    path.write_text(json.dumps(status, indent=1, sort_keys=True))


def load_status(root: Path) -> dict[str, Outcome]:
    path = root / STATUS_FILE
    if not path.exists():
        return {}
    return {key: Outcome(**value) for key, value in json.loads(path.read_text()).items()}
