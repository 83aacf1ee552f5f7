"""The coach on the user-seat reviewers' own answers and scores (reviewer.yml, reviewer3.yml; used for
tuning, so not held out): each element within 0.5 of the reviewer's score, exactly 0 where the reviewer gave 0 to a
denial, defensive, minimising, keyword, vague or over-apology answer, or "not judged"; and never met
or partly on such an answer (the hard rule). A check-in is a question that invites the client's
experience, not "go on"."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from repairlab.coach.exercise import exercise_coach
from repairlab.coach.practice import practice_prompt

HERE = Path(__file__).parent
SETS = {name: yaml.safe_load((HERE / name).read_text(encoding="utf-8")) for name in ("reviewer.yml", "reviewer3.yml")}
# Answers that do no repair: a 0 from the reviewer must never become met or partly.
HARD = ("denial", "defensive", "minimising", "keyword", "over-apology", "non-apology", "vague apology", "vague promise",
        "fragments", "justification")
CASES = [(f"{ex}@{name}", r) for name, tasks in SETS.items() for ex, task in tasks.items() for r in task["responses"]]


def hard(kind: str) -> bool:
    return any(word in kind for word in HARD)


def wrong(response: dict, scores: list) -> set[int]:
    out = set()
    for n, (got, want) in enumerate(zip(scores, response["reviewer"]), start=1):
        if got is None:
            continue
        if want == 0 and hard(response["kind"]) and got != 0:
            out.add(n)
        elif abs(got - want) > 0.5:
            out.add(n)
    return out


@pytest.fixture(scope="module")
def coaches(course):
    out = {}
    for name, tasks in SETS.items():
        for ex, task in tasks.items():
            coach = practice_prompt(ex).coach if task.get("practice") else exercise_coach(course, ex, task["task"])
            out[f"{ex}@{name}"] = coach
    return out


@pytest.mark.parametrize("exercise, response", CASES, ids=[f"{e}:{r['id']}" for e, r in CASES])
def test_each_element_is_near_the_reviewers_score_or_not_judged(exercise, response, coaches):
    judgements = coaches[exercise].judge(response["text"])
    scores = [j.score for j in judgements]
    assert wrong(response, scores) == set(response.get("misses") or ()), (scores, response["reviewer"])


@pytest.mark.parametrize("exercise, response", [c for c in CASES if hard(c[1]["kind"])],
                         ids=[f"{e}:{r['id']}" for e, r in CASES if hard(r["kind"])])
def test_no_credit_where_the_answer_does_no_repair(exercise, response, coaches):
    for j, want in zip(coaches[exercise].judge(response["text"]), response["reviewer"]):
        if want == 0:
            assert j.score in (0, None), (j.name, j.score, j.evidence)


def test_the_rule_can_fail():
    denial = {"kind": "denial", "reviewer": [0, 1]}
    assert wrong(denial, [0.5, None]) == {1}
    assert wrong({"kind": "good", "reviewer": [1, 0]}, [0, 0.5]) == {1}
