"""The latest autograde outcome per submission (``.repairlab/grading-status.json``): why a notebook
could not be autograded, and a fingerprint of each written answer graded, for ``pending``, the next
grading run and the cohort report."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

from ..course import Course


@dataclass
class Outcome:
    exercise: str
    trainee: str
    graded: bool
    reason: str = ""
    seconds: float = 0.0
    answers: dict = field(default_factory=dict)  # written task -> fingerprint of the answer graded
    cleared: list = field(default_factory=list)  # written tasks whose manual score this run cleared
    submitted: str = ""  # fingerprint of the submitted file graded (autograde_state.digest)


def save_status(course: Course, outcomes: list[Outcome]) -> None:
    """Keep the latest outcome per submission, for the manual-grading list."""
    path = course.paths.grading_status
    status = json.loads(path.read_text()) if path.exists() else {}
    for outcome in outcomes:
        status[f"{outcome.exercise}/{outcome.trainee}"] = asdict(outcome)
    path.parent.mkdir(exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(status, indent=1, sort_keys=True))
    os.replace(temporary, path)


def load_status(course: Course) -> dict[str, Outcome]:
    path = course.paths.grading_status
    if not path.exists():
        return {}
    return {key: Outcome(**value) for key, value in json.loads(path.read_text()).items()}
