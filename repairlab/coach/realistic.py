"""Sets of answers the coach never trains on, with the score range a supervisor would give each
element (``tests/coach/realistic.yml``): read here so that the tests and the authors' measure
(``python -m repairlab.authoring.coach check FILE``) read them the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

QUOTED = re.compile("\u201c[^\u201d]*\u201d")
RANGES = {"0": (0.0,), "0.5": (0.5,), "1": (1.0,), "0-0.5": (0.0, 0.5), ">=0.5": (0.5, 1.0)}


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    expect: tuple[str, ...]
    misses: frozenset[int] = frozenset()  # elements (from 1) the coach is known to get wrong


@dataclass(frozen=True)
class TaskSet:
    task: str
    responses: tuple[Case, ...]
    pairs: tuple[tuple[str, str], ...]


def wrong_elements(case: Case, judgements) -> set[int]:
    """The elements (from 1) where the coach gave a score outside the supervisor's range."""
    return {n for n, (j, want) in enumerate(zip(judgements, case.expect), start=1)
            if j.score is not None and not in_range(j.score, want)}


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
            cases.append(Case(str(r["id"]), str(r["text"]), expect, frozenset(r.get("misses") or ())))
        out[exercise] = TaskSet(raw["task"], tuple(cases), tuple(tuple(p) for p in raw.get("pairs") or []))
    return out


def same_judgements(first, second) -> bool:
    """Two lists of judgements the same, score and sentence of why, apart from the words quoted
    from each text (a trivial edit changes what is quoted, never what is said about it)."""
    def plain(judgements):
        return [(j.score, QUOTED.sub("\u201c\u2026\u201d", j.why)) for j in judgements]

    return plain(first) == plain(second)
