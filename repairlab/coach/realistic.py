"""Sets of answers the coach never trains on, with the score range a supervisor would give each
element (``tests/coach/realistic.yml``): read here so that the tests and the authors' measure
(``python -m repairlab.authoring.coach check FILE``) read them the same way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

RANGES = {"0": (0.0,), "0.5": (0.5,), "1": (1.0,), "0-0.5": (0.0, 0.5), ">=0.5": (0.5, 1.0)}


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    expect: tuple[str, ...]


@dataclass(frozen=True)
class TaskSet:
    task: str
    responses: tuple[Case, ...]
    pairs: tuple[tuple[str, str], ...]


def in_range(score: float, want: str) -> bool:
    if want not in RANGES:
        raise ValueError(f"a range is one of {', '.join(RANGES)}, not {want!r}")
    return score in RANGES[want]


def load_set(path: Path) -> dict[str, TaskSet]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = {}
    for exercise, raw in data.items():
        cases = []
        for r in raw.get("responses") or []:
            where = f"{path.name}, {exercise}, response {r.get('id')!r}"
            expect = tuple(str(x) for x in r["expect"])
            if any(x not in RANGES for x in expect):
                raise ValueError(f"{where}: field 'expect' takes only {', '.join(RANGES)}")
            cases.append(Case(str(r["id"]), str(r["text"]), expect))
        out[exercise] = TaskSet(raw["task"], tuple(cases), tuple(tuple(p) for p in raw.get("pairs") or []))
    return out
