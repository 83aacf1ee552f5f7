"""Calibration that is kept: every ``repairlab calibrate`` session is saved in the course's
``.repairlab/calibration/`` (who, when, the exercise, each sample's scores given and agreed), after
every sample, so a session stopped half-way keeps what was scored. ``calibrate --summary`` reads
them back: per element, each supervisor's agreement with the agreed scores over time, and the
agreement between supervisors of the course."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from pathlib import Path

from ..agreement import cohen_kappa, percent_agreement
from ..course import Course
from ..errors import CourseError

UNSAFE = re.compile(r"[^\w.-]+")


@dataclass
class TaskScores:
    elements: list[str]
    given: dict[str, list[float]] = field(default_factory=dict)  # sample id -> the supervisor's scores
    agreed: dict[str, list[float]] = field(default_factory=dict)  # sample id -> the course team's scores


@dataclass
class Session:
    supervisor: str
    exercise: str
    started: str  # ISO 8601, local time with its offset
    samples: int = 0  # how many samples the session had to score
    tasks: dict[str, TaskScores] = field(default_factory=dict)
    path: Path | None = None

    @property
    def scored(self) -> int:
        return sum(len(t.given) for t in self.tasks.values())

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.started)

    def to_json(self) -> dict:
        return {"supervisor": self.supervisor, "exercise": self.exercise, "started": self.started,
                "samples": self.samples, "complete": self.scored == self.samples,
                "tasks": {k: vars(v) for k, v in self.tasks.items()}}


def new_session(course: Course, supervisor: str, exercise: str, samples: int) -> Session:
    started = datetime.now().astimezone()
    stem = f"{started:%Y%m%dT%H%M%S}-{UNSAFE.sub('_', supervisor)}-{exercise}"
    path = course.paths.calibrations / f"{stem}.json"
    n = 1
    while path.exists():  # two sessions begun in the same second
        n += 1
        path = path.with_name(f"{stem}-{n}.json")
    return Session(supervisor, exercise, started.isoformat(), samples, path=path)


def save(session: Session) -> None:
    """Write the session whole (a temporary file, then renamed), so a stop never leaves half a file."""
    session.path.parent.mkdir(parents=True, exist_ok=True)
    temporary = session.path.with_suffix(".tmp")
    temporary.write_text(json.dumps(session.to_json(), indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, session.path)


def load_sessions(course: Course) -> list[Session]:
    """Every saved session, oldest first; a file that cannot be read is named."""
    sessions = []
    for path in sorted(course.paths.calibrations.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            tasks = {k: TaskScores(v["elements"], v["given"], v["agreed"]) for k, v in data["tasks"].items()}
            sessions.append(Session(data["supervisor"], data["exercise"], data["started"], data["samples"], tasks,
                                    path))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CourseError(f"{path}: not a calibration session RepairLab can read ({exc}); move it away") from None
    return sorted(sessions, key=lambda s: s.when)


@dataclass(frozen=True)
class OverTime:
    supervisor: str
    element: str
    points: tuple[tuple[Session, float, int], ...]  # session, agreement with the agreed scores, samples scored


@dataclass(frozen=True)
class Between:
    supervisors: tuple[str, str]
    element: str
    percent: float
    kappa: float | None
    samples: int


def _element_scores(task: TaskScores, e: int, which: dict[str, list[float]]) -> dict[str, float]:
    return {sample: scores[e] for sample, scores in which.items() if e < len(scores)}


def over_time(sessions: list[Session], exercise: str, task: str) -> list[OverTime]:
    """Per element and supervisor: agreement with the agreed scores in each session, oldest first."""
    found: dict[tuple[str, str], list] = {}
    for session in sessions:
        scores = session.tasks.get(task)
        if session.exercise != exercise or scores is None or not scores.given:
            continue
        for e, element in enumerate(scores.elements):
            given = _element_scores(scores, e, scores.given)
            agreed = _element_scores(scores, e, scores.agreed)
            common = sorted(given.keys() & agreed.keys())
            if common:
                value = percent_agreement([given[s] for s in common], [agreed[s] for s in common])
                found.setdefault((element, session.supervisor), []).append((session, value, len(common)))
    elements = list(dict.fromkeys(element for element, _ in found))  # in the scheme's order
    rows = [OverTime(who, element, tuple(points)) for (element, who), points in found.items()]
    return sorted(rows, key=lambda r: (elements.index(r.element), r.supervisor.casefold()))


def between(sessions: list[Session], exercise: str, task: str) -> list[Between]:
    """Per element and pair of supervisors: agreement on the samples both scored, each supervisor's
    latest session counting."""
    latest: dict[str, TaskScores] = {}
    for session in sessions:
        if session.exercise == exercise and task in session.tasks and session.tasks[task].given:
            latest[session.supervisor] = session.tasks[task]
    rows = []
    for a, b in combinations(sorted(latest, key=str.casefold), 2):
        for e, element in enumerate(latest[a].elements):
            if element not in latest[b].elements:
                continue
            mine = _element_scores(latest[a], e, latest[a].given)
            theirs = _element_scores(latest[b], latest[b].elements.index(element), latest[b].given)
            common = sorted(mine.keys() & theirs.keys())
            if common:
                x, y = [mine[s] for s in common], [theirs[s] for s in common]
                rows.append(Between((a, b), element, percent_agreement(x, y), cohen_kappa(x, y), len(common)))
    return rows
